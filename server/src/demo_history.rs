//! The demo campaign's spending, recorded by two demo admins: `seed-demo` runs it after seeding
//! the campaign (see `app::demo::seed_history`).

use anyhow::Context;
use app::demo::DEMO_ADMINS;
use app::ids::{random_hex, StaffId};
use app::staff::accounts::{self, CreateError, Password, StaffEmail};
use app::staff::Role;
use app::state::AppState;

/// Records the demo campaign's expenses unless it has some; whether it did.
pub async fn seed_history(state: &AppState) -> anyhow::Result<bool> {
    let [recorder, approver] = DEMO_ADMINS;
    let recorder = demo_admin(state, recorder).await?;
    let approver = demo_admin(state, approver).await?;
    app::demo::seed_history(&state.db, &state.media, recorder, approver).await
}

/// One of the demo's admins, created with a random password that is never kept, so nobody can
/// sign in as them.
async fn demo_admin(state: &AppState, (email, name): (&str, &str)) -> anyhow::Result<StaffId> {
    let address = StaffEmail::parse(email).context("a demo staff address")?;
    let password = Password::parse(random_hex::<32>()?).context("a random password")?;
    match accounts::create(&state.db, &address, name, Role::Admin, password).await {
        Ok(id) => Ok(id),
        Err(CreateError::Exists) => accounts::id_of(&state.db, &address)
            .await?
            .context("a demo admin that exists"),
        Err(CreateError::Internal(error)) => Err(error),
    }
}
