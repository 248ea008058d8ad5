//! Storage behaviour that holds on both engines.

use crate::support::{spawn, Backend, TEST_PAINTING_WIDTH};
use app::demo::SeedOutcome;

async fn seeding_the_demo_twice_creates_it_once(backend: Backend) {
    let app = spawn(backend).await;
    let first = app::demo::seed(&app.db, &app.state.media, TEST_PAINTING_WIDTH)
        .await
        .expect("first seed");
    assert_eq!(first, SeedOutcome::Created { artworks: 24 });
    let second = app::demo::seed(&app.db, &app.state.media, TEST_PAINTING_WIDTH)
        .await
        .expect("second seed");
    assert_eq!(second, SeedOutcome::AlreadyPresent);

    let campaigns: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    let artworks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM artworks")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!((campaigns, artworks), (1, 24));
}

async fn migrations_can_be_applied_again_on_a_live_database(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    app.db.migrate().await.expect("migrating again is a no-op");
    let (status, _) = app.get_text("/campaigns/little-painters").await;
    assert_eq!(status, 200);
}

async fn the_database_refuses_to_publish_an_artwork_without_consent(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let withdrawn =
        sqlx::query("UPDATE artworks SET consent_given_by = NULL WHERE slug = 'boats-at-dawn'")
            .execute(app.db.pool())
            .await;
    assert!(
        withdrawn.is_err(),
        "a published artwork cannot lose its consent record"
    );

    sqlx::query("UPDATE artworks SET published = 0 WHERE slug = 'boats-at-dawn'")
        .execute(app.db.pool())
        .await
        .expect("unpublishing is allowed");
    let (status, _) = app
        .get_text("/campaigns/little-painters/artworks/boats-at-dawn")
        .await;
    assert_eq!(status, 404, "an unpublished artwork is not shown");
    let (_, landing) = app.get_text("/campaigns/little-painters").await;
    assert!(
        !landing.contains("boats-at-dawn"),
        "nor listed in the gallery"
    );
}

async fn totals_and_flags_read_back_exactly_on_each_engine(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    // A total beyond 32 bits must survive the round trip through the Any driver unchanged.
    sqlx::query("UPDATE campaign_totals SET raised_minor = $1, donors = $2")
        .bind(1_502_899_479_i64)
        .bind(5_806_559_i64)
        .execute(app.db.pool())
        .await
        .expect("update totals");
    let (_, body) = app.get_text("/").await;
    assert!(
        body.contains("¥15,028,994.79"),
        "raised is shown to the fen"
    );
    assert!(body.contains("5,806,559"), "donors are counted");
    assert!(body.contains("100.1%"));
    assert!(
        body.contains("Closed"),
        "a close-at-goal campaign past its goal shows closed"
    );
}

on_both_backends!(
    seeding_the_demo_twice_creates_it_once,
    migrations_can_be_applied_again_on_a_live_database,
    the_database_refuses_to_publish_an_artwork_without_consent,
    totals_and_flags_read_back_exactly_on_each_engine,
);
