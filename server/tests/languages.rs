//! Pages in English and Simplified Chinese: chosen from the browser or the visitor, complete in
//! each, and falling back to the original text where a translation is missing.

use crate::support::{header_text, spawn, Backend, TestApp};
use scraper::{Html, Node, Selector};

const ZH_BROWSER: &str = "zh-CN,zh;q=0.9,en;q=0.8";

async fn get_page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, Html) {
    let (status, body) = app.get_text_with(path, headers).await;
    (status, Html::parse_document(&body))
}

fn select_text(html: &Html, css: &str) -> String {
    let selector = Selector::parse(css).expect("a valid selector");
    html.select(&selector)
        .next()
        .map(|e| e.text().collect())
        .unwrap_or_default()
}

fn attr(html: &Html, css: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("a valid selector");
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

/// The words a reader sees: text in the body, outside scripts and styles.
fn visible_text(html: &Html) -> String {
    let body = Selector::parse("body").expect("selector");
    let mut out = String::new();
    for body in html.select(&body) {
        for node in body.descendants() {
            if let Node::Text(text) = node.value() {
                // Scripts and styles, and values marked as never translated (a hash).
                let hidden = node.ancestors().any(|a| {
                    a.value().as_element().is_some_and(|e| {
                        matches!(e.name(), "script" | "style" | "template")
                            || e.attr("translate") == Some("no")
                    })
                });
                if !hidden {
                    out.push_str(text);
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// English words left on a page meant to be Chinese. The switcher's "English" link, the
/// time-zone label and the names of file formats and of a hash are rightly in Latin letters.
fn english_words(text: &str) -> Vec<String> {
    const LATIN: [&str; 6] = ["English", "UTC", "PDF", "PNG", "JPG", "SHA"];
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1 && !LATIN.contains(w))
        .map(str::to_owned)
        .collect()
}

fn assert_wholly_chinese(html: &Html) {
    let leftovers = english_words(&visible_text(html));
    assert!(
        leftovers.is_empty(),
        "English left on the Chinese page: {leftovers:?}"
    );
}

async fn a_chinese_browser_gets_the_landing_page_wholly_in_chinese(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (status, html) = get_page(&app, "/", &[("accept-language", ZH_BROWSER)]).await;
    assert_eq!(status, 200);
    assert_eq!(attr(&html, "html", "lang").as_deref(), Some("zh-CN"));
    assert_eq!(
        attr(&html, "meta[property='og:locale']", "content").as_deref(),
        Some("zh_CN")
    );
    assert_eq!(
        attr(&html, "meta[property='og:locale:alternate']", "content").as_deref(),
        Some("en_US")
    );
    assert_eq!(select_text(&html, "main h1"), "小画家画廊");
    assert_eq!(select_text(&html, "head title"), "小画家画廊 · 公益画廊");
    assert_eq!(select_text(&html, ".thermo-of"), "已筹，目标 ¥1500万");
    assert_eq!(select_text(&html, ".gallery-artist"), "林悦，9岁");
    assert!(
        select_text(&html, ".deadline").contains('年'),
        "the date is written the Chinese way"
    );
    assert_wholly_chinese(&html);
}

async fn the_artwork_page_reads_wholly_in_chinese(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (status, html) = get_page(
        &app,
        "/campaigns/little-painters/artworks/boats-at-dawn",
        &[("accept-language", "zh")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(select_text(&html, ".artwork-artist"), "作者：陈浩，14岁");
    // The consenter by role, in the reader's language; their name stays with the admins.
    assert_eq!(select_text(&html, ".consent dd"), "父母");
    assert!(!html.html().contains("陈建"));
    let chips: Vec<String> = {
        let chip = Selector::parse(".amount-chip").expect("selector");
        html.select(&chip).map(|c| c.text().collect()).collect()
    };
    assert_eq!(chips, ["¥5", "¥10", "¥20", "¥50", "¥100", "其他金额"]);
    assert_wholly_chinese(&html);
}

async fn an_explicit_choice_beats_the_browser_language(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, html) = get_page(
        &app,
        "/",
        &[("accept-language", ZH_BROWSER), ("cookie", "gg_locale=en")],
    )
    .await;
    assert_eq!(attr(&html, "html", "lang").as_deref(), Some("en"));
    assert_eq!(
        select_text(&html, "main h1"),
        "The Little Painters' Gallery"
    );
    assert_eq!(select_text(&html, ".thermo-of"), "raised of ¥15,000,000");

    let (_, html) = get_page(&app, "/", &[("cookie", "gg_locale=zh-CN")]).await;
    assert_eq!(select_text(&html, "main h1"), "小画家画廊");

    let (_, html) = get_page(&app, "/", &[("accept-language", "fr-FR,de")]).await;
    assert_eq!(
        attr(&html, "html", "lang").as_deref(),
        Some("en"),
        "English by default"
    );
}

async fn choosing_a_language_remembers_it_and_returns_to_the_same_page(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .get("/locale/zh-CN?next=/campaigns/little-painters/artworks/boats-at-dawn")
        .await;
    assert_eq!(response.status(), 303);
    let header = |name: &str| header_text(&response, name);
    assert_eq!(
        header("location"),
        "/campaigns/little-painters/artworks/boats-at-dawn"
    );
    let cookie = header("set-cookie");
    assert!(cookie.starts_with("gg_locale=zh-CN;"), "{cookie}");
    assert!(
        cookie.contains("Path=/") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        cookie.contains("Max-Age=31536000"),
        "remembered for a year: {cookie}"
    );
    assert!(
        cookie.contains("Secure"),
        "the public site is https: {cookie}"
    );

    for next in [
        "https://evil.example/",
        "//evil.example",
        "/%5Cevil.example",
        "",
    ] {
        let response = app.get(&format!("/locale/en?next={next}")).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/"),
            "next={next} must not leave the site"
        );
    }

    for bad in ["/locale/fr", "/locale/zh", "/locale/EN", "/locale/%00"] {
        let response = app.get(bad).await;
        assert_eq!(response.status(), 404, "{bad}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{bad} sets nothing"
        );
    }
}

async fn missing_translations_fall_back_to_the_original_text(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    // One artwork loses its Chinese story; another loses its whole translation.
    sqlx::query(
        "UPDATE artwork_translations SET story = '' WHERE artwork_id = \
         (SELECT id FROM artworks WHERE slug = 'boats-at-dawn')",
    )
    .execute(app.db.pool())
    .await
    .expect("blank one story");
    sqlx::query(
        "DELETE FROM artwork_translations WHERE artwork_id = \
         (SELECT id FROM artworks WHERE slug = 'sun-over-the-hills')",
    )
    .execute(app.db.pool())
    .await
    .expect("drop one translation");

    let (_, html) = get_page(
        &app,
        "/campaigns/little-painters/artworks/boats-at-dawn",
        &[("accept-language", "zh-CN")],
    )
    .await;
    assert!(select_text(&html, ".artwork-story").contains("watched the fishing boats"));
    assert_eq!(
        select_text(&html, "main h1"),
        "清晨的渔船",
        "the translated title stays"
    );
    assert_eq!(
        select_text(&html, ".adopt h2"),
        "认领这幅画",
        "the page itself stays Chinese"
    );

    let (_, html) = get_page(&app, "/", &[("accept-language", "zh-CN")]).await;
    assert_eq!(select_text(&html, ".gallery-title"), "Sun Over the Hills");
    assert_eq!(select_text(&html, ".gallery-artist"), "Lin Yue，9岁");
}

async fn the_page_api_takes_only_known_languages(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let response = app.get("/api/pages/landing?locale=zh-CN").await;
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(json["campaign"]["title"], "小画家画廊");
    assert_eq!(json["meta"]["locale"], "zh-CN");

    for bad in ["locale=fr", "locale=", "locale=%00", ""] {
        let response = app.get(&format!("/api/pages/landing?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    let missing = app
        .get("/api/pages/landing?slug=no-such-campaign&locale=en")
        .await;
    assert_eq!(missing.status(), 404);
}

on_both_backends!(
    a_chinese_browser_gets_the_landing_page_wholly_in_chinese,
    the_artwork_page_reads_wholly_in_chinese,
    an_explicit_choice_beats_the_browser_language,
    choosing_a_language_remembers_it_and_returns_to_the_same_page,
    missing_translations_fall_back_to_the_original_text,
    the_page_api_takes_only_known_languages,
);
