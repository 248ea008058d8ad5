//! `giving-gallery`: serve the site, migrate the database, seed the demo campaign.

use clap::{Parser, Subcommand};
use giving_gallery::config::Settings;
use giving_gallery::{open_state, shutdown_signal, telemetry, Application};

/// Giving Gallery: a campaign microsite and donation engine.
///
/// Configuration comes from the environment: DATABASE_URL (default sqlite://data/giving-gallery.db),
/// MEDIA_DIR (default data/media), PUBLIC_BASE_URL, LEPTOS_SITE_ADDR (default 127.0.0.1:3000)
/// LEPTOS_SITE_ROOT (default target/site), and for payments STRIPE_SECRET_KEY (absent: demo
/// payments), STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE.
#[derive(Parser)]
#[command(name = "giving-gallery", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the site until SIGTERM or Ctrl-C (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Create the demo campaign, with its generated artworks, unless it already exists.
    SeedDemo,
    /// Check that every campaign's totals equal the sums of its ledger; exits 1 on any drift.
    Reconcile,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&settings).await?;
            tracing::info!("serving on http://{}", app.local_addr()?);
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            open_state(&settings).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo => {
            let state = open_state(&settings).await?;
            let outcome =
                app::demo::seed(&state.db, &state.media, app::demo::PAINTING_WIDTH).await?;
            tracing::info!("{outcome}");
            Ok(())
        }
        Command::Reconcile => {
            let state = open_state(&settings).await?;
            let report = app::donations::ledger::reconcile(&state.db).await?;
            let mut drifted = false;
            for r in &report {
                let verdict = if r.balanced() { "ok" } else { "DRIFT" };
                drifted |= !r.balanced();
                println!(
                    "{verdict:5} {}: raised {} (ledger {}), donors {} (paid donations {}), \
                     artworks drifted {}",
                    r.campaign_slug,
                    r.raised_total,
                    r.raised_ledger,
                    r.donors_total,
                    r.donors_counted,
                    r.artworks_drifted
                );
            }
            if drifted {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}
