//! The artwork page's adopt form. It is a plain HTML form that posts to
//! `/campaigns/{slug}/artworks/{artwork}/give`, so it works before (or without) the wasm bundle;
//! once hydrated it explains a wrong amount as it is typed and guards against a double submit.

use super::{GiftError, DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS, MESSAGE_MAX_CHARS};
use crate::campaigns::{CampaignStatus, Progress};
use crate::i18n::{fill, use_locale, Locale};
use crate::island;
use crate::live::use_live;
use crate::money::Money;
use crate::text_area::TextArea;
use leptos::prelude::*;

/// Why the server sent a donor back to the form (the `error` query parameter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormNotice {
    /// A rule the gift broke.
    Gift(GiftError),
    CampaignClosed,
    CampaignUpcoming,
    /// The artwork's consent was withdrawn (or no longer covers gifts).
    ArtworkWithdrawn,
    /// The campaign has not published its spending plan.
    NoPlan,
    ProviderUnavailable,
    /// Checkouts are being opened faster than the limits allow.
    TooMany,
    /// Something on our side, or a form the page did not write: trying again works.
    TryAgain,
}

impl FormNotice {
    /// The notice a query parameter names, for a campaign whose least gift is `min`; unknown
    /// codes are ignored.
    pub fn from_code(code: &str, min: Money) -> Option<FormNotice> {
        Some(match code {
            "campaign_closed" => FormNotice::CampaignClosed,
            "campaign_upcoming" => FormNotice::CampaignUpcoming,
            "artwork_withdrawn" => FormNotice::ArtworkWithdrawn,
            "no_spending_plan" => FormNotice::NoPlan,
            "payment_provider_unavailable" => FormNotice::ProviderUnavailable,
            "too_many_checkouts" => FormNotice::TooMany,
            "bad_idempotency_key" | "idempotency_key_reused" | "internal_error" => {
                FormNotice::TryAgain
            }
            code => FormNotice::Gift(GiftError::from_code(code, min)?),
        })
    }

    /// The notice in the reader's language.
    pub fn message(&self, locale: Locale) -> String {
        let t = locale.words();
        match self {
            FormNotice::Gift(error) => error.message(locale),
            FormNotice::CampaignClosed => t.checkout_closed().to_owned(),
            FormNotice::CampaignUpcoming => t.adopt_note_upcoming().to_owned(),
            FormNotice::ArtworkWithdrawn => t.checkout_withdrawn().to_owned(),
            FormNotice::NoPlan => t.checkout_no_plan().to_owned(),
            FormNotice::ProviderUnavailable => t.checkout_unavailable().to_owned(),
            FormNotice::TooMany => t.checkout_too_many().to_owned(),
            FormNotice::TryAgain => t.error_text().to_owned(),
        }
    }
}

/// The amount choice the browser restored into the server-rendered form.
struct Restored {
    /// The checked preset in minor units; None for "another amount".
    choice: Option<i64>,
    custom: String,
}

/// What the browser put back into the form when the page was shown again from history (or a
/// reload), or what the donor typed before the page's code arrived, read as the island takes
/// the form over (which happens once, on the server's HTML).
#[cfg(feature = "hydrate")]
fn restored_amount() -> Option<Restored> {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::HtmlInputElement;
    let input = |selector: &str| {
        document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    };
    let choice = input("#give input[name=amount]:checked")?
        .value()
        .parse()
        .ok();
    let custom = input("#give input[name=custom_amount]")?.value();
    Some(Restored { choice, custom })
}

#[cfg(not(feature = "hydrate"))]
fn restored_amount() -> Option<Restored> {
    None
}

island! {
    /// The form on an artwork page, an island: what it is rendered with.
    pub struct AdoptForm {
        pub campaign_path: String,
        pub artwork_slug: String,
        /// The campaign (`slug`) as the page was rendered: when it closes while the page is
        /// open, the form closes.
        pub slug: String,
        pub progress: Progress,
        pub presets: Vec<Money>,
        pub min: Money,
        /// The idempotency key of this page view: submitting twice opens one checkout.
        pub form_key: String,
        /// Why the server sent the donor back, in the donor's language.
        pub notice: Option<String>,
        /// Checkouts go through Payment Links now: an amount of one's own is asked again
        /// there.
        pub surge: bool,
    }
    shown by adopt_form
}

