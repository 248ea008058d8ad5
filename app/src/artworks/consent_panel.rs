//! The artwork page's consent section: who agreed (by role, never by name), the artist's own
//! wish, what the licence covers and for how long, the artist's share, and whether it is in force.

use super::consent::{Assent, Consenter, PublicConsent, Scope, Standing};
use crate::i18n::{fill, use_locale, Words};
use crate::money::percent_label;
use leptos::prelude::*;

/// A consenter's role in the reader's language.
pub fn role_label(t: Words, consenter: Consenter) -> &'static str {
    match consenter {
        Consenter::Artist => t.consent_role_artist(),
        Consenter::Parent => t.consent_role_parent(),
        Consenter::Guardian => t.consent_role_guardian(),
        Consenter::Heir => t.consent_role_heir(),
    }
}

/// The artist's assent in the reader's language.
pub fn assent_label(t: Words, assent: Assent) -> &'static str {
    match assent {
        Assent::Yes => t.consent_assent_yes(),
        Assent::No => t.consent_assent_no(),
        Assent::Unable => t.consent_assent_unable(),
        Assent::Unrecorded => t.consent_assent_unrecorded(),
    }
}

/// What a consent covers, in the reader's language: "gifts, certificates".
pub fn scope_label(t: Words, scope: Scope) -> String {
    scope
        .words()
        .into_iter()
        .map(|w| match w {
            "gifts" => t.consent_scope_gifts(),
            "certificates" => t.consent_scope_certificates(),
            _ => t.consent_scope_prints(),
        })
        .collect::<Vec<_>>()
        .join(t.list_separator())
}

/// Why an artwork cannot be adopted, or `None` when it can.
pub fn refusal(t: Words, standing: &Standing) -> Option<String> {
    match standing {
        Standing::InForce => None,
        Standing::Withdrawn { on } => Some(fill(t.consent_withdrawn_on(), &[("date", on)])),
        Standing::ArtistDeclined => Some(t.consent_artist_declined().to_owned()),
        Standing::Missing | Standing::NotYet | Standing::Expired | Standing::NotForGifts => {
            Some(t.consent_not_in_force().to_owned())
        }
    }
}

#[component]
pub fn ConsentPanel(consent: PublicConsent) -> impl IntoView {
    let t = use_locale().words();
    let refused = refusal(t, &consent.standing);
    let class = if refused.is_some() {
        "consent-status consent-off"
    } else {
        "consent-status consent-on"
    };
    let status = view! {
        <p class=class>{refused.unwrap_or_else(|| t.consent_in_force().to_owned())}</p>
    };
    let terms = consent.terms.map(|terms| {
        let period = match &terms.until {
            Some(until) => fill(
                t.consent_from_until(),
                &[("from", &terms.from), ("until", until)],
            ),
            None => fill(t.consent_from_open(), &[("from", &terms.from)]),
        };
        let scope = scope_label(t, terms.scope);
        let prints = terms.scope.prints.then(|| {
            view! {
                <dt>{t.consent_print_share()}</dt>
                <dd>{percent_label(terms.royalty_prints_bp.into())}</dd>
            }
        });
        // The form's hash, which anyone later shown the paper can check; never the form.
        let form = terms.form.map(|form| {
            let format = form.format.extension().to_uppercase();
            view! {
                <p class="consent-form muted">
                    {fill(t.consent_form_on_file(), &[("format", &format)])} " "
                    <code class="hash" translate="no">{form.sha256}</code>
                </p>
            }
        });
        view! {
            <dl>
                <dt>{t.consent_given_by()}</dt>
                <dd>{role_label(t, terms.consenter)}</dd>
                <dt>{t.consent_assent()}</dt>
                <dd>{assent_label(t, terms.assent)}</dd>
                <dt>{t.consent_period()}</dt>
                <dd>{period}</dd>
                <dt>{t.consent_scope()}</dt>
                <dd>{scope}</dd>
                <dt>{t.consent_licence()}</dt>
                <dd>{consent.licence.clone()}</dd>
                <dt>{t.consent_share()}</dt>
                <dd>{percent_label(terms.royalty_gifts_bp.into())}</dd>
                {prints}
            </dl>
            {form}
        }
    });
    let version = (consent.versions > 0)
        .then(|| fill(t.consent_version(), &[("n", &consent.versions.to_string())]));
    view! {
        <section class="consent" aria-labelledby="consent-heading">
            <h2 id="consent-heading">{t.consent_heading()}</h2>
            {status}
            {terms}
            <p class="muted">{version}</p>
        </section>
    }
}
