//! The campaign's account as the public log states it at a checkpoint, as a table: on the
//! transparency page, and on the staff dashboard.

use crate::i18n::{fill, use_locale};
use crate::money::{format_minor, Currency};
use crate::seo::MetaImage;
use crate::spending::Account;
use leptos::prelude::*;

/// The account as the log states it at its checkpoint: what came in, what the payment provider
/// kept, what was spent, and what remains.
#[component]
pub fn AccountFigures(
    account: Account,
    currency: Currency,
    /// The account as a picture for social posts.
    picture: Option<MetaImage>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let (advanced, balance) = account.balance();
    let rows = [
        (
            t.account_given(),
            account.raised_minor,
            "account-given",
            false,
        ),
        (
            t.account_refunded(),
            -account.refunded_minor,
            "account-refunded",
            false,
        ),
        (t.account_fees(), -account.fees_minor, "account-fees", false),
        (
            t.account_received(),
            account.received_minor,
            "account-received",
            true,
        ),
        (
            t.account_spent(),
            -account.spent_minor,
            "account-spent",
            false,
        ),
        (
            if advanced {
                t.account_advanced()
            } else {
                t.account_remaining()
            },
            balance,
            "account-remaining",
            true,
        ),
    ]
    .into_iter()
    .map(|(label, minor, id, total)| {
        view! {
            <tr class=total.then_some("account-total")>
                <th scope="row">{label}</th>
                <td data-testid=id class="number">{format_minor(minor, currency, locale)}</td>
            </tr>
        }
    })
    .collect_view();
    let size = account.checkpoint_size.to_string();
    view! {
        <section aria-labelledby="ledger-account">
            <h2 id="ledger-account">{t.account_heading()}</h2>
            <table class="ledger-table account-table">
                <tbody>{rows}</tbody>
            </table>
            {advanced.then(|| view! { <p class="ledger-hint">{t.account_advanced_note()}</p> })}
            <p class="ledger-hint">{fill(t.account_note(), &[("size", &size)])}</p>
            {picture
                .map(|p| {
                    view! {
                        <p>
                            <a href=p.url download data-testid="account-picture">
                                {t.account_card_link()}
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}
