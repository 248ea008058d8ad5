//! `GET /campaigns/{slug}/transparency`: the campaign's public ledger as people read it: the
//! latest signed checkpoint and the key that signs it, the total the ledger states beside the
//! live one, the latest entries, and how to check a gift or the whole ledger.

use super::account_figures::AccountFigures;
use super::api::load_transparency;
use super::entry::Stated;
use super::{EntryRow, TransparencyData};
use crate::artworks::consent_panel::{role_label, scope_label};
use crate::artworks::royalty_table::RoyaltyTable;
use crate::i18n::{fill, use_locale};
use crate::money::percent_label;
use crate::not_found::ErrorPage;
use crate::seo::{PageMeta, PageMetaTags};
use crate::spending::SpendingPlan;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The transparency page.
#[component]
pub fn TransparencyPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query
                    .read()
                    .get("before")
                    .and_then(|b| b.parse::<u64>().ok()),
            )
        },
        move |(slug, before)| load_transparency(slug, before, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => Either::Left(view! { <Ledger data /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ledger(data: TransparencyData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let title = fill(t.ledger_title(), &[("campaign", &data.campaign_title)]);
    let key = data.vkey.clone();
    let checkpoint = match data.checkpoint.clone() {
        Some(c) => Either::Left(view! {
            <dl class="ledger-facts">
                <dt>{t.ledger_size()}</dt>
                <dd data-testid="ledger-size">{c.size}</dd>
                <dt>{t.ledger_root()}</dt>
                <dd><code>{c.root}</code></dd>
                <dt>{t.ledger_signed_at()}</dt>
                <dd>{c.signed_at.display_local(data.utc_offset_minutes, locale)}</dd>
            </dl>
            <details>
                <summary>{t.ledger_checkpoint_text()}</summary>
                <pre class="ledger-pre">{c.text}</pre>
            </details>
        }),
        None => Either::Right(view! { <p>{t.ledger_empty()}</p> }),
    };
    let logged = data
        .logged_total
        .map(|m| m.format(locale))
        .unwrap_or_else(|| crate::money::Money::zero(data.live_total.currency()).format(locale));
    let live = data.live_total.format(locale);
    let recipient = match data.recipient.clone() {
        Some(legal) => Either::Left(view! {
            <strong>{legal.name}</strong>
            <br />
            {legal.registration}
        }),
        None => Either::Right(t.ledger_recipient_unstated()),
    };
    let rows = data
        .entries
        .iter()
        .cloned()
        .map(|row| view! { <EntryLine row /> })
        .collect_view();
    let path = format!("{}/transparency", data.campaign_path);
    let older = data.older.map(|before| {
        view! { <A href=format!("{path}?before={before}")>{t.ledger_older()}</A> }
    });
    let newer = data.newer.map(|before| {
        view! { <A href=format!("{path}?before={before}")>{t.ledger_newer()}</A> }
    });
    let url = data.campaign_url.clone();
    let offset = data.utc_offset_minutes;
    let witnesses = (!data.witnesses.is_empty()).then(|| {
        let count = data.witnesses.len().to_string();
        let quorum = data.quorum.to_string();
        let list = data
            .witnesses
            .iter()
            .cloned()
            .map(|w| {
                let said = match w.cosigned_at {
                    Some(at) => fill(
                        t.ledger_witness_cosigned(),
                        &[("time", &at.display_local(offset, locale))],
                    ),
                    None => t.ledger_witness_not_yet().to_owned(),
                };
                view! {
                    <li>
                        <code>{w.name}</code> " " {said}
                        <pre class="ledger-pre">{w.vkey}</pre>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{t.ledger_witnesses()}</h3>
            <p>{fill(t.ledger_witness_policy(), &[("quorum", &quorum), ("count", &count)])}</p>
            <ul class="ledger-witnesses" data-testid="ledger-witnesses">{list}</ul>
        }
    });
    // What `verify` and `audit` need to check the witnesses too.
    let mut witness_flags: String = data
        .witnesses
        .iter()
        .map(|w| format!(" --witness '{}'", w.vkey))
        .collect();
    if !data.witnesses.is_empty() {
        witness_flags.push_str(&format!(" --quorum {}", data.quorum));
    }
    view! {
        <PageMetaTags meta=PageMeta {
            title: title.clone(),
            description: t.ledger_lead().to_owned(),
            url: format!("{}/transparency", data.campaign_url),
            locale,
            image: data.account_picture.clone(),
        } />
        <article class="ledger-page">
            <p>
                <A href=data.campaign_path.clone()>{data.campaign_title.clone()}</A>
            </p>
            <h1>{t.ledger_heading()}</h1>
            <p class="ledger-lead">{t.ledger_lead()}</p>

            <section aria-labelledby="ledger-totals">
                <h2 id="ledger-totals">{t.ledger_totals()}</h2>
                <dl class="ledger-facts">
                    <dt>{t.ledger_logged_total()}</dt>
                    <dd data-testid="ledger-total"><strong>{logged}</strong></dd>
                    <dt>{t.ledger_live_total()}</dt>
                    <dd>{live}</dd>
                    <dt>{t.ledger_recipient()}</dt>
                    <dd data-testid="ledger-recipient">{recipient}</dd>
                </dl>
                <p class="ledger-hint">{t.ledger_totals_note()}</p>
            </section>

            <AccountFigures
                account=data.account.clone()
                currency=data.live_total.currency()
                picture=data.account_picture.clone()
            />

            <SpendingPlan
                plans=data.plans.clone()
                expenses=data.expenses.clone()
                currency=data.live_total.currency()
                utc_offset_minutes=offset
                campaign_path=data.campaign_path.clone()
            />

            <section aria-labelledby="ledger-royalties">
                <h2 id="ledger-royalties">{t.royalties_heading()}</h2>
                <RoyaltyTable
                    royalties=data.account.royalties.clone()
                    currency=data.live_total.currency()
                    campaign_path=data.campaign_path.clone()
                    checkpoint_size=data.checkpoint.as_ref().map_or(0, |c| c.size)
                />
            </section>

            <section aria-labelledby="ledger-checkpoint">
                <h2 id="ledger-checkpoint">{t.ledger_checkpoint()}</h2>
                {checkpoint}
                <p>{t.ledger_key()}</p>
                <pre class="ledger-pre" data-testid="ledger-key">{key.clone()}</pre>
                {witnesses}
            </section>

            <section aria-labelledby="ledger-entries">
                <h2 id="ledger-entries">{t.ledger_entries()}</h2>
                // Scrolls sideways on a narrow screen, so it takes the keyboard's focus too.
                <div
                    class="ledger-table-wrap"
                    tabindex="0"
                    role="region"
                    aria-labelledby="ledger-entries"
                >
                    <table class="ledger-table">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t.ledger_col_time()}</th>
                                <th scope="col">{t.ledger_col_what()}</th>
                                <th scope="col" class="number">{t.ledger_col_amount()}</th>
                                <th scope="col" class="number">{t.ledger_col_raised()}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="ledger-paging">{newer} " " {older}</p>
            </section>

            <section aria-labelledby="ledger-verify">
                <h2 id="ledger-verify">{t.ledger_verify_heading()}</h2>
                <p>
                    <a href=format!("{}/verify", data.campaign_path)>{t.verify_link()}</a>
                </p>
                <p>{t.ledger_verify_text()}</p>
                <pre class="ledger-pre">
                    {format!(
                        "giving-gallery verify --proof gift.tlog-proof --key '{key}'{witness_flags}",
                    )}
                </pre>
            </section>

            <section aria-labelledby="ledger-audit">
                <h2 id="ledger-audit">{t.ledger_audit_heading()}</h2>
                <p>{t.ledger_audit_text()}</p>
                <pre class="ledger-pre">
                    {format!("giving-gallery audit --url {url} --key '{key}'{witness_flags}")}
                </pre>
                <p>
                    {fill(
                        t.ledger_paths(),
                        &[
                            ("format", "C2SP tlog-tiles"),
                            ("base", &format!("{url}/log/")),
                            ("paths", "checkpoint, tile/<L>/<N>, tile/entries/<N>"),
                        ],
                    )}
                </p>
            </section>

            <section aria-labelledby="ledger-format">
                <h2 id="ledger-format">{t.ledger_format_heading()}</h2>
                <p>{fill(t.ledger_format_text(), &[("encoding", "UTF-8")])}</p>
                <pre class="ledger-pre">
                    "giving-gallery/entry/v1\nkind gift | refund | consent | withdrawal | match\ntime YYYY-MM-DDTHH:MMZ\nartwork <slug>\nsponsor <position of the match, from 1>   (matches)\namount <minor units, negative for a refund or a reversed match> <currency>   (gifts, refunds, matches)\nmatched <running total matched after this entry> <currency>   (matches)\nconsenter artist | parent | guardian | heir   (consents, withdrawals)\nassent yes | no | unable | unrecorded   (consents: the artist's own wish)\nscope gifts certificates prints   (consents: those covered, in this order)\nroyalty gifts <basis points> prints <basis points> | none   (consents)\nfrom YYYY-MM-DD\nuntil YYYY-MM-DD | open   (consents)\nraised <running total after this entry> <currency>\ncommitment <hex SHA-256(\"giving-gallery/gift/v1\\n\" || origin || \"\\n\" || certificate number || \"\\n\" || verification code)>   (gifts)\ncommitment <hex SHA-256(\"giving-gallery/consent/v1\\n\" || origin || \"\\n\" || record || \"\\n\" || salt || \"\\n\" || names, relationship, witness)>   (consents, withdrawals)\nrefers <index of the gift's entry>   (refunds, matches)"
                </pre>
                <p>{t.ledger_rules()}</p>
                <p class="ledger-hint">{t.ledger_limits()}</p>
            </section>
        </article>
    }
}

#[component]
fn EntryLine(row: EntryRow) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let what = match (&row.consent, row.refund_of) {
        (Some(Stated::Consent(terms)), _) => fill(
            t.ledger_consent(),
            &[
                ("role", role_label(t, terms.consenter)),
                ("scope", &scope_label(t, terms.scope)),
                ("share", &percent_label(terms.royalty_gifts_bp.into())),
            ],
        ),
        (Some(Stated::Plan { version, lines }), _) => {
            let total = crate::money::format_minor(
                lines.iter().map(|(_, planned)| planned).sum(),
                row.raised.currency(),
                locale,
            );
            fill(
                t.ledger_plan(),
                &[
                    ("version", &version.to_string()),
                    ("lines", &lines.len().to_string()),
                    ("total", &total),
                ],
            )
        }
        (Some(Stated::Expense { line, amount, .. }), refers) => {
            let amount = crate::money::format_minor(*amount, row.raised.currency(), locale);
            match refers {
                Some(index) => fill(
                    t.ledger_reversal(),
                    &[
                        ("line", line),
                        ("amount", &amount),
                        ("index", &index.to_string()),
                    ],
                ),
                None => fill(t.ledger_expense(), &[("line", line), ("amount", &amount)]),
            }
        }
        (Some(Stated::Withdrawal(consenter)), _) => fill(
            t.ledger_withdrawal(),
            &[("role", role_label(t, *consenter))],
        ),
        (Some(Stated::Match { amount, .. }), gift) => {
            let text = if *amount > 0 {
                t.ledger_match()
            } else {
                t.ledger_match_reversed()
            };
            let gift = gift.map(|g| g.to_string()).unwrap_or_default();
            let amount = crate::money::format_minor(amount.abs(), row.raised.currency(), locale);
            let sponsor = row.sponsor.clone().unwrap_or_default();
            fill(
                text,
                &[("sponsor", &sponsor), ("amount", &amount), ("index", &gift)],
            )
        }
        (None, Some(gift)) => fill(t.ledger_refund_of(), &[("index", &gift.to_string())]),
        (None, None) => t.ledger_gift().to_owned(),
    };
    let sign = if row.refund_of.is_some() { "−" } else { "" };
    // A consent or withdrawal moves no money.
    let amount = match row.consent {
        Some(_) => String::new(),
        None => format!("{sign}{}", row.amount.format(locale)),
    };
    view! {
        <tr>
            <td>{row.index}</td>
            <td><time datetime=row.time.clone()>{row.time.replace('T', " ")}</time></td>
            <td>
                {what}
                {(!row.artwork_title.is_empty())
                    .then(|| view! { " · " <A href=row.artwork_path>{row.artwork_title}</A> })}
            </td>
            <td class="number">{amount}</td>
            <td class="number">{row.raised.format(locale)}</td>
        </tr>
    }
}