fn adopt_form(form: AdoptForm) -> impl IntoView {
    let min = form.min;
    let locale = use_locale();
    let t = locale.words();
    let live = use_live(&form.slug, form.progress, Vec::new());
    let status = move || live.progress.with(|p| p.status);
    let currency = min.currency();
    let first = form
        .presets
        .iter()
        .find(|p| p.minor() >= min.minor())
        .copied();
    // A donor who comes back from the checkout finds the form as they left it: the browser puts
    // back what they chose and typed (or the donor typed before the code arrived). The island
    // hydrates from what the server wrote, then takes that up.
    let restored = restored_amount();
    // The chosen preset's amount in minor units, or None for "another amount".
    let choice = RwSignal::new(first.map(Money::minor));
    let custom = RwSignal::new(String::new());
    if let Some(restored) = restored {
        let mut restored = Some(restored);
        Effect::new(move |_| {
            if let Some(Restored {
                choice: chosen,
                custom: typed,
            }) = restored.take()
            {
                choice.set(chosen);
                custom.set(typed);
            }
        });
    }
    let submitting = RwSignal::new(false);
    // Shown again from the back-forward cache, the page is as it was when the form was sent:
    // the button comes back to life.
    #[cfg(feature = "hydrate")]
    {
        let shown = window_event_listener(leptos::ev::pageshow, move |ev| {
            if ev.persisted() {
                submitting.set(false);
            }
        });
        on_cleanup(move || shown.remove());
    }
    let typed_error = Memo::new(move |_| {
        if choice.get().is_some() {
            return None;
        }
        let text = custom.get();
        if text.trim().is_empty() {
            return None;
        }
        match Money::parse_major(&text, currency) {
            Err(error) => Some(error.message(locale)),
            Ok(amount) if amount.minor() < min.minor() => {
                Some(GiftError::BelowMinimum { min }.message(locale))
            }
            Ok(_) => None,
        }
    });
    let server_notice = form.notice;
    let open = move || status() == CampaignStatus::Open;
    let note = move || match status() {
        CampaignStatus::Open => t.adopt_note_open(),
        CampaignStatus::Upcoming => t.adopt_note_upcoming(),
        CampaignStatus::Closed => t.adopt_note_closed(),
    };
    let chips = form
        .presets
        .iter()
        .filter(|p| p.minor() >= min.minor())
        .map(|amount| {
            let minor = amount.minor();
            view! {
                <label class="amount-chip">
                    <input
                        type="radio"
                        name="amount"
                        value=minor.to_string()
                        checked=first.map(Money::minor) == Some(minor)
                        prop:checked=move || choice.get() == Some(minor)
                        on:change=move |_| choice.set(Some(minor))
                        disabled=move || !open()
                    />
                    <span>{amount.format(locale)}</span>
                </label>
            }
        })
        .collect_view();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let custom_missing =
            choice.get_untracked().is_none() && custom.get_untracked().trim().is_empty();
        if submitting.get_untracked() || typed_error.get_untracked().is_some() || custom_missing {
            ev.prevent_default();
            return;
        }
        submitting.set(true);
    };
    let action = format!("{}/artworks/{}/give", form.campaign_path, form.artwork_slug);
    view! {
        <form
            id="give"
            class="adopt-form"
            method="post"
            action=action
            on:submit=on_submit
            aria-describedby="adopt-form-notice"
        >
            <input type="hidden" name="artwork" value=form.artwork_slug />
            <input type="hidden" name="currency" value=currency.code() />
            <input type="hidden" name="idempotency_key" value=form.form_key />
            <fieldset class="amounts" disabled=move || !open()>
                <legend>{t.amount_label()}</legend>
                <div class="amount-chips">
                    {chips}
                    <label class="amount-chip amount-other">
                        <input
                            type="radio"
                            name="amount"
                            value="other"
                            checked=first.is_none()
                            prop:checked=move || choice.get().is_none()
                            on:change=move |_| choice.set(None)
                        />
                        <span>{t.other_amount()}</span>
                    </label>
                </div>
                <label class="field">
                    <span>{fill(t.custom_amount_label(), &[("currency", currency.symbol())])}</span>
                    <input
                        type="text"
                        name="custom_amount"
                        inputmode="decimal"
                        // Not "off": that would stop the browser from restoring a typed amount
                        // when the donor comes back from the checkout.
                        autocomplete="transaction-amount"
                        placeholder=Money::from_minor(min.minor(), currency)
                            .map(|m| m.to_major_string())
                            .unwrap_or_default()
                        prop:value=move || custom.get()
                        on:input=move |ev| {
                            custom.set(event_target_value(&ev));
                            choice.set(None);
                        }
                        on:focus=move |_| choice.set(None)
                        aria-invalid=move || typed_error.get().is_some().to_string()
                        aria-describedby="custom-amount-error"
                    />
                    <span id="custom-amount-error" class="field-error" aria-live="polite">
                        {move || typed_error.get()}
                    </span>
                    {form.surge.then(|| view! { <span class="field-hint">{t.surge_note()}</span> })}
                </label>
            </fieldset>
            <fieldset class="donor" disabled=move || !open()>
                <legend class="visually-hidden">{t.about_you()}</legend>
                <label class="field">
                    <span>{t.display_name_label()}</span>
                    <input
                        type="text"
                        name="display_name"
                        maxlength=DISPLAY_NAME_MAX_CHARS
                        autocomplete="nickname"
                    />
                </label>
                <label class="check">
                    <input type="checkbox" name="anonymous" value="1" />
                    <span>{t.anonymous_label()}</span>
                </label>
                <label class="check">
                    <input type="checkbox" name="show_amount" value="1" checked=true />
                    <span>{t.show_amount_label()}</span>
                </label>
                <label class="field">
                    <span>{fill(t.message_label(), &[("max", &MESSAGE_MAX_CHARS.to_string())])}</span>
                    <TextArea name="message" value=String::new() rows=3 maxlength=MESSAGE_MAX_CHARS />
                </label>
                <label class="field">
                    <span>{t.email_label()}</span>
                    <input type="email" name="email" maxlength=EMAIL_MAX_CHARS autocomplete="email" />
                </label>
                <label class="check">
                    <input type="checkbox" name="updates" value="1" data-testid="updates-opt-in" />
                    <span>{t.updates_opt_in()}</span>
                </label>
            </fieldset>
            <p id="adopt-form-notice" class="form-notice" role="alert">
                {server_notice}
            </p>
            <button
                type="submit"
                class="button button-primary"
                disabled=move || !open() || submitting.get()
            >
                {move || if submitting.get() { t.opening_checkout() } else { t.adopt_button() }}
            </button>
            <p class="adopt-note" role="note">
                {note}
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Timestamp;
    use crate::json::assert_reads_back;
    use crate::money::Currency;

    #[test]
    fn the_browser_reads_back_the_form_the_server_rendered() {
        let cny = |minor| Money::from_minor(minor, Currency::Cny).expect("an amount");
        let form = AdoptForm {
            campaign_path: "/campaigns/little-painters".into(),
            artwork_slug: "boats-at-dawn".into(),
            slug: "little-painters".into(),
            progress: Progress {
                raised: cny(3_000),
                matched: cny(0),
                match_remaining: None,
                goal_counts_match: true,
                goal: cny(1_500_000_000),
                donors: 6,
                status: CampaignStatus::Open,
                updated_at: Timestamp::from_unix_ms(1_764_900_000_000),
                news: 0,
            },
            presets: vec![cny(500), cny(2_000)],
            min: cny(100),
            form_key: "3f0c-key".into(),
            notice: Some("请再试一次 \"now\"".into()),
            surge: true,
        };
        assert_reads_back(&form);
        assert_reads_back(&AdoptForm {
            presets: Vec::new(),
            notice: None,
            surge: false,
            ..form
        });
    }
}
