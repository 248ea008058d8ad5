//! The public pages, read over HTTP as a browser or a link-preview crawler reads them.

use crate::support::giving::{gift, give};
use crate::support::{header_text, spawn, spawn_configured, Backend, PUBLIC_URL};
use giving_gallery::demo_stripe::Chaos;
use scraper::{Html, Selector};

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("a valid selector");
    html.select(&selector).collect()
}

/// The path of the first thumbnail in the landing page's gallery.
async fn first_thumbnail(app: &crate::support::TestApp) -> String {
    let (_, body) = app.get_text("/").await;
    let html = Html::parse_document(&body);
    select(&html, "ul.gallery img")[0]
        .value()
        .attr("src")
        .expect("a src")
        .to_owned()
}

fn meta_content(html: &Html, attr: &str, key: &str) -> Option<String> {
    select(html, &format!("meta[{attr}=\"{key}\"]"))
        .first()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_owned)
}

async fn landing_shows_the_featured_campaign_with_its_gallery_and_thermometer(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;

    let (status, body) = app.get_text("/").await;
    assert_eq!(status, 200);
    let html = Html::parse_document(&body);

    let h1: Vec<String> = select(&html, "main h1")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(h1, ["The Little Painters' Gallery"]);

    let progress = select(&html, "progress#goal-progress");
    assert_eq!(progress.len(), 1, "one labelled progress element");
    assert_eq!(progress[0].value().attr("max"), Some("10000"));
    assert_eq!(progress[0].value().attr("value"), Some("0"));
    assert_eq!(
        progress[0].value().attr("aria-label"),
        Some("Raised toward the goal")
    );
    let raised: String = select(&html, "[data-testid=raised]")[0].text().collect();
    assert_eq!(raised, "¥0");
    assert!(body.contains("raised of ¥15,000,000"));

    let items = select(&html, "ul.gallery > li");
    assert_eq!(items.len(), 24);
    for img in select(&html, "ul.gallery img") {
        let attr = |name| img.value().attr(name).unwrap_or_default().to_owned();
        assert!(
            attr("src").starts_with("/media/"),
            "thumbnail served from media"
        );
        assert_eq!(attr("width"), "80");
        assert_eq!(attr("height"), "100");
        // The thumbnail and the full picture, for the screen to choose from.
        let srcset = attr("srcset");
        let srcset: Vec<&str> = srcset.split(", ").collect();
        assert_eq!(srcset.len(), 2, "{srcset:?}");
        assert_eq!(srcset[0], format!("{} 80w", attr("src")));
        assert!(srcset[1].starts_with("/media/") && srcset[1].ends_with(" 160w"));
        assert!(!attr("sizes").is_empty());
        assert!(
            attr("alt").contains("painted by"),
            "alt text names the artist"
        );
    }
    let lazy = select(&html, "ul.gallery img[loading=lazy]").len();
    assert_eq!(
        lazy, 24,
        "the gallery waits; the paintings at the top load first"
    );
    let glimpse: Vec<String> = select(&html, "ul.glimpse img")
        .iter()
        .map(|img| img.value().attr("src").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(glimpse.len(), 3, "three paintings open the page");
    assert!(glimpse.iter().all(|src| src.starts_with("/media/")));

    let first_link = select(&html, "ul.gallery a")[0]
        .value()
        .attr("href")
        .map(str::to_owned);
    assert_eq!(
        first_link.as_deref(),
        Some("/campaigns/little-painters/artworks/sun-over-the-hills")
    );
    assert!(
        body.contains("Bright Horizons Foundation"),
        "the beneficiary is named"
    );
}

async fn campaign_and_artwork_pages_carry_open_graph_tags_and_landscape_link_pictures(
    backend: Backend,
) {
    let app = spawn(backend).await;
    app.seed_demo().await;

    let (status, body) = app.get_text("/campaigns/little-painters").await;
    assert_eq!(status, 200);
    let html = Html::parse_document(&body);
    let og = |key| meta_content(&html, "property", key);
    assert_eq!(
        og("og:url").as_deref(),
        Some(&*format!("{PUBLIC_URL}/campaigns/little-painters"))
    );
    assert_eq!(
        og("og:title").as_deref(),
        Some("The Little Painters' Gallery · Giving Gallery")
    );
    let image = og("og:image").expect("an og:image");
    assert!(
        image.starts_with(&format!("{PUBLIC_URL}/cards/campaigns/little-painters/en-")),
        "{image}"
    );
    assert_eq!(og("og:image:width").as_deref(), Some("1200"));
    assert_eq!(og("og:image:height").as_deref(), Some("630"));
    assert!(og("og:description").is_some_and(|d| !d.is_empty()));
    assert_eq!(
        meta_content(&html, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let title: String = select(&html, "head title")[0].text().collect();
    assert_eq!(title, "The Little Painters' Gallery · Giving Gallery");
    let landing = link_picture(&app, &image).await;

    // An artwork's page has its own, and a Chinese reader's page its own language's.
    let (_, body) = app
        .get_text("/campaigns/little-painters/artworks/boats-at-dawn")
        .await;
    let artwork = meta_content(&Html::parse_document(&body), "property", "og:image")
        .expect("an artwork's og:image");
    assert!(
        artwork.starts_with(&format!(
            "{PUBLIC_URL}/cards/campaigns/little-painters/artworks/boats-at-dawn/en-"
        )),
        "{artwork}"
    );
    assert_ne!(link_picture(&app, &artwork).await, landing);
    let (_, zh) = app
        .get_text_with(
            "/campaigns/little-painters",
            &[("accept-language", "zh-CN")],
        )
        .await;
    let zh = meta_content(&Html::parse_document(&zh), "property", "og:image").expect("og:image");
    assert!(zh.contains("/little-painters/zh-CN-"), "{zh}");
    assert_ne!(link_picture(&app, &zh).await, landing);

    // Addresses without a key or with an old one lead to the current picture; unknown pages and
    // languages have none.
    let folder = "/cards/campaigns/little-painters";
    for old in [
        format!("{folder}/en.jpg"),
        format!("{folder}/en-0000000000000000.jpg"),
    ] {
        let response = app.get(&old).await;
        assert_eq!(response.status(), 302, "{old}");
        assert_eq!(
            header_text(&response, "location"),
            image.trim_start_matches(PUBLIC_URL)
        );
    }
    for missing in [
        format!("{folder}/fr.jpg"),
        format!("{folder}/en-XYZ.jpg"),
        format!("{folder}/en.png"),
        "/cards/campaigns/no-such-campaign/en.jpg".to_owned(),
        format!("{folder}/artworks/no-such-artwork/en.jpg"),
        format!("{folder}/artworks/..%2F..%2Fetc/en.jpg"),
    ] {
        assert_eq!(app.get(&missing).await.status(), 404, "{missing}");
    }
}

/// Fetches a page's link picture by its absolute URL: a landscape JPEG within the budget chat
/// apps keep to.
async fn link_picture(app: &crate::support::TestApp, url: &str) -> Vec<u8> {
    let response = app.get(url.trim_start_matches(PUBLIC_URL)).await;
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(header_text(&response, "content-type"), "image/jpeg");
    let bytes = response.bytes().await.expect("a picture").to_vec();
    let picture =
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("a JPEG");
    assert_eq!((picture.width(), picture.height()), (1200, 630), "{url}");
    assert!(bytes.len() <= 150_000, "{} bytes", bytes.len());
    bytes
}

async fn artwork_page_shows_the_artwork_artist_story_price_and_consent(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;

    let (status, body) = app
        .get_text("/campaigns/little-painters/artworks/boats-at-dawn")
        .await;
    assert_eq!(status, 200);
    let html = Html::parse_document(&body);
    let h1: String = select(&html, "main h1")[0].text().collect();
    assert_eq!(h1, "Boats at Dawn");
    let text = |css: &str| -> String { select(&html, css)[0].text().collect() };
    assert_eq!(text(".artwork-artist"), "By Chen Hao, 14");
    assert!(
        text(".artwork-story").contains("watched the fishing boats"),
        "the story is shown"
    );
    assert!(
        text(".price").starts_with("From ¥5, or any amount"),
        "the price is shown"
    );
    let chips: Vec<String> = select(&html, ".amount-chip")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(chips, ["¥5", "¥10", "¥20", "¥50", "¥100", "Other amount"]);
    let consent: String = select(&html, ".consent dl")[0].text().collect();
    assert!(consent.contains("A parent"), "who consented, by role");
    assert!(consent.contains("Agreed"), "the artist's own wish");
    assert!(
        !body.contains("Chen Jian"),
        "the consenter's name is for admins only"
    );
    assert!(
        consent.contains("From 2026-10-12 until withdrawn"),
        "since when"
    );
    assert!(consent.contains("gifts, certificates"), "what it covers");
    assert!(consent.contains("5%"), "the artist's share");
    assert_eq!(
        text(".consent-status"),
        "In force: gifts for this artwork are welcome."
    );

    let form = select(&html, "form.adopt-form");
    assert_eq!(form.len(), 1, "the adopt form is on the page");
    assert_eq!(
        form[0].value().attr("action"),
        Some("/campaigns/little-painters/artworks/boats-at-dawn/give"),
        "it posts without JavaScript"
    );
    let adopt = select(&html, ".adopt-form button[type=submit]");
    assert!(
        adopt[0].value().attr("disabled").is_none(),
        "an open campaign takes gifts"
    );
    let key = select(&html, "input[name=idempotency_key]");
    assert_eq!(
        key[0].value().attr("value").map(str::len),
        Some(32),
        "one key per page view"
    );

    let og_url = meta_content(&html, "property", "og:url");
    assert_eq!(
        og_url.as_deref(),
        Some(&*format!(
            "{PUBLIC_URL}/campaigns/little-painters/artworks/boats-at-dawn"
        ))
    );
    let img = select(&html, ".artwork-figure img");
    assert_eq!(img[0].value().attr("width"), Some("160"));
    assert_eq!(img[0].value().attr("height"), Some("200"));

    // Neighbours link the gallery together.
    assert!(body.contains("/campaigns/little-painters/artworks/my-grandmothers-garden"));
    assert!(body.contains("/campaigns/little-painters/artworks/from-the-ninth-floor"));
}

async fn unknown_or_malformed_campaigns_and_artworks_answer_404_pages(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;

    for path in [
        "/campaigns/no-such-campaign",
        "/campaigns/little-painters/artworks/no-such-artwork",
        "/campaigns/no-such-campaign/artworks/sun-over-the-hills",
        "/campaigns/Little-Painters",
        "/campaigns/little-painters/artworks/x'%20OR%20'1'='1",
        "/campaigns/%E5%84%BF%E7%AB%A5",
        "/campaigns/little-painters/artworks/..%2F..%2Fetc",
        "/no/such/page",
    ] {
        let (status, body) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("couldn't find that page"),
            "{path} shows a 404 page"
        );
    }
}

async fn home_without_any_campaign_is_a_404_page(backend: Backend) {
    let app = spawn(backend).await;
    let (status, body) = app.get_text("/").await;
    assert_eq!(status, 404);
    assert!(body.contains("couldn't find that page"));
}

async fn images_are_served_with_long_lived_cache_headers_and_etags(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let src = first_thumbnail(&app).await;

    let response = app.get(&src).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let etag = header("etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    let bytes = response.bytes().await.expect("image bytes");
    let decoded = image::load_from_memory(&bytes).expect("a valid JPEG");
    assert_eq!((decoded.width(), decoded.height()), (80, 100));

    let revalidated = app
        .client
        .get(app.url(&src))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("an answer");
    assert_eq!(revalidated.status(), 304);
    assert!(revalidated.bytes().await.expect("body").is_empty());

    for bad in [
        "/media/nothing.jpg",
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media/00000000000000000000000000000000.jpg",
        "/media/00000000000000000000000000000000.exe",
    ] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}

async fn pages_are_gzipped_for_browsers_that_ask_and_images_are_not(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let encoding_of = |response: &reqwest::Response| {
        response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // A client that shows what came over the wire, as the browser's network panel does.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("a client");
    let page = raw
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), 200);
    assert_eq!(encoding_of(&page).as_deref(), Some("gzip"));

    let plain = raw.get(app.url("/")).send().await.expect("an answer");
    assert_eq!(encoding_of(&plain), None, "no encoding unless asked");

    let src = first_thumbnail(&app).await;
    let image = raw
        .get(app.url(&src))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("an answer");
    assert_eq!(encoding_of(&image), None, "JPEGs are sent as they are");
}

async fn healthz_answers_ok_when_the_database_does(backend: Backend) {
    let app = spawn(backend).await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

/// The landing page is rendered at most once a second and served from memory in between: each
/// answer still carries a nonce of its own, named by its policy, and a gift shows within a second.
async fn the_landing_page_is_shared_between_readers_but_never_a_second_old(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let read = || async {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let policy = header_text(&response, "content-security-policy");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_default()
            .to_owned();
        (nonce, response.text().await.expect("a page"))
    };
    let raised = |body: &str| -> String {
        let html = Html::parse_document(body);
        select(&html, "[data-testid=raised]")[0].text().collect()
    };
    let (first_nonce, first) = read().await;
    let (second_nonce, second) = read().await;
    assert_eq!(first_nonce.len(), 32);
    assert_ne!(first_nonce, second_nonce, "a nonce is never reused");
    for (nonce, body) in [(&first_nonce, &first), (&second_nonce, &second)] {
        assert!(
            body.contains(&format!("nonce=\"{nonce}\"")),
            "scripts carry the policy's nonce"
        );
    }
    assert!(!second.contains(&first_nonce));
    assert_eq!(raised(&second), "¥0");

    give(&app, "cached-1", gift(1_000, serde_json::json!({}))).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (_, later) = read().await;
    assert_eq!(
        raised(&later),
        "¥10",
        "a second later the page shows the gift"
    );
}

/// The built JS, wasm and CSS as a release build leaves them: a hashed name beside its brotli
/// and gzip files, and a file without a hash. (No storage is involved: SQLite only.)
#[tokio::test]
async fn built_assets_go_out_precompressed_cached_for_good_and_revalidated() {
    let site = tempfile::tempdir().expect("a temporary folder");
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).expect("pkg folder");
    let hash = "Zm9vYmFyYmF6cXV4MTIzNA";
    let wasm = format!("giving-gallery.{hash}.wasm");
    std::fs::write(pkg.join(&wasm), b"\0asm plain").expect("wasm");
    std::fs::write(pkg.join(format!("{wasm}.br")), b"brotli bytes").expect("br");
    std::fs::write(pkg.join(format!("{wasm}.gz")), b"gzip bytes").expect("gz");
    std::fs::write(pkg.join("unhashed.css"), b"body{}").expect("css");
    let root = site.path().display().to_string();
    let app = spawn_configured(Backend::Sqlite, Chaos::CALM, &[("LEPTOS_SITE_ROOT", &root)]).await;
    // What the browser's network panel shows: the bytes as sent.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("a client");
    let get = |path: String, headers: Vec<(&'static str, String)>| {
        let mut request = raw.get(app.url(&path));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        async move { request.send().await.expect("an answer") }
    };
    let header = header_text;
    let path = format!("/pkg/{wasm}");

    let chrome = get(
        path.clone(),
        vec![("accept-encoding", "gzip, deflate, br, zstd".into())],
    )
    .await;
    assert_eq!(chrome.status(), 200);
    assert_eq!(header(&chrome, "content-encoding"), "br");
    assert_eq!(header(&chrome, "content-type"), "application/wasm");
    assert_eq!(
        header(&chrome, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&chrome, "vary"), "accept-encoding");
    let etag = header(&chrome, "etag");
    assert_eq!(etag, format!("W/\"{hash}\""));
    assert_eq!(
        chrome.bytes().await.expect("body").as_ref(),
        b"brotli bytes"
    );

    let older = get(path.clone(), vec![("accept-encoding", "gzip".into())]).await;
    assert_eq!(header(&older, "content-encoding"), "gzip");
    assert_eq!(older.bytes().await.expect("body").as_ref(), b"gzip bytes");
    let plain = get(path.clone(), vec![]).await;
    assert_eq!(plain.bytes().await.expect("body").as_ref(), b"\0asm plain");

    let again = get(path.clone(), vec![("if-none-match", etag.clone())]).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    // A name without a hash may change: revalidated each time, answered 304 while unchanged.
    let css = get("/pkg/unhashed.css".into(), vec![]).await;
    assert_eq!(css.status(), 200);
    assert_eq!(header(&css, "cache-control"), "no-cache");
    let modified = header(&css, "last-modified");
    let unchanged = get(
        "/pkg/unhashed.css".into(),
        vec![("if-modified-since", modified)],
    )
    .await;
    assert_eq!(unchanged.status(), 304);
    assert_eq!(get("/pkg/nothing.wasm".into(), vec![]).await.status(), 404);
}

on_both_backends!(
    the_landing_page_is_shared_between_readers_but_never_a_second_old,
    landing_shows_the_featured_campaign_with_its_gallery_and_thermometer,
    campaign_and_artwork_pages_carry_open_graph_tags_and_landscape_link_pictures,
    artwork_page_shows_the_artwork_artist_story_price_and_consent,
    unknown_or_malformed_campaigns_and_artworks_answer_404_pages,
    home_without_any_campaign_is_a_404_page,
    images_are_served_with_long_lived_cache_headers_and_etags,
    pages_are_gzipped_for_browsers_that_ask_and_images_are_not,
    healthz_answers_ok_when_the_database_does,
);
