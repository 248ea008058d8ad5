//! Employee ambassadors over HTTP, with a real SMTP conversation: staff make teams and say who
//! may join; an employee joins with their work address and confirms it through the link
//! emailed to it; their page credits them, and their team, with the gifts it brings and the
//! gifts of shares that started from it. Bad sign-ups, invitations used twice or expired and
//! forged confirmation links are refused and change nothing. Both engines.

use crate::support::giving::{gift, give_with};
use crate::support::smtp::{Mail, SmtpSink};
use crate::support::sse::EventStream;
use crate::support::staff::{create, request, signed_in};
use crate::support::{spawn_configured, Backend, TestApp};
use app::staff::Role;
use giving_gallery::demo_stripe::Chaos;
use reqwest::Method;
use serde_json::{json, Value};

const SLUG: &str = "little-painters";

/// Posts a staff form on the teams page; its status.
async fn staff_form(app: &TestApp, cookie: &str, form: &str, fields: &[(&str, &str)]) -> u16 {
    let path = format!("/api/staff/campaigns/{SLUG}/team-forms/{form}");
    let response = request(app, Method::POST, &path, Some(cookie))
        .form(fields)
        .send()
        .await
        .expect("an answer");
    response.status().as_u16()
}

/// Posts the join form as the site's page does; the status and where it leads.
async fn join(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let path = format!("/api/campaigns/{SLUG}/ambassadors");
    let response = request(app, Method::POST, &path, None)
        .form(fields)
        .send()
        .await
        .expect("an answer");
    let location = crate::support::header_text(&response, "location");
    (response.status().as_u16(), location)
}

async fn json_of(app: &TestApp, path: &str, cookie: Option<&str>) -> Value {
    let response = request(app, Method::GET, path, cookie)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("JSON")
}

async fn ambassadors(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM ambassadors")
        .fetch_one(app.db.pool())
        .await
        .expect("a count")
}

/// The confirmation link's path in an email.
fn confirm_path(mail: &Mail) -> String {
    let at = mail
        .text
        .find("/join/confirm/")
        .expect("a confirmation link");
    mail.text[at..at + "/join/confirm/".len() + 32].to_owned()
}

/// Confirms through the emailed link as a person does (the page, then its button); the
/// dashboard's path.
async fn confirm(app: &TestApp, path: &str) -> String {
    let page = request(app, Method::GET, path, None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), 200);
    let done = request(app, Method::POST, path, None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(done.status(), 303);
    crate::support::header_text(&done, "location")
}

