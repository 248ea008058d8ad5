//! `GET /campaigns/{slug}/verify`: a donor checks, in their own browser, that their gift is in
//! the campaign's public ledger. They give their certificate number and verification code (or a
//! proof file); the page fetches the gift's proof, the proof of the ledger's last entry, and a
//! consistency proof from the last checkpoint this browser saw (kept in localStorage), and checks
//! every signature and hash itself. Its code is a chunk of its own, loaded on this page only.

use super::verify_api::load_verify;
use super::VerifyData;
use crate::i18n::{fill, use_locale, Words};
use crate::not_found::ErrorPage;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// What the check found, as the page says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Idle,
    Working,
    /// `{amount}`, `{artwork}`, `{total}`, `{index}`, `{size}` filled.
    Included(String),
    Refunded(String),
    NotFound,
    Refused(String),
    /// The ledger contradicts what this browser saw before.
    Forked(String),
}

/// The verify page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| load_verify(slug, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let title = fill(t.verify_title(), &[("campaign", &data.campaign_title)]);
                        Either::Left(view! {
                            <Title text=title />
                            <Meta name="robots" content="noindex" />
                            <Verifier data />
                        })
                    }
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The form and its outcome, an island in a chunk of its own: the checking code (hashes,
/// signatures) is fetched only on this page.
#[island(lazy)]
fn Verifier(data: VerifyData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let certificate = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let outcome = RwSignal::new(Outcome::Idle);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let slug = data
        .campaign_path
        .trim_start_matches("/campaigns/")
        .to_owned();
    // A thank-you page hands over the certificate and code in the fragment, which no server
    // sees: fill them in and check at once.
    #[cfg(feature = "hydrate")]
    {
        let (data, slug) = (data.clone(), slug.clone());
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            let hash = window().location().hash().unwrap_or_default();
            let mut filled = false;
            for pair in hash.trim_start_matches('#').split('&') {
                match pair.split_once('=') {
                    Some(("certificate", n)) => {
                        certificate.set(n.to_owned());
                        filled = true;
                    }
                    Some(("code", c)) => code.set(c.to_owned()),
                    _ => {}
                }
            }
            if filled {
                let (data, slug) = (data.clone(), slug.clone());
                leptos::task::spawn_local(async move {
                    outcome.set(Outcome::Working);
                    let found = browser::check(
                        &data,
                        &slug,
                        browser::Given::Code(certificate.get_untracked(), code.get_untracked()),
                        locale,
                    )
                    .await;
                    outcome.set(found);
                });
            }
            true
        });
    }
    let on_submit = {
        let (data, slug) = (data.clone(), slug.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                let (data, slug) = (data.clone(), slug.clone());
                let file = file_input
                    .get()
                    .and_then(|input| input.files())
                    .and_then(|files| files.get(0));
                leptos::task::spawn_local(async move {
                    outcome.set(Outcome::Working);
                    let given = match file {
                        Some(file) => browser::Given::File(file),
                        None => {
                            browser::Given::Code(certificate.get_untracked(), code.get_untracked())
                        }
                    };
                    outcome.set(browser::check(&data, &slug, given, locale).await);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&data, &slug, file_input);
        }
    };
    let ledger = format!("{}/transparency", data.campaign_path);
    view! {
        <article class="ledger-page verify-page">
            <p>
                <a href=data.campaign_path.clone()>{data.campaign_title.clone()}</a>
            </p>
            <h1>{t.verify_heading()}</h1>
            <p class="ledger-lead">{t.verify_lead()}</p>
            <form class="verify-form" on:submit=on_submit>
                <label>
                    <span>{t.verify_certificate()}</span>
                    <input
                        name="certificate"
                        inputmode="numeric"
                        autocomplete="off"
                        bind:value=certificate
                    />
                </label>
                <label>
                    <span>{t.ledger_code_label()}</span>
                    <input
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        bind:value=code
                    />
                </label>
                <label>
                    <span>{fill(t.verify_or_file(), &[("file", ".tlog-proof")])}</span>
                    <input type="file" name="proof" accept=".tlog-proof,text/plain" node_ref=file_input />
                </label>
                <button class="button button-primary" type="submit">{t.verify_button()}</button>
            </form>
            <div class="verify-outcome" role="status" aria-live="polite" data-testid="verify-outcome">
                {move || outcome_view(outcome.get(), t)}
            </div>
            <p class="ledger-hint">{t.verify_how()}</p>
            <p><a href=ledger>{t.ledger_link()}</a></p>
        </article>
    }
}

