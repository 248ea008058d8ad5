//! What each artist accrued, was paid and is still owed, as a table: on the ledger page, an
//! artist's page and the staff dashboard.

use super::artist::Royalty;
use crate::i18n::{fill, use_locale};
use crate::money::{Currency, Money};
use leptos::prelude::*;

/// The royalties of `royalties`, with each artist linked to their page under `campaign_path`,
/// and how they were worked out from the first `checkpoint_size` entries of the log.
#[component]
pub fn RoyaltyTable(
    royalties: Vec<Royalty>,
    currency: Currency,
    campaign_path: String,
    checkpoint_size: u64,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let money = move |minor: i64| {
        let formatted = Money::from_minor(minor.abs(), currency)
            .map(|m| m.format(locale))
            .unwrap_or_default();
        if minor < 0 {
            format!("−{formatted}")
        } else {
            formatted
        }
    };
    if royalties.is_empty() {
        return view! { <p>{t.royalties_none()}</p> }.into_any();
    }
    let rows = royalties
        .into_iter()
        .map(|r| {
            let href = format!("{campaign_path}/artists/{}", r.artist);
            let owed = r.outstanding_minor();
            view! {
                <tr data-testid="royalty-row" data-artist=r.artist.clone()>
                    <th scope="row"><a href=href>{r.name.clone()}</a></th>
                    <td class="number" data-testid="royalty-accrued">{money(r.accrued_minor)}</td>
                    <td class="number" data-testid="royalty-paid">{money(r.paid_minor)}</td>
                    <td class="number" data-testid="royalty-owed">{money(owed)}</td>
                </tr>
            }
        })
        .collect_view();
    let note = fill(
        t.royalties_note(),
        &[("size", &checkpoint_size.to_string())],
    );
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="ledger-table" data-testid="royalties">
                <thead>
                    <tr>
                        <th scope="col">{t.royalty_artist()}</th>
                        <th scope="col" class="number">{t.royalty_accrued()}</th>
                        <th scope="col" class="number">{t.royalty_paid()}</th>
                        <th scope="col" class="number">{t.royalty_outstanding()}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted">{note}</p>
    }
    .into_any()
}