async fn employees_join_by_domain_or_invitation_and_bring_gifts_to_their_team(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_configured(backend, Chaos::CALM, &[("SMTP_URL", url.as_str())]).await;
    app.seed_demo().await;
    create(&app, "admin@example.org", Role::Admin).await;
    let admin = signed_in(&app, "admin@example.org").await;

    // Staff make two teams and let one domain join; bad input changes nothing.
    assert_eq!(
        staff_form(
            &app,
            &admin,
            "teams",
            &[("name_en", "Sales"), ("name_zh", "销售部")]
        )
        .await,
        303
    );
    assert_eq!(
        staff_form(&app, &admin, "teams", &[("name_en", "Design")]).await,
        303
    );
    assert_eq!(
        staff_form(&app, &admin, "teams", &[("name_en", "Sales")]).await,
        400,
        "taken"
    );
    assert_eq!(
        staff_form(&app, &admin, "ambassador-domains", &[("domains", "acme")]).await,
        400
    );
    assert_eq!(
        staff_form(&app, &admin, "nonsense", &[("x", "y")]).await,
        404
    );
    let join_page = format!("/api/pages/join?slug={SLUG}&invite=&locale=en");
    let closed = request(&app, Method::GET, &join_page, None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(closed.status(), 404, "no domain may join yet");
    assert_eq!(
        staff_form(
            &app,
            &admin,
            "ambassador-domains",
            &[("domains", "Acme.Example")]
        )
        .await,
        303
    );
    let form = json_of(&app, &join_page, None).await;
    assert_eq!(form["domains"], json!(["acme.example"]));
    let sales = form["teams"][0]["id"].as_i64().expect("a team").to_string();

    // Refused sign-ups store nothing and send nothing.
    let mei = [
        ("email", "Mei.Lin@acme.example"),
        ("name", "Mei"),
        ("team", sales.as_str()),
        ("goal", "500"),
    ];
    for (field, value, status) in [
        ("email", "mei@elsewhere.example", 403),
        ("email", "not an address", 422),
        ("team", "999", 422),
        ("goal", "-3", 422),
        ("name", "", 422),
    ] {
        let mut fields = mei.to_vec();
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        assert_eq!(join(&app, &fields).await.0, status, "{field}={value}");
    }
    assert_eq!(ambassadors(&app).await, 0);
    let (status, to) = join(&app, &mei).await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/campaigns/little-painters/join?sent=1")
    );
    // Asking again at once sends nothing more.
    assert_eq!(join(&app, &mei).await.0, 303);
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'ambassador'")
        .fetch_one(app.db.pool())
        .await
        .expect("a count");
    assert_eq!(queued, 1);

    let mail = Mail::parse(&sink.wait_for(1).await[0]);
    assert!(mail.header("To").contains("Mei.Lin@acme.example"));
    let link = confirm_path(&mail);
    assert!(mail.html.contains(&link), "both parts carry the link");
    // A forged link confirms nothing.
    let forged = format!("/join/confirm/{}", "0".repeat(32));
    let refused = request(&app, Method::POST, &forged, None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), 404);
    let dashboard = confirm(&app, &link).await;
    assert!(dashboard.starts_with("/ambassadors/"), "{dashboard}");
    let again = request(&app, Method::POST, &link, None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(again.status(), 404, "a confirmation link works once");
    // Signing up again with a confirmed address answers as for anyone (it tells a stranger
    // nothing) and emails the address she confirmed, not the one typed, its dashboard's link.
    let mut again = mei.to_vec();
    again[0] = ("email", "mei.lin@ACME.example");
    assert_eq!(
        join(&app, &again).await,
        (303, "/campaigns/little-painters/join?sent=1".to_owned())
    );
    let reminder = Mail::parse(&sink.wait_for(2).await[1]);
    assert!(reminder.header("To").contains("Mei.Lin@acme.example"));
    assert!(reminder.text.contains(&dashboard), "{}", reminder.text);
    assert!(
        !reminder.text.contains("/join/confirm/"),
        "{}",
        reminder.text
    );

    // Her page brings a friend, and the friend's share brings another.
    let key = dashboard.trim_start_matches("/ambassadors/");
    let board_path = format!("/api/pages/ambassador-dashboard?key={key}&locale=en");
    let board = json_of(&app, &board_path, None).await;
    let page = board["page_url"].as_str().expect("her page").to_owned();
    let code = page.rsplit('/').next().expect("a code").to_owned();
    // The campaign page's boards follow her gifts live.
    let events = app.url(&format!("/api/campaigns/{SLUG}/events"));
    let mut watcher = EventStream::open(&app.client, &events, &[]).await;
    // A chat app fetching the link for its preview is nobody reached and gets no cookie.
    for program in [
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
    ] {
        let fetched = request(&app, Method::GET, &format!("/a/{code}"), None)
            .header("user-agent", program)
            .send()
            .await
            .expect("an answer");
        assert_eq!(fetched.status(), 200);
        assert!(fetched.headers().get("set-cookie").is_none(), "{program}");
    }
    let visit = request(&app, Method::GET, &format!("/a/{code}"), None)
        .send()
        .await
        .expect("an answer");
    assert_eq!(visit.status(), 200);
    let cookie = crate::support::header_text(&visit, "set-cookie");
    assert!(
        cookie.starts_with(&format!("gg_shared_by={code};")),
        "{cookie}"
    );
    let friend = give_with(
        &app,
        "friend",
        gift(2_000, json!({})),
        &[("cookie", &format!("gg_shared_by={code}"))],
    )
    .await;
    let view: Value = app
        .get(&format!("/api/pages/donation?id={friend}&locale=en"))
        .await
        .json()
        .await
        .expect("JSON");
    let share = view["share"]["page_url"]
        .as_str()
        .expect("a share")
        .rsplit('/')
        .next()
        .expect("a code")
        .to_owned();
    give_with(
        &app,
        "friend-of-friend",
        gift(1_000, json!({})),
        &[("cookie", &format!("gg_shared_by={share}"))],
    )
    .await;
    give_with(&app, "stranger", gift(500, json!({})), &[]).await;
    watcher
        .until(|e| e.kind == "boards" && e.data["ambassadors"][0]["gifts"] == 2)
        .await;
    let board = json_of(&app, &board_path, None).await;
    assert_eq!(
        board["stats"],
        json!({ "reached": 1, "gifts": 2, "raised_minor": 3_000, "through_shares": 1 })
    );
    assert_eq!(board["raised"]["minor"], 3_000);
    assert_eq!(board["goal"]["minor"], 50_000);

    // An invitation lets anyone join, once, until it expires.
    assert_eq!(
        staff_form(&app, &admin, "invites", &[("days", "0")]).await,
        400
    );
    assert_eq!(
        staff_form(&app, &admin, "invites", &[("days", "7")]).await,
        303
    );
    assert_eq!(
        staff_form(&app, &admin, "invites", &[("days", "7")]).await,
        303
    );
    let teams_path = format!("/api/staff/teams?slug={SLUG}&locale=en");
    let teams = json_of(&app, &teams_path, Some(&admin)).await;
    let invites: Vec<String> = teams["invites"]
        .as_array()
        .expect("invitations")
        .iter()
        .map(|i| {
            i["url"]
                .as_str()
                .expect("a link")
                .rsplit('/')
                .next()
                .expect("a token")
                .to_owned()
        })
        .collect();
    let design = teams["boards"]["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["name"]["en"] == "Design")
        .map(|_| form["teams"][1]["id"].as_i64().expect("a team").to_string())
        .expect("the design team");
    let ana = [
        ("email", "ana@gmail.example"),
        ("name", "Ana"),
        ("team", design.as_str()),
        ("hidden", "on"),
        ("invite", invites[0].as_str()),
    ];
    assert_eq!(join(&app, &ana).await.0, 303);
    let ben = [
        ("email", "ben@gmail.example"),
        ("name", "Ben"),
        ("team", design.as_str()),
        ("invite", invites[0].as_str()),
    ];
    assert_eq!(join(&app, &ben).await.0, 409, "an invitation works once");
    sqlx::query("UPDATE ambassador_invites SET expires_at = 1 WHERE token = $1")
        .bind(&invites[1])
        .execute(app.db.pool())
        .await
        .expect("an invitation expires");
    let late = [
        ("email", "ben@gmail.example"),
        ("name", "Ben"),
        ("team", design.as_str()),
        ("invite", invites[1].as_str()),
    ];
    assert_eq!(join(&app, &late).await.0, 410);
    assert_eq!(ambassadors(&app).await, 2, "Mei and Ana");
    let mails = sink.wait_for(3).await;
    let ana_link = confirm_path(&Mail::parse(&mails[2]));
    confirm(&app, &ana_link).await;

    // The leaderboards: Sales has Mei's gifts; Ana asked to stay off public boards.
    let teams = json_of(&app, &teams_path, Some(&admin)).await;
    let boards = &teams["boards"];
    assert_eq!(
        boards["teams"][0]["name"],
        json!({ "en": "Sales", "zh_cn": "销售部" })
    );
    assert_eq!(
        (
            &boards["teams"][0]["gifts"],
            &boards["teams"][0]["raised"]["minor"]
        ),
        (&json!(2), &json!(3_000))
    );
    let names: Vec<(&str, bool)> = boards["ambassadors"]
        .as_array()
        .expect("ambassadors")
        .iter()
        .map(|a| {
            (
                a["name"].as_str().expect("a name"),
                a["hidden"].as_bool().expect("hidden"),
            )
        })
        .collect();
    assert_eq!(names, [("Mei", false), ("Ana", true)]);
    let listed = teams["ambassadors"].to_string();
    assert!(
        !listed.contains("ana@gmail.example") && listed.contains("a•••@gmail.example"),
        "{listed}"
    );
    // A viewer sees the boards, not the invitations or the people.
    create(&app, "viewer@example.org", Role::Viewer).await;
    let viewer = signed_in(&app, "viewer@example.org").await;
    let seen = json_of(&app, &teams_path, Some(&viewer)).await;
    assert_eq!(
        (&seen["invites"], &seen["ambassadors"]),
        (&json!([]), &json!([]))
    );
    assert_eq!(seen["boards"], teams["boards"]);

    // The public boards and the team's page leave Ana out; her team counts her anyway.
    watcher
        .until(|e| e.kind == "boards" && e.data["teams"] == boards["teams"])
        .await;
    let landing = json_of(
        &app,
        &format!("/api/pages/landing?slug={SLUG}&locale=en"),
        None,
    )
    .await;
    let public: Vec<&str> = landing["boards"]["ambassadors"]
        .as_array()
        .expect("ambassadors")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(public, ["Mei"]);
    assert_eq!(landing["boards"]["teams"], boards["teams"]);
    let team = |id: &str| format!("/api/pages/team?slug={SLUG}&team={id}&locale=zh-CN");
    let page = json_of(&app, &team(&sales), None).await;
    assert_eq!(page["team"]["name"]["zh_cn"], "销售部");
    assert_eq!(page["members"][0]["goal"]["minor"], 50_000);
    let design_page = json_of(&app, &team(&design), None).await;
    assert_eq!(
        (&design_page["team"]["ambassadors"], &design_page["members"]),
        (&json!(1), &json!([])),
        "Ana counts, unnamed"
    );
    for (unknown, status) in [("999", 404), ("x", 400)] {
        let response = request(&app, Method::GET, &team(unknown), None)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), status, "{unknown}");
    }

    // One client sending sign-ups all at once is slowed down, and told when to try again.
    let flood = (0..40).map(|_| {
        request(
            &app,
            Method::POST,
            &format!("/api/campaigns/{SLUG}/ambassadors"),
            None,
        )
        .form(&[("email", "flood")])
        .send()
    });
    let answers = futures_util::future::join_all(flood).await;
    let limited: Vec<_> = answers
        .iter()
        .map(|a| a.as_ref().expect("an answer"))
        .filter(|a| a.status() == 429)
        .collect();
    assert!(limited.len() >= 10, "{} of 40 limited", limited.len());
    assert!(limited
        .iter()
        .all(|a| a.headers().contains_key("retry-after")));
    assert_eq!(ambassadors(&app).await, 2, "nothing stored");
}

on_both_backends!(employees_join_by_domain_or_invitation_and_bring_gifts_to_their_team);
