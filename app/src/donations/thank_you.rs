//! `GET /donations/{id}`: the donor's thank-you page. It says "confirming" until the payment
//! provider's event lands, then turns to "confirmed" with the certificate number by itself, or
//! explains a failed or expired payment.

use super::api::load_donation;
use super::{DonationStatus, DonationView, LedgerLine};
use crate::artworks::voice_player::VoiceMessage;
use crate::campaigns::{OrganiserLine, Thermometer};
use crate::i18n::{fill, use_locale};
use crate::not_found::ErrorPage;
use crate::sharing::ShareTools;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Script, Stylesheet, Title};
use leptos_router::hooks::use_params_map;
#[cfg(feature = "hydrate")]
use std::time::Duration;

/// How often a waiting page asks again.
#[cfg(feature = "hydrate")]
const POLL_EVERY: Duration = Duration::from_millis(1000);

/// The thank-you page.
#[component]
pub fn ThankYouPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        move |id| load_donation(id, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.thanks_confirming_heading()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <ThankYouHead view=view.clone() /> <ThankYou view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The page's head: its title, never indexed, and (without JavaScript) a reload while the
/// payment is confirmed.
#[component]
fn ThankYouHead(view: DonationView) -> impl IntoView {
    let t = use_locale().words();
    let title = fill(t.thanks_title(), &[("campaign", &view.campaign_title)]);
    let refresh = view.status.is_waiting().then(|| {
        view! { <noscript><meta http-equiv="refresh" content="3" /></noscript> }
    });
    // The sponsor's colour (the island shows its line).
    let brand = view
        .organiser
        .and_then(|organiser| organiser.brand)
        .map(|brand| view! { <Stylesheet id="brand" href=brand.stylesheet_path() /> });
    view! {
        // The page is the donor's own: never indexed, never previewed.
        <Title text=title />
        <Meta name="robots" content="noindex" />
        // The share buttons (they may appear once the payment is confirmed).
        <Script src="/share.js" defer="true" />
        {brand}
        {refresh}
    }
}

/// The gift as the donor follows it, an island: while the payment is confirmed (and until the
/// gift is in a signed checkpoint) the page asks again every second and shows what changed.
#[island(lazy)]
fn ThankYou(view: DonationView) -> impl IntoView {
    let locale = use_locale();
    let shown = RwSignal::new(view);
    // Each answer moves the poll on; the article is drawn again only when the gift changed.
    #[cfg(feature = "hydrate")]
    let asked = RwSignal::new(0_u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        asked.track();
        let (id, waiting) = shown.with(|view| {
            // Also until the gift is in a signed checkpoint (a moment after it is paid).
            let logging = view.ledger.as_ref().is_some_and(|l| l.index.is_none());
            (view.id.clone(), view.status.is_waiting() || logging)
        });
        if waiting {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        match load_donation(id, locale).await {
                            Ok(fresh) if shown.with_untracked(|view| *view != fresh) => {
                                shown.set(fresh)
                            }
                            _ => asked.update(|n| *n += 1),
                        }
                    })
                },
                POLL_EVERY,
            );
        }
    });
    move || gift(shown.get(), locale)
}

