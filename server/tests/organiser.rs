//! The company presenting a campaign: an admin sets its names, logo and brand colour; pages, the
//! embed and the brand stylesheet show them in each language; a faint colour, an SVG or a
//! decompression bomb is refused and changes nothing. Every test runs on SQLite and PostgreSQL.

use crate::staff::image_file;
use crate::support::staff::{create, request, signed_in};
use crate::support::{spawn, Backend, TestApp};
use app::staff::Role;
use reqwest::multipart::{Form, Part};
use reqwest::Method;

const ORGANISER: &str = "/api/staff/campaigns/little-painters/organiser";
const LANDING: &str = "/campaigns/little-painters";

fn form(fields: &[(&str, &str)], logo: Option<(Vec<u8>, &str)>) -> Form {
    let form = fields.iter().fold(Form::new(), |form, (k, v)| {
        form.text((*k).to_owned(), (*v).to_owned())
    });
    match logo {
        Some((bytes, name)) => form.part("logo", Part::bytes(bytes).file_name(name.to_owned())),
        None => form,
    }
}

async fn post(app: &TestApp, cookie: &str, form: Form) -> (u16, String) {
    let response = request(app, Method::POST, ORGANISER, Some(cookie))
        .multipart(form)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

const LANTERN: [(&str, &str); 6] = [
    ("organiser_en", "Lantern Harbour Group"),
    ("organiser_zh", "灯港集团"),
    ("organiser_url", "https://lantern-harbour.example"),
    ("organiser_statement_en", "We match every gift."),
    ("organiser_statement_zh", "每笔捐赠我们都配捐。"),
    ("brand_colour", "#1F5F74"),
];

/// A PNG whose header claims `side` x `side` pixels over a tiny body, as a crafted file would.
fn bomb(side: u32) -> Vec<u8> {
    let mut png = image_file(image::ImageFormat::Png, 8, 8);
    crate::support::png::claim_size(&mut png, side, side);
    png
}

async fn an_organiser_presents_the_campaign_in_its_colour_in_both_languages(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, "admin@example.org", Role::Admin).await;
    create(&app, "viewer@example.org", Role::Viewer).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let viewer = signed_in(&app, "viewer@example.org").await;
    let (_, before) = app.get_text(LANDING).await;
    assert!(!before.contains("data-testid=\"presented-by\""));

    // Refused, and nothing changes: a viewer; a faint colour; an SVG; a decompression bomb.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let (status, _) = post(&app, &viewer, form(&LANTERN, None)).await;
    assert_eq!(status, 403);
    let mut faint = LANTERN.to_vec();
    faint[5] = ("brand_colour", "#ffcc00");
    let (status, page) = post(&app, &admin, form(&faint, None)).await;
    assert_eq!(status, 400);
    assert!(page.contains("#ffcc00") && page.contains("1.3:1"), "{page}");
    let (status, _) = post(&app, &admin, form(&LANTERN, Some((svg, "logo.svg")))).await;
    assert_eq!(status, 415);
    let (status, _) = post(
        &app,
        &admin,
        form(&LANTERN, Some((bomb(60_000), "logo.png"))),
    )
    .await;
    assert_eq!(status, 413);
    assert!(!app
        .get_text(LANDING)
        .await
        .1
        .contains("data-testid=\"presented-by\""));

    let logo = image_file(image::ImageFormat::Png, 900, 300);
    let (status, _) = post(&app, &admin, form(&LANTERN, Some((logo, "logo.png")))).await;
    assert_eq!(status, 303);

    let (_, en) = app.get_text(LANDING).await;
    assert!(en.contains("Presented by Lantern Harbour Group"), "{en}");
    assert!(en.contains("href=\"https://lantern-harbour.example\""));
    assert!(en.contains("We match every gift."));
    assert!(
        en.contains("/brand/1f5f74.css"),
        "the page takes the brand colour"
    );
    // The logo, stored at most 480 pixels wide, with its size for the layout.
    assert!(en.contains("width=\"480\" height=\"160\""), "{en}");
    let (_, zh) = app
        .get_text_with(LANDING, &[("accept-language", "zh-CN")])
        .await;
    assert!(zh.contains("灯港集团 呈献"), "{zh}");
    assert!(zh.contains("每笔捐赠我们都配捐。"));

    let css = app.get("/brand/1f5f74.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.text().await.expect("CSS").contains("--accent:#1f5f74"));
    for refused in ["/brand/ffcc00.css", "/brand/zzzzzz.css", "/brand/1f5f74"] {
        assert_eq!(app.get(refused).await.status(), 404, "{refused}");
    }
    let (_, embed) = app.get_text("/embed/campaigns/little-painters").await;
    assert!(embed.contains("Presented by Lantern Harbour Group"));
    assert!(embed.contains("#1f5f74"), "the embed in the brand colour");

    // Emptied, the organiser is gone from the pages.
    let (status, _) = post(&app, &admin, form(&[("remove_logo", "on")], None)).await;
    assert_eq!(status, 303);
    assert!(!app
        .get_text(LANDING)
        .await
        .1
        .contains("data-testid=\"presented-by\""));
}

on_both_backends!(an_organiser_presents_the_campaign_in_its_colour_in_both_languages);
