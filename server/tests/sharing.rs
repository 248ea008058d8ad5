//! Share pages, cards and attribution over HTTP, as donors, their friends and link-preview
//! crawlers meet them. Every test runs on SQLite and on PostgreSQL.

use crate::support::giving::{gift, give, give_with, pay};
use crate::support::sse::EventStream;
use crate::support::{spawn, Backend, TestApp, PUBLIC_URL};
use image::GenericImageView;
use scraper::{Html, Selector};
use serde_json::{json, Value};

const EVENTS: &str = "/api/campaigns/little-painters/events";

/// A paid gift's id and its share links as the thank-you page receives them.
async fn shared_gift(app: &TestApp, key: &str, extra: Value) -> (String, Value) {
    let id = give(app, key, gift(2_000, extra)).await;
    (id.clone(), share_links(app, &id).await)
}

async fn share_links(app: &TestApp, donation: &str) -> Value {
    let response = app
        .get(&format!("/api/pages/donation?id={donation}&locale=en"))
        .await;
    assert_eq!(response.status(), 200);
    let view: Value = response.json().await.expect("JSON");
    view["share"].clone()
}

/// The share code in a share page URL.
fn code_of(links: &Value) -> String {
    let url = links["page_url"].as_str().expect("a share URL");
    url.rsplit('/').next().expect("a code").to_owned()
}

async fn fetch_card(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body").to_vec();
    (headers, bytes)
}

async fn cards_rendered(app: &TestApp) -> u64 {
    let (_, text) = app.get_text("/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix("giving_gallery_cards_rendered_total "))
        .and_then(|n| n.parse().ok())
        .expect("the render counter")
}

fn scan_qr(jpeg: &[u8]) -> Vec<String> {
    let gray = image::load_from_memory(jpeg).expect("a picture").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    prepared
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

fn meta_content(html: &Html, attr: &str, key: &str) -> Option<String> {
    let selector = Selector::parse(&format!("meta[{attr}=\"{key}\"]")).expect("a selector");
    html.select(&selector)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_owned)
}

/// A paid gift's certificate is a 1080x1920 JPEG whose QR code opens its share page, and its
/// link preview a 1200x630 JPEG, both within their size budgets; both are cached forever, rendered once,
/// and answered with 304 when the browser has them.
async fn a_paid_gift_has_cards_that_scan_fit_and_are_cached(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, links) = shared_gift(
        &app,
        "cards-1",
        json!({ "display_name": "Zoë Ångström", "show_amount": true }),
    )
    .await;
    let page_url = links["page_url"].as_str().expect("a share URL");
    assert!(
        page_url.starts_with(&format!("{PUBLIC_URL}/s/")),
        "{page_url}"
    );

    let certificate = links["certificate"].as_str().expect("a certificate");
    let (headers, jpeg) = fetch_card(&app, certificate).await;
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let image =
        image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).expect("a valid JPEG");
    assert_eq!(image.dimensions(), (1080, 1920));
    assert!(jpeg.len() <= 350_000, "{} bytes", jpeg.len());
    assert_eq!(scan_qr(&jpeg), vec![page_url.to_owned()]);

    let preview = links["preview"].as_str().expect("a preview");
    let (_, preview_jpeg) = fetch_card(&app, preview).await;
    let image = image::load_from_memory_with_format(&preview_jpeg, image::ImageFormat::Jpeg)
        .expect("a valid JPEG");
    assert_eq!(image.dimensions(), (1200, 630));
    assert!(
        preview_jpeg.len() <= 150_000,
        "{} bytes",
        preview_jpeg.len()
    );
    assert_eq!(cards_rendered(&app).await, 2);

    // Served again from storage, or not at all when the browser has it.
    let (_, again) = fetch_card(&app, certificate).await;
    assert_eq!(again, jpeg);
    let etag = headers["etag"].to_str().expect("an ETag").to_owned();
    let cached = app
        .client
        .get(app.url(certificate))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("an answer");
    assert_eq!(cached.status(), 304);
    assert_eq!(cards_rendered(&app).await, 2, "nothing painted twice");

    // The address without a key, an out-of-date key, and a PNG address from before cards were
    // JPEGs (still in chat histories) lead to the card as it is now.
    let code = code_of(&links);
    let current_key = preview
        .rsplit('-')
        .next()
        .expect("a key")
        .trim_end_matches(".jpg");
    for old in [
        format!("/cards/{code}/preview.jpg"),
        format!("/cards/{code}/preview-0000000000000000.jpg"),
        format!("/cards/{code}/preview.png"),
        format!("/cards/{code}/preview-{current_key}.png"),
    ] {
        let response = app.get(&old).await;
        assert_eq!(response.status(), 302, "{old}");
        assert_eq!(response.headers()["location"], preview);
    }
}