/// The gift's article: its state, certificate, ledger entry and sharing tools.
fn gift(view: DonationView, locale: crate::i18n::Locale) -> impl IntoView {
    let t = locale.words();
    let amount = view.amount.format(locale);
    let name = if view.anonymous || view.display_name.is_empty() {
        t.kind_stranger().to_owned()
    } else {
        view.display_name.clone()
    };
    let (heading, text) = match view.status {
        DonationStatus::Pending => (t.thanks_confirming_heading(), t.thanks_confirming_text()),
        DonationStatus::AwaitingPayment => {
            (t.thanks_confirming_heading(), t.thanks_awaiting_text())
        }
        DonationStatus::Paid => (t.thanks_confirmed_heading(), t.thanks_confirmed_text()),
        DonationStatus::Refunded => (t.thanks_refunded_heading(), t.thanks_refunded_text()),
        DonationStatus::Failed => (t.thanks_failed_heading(), t.thanks_failed_text()),
        DonationStatus::Expired => (t.thanks_expired_heading(), t.thanks_expired_text()),
        DonationStatus::Held => (t.thanks_held_heading(), t.thanks_held_text()),
    };
    let values = [
        ("name", name.as_str()),
        ("amount", amount.as_str()),
        ("artwork", view.artwork_title.as_str()),
    ];
    let (heading, text) = (fill(heading, &values), fill(text, &values));
    let certificate = view.certificate_number.filter(|_| view.status == DonationStatus::Paid).map(|n| {
        view! {
            <p class="certificate-number">
                <span>{t.certificate_label()}</span>
                " "
                <strong data-testid="certificate-number">{fill(t.certificate_number(), &[("number", &n.to_string())])}</strong>
            </p>
        }
    });
    // While the payment is confirmed, the certificate's line is kept free, so nothing below
    // moves when it arrives.
    let certificate_space = view.status.is_waiting().then(|| {
        view! {
            <p class="certificate-number certificate-space" aria-hidden="true">
                <span>"\u{a0}"</span>
                <strong>"\u{a0}"</strong>
            </p>
        }
    });
    let partly_refunded =
        (view.status == DonationStatus::Paid && view.refunded.minor() > 0).then(|| {
            view! {
                <p class="refund-note">
                    {fill(t.thanks_partly_refunded(), &[("amount", &view.refunded.format(locale))])}
                </p>
            }
        });
    let became = (view.status == DonationStatus::Paid && view.matched.minor() > 0).then(|| {
        let kept = view.amount.minor() - view.refunded.minor();
        let total =
            crate::money::format_minor(kept + view.matched.minor(), view.amount.currency(), locale);
        let gift = crate::money::format_minor(kept, view.amount.currency(), locale);
        view! {
            <p class="match-became" data-testid="match-became">
                {fill(t.gift_became(), &[("gift", &gift), ("total", &total)])}
            </p>
        }
    });
    // While the payment is confirmed under a running match, its line is kept free too.
    let became_space = (view.status.is_waiting()
        && view.progress.match_remaining.is_some_and(|m| m.minor() > 0))
    .then(|| view! { <p class="match-became" aria-hidden="true">"\u{a0}"</p> });
    let try_again = matches!(
        view.status,
        DonationStatus::Failed | DonationStatus::Expired
    )
    .then(|| {
        view! {
            <a href=view.artwork_path.clone() class="button button-primary">{t.try_again()}</a>
        }
    });
    let share = view
        .share
        .clone()
        .filter(|_| view.status == DonationStatus::Paid)
        .map(|links| {
            view! { <ShareTools links title=view.artwork_title.clone() donor=name.clone() /> }
        });
    let ledger = view
        .ledger
        .clone()
        .map(|ledger| view! { <LedgerEntry ledger certificate=view.certificate_number /> });
    let progress = view.progress.clone();
    // The artist's thanks, once the gift is theirs.
    let paid = view.status == DonationStatus::Paid;
    let voice = view.voice.clone().filter(|_| paid).map(|voice| {
        view! { <VoiceMessage voice artist=view.artwork_artist.clone() /> }
    });
    let presented = view
        .organiser
        .clone()
        .map(|organiser| view! { <OrganiserLine organiser /> });
    view! {
        <article class="thank-you" data-status=view.status.as_str()>
            <img
                class="thank-you-artwork"
                src=view.artwork_thumb.url.clone()
                width=view.artwork_thumb.width
                height=view.artwork_thumb.height
                alt=""
            />
            <div class="thank-you-body" aria-live="polite">
                <h1>{heading}</h1>
                <p class="thank-you-text">{text}</p>
                {certificate}
                {certificate_space}
                {partly_refunded}
                {became}
                {became_space}
                {try_again}
            </div>
            <Thermometer progress />
            {presented}
            <p>
                <a href=view.campaign_path.clone()>{t.back_to_campaign()}</a>
            </p>
            // Added at the end once the gift is confirmed: what the donor is reading stays put.
            {ledger}
            {share}
            {voice}
        </article>
    }
}

/// The gift's entry in the public log, its verification code, and how to check it.
#[component]
fn LedgerEntry(ledger: LedgerLine, certificate: Option<i64>) -> impl IntoView {
    let t = use_locale().words();
    let Some((index, code)) = ledger.index.zip(ledger.verification_code) else {
        return Either::Left(view! {
            <section class="ledger-entry" data-testid="ledger-entry">
                <p class="ledger-recording">{t.ledger_recording()}</p>
            </section>
        });
    };
    // The code travels in the fragment: the verify page reads it, no server ever sees it.
    let verify = format!(
        "{}#certificate={}&code={code}",
        ledger.verify_path,
        certificate.unwrap_or_default()
    );
    Either::Right(view! {
        <section class="ledger-entry" data-testid="ledger-entry">
            <p>{fill(t.ledger_entry(), &[("index", &index.to_string())])}</p>
            <p class="ledger-code">
                <span>{t.ledger_code_label()}</span>
                " "
                <code data-testid="verification-code">{code}</code>
            </p>
            <p class="ledger-hint">{t.ledger_code_hint()}</p>
            <p class="ledger-actions">
                <a class="button" href=verify rel="external">{t.ledger_verify()}</a>
                <a class="button" href=ledger.proof_path download="gift.tlog-proof" rel="external">
                    {t.ledger_download_proof()}
                </a>
            </p>
        </section>
    })
}
