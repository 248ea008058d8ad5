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
        #[command(flatten)]
        witnesses: WitnessPolicy,
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
        #[command(flatten)]
        witnesses: WitnessPolicy,
    },
    /// Run a witness (c2sp.org/tlog-witness): cosign the checkpoints of the logs it follows,
    /// each only if it extends the last one cosigned. Prints its verifier key, then serves.
    Witness {
        /// Its name, a URL without scheme such as witness.example.org/w1.
        #[arg(long)]
        name: String,
        /// Where it keeps its key and what it cosigned.
        #[arg(long, default_value = "data/witness")]
        dir: std::path::PathBuf,
        /// The address it listens on.
        #[arg(long, default_value = "127.0.0.1:3100")]
        listen: std::net::SocketAddr,
        /// A log it follows, by its verifier key (or a file holding it); repeat for more.
        #[arg(long = "log")]
        logs: Vec<String>,
        /// Print the verifier key and exit.
        #[arg(long)]
        print_key: bool,
    },
    /// Give a campaign's log witnesses: checkpoints are then published only once `--quorum` of
    /// them cosigned. With no `--witness`, the campaign's witnesses are removed.
    Witnesses {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// A witness: its URL (requests go to URL/add-checkpoint), a space, and its verifier
        /// key; repeat for more.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
        /// How many must cosign (default: all of them).
        #[arg(long)]
        quorum: Option<usize>,
    },
    /// Print the verifier key a campaign's log signs with (`origin+id+base64`), for witnesses
    /// and auditors; the same as GET /campaigns/SLUG/log/key.
    LogKey {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
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

/// The witnesses a checker requires.
#[derive(clap::Args)]
struct WitnessPolicy {
    /// A witness's cosignature verifier key (or a file holding it) that must have cosigned the
    /// checkpoint; repeat for more.
    #[arg(long = "witness")]
    witnesses: Vec<String>,
    /// How many of the witnesses must have cosigned (default: all of them).
    #[arg(long)]
    quorum: Option<usize>,
}

impl WitnessPolicy {
    fn read(&self) -> anyhow::Result<app::transparency::proof::Policy> {
        let keys = self
            .witnesses
            .iter()
            .map(|k| audit::read_key(k))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let quorum = self.quorum.unwrap_or(keys.len());
        Ok(app::transparency::proof::Policy::parse(&keys, quorum)?)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // These two read nothing of ours but the public log: no settings, no database.
    match &command {
        Command::Verify {
            proof,
            key,
            witnesses,
        } => return outside_check(witnesses.read().and_then(|p| audit::verify(proof, key, &p))),
        Command::Audit {
            url,
            key,
            witnesses,
        } => {
            let audited = match witnesses.read() {
                Ok(policy) => audit::audit(url, key, &policy).await,
                Err(error) => Err(error),
            };
            return outside_check(audited.map(|a| {
                format!(
                    "OK: {} holds {} entries ({} gifts, {} refunds, {} consents, {} \
                     withdrawals, {} spending plan versions, {} expenses, {} matches); every \
                     hash, signature, running total, refund, consent, plan, expense and match \
                     checks out, and so does the published account at {} entries; total raised \
                     {} {}, matched {} {}, spent {} {}, royalties accrued {} and paid {}",
                    a.origin,
                    a.size,
                    a.gifts,
                    a.refunds,
                    a.consents,
                    a.withdrawals,
                    a.plans,
                    a.expenses,
                    a.matches,
                    a.account_checked_at,
                    a.total,
                    a.currency,
                    a.matched,
                    a.currency,
                    a.spent,
                    a.currency,
                    a.royalties_accrued,
                    a.royalties_paid
                ) + &if a.cosigned_by.is_empty() {
                    String::new()
                } else {
                    format!("; cosigned by {}", a.cosigned_by.join(", "))
                }
            }));
        }
        Command::Witness {
            name,
            dir,
            listen,
            logs,
            print_key,
        } => {
            let logs = logs
                .iter()
                .map(|k| audit::read_key(k))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let witness = giving_gallery::witness::Witness::open(dir, name, &logs)?;
            println!("{}", witness.vkey());
            if *print_key {
                return Ok(());
            }
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("listening on {listen}"))?;
            tracing::info!(logs = logs.len(), "witness serving on http://{listen}");
            return axum::serve(listener, std::sync::Arc::new(witness).router())
                .with_graceful_shutdown(shutdown_signal())
                .await
                .context("serving the witness");
        }
        _ => {}
    }
    let settings = Settings::from_env()?;
    match command {
        Command::Verify { .. } | Command::Audit { .. } | Command::Witness { .. } => Ok(()),
        Command::Witnesses {
            campaign,
            witnesses,
            quorum,
        } => {
            let witnesses = witnesses
                .iter()
                .map(|w| {
                    let (url, vkey) = w
                        .trim()
                        .split_once(' ')
                        .context("a witness is its URL, a space, and its verifier key")?;
                    let vkey = audit::read_key(vkey)?;
                    app::transparency::proof::Policy::parse(&[&vkey], 1)?;
                    Ok((url.to_owned(), vkey))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let quorum = quorum.unwrap_or(witnesses.len());
            let state = open_state(&settings).await?;
            let slug: app::slug::Slug = campaign.parse().map_err(anyhow::Error::msg)?;
            let id = app::campaigns::store::id_of(&state.db, &slug)
                .await?
                .context("no campaign has that slug")?;
            app::transparency::store::set_witnesses(&state.db, id.get(), &witnesses, quorum)
                .await?;
            println!(
                "{campaign}: {} witnesses, {quorum} must cosign",
                witnesses.len()
            );
            Ok(())
        }
        Command::LogKey { campaign } => {
            let state = open_state(&settings).await?;
            let origin =
                app::transparency::integrator::origin_for(&state.db, &state.site, &campaign)
                    .await?
                    .context("no campaign has that slug")?;
            println!("{}", state.log_keys.signer(&origin).vkey());
            Ok(())
        }
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
            if giving_gallery::demo_history::seed_history(&state).await? {
                tracing::info!("demo expenses recorded");
            }
            if app::demo::seed_match(&state.db).await? {
                tracing::info!("demo match added");
            }
            if app::demo::seed_organiser(&state.db, &state.media).await? {
                tracing::info!("demo organiser added");
            }
            if app::demo::seed_teams(&state.db).await? {
                tracing::info!("demo teams and ambassadors added");
            }
            if app::demo::seed_update(&state.db).await? {
                tracing::info!("demo updates published");
            }
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
                     artworks drifted {}, matched {} (entries {}), matches drifted {}",
                    r.campaign_slug,
                    r.raised_total,
                    r.raised_ledger,
                    r.donors_total,
                    r.donors_counted,
                    r.artworks_drifted,
                    r.matched_total,
                    r.matched_ledger,
                    r.matches_drifted
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