/// However many first requests arrive together, a card is painted once.
async fn concurrent_first_requests_render_a_card_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, links) = shared_gift(&app, "cards-2", json!({ "display_name": "Mei" })).await;
    let certificate = links["certificate"].as_str().expect("a certificate");
    let requests = (0..8).map(|_| fetch_card(&app, certificate));
    let bodies: Vec<Vec<u8>> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|(_, body)| body)
        .collect();
    assert!(bodies.windows(2).all(|pair| pair[0] == pair[1]));
    assert_eq!(cards_rendered(&app).await, 1);
}

/// Names in Chinese, in right-to-left script, with emoji, joiners, zero-width spaces or HTML all
/// give whole cards; a Chinese donor's certificate scans like any other.
async fn names_hard_to_draw_still_give_whole_cards(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let names = [
        "王小明",
        "مرحبا 👨\u{200D}👩\u{200D}👧 <b>&amp;</b>\u{200B}",
        "🎨🎨🎨",
        "Wolfeschlegelsteinhausenbergerdorff Jr.",
    ];
    for (i, name) in names.into_iter().enumerate() {
        let key = format!("hard-{i}");
        let checkout = app
            .post_json(
                crate::support::giving::CHECKOUT,
                &gift(1_000, json!({ "display_name": name })),
                &[("idempotency-key", &key), ("accept-language", "zh-CN")],
            )
            .await;
        assert_eq!(checkout.status(), 200, "{name}");
        let body: Value = checkout.json().await.expect("JSON");
        let id = body["donation_id"].as_str().expect("an id");
        pay(&app, id, 1_000).await;
        let links = share_links(&app, id).await;
        for (kind, size) in [("certificate", (1080, 1920)), ("preview", (1200, 630))] {
            let (_, jpeg) = fetch_card(&app, links[kind].as_str().expect("a card")).await;
            let image = image::load_from_memory(&jpeg).expect("a valid picture");
            assert_eq!(image.dimensions(), size, "{kind} for {name}");
        }
        let (_, certificate) = fetch_card(&app, links["certificate"].as_str().expect("")).await;
        assert_eq!(
            scan_qr(&certificate),
            vec![links["page_url"].as_str().expect("").to_owned()]
        );
    }
}