fn outcome_view(outcome: Outcome, t: Words) -> impl IntoView {
    match outcome {
        Outcome::Idle => view! { <p></p> }.into_any(),
        Outcome::Working => view! { <p>{t.verify_working()}</p> }.into_any(),
        Outcome::Included(text) => {
            view! { <p class="verify-ok" data-result="included">{text}</p> }.into_any()
        }
        Outcome::Refunded(text) => {
            view! { <p class="verify-ok" data-result="refunded">{text}</p> }.into_any()
        }
        Outcome::NotFound => {
            view! { <p class="verify-bad" data-result="not-found">{t.verify_not_found()}</p> }.into_any()
        }
        Outcome::Refused(why) => view! {
            <p class="verify-bad" data-result="refused">{fill(t.verify_refused(), &[("reason", &why)])}</p>
        }
        .into_any(),
        Outcome::Forked(why) => view! {
            <p class="verify-fork" role="alert" data-result="forked">
                <strong>{t.verify_forked()}</strong>
                " "
                {why}
            </p>
        }
        .into_any(),
    }
}

/// The checking itself: only in the browser.
#[cfg(feature = "hydrate")]
mod browser {
    use super::super::entry::{commitment, Entry, Kind, Link};
    use super::super::merkle;
    use super::super::note::VerifierKey;
    use super::super::proof::{verify_proof_with, Policy, Verified};
    use super::super::verify_api::{consistency, find_gift, last_entry, refunded as refunded_of};
    use super::super::VerifyData;
    use super::Outcome;
    use crate::i18n::{fill, Locale};
    use crate::money::{Currency, Money};
    use base64::Engine;

    /// What the donor gave to find their gift by.
    pub enum Given {
        Code(String, String),
        File(web_sys::File),
    }

