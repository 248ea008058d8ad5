//! `giving-gallery`: serve the site, migrate the database, seed the demo campaign.

use anyhow::Context;
use app::staff::accounts::{self, Password, StaffEmail};
use app::staff::Role;
use clap::{Parser, Subcommand};
use giving_gallery::audit;
use giving_gallery::config::Settings;
use giving_gallery::{open_state, shutdown_signal, telemetry, Application};
use std::io::{BufRead, IsTerminal};

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
    /// Check one gift's proof file (.tlog-proof) against a log's public key; exits 1 if it fails.
    Verify {
        /// The proof file.
        #[arg(long)]
        proof: std::path::PathBuf,
        /// The log's verifier key (`origin+id+base64`), or a file holding it.
        #[arg(long)]
        key: String,
    },
    /// Download a campaign's whole public log and check every hash, the checkpoint's signature,
    /// every running total and every refund; prints the total, exits 1 on any failure.
    Audit {
        /// The campaign's address, such as https://give.example.org/campaigns/childrens-gallery.
        #[arg(long)]
        url: String,
        /// The log's verifier key, or a file holding it.
        #[arg(long)]
        key: String,
    },
    /// Create a staff account. The password is asked for without echo, or read from standard
    /// input when that is not a terminal (`echo "$PASSWORD" | giving-gallery create-staff ...`).
    CreateStaff {
        /// The address the staff member signs in with.
        #[arg(long)]
        email: String,
        /// The name the staff area shows.
        #[arg(long)]
        name: String,
        /// admin (everything) or viewer (read-only).
        #[arg(long, default_value = "viewer")]
        role: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // These two read nothing of ours but the public log: no settings, no database.
    match &command {
        Command::Verify { proof, key } => return outside_check(audit::verify(proof, key)),
        Command::Audit { url, key } => {
            return outside_check(audit::audit(url, key).await.map(|a| {
                format!(
                    "OK: {} holds {} entries ({} gifts, {} refunds); every hash, signature, \
                     running total and refund checks out; total raised {} {}",
                    a.origin, a.size, a.gifts, a.refunds, a.total, a.currency
                )
            }))
        }
        _ => {}
    }
    let settings = Settings::from_env()?;
    match command {
        Command::Verify { .. } | Command::Audit { .. } => Ok(()),
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
        Command::CreateStaff { email, name, role } => {
            let email = StaffEmail::parse(&email).context("that is not an email address")?;
            let role = Role::parse(&role).context("the role must be admin or viewer")?;
            let name = name.trim().to_owned();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= 100,
                "the name must have 1 to 100 characters"
            );
            let password = read_password()?;
            let state = open_state(&settings).await?;
            match accounts::create(&state.db, &email, &name, role, password).await {
                Ok(_) => {
                    println!("created the {} account {}", role.as_str(), email.as_str());
                    Ok(())
                }
                Err(accounts::CreateError::Exists) => {
                    anyhow::bail!("an account with this email already exists")
                }
                Err(accounts::CreateError::Internal(error)) => Err(error),
            }
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

/// Prints what a check found, or why it failed and exits 1.
fn outside_check(outcome: anyhow::Result<String>) -> anyhow::Result<()> {
    match outcome {
        Ok(found) => {
            println!("{found}");
            Ok(())
        }
        Err(error) => {
            println!("FAILED: {error:#}");
            std::process::exit(1);
        }
    }
}

/// The new account's password: typed twice without echo at a terminal, else the first line of
/// standard input.
fn read_password() -> anyhow::Result<Password> {
    let text = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again = rpassword::prompt_password("Again: ").context("reading the password")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line
    };
    Password::parse_new(text).map_err(anyhow::Error::msg)
}