/// A share page tells link-preview crawlers everything with absolute URLs; unknown, malformed
/// and unpaid codes are not found.
/// A crawler that sends no Accept-Language reads a Chinese donor's share page in Chinese, as its
/// card is; a browser that asks for English still gets English.
async fn share_pages_speak_the_sharers_language_to_crawlers(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let id = give_with(
        &app,
        "page-zh",
        gift(2_000, json!({ "display_name": "李伟" })),
        &[("accept-language", "zh-CN,zh;q=0.9")],
    )
    .await;
    let code = code_of(&share_links(&app, &id).await);
    let path = format!("/s/{code}");

    let (status, crawler) = app.get_text(&path).await;
    assert_eq!(status, 200);
    let html = Html::parse_document(&crawler);
    let lang = html
        .select(&Selector::parse("html").expect("selector"))
        .next()
        .and_then(|e| e.value().attr("lang"))
        .map(str::to_owned);
    assert_eq!(lang.as_deref(), Some("zh-CN"));
    let title = meta_content(&html, "property", "og:title").expect("og:title");
    assert!(title.contains("认领"), "{title}");

    let (_, english) = app
        .get_text_with(&path, &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert!(
        english.contains("<html lang=\"en\""),
        "a browser's own language wins"
    );
}

async fn share_pages_have_preview_tags_and_unknown_codes_are_not_found(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, links) = shared_gift(&app, "page-1", json!({ "display_name": "Li Wei" })).await;
    let code = code_of(&links);

    let (status, body) = app.get_text(&format!("/s/{code}")).await;
    assert_eq!(status, 200);
    let html = Html::parse_document(&body);
    let title = meta_content(&html, "property", "og:title").expect("og:title");
    assert!(title.contains("Li Wei"), "{title}");
    assert!(meta_content(&html, "property", "og:description").is_some_and(|d| !d.is_empty()));
    assert_eq!(
        meta_content(&html, "property", "og:url").as_deref(),
        Some(format!("{PUBLIC_URL}/s/{code}").as_str())
    );
    let image = meta_content(&html, "property", "og:image").expect("og:image");
    assert_eq!(
        image,
        format!("{PUBLIC_URL}{}", links["preview"].as_str().expect(""))
    );
    assert_eq!(
        meta_content(&html, "property", "og:image:width").as_deref(),
        Some("1200")
    );
    assert_eq!(
        meta_content(&html, "property", "og:image:height").as_deref(),
        Some("630")
    );
    assert_eq!(
        meta_content(&html, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    // The image the tags name is there for the crawler.
    let (_, jpeg) = fetch_card(&app, &image.replace(PUBLIC_URL, "")).await;
    assert!(!jpeg.is_empty());

    // A pending gift has a code but no share yet.
    let pending = app
        .post_json(
            crate::support::giving::CHECKOUT,
            &gift(1_000, json!({})),
            &[("idempotency-key", "page-2")],
        )
        .await;
    let pending: Value = pending.json().await.expect("JSON");
    let pending_code: String = sqlx::query_scalar("SELECT share_code FROM donations WHERE id = $1")
        .bind(pending["donation_id"].as_str().expect("an id"))
        .fetch_one(app.db.pool())
        .await
        .expect("a share code");
    for path in [
        format!("/s/{pending_code}"),
        "/s/zzzzzzzzzzzz".to_owned(),
        "/s/not-a-code".to_owned(),
        format!("/cards/{pending_code}/certificate.jpg"),
        "/cards/zzzzzzzzzzzz/preview.jpg".to_owned(),
        format!("/cards/{code}/poster.jpg"),
        format!("/cards/{code}/preview-XYZ.jpg"),
        format!("/cards/{code}/preview-XYZ.png"),
        format!("/cards/{code}/preview.gif"),
        format!("/cards/{code}/..%2F..%2Fetc.jpg"),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
}

fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// What a share brought, as its page asks for it.
async fn share_stats(app: &TestApp, code: &str) -> Value {
    let response = app
        .get(&format!("/api/pages/share-stats?code={code}"))
        .await;
    response.json().await.expect("stats JSON")
}

async fn stats(app: &TestApp, code: &str) -> (i64, i64) {
    let stats = share_stats(app, code).await;
    (
        stats["gifts"].as_i64().expect("gifts"),
        stats["raised"]["minor"].as_i64().expect("raised"),
    )
}

/// A visit through a share is remembered, first touch only; gifts made after it are credited
/// to the sharer once each, live, and gifts made otherwise are not.
async fn gifts_through_a_share_are_credited_to_the_sharer_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, first) = shared_gift(&app, "sharer-1", json!({ "display_name": "Ana" })).await;
    let (_, second) = shared_gift(&app, "sharer-2", json!({ "display_name": "Ben" })).await;
    let (ana, ben) = (code_of(&first), code_of(&second));

    let visit = app.get(&format!("/s/{ana}")).await;
    let cookie = set_cookie(&visit).expect("the share is remembered");
    assert!(
        cookie.starts_with(&format!("gg_shared_by={ana};")),
        "{cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let from_ana = format!("gg_shared_by={ana}");
    let later = app
        .client
        .get(app.url(&format!("/s/{ben}")))
        .header("cookie", &from_ana)
        .send()
        .await
        .expect("an answer");
    assert_eq!(later.status(), 200);
    assert_eq!(set_cookie(&later), None, "the first share keeps the credit");

    let mut viewer = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    assert_eq!(viewer.next().await.kind, "snapshot");
    let through = [("cookie", from_ana.as_str())];
    let one = give_with(&app, "friend-1", gift(1_000, json!({})), &through).await;
    give_with(&app, "friend-2", gift(2_000, json!({})), &through).await;
    // Paid again by a repeated event, counted once.
    pay(&app, &one, 1_000).await;
    // Without the cookie, or with one that names no share, nothing is credited.
    give(&app, "stranger-1", gift(500, json!({}))).await;
    give_with(
        &app,
        "stranger-2",
        gift(500, json!({})),
        &[("cookie", "gg_shared_by=<script>")],
    )
    .await;
    // A gift still unpaid does not count yet.
    let unpaid = app
        .post_json(
            crate::support::giving::CHECKOUT,
            &gift(700, json!({})),
            &[("idempotency-key", "friend-3"), ("cookie", &from_ana)],
        )
        .await;
    assert_eq!(unpaid.status(), 200);

    assert_eq!(stats(&app, &ana).await, (2, 3_000));
    assert_eq!(stats(&app, &ben).await, (0, 0));
    let seen = viewer
        .until(|e| e.kind == "progress" && e.data["donors"] == 6)
        .await;
    let credited: Vec<&Value> = seen
        .iter()
        .filter(|e| e.kind == "gift" && e.data["shared_by"] == ana.as_str())
        .map(|e| &e.data)
        .collect();
    assert_eq!(
        credited.len(),
        2,
        "the feed says which gifts the share brought"
    );

    let (_, body) = app.get_text(&format!("/s/{ana}")).await;
    assert!(
        body.contains("2 gifts, ¥30"),
        "the share page shows what it brought"
    );
    assert_eq!(
        app.get("/api/pages/share-stats?code=zzzzzzzzzzzz")
            .await
            .status(),
        404
    );
}

/// A gift by `name` made through share `code`, paid; its own share code.
async fn given_through(app: &TestApp, name: &str, code: &str, amount: i64) -> String {
    let cookie = format!("gg_shared_by={code}");
    let gift = gift(amount, json!({ "display_name": name }));
    let id = give_with(app, name, gift, &[("cookie", cookie.as_str())]).await;
    code_of(&share_links(app, &id).await)
}

async fn tree_stats(app: &TestApp, code: &str) -> (i64, Value) {
    let stats = share_stats(app, code).await;
    (
        stats["gifts"].as_i64().expect("gifts"),
        stats["further"].clone(),
    )
}

/// Each share's direct gifts and the gifts further down, generation by generation.
async fn assert_shapes(app: &TestApp, shapes: &[(&String, i64, Value)]) {
    for (code, gifts, further) in shapes {
        assert_eq!(
            tree_stats(app, code).await,
            (*gifts, further.clone()),
            "{code}"
        );
    }
}

/// Shares of gifts that came through shares grow a tree. A share page says, without names,
/// what came of it further down; staff see its chains, depth and sharers, and the K-factor by
/// the hour; and the tree of gifts made before it was kept is rebuilt by the migration.
async fn shares_of_shares_grow_a_tree_sharers_and_staff_can_see(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    // Ana shares; Ben and Fay give through her share, Cai and Dee through Ben's, Eli
    // through Cai's. Gus gives on his own.
    let (_, links) = shared_gift(&app, "Ana", json!({ "display_name": "Ana" })).await;
    let ana = code_of(&links);
    let ben = given_through(&app, "Ben", &ana, 1_000).await;
    given_through(&app, "Fay", &ana, 3_000).await;
    let cai = given_through(&app, "Cai", &ben, 1_000).await;
    given_through(&app, "Dee", &ben, 1_000).await;
    let eli = given_through(&app, "Eli", &cai, 1_000).await;
    give(&app, "Gus", gift(1_000, json!({}))).await;
    // A checkout through Eli's share that is never paid counts for nobody.
    let unpaid = app
        .post_json(
            crate::support::giving::CHECKOUT,
            &gift(700, json!({})),
            &[
                ("idempotency-key", "Hal"),
                ("cookie", &format!("gg_shared_by={eli}")),
            ],
        )
        .await;
    assert_eq!(unpaid.status(), 200);

    let shapes = [
        (&ana, 2, json!([2, 1])),
        (&ben, 2, json!([1])),
        (&eli, 0, json!([])),
    ];
    assert_shapes(&app, &shapes).await;
    let (_, page) = app.get_text(&format!("/s/{ana}")).await;
    let html = Html::parse_document(&page);
    let further = Selector::parse("[data-testid=share-further]").expect("selector");
    let said: String = html.select(&further).flat_map(|e| e.text()).collect();
    assert_eq!(said, "And the shares of those gifts brought 3 more.");
    let steps = Selector::parse("[data-testid=share-tree] li").expect("selector");
    let steps: Vec<String> = html.select(&steps).map(|e| e.text().collect()).collect();
    assert_eq!(
        steps,
        ["2", "2", "1"],
        "the gifts at each step from Ana's share"
    );

    // Staff see the whole tree.
    use crate::support::staff::{create, request, signed_in};
    const TREE: &str = "/api/staff/sharing?slug=little-painters&locale=en";
    let anonymous = request(&app, reqwest::Method::GET, TREE, None).send().await;
    assert_eq!(anonymous.expect("an answer").status(), 401);
    create(&app, "viewer@example.org", app::staff::Role::Viewer).await;
    let cookie = signed_in(&app, "viewer@example.org").await;
    let response = request(&app, reqwest::Method::GET, TREE, Some(&cookie))
        .send()
        .await;
    let board: Value = response.expect("an answer").json().await.expect("JSON");
    let tree = &board["tree"];
    assert_eq!(
        (tree["gifts"].as_i64(), tree["through_shares"].as_i64()),
        (Some(7), Some(5))
    );
    assert_eq!(tree["deepest"], 3, "Ana, Ben, Cai, Eli");
    assert_eq!(tree["chains"].as_array().map(Vec::len), Some(1));
    let chain = &tree["chains"][0];
    assert_eq!(
        (&chain["name"], &chain["code"]),
        (&json!("Ana"), &json!(ana))
    );
    assert_eq!((&chain["gifts"], &chain["depth"]), (&json!(5), &json!(3)));
    let sharers: Vec<(String, i64, Value)> = tree["sharers"]
        .as_array()
        .expect("sharers")
        .iter()
        .map(|s| {
            let name = s["name"].as_str().expect("a name").to_owned();
            (
                name,
                s["stats"]["gifts"].as_i64().expect("gifts"),
                s["stats"]["further"].clone(),
            )
        })
        .collect();
    assert_eq!(
        sharers,
        [
            ("Ana".to_owned(), 2, json!([2, 1])),
            ("Ben".to_owned(), 2, json!([1])),
            ("Cai".to_owned(), 1, json!([])),
        ]
    );
    let hours = tree["hours"].as_array().expect("hours");
    let sum = |key: &str| hours.iter().filter_map(|h| h[key].as_i64()).sum::<i64>();
    assert_eq!(
        (sum("donors"), sum("brought")),
        (7, 5),
        "this hour's cohort"
    );
    let (status, page) = app
        .get_text_with(
            "/staff/campaigns/little-painters/sharing",
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Sharing tree") && page.contains("0.71"),
        "K = 5/7"
    );

    // A database from before the tree is rebuilt by its migration.
    let migration = include_str!("../../migrations/sqlite/0020_sharing_tree.sql");
    let backfill = &migration[migration.find("WITH RECURSIVE").expect("a backfill")..];
    sqlx::query("UPDATE donations SET lineage = NULL")
        .execute(app.db.pool())
        .await
        .expect("forgetting the tree");
    assert_eq!(tree_stats(&app, &ana).await, (2, json!([])));
    sqlx::query(backfill)
        .execute(app.db.pool())
        .await
        .expect("rebuilding the tree");
    assert_shapes(&app, &shapes).await;

    // A chain stops growing its lineage at 100 steps, so PostgreSQL's index takes the gifts
    // of the longest chain anyone could build.
    let deep = "k3xa9qpm7n2z/".repeat(100);
    sqlx::query("UPDATE donations SET lineage = $1 WHERE share_code = $2")
        .bind(&deep)
        .bind(&eli)
        .execute(app.db.pool())
        .await
        .expect("a deep chain");
    let below = given_through(&app, "Ivo", &eli, 1_000).await;
    let (lineage, status): (String, String) =
        sqlx::query_as("SELECT lineage, status FROM donations WHERE share_code = $1")
            .bind(&below)
            .fetch_one(app.db.pool())
            .await
            .expect("the gift below");
    assert_eq!((lineage, status.as_str()), (deep, "paid"));
}

on_both_backends!(
    share_pages_speak_the_sharers_language_to_crawlers,
    a_paid_gift_has_cards_that_scan_fit_and_are_cached,
    concurrent_first_requests_render_a_card_once,
    names_hard_to_draw_still_give_whole_cards,
    share_pages_have_preview_tags_and_unknown_codes_are_not_found,
    gifts_through_a_share_are_credited_to_the_sharer_once,
    shares_of_shares_grow_a_tree_sharers_and_staff_can_see,
);