    pub async fn check(data: &VerifyData, slug: &str, given: Given, locale: Locale) -> Outcome {
        let t = locale.words();
        let Some(key) = VerifierKey::parse(&data.vkey) else {
            return Outcome::Refused("the ledger's key".into());
        };
        // With witnesses, a checkpoint counts only when enough of them cosigned it.
        let Ok(policy) = Policy::parse(&data.witnesses, data.quorum) else {
            return Outcome::Refused("the witnesses' keys".into());
        };
        // The gift's proof: found by the commitment, or read from the file.
        let (text, wanted, refunded) = match given {
            Given::Code(certificate, code) => {
                let code = code.trim().to_uppercase().replace([' ', '-'], "");
                let Ok(number) = certificate
                    .trim()
                    .trim_start_matches("No.")
                    .trim()
                    .parse::<u64>()
                else {
                    return Outcome::NotFound;
                };
                let wanted = commitment(&data.origin, number, &code);
                match find_gift(slug.to_owned(), number, wanted.clone()).await {
                    Ok(found) => (found.proof, Some(wanted), Some(found.refunded)),
                    Err(_) => return Outcome::NotFound,
                }
            }
            Given::File(file) => {
                let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                match read.ok().and_then(|v| v.as_string()) {
                    Some(text) => (text, None, None),
                    None => return Outcome::Refused("the file".into()),
                }
            }
        };
        let gift = match verify_proof_with(&text, &key, &policy) {
            Ok(gift) => gift,
            Err(error) => return Outcome::Refused(error.to_string()),
        };
        let (Kind::Gift, Link::Commitment(found)) = (gift.entry.kind, &gift.entry.link) else {
            return Outcome::Refused("the entry is not a gift".into());
        };
        if wanted.as_ref().is_some_and(|w| w != found) {
            return Outcome::Refused("the entry is another gift".into());
        }
        // What was refunded of it, and the total: the last entry of the same checkpoint.
        let refunded = match refunded {
            Some(refunded) => refunded,
            None => refunded_of(slug.to_owned(), gift.index).await.unwrap_or(0),
        };
        let size = gift.checkpoint.size;
        let last = match last_entry(slug.to_owned(), size).await {
            Ok(text) => text,
            Err(_) => return Outcome::Refused("the ledger's last entry".into()),
        };
        let last = match verify_proof_with(&last, &key, &policy) {
            Ok(last) if last.checkpoint == gift.checkpoint && last.index + 1 == size => last,
            _ => return Outcome::Refused("the ledger's last entry".into()),
        };
        if let Err(why) = consistent_with_what_this_browser_saw(slug, &gift, t).await {
            return Outcome::Forked(why);
        }
        let money = |minor: i64, entry: &Entry| {
            entry
                .currency
                .parse::<Currency>()
                .ok()
                .and_then(|c| Money::from_minor(minor, c).ok())
                .map(|m| m.format(locale))
                .unwrap_or_else(|| format!("{minor} {}", entry.currency))
        };
        let values = [
            ("amount", money(gift.entry.amount, &gift.entry)),
            ("artwork", gift.entry.artwork.clone()),
            ("total", money(last.entry.raised, &last.entry)),
            ("index", gift.index.to_string()),
            ("size", size.to_string()),
            ("refunded", money(refunded, &gift.entry)),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // The witnesses that cosigned, already checked against the policy above.
        let witnessed = super::super::proof::ProofFile::parse(&text)
            .ok()
            .and_then(|proof| policy.check(&proof.checkpoint).ok())
            .filter(|cosigned| !cosigned.is_empty())
            .map(|cosigned| {
                let names: Vec<&str> = cosigned.iter().map(|(name, _)| name.as_str()).collect();
                let count = names.len().to_string();
                format!(
                    " {}",
                    fill(
                        t.verify_witnessed(),
                        &[("count", &count), ("names", &names.join(", "))]
                    )
                )
            })
            .unwrap_or_default();
        if refunded > 0 {
            Outcome::Refunded(fill(t.verify_refunded(), &values) + &witnessed)
        } else {
            Outcome::Included(fill(t.verify_included(), &values) + &witnessed)
        }
    }

    /// Checks the new checkpoint against the last one this browser saw for the log, and
    /// remembers the new one.
    async fn consistent_with_what_this_browser_saw(
        slug: &str,
        gift: &Verified,
        t: crate::i18n::Words,
    ) -> Result<(), String> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let item = format!("gg-ledger:{}", gift.checkpoint.origin);
        let seen = storage
            .as_ref()
            .and_then(|s| s.get_item(&item).ok().flatten());
        let (size, root) = (gift.checkpoint.size, gift.checkpoint.root);
        if let Some((old_size, old_root)) = seen.as_deref().and_then(|s| s.split_once(' ')) {
            let old_size: u64 = old_size.parse().unwrap_or(0);
            let old_root = b64.decode(old_root).unwrap_or_default();
            let says = fill(t.verify_forked_detail(), &[("size", &old_size.to_string())]);
            if old_size > size {
                return Err(says);
            }
            let path = if old_size == size || old_size == 0 {
                Vec::new()
            } else {
                consistency(slug.to_owned(), old_size, size)
                    .await
                    .map_err(|_| says.clone())?
                    .iter()
                    .map(|h| b64.decode(h).ok().and_then(|b| b.try_into().ok()))
                    .collect::<Option<Vec<merkle::Hash>>>()
                    .ok_or_else(|| says.clone())?
            };
            if old_size > 0 {
                merkle::verify_consistency(old_size, size, &old_root, &root, &path)
                    .map_err(|_| says)?;
            }
        }
        if let Some(storage) = storage {
            let _ = storage.set_item(&item, &format!("{size} {}", b64.encode(root)));
        }
        Ok(())
    }
}
