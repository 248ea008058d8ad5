//! `GET /staff/new-campaign` and `GET /staff/campaigns/{slug}/edit`: the campaign form (admins).
//! A plain form posted to the server, in the language the texts are written in, with the other
//! language beside it.

use super::bar::{StaffBar, Tab};
use super::{load_campaign_draft, CampaignDraft, MatchLine, OrganiserLine};
use crate::i18n::{fill, use_locale, Locale};
use crate::money::Currency;
use crate::not_found::ErrorPage;
use crate::text_area::TextArea;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where the form posts: a new campaign, or the one being edited.
pub fn save_path(slug: Option<&str>) -> String {
    match slug {
        Some(slug) => format!("/api/staff/campaigns/{slug}"),
        None => "/api/staff/campaigns".to_owned(),
    }
}

/// The campaign form page.
#[component]
pub fn CampaignEditPage() -> impl IntoView {
    let t = use_locale().words();
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug"), load_campaign_draft);
    view! {
        <Title text=t.campaign_form_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(draft) => Either::Left(view! { <CampaignFormView draft /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CampaignFormView(draft: CampaignDraft) -> impl IntoView {
    let t = use_locale().words();
    let text = |name: &'static str, label: &'static str, value: String, required: bool| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input name=name value=value required=required />
            </label>
        }
    };
    let area = |name: &'static str, label: &'static str, value: String, required: bool| {
        view! {
            <label class="field">
                <span>{label}</span>
                <TextArea name value required />
            </label>
        }
    };
    let check = |name: &'static str, label: &'static str, on: bool| {
        view! {
            <label class="check">
                <input type="checkbox" name=name checked=on />
                <span>{label}</span>
            </label>
        }
    };
    let written = draft.content_locale.clone();
    let languages = Locale::ALL
        .into_iter()
        .map(|l| {
            view! { <option value=l.tag() selected=l.tag() == written>{l.native_name()}</option> }
        })
        .collect_view();
    let currency = draft.currency.clone();
    let currencies = Currency::ALL
        .into_iter()
        .map(|c| view! { <option value=c.code() selected=c.code() == currency>{c.code()}</option> })
        .collect_view();
    let methods = [
        ("card", t.method_card()),
        ("alipay", t.method_alipay()),
        ("wechat_pay", t.method_wechat_pay()),
    ]
    .into_iter()
    .map(|(value, label)| {
        let on = draft.payment_methods.iter().any(|m| m == value);
        view! {
            <label class="check">
                <input type="checkbox" name="payment_methods" value=value checked=on />
                <span>{label}</span>
            </label>
        }
    })
    .collect_view();
    let slug_field = if draft.editing {
        Either::Left(view! { <input type="hidden" name="slug" value=draft.slug.clone() /> })
    } else {
        Either::Right(view! {
            <label class="field wide">
                <span>{t.campaign_slug()}</span>
                <input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxlength="64" />
            </label>
        })
    };
    let heading = if draft.editing {
        draft.title.clone()
    } else {
        t.new_campaign().to_owned()
    };
    let action = save_path(draft.editing.then_some(draft.slug.as_str()));
    let back = if draft.editing {
        format!("/staff/campaigns/{}", draft.slug)
    } else {
        "/staff".to_owned()
    };
    let top = match (draft.editing, draft.member.clone()) {
        (true, Some(member)) => Either::Left(view! {
            <StaffBar member slug=draft.slug.clone() here=Tab::Settings />
        }),
        _ => {
            Either::Right(view! { <a class="back-link" href=back>"← " {t.dashboard_heading()}</a> })
        }
    };
    view! {
        <div class="staff">
            {top}
            <h1>
                <span class="eyebrow">{t.campaign_form_heading()}</span>
                {heading}
            </h1>
            <form class="upload-form staff-panel" method="post" action=action data-testid="campaign-form">
                {slug_field}
                <label class="field wide">
                    <span>{t.upload_language()}</span>
                    <select name="content_locale">{languages}</select>
                </label>
                {text("title", t.campaign_title(), draft.title, true)}
                {text("title_translated", t.campaign_title_translated(), draft.title_translated, false)}
                {text("tagline", t.campaign_tagline(), draft.tagline, false)}
                {text("tagline_translated", t.campaign_tagline_translated(), draft.tagline_translated, false)}
                {area("story", t.campaign_story(), draft.story, true)}
                {area("story_translated", t.upload_story_translated(), draft.story_translated, false)}
                {text("beneficiary_name", t.campaign_beneficiary(), draft.beneficiary_name, true)}
                {text("beneficiary_name_translated", t.campaign_beneficiary_translated(), draft.beneficiary_name_translated, false)}
                {area("beneficiary_about", t.campaign_beneficiary_about(), draft.beneficiary_about, false)}
                {area("beneficiary_about_translated", t.campaign_beneficiary_about_translated(), draft.beneficiary_about_translated, false)}
                {text("beneficiary_url", t.campaign_beneficiary_url(), draft.beneficiary_url, false)}
                <fieldset class="consent-fields wide">
                    <legend>{t.campaign_recipient()}</legend>
                    <p class="muted">{t.campaign_recipient_hint()}</p>
                    {text("recipient_legal_name", t.campaign_recipient_name(), draft.recipient_legal_name, false)}
                    {text("recipient_registration", t.campaign_recipient_registration(), draft.recipient_registration, false)}
                </fieldset>
                <label class="field">
                    <span>{t.campaign_currency()}</span>
                    <select name="currency" disabled=draft.has_gifts>{currencies}</select>
                    {draft.has_gifts.then(|| view! {
                        <input type="hidden" name="currency" value=draft.currency.clone() />
                        <small class="muted">{t.campaign_currency_locked()}</small>
                    })}
                </label>
                {text("goal", t.campaign_goal(), draft.goal, true)}
                {text("min_gift", t.campaign_min_gift(), draft.min_gift, true)}
                {text("presets", t.campaign_presets(), draft.presets, false)}
                <label class="field">
                    <span>{t.campaign_starts()}</span>
                    <input type="datetime-local" name="starts_at" value=draft.starts_at required />
                </label>
                <label class="field">
                    <span>{t.campaign_ends()}</span>
                    <input type="datetime-local" name="ends_at" value=draft.ends_at required />
                </label>
                {text("utc_offset", t.campaign_utc_offset(), draft.utc_offset, true)}
                <fieldset class="consent-fields">
                    <legend>{t.campaign_options()}</legend>
                    {methods}
                    {check("close_at_goal", t.campaign_close_at_goal(), draft.close_at_goal)}
                    {check("goal_counts_match", t.campaign_goal_counts_match(), draft.goal_counts_match)}
                    {check("messages_need_approval", t.campaign_messages_need_approval(), draft.messages_need_approval)}
                    {check("send_receipts", t.campaign_send_receipts(), draft.send_receipts)}
                    {draft.editing.then(|| view! {
                        <a href=format!("/staff/campaigns/{}/emails", draft.slug) rel="external">{t.campaign_outbox()}</a>
                    })}
                </fieldset>
                <button class="button button-primary" type="submit">{t.campaign_save()}</button>
            </form>
            {draft.editing.then(|| view! { <Matches slug=draft.slug.clone() matches=draft.matches.clone() /> })}
            {draft.editing.then(|| view! { <OrganiserForm slug=draft.slug.clone() organiser=draft.organiser.clone() /> })}
        </div>
    }
}

/// The company presenting the campaign: names, statement, website, logo and brand colour.
#[component]
fn OrganiserForm(slug: String, organiser: OrganiserLine) -> impl IntoView {
    let t = use_locale().words();
    let action = format!("/api/staff/campaigns/{slug}/organiser");
    let line = |name: &'static str, label: &'static str, value: String| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input name=name value=value maxlength="120" />
            </label>
        }
    };
    let logo = organiser.logo_url.map(|url| {
        view! {
            <img class="organiser-logo-preview" src=url alt="" />
            <label class="check">
                <input type="checkbox" name="remove_logo" />
                <span>{t.organiser_remove_logo()}</span>
            </label>
        }
    });
    view! {
        <section class="staff-organiser" aria-labelledby="organiser-heading">
            <h2 id="organiser-heading">{t.organiser_heading()}</h2>
            <p class="muted">{t.organiser_intro()}</p>
            <form
                class="upload-form staff-panel"
                method="post"
                action=action
                enctype="multipart/form-data"
                data-testid="organiser-form"
            >
                {line("organiser_en", t.organiser_name_en(), organiser.name_en)}
                {line("organiser_zh", t.organiser_name_zh(), organiser.name_zh)}
                <label class="field wide">
                    <span>{t.organiser_url()}</span>
                    <input type="url" name="organiser_url" value=organiser.url maxlength="300" />
                </label>
                <label class="field wide">
                    <span>{t.organiser_statement_en()}</span>
                    <TextArea name="organiser_statement_en" value=organiser.statement_en required=false />
                </label>
                <label class="field wide">
                    <span>{t.organiser_statement_zh()}</span>
                    <TextArea name="organiser_statement_zh" value=organiser.statement_zh required=false />
                </label>
                <label class="field wide">
                    <span>{t.organiser_brand_colour()}</span>
                    <input name="brand_colour" value=organiser.brand_colour maxlength="16" />
                </label>
                <label class="field wide">
                    <span>{t.organiser_logo()}</span>
                    <input type="file" name="logo" accept="image/png,image/jpeg,image/webp" />
                </label>
                {logo}
                <button class="button button-primary" type="submit">{t.organiser_save()}</button>
            </form>
        </section>
    }
}

/// The campaign's matches, each with a button to end it, and the form that adds one.
#[component]
fn Matches(slug: String, matches: Vec<MatchLine>) -> impl IntoView {
    let t = use_locale().words();
    let add = format!("/api/staff/campaigns/{slug}/matches");
    let rows = matches
        .into_iter()
        .map(|m| {
            let end = (!m.ended).then(|| {
                let action = format!("/api/staff/campaigns/{slug}/matches/{}/end", m.id);
                view! {
                    <form method="post" action=action>
                        <button class="button button-small" type="submit">{t.match_end_now()}</button>
                    </form>
                }
            });
            let caps = [
                m.per_gift
                    .map(|c| fill(t.match_cap_per_gift_is(), &[("cap", &c)])),
                m.per_donor_day
                    .map(|c| fill(t.match_cap_per_donor_day_is(), &[("cap", &c)])),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            let matched = fill(
                t.match_matched_of(),
                &[("matched", &m.matched), ("total", &m.total)],
            );
            view! {
                <tr data-ended=m.ended.to_string()>
                    <td>{m.sponsor}</td>
                    <td>{m.ratio}</td>
                    <td>{caps}</td>
                    <td>{matched}</td>
                    <td>{end}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="staff-matches" aria-labelledby="matches-heading">
            <h2 id="matches-heading">{t.matches_heading()}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="ledger-table matches-table">
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <form class="upload-form staff-panel" method="post" action=add data-testid="match-form">
                <label class="field">
                    <span>{t.match_sponsor_en()}</span>
                    <input name="sponsor_en" required maxlength="120" />
                </label>
                <label class="field">
                    <span>{t.match_sponsor_zh()}</span>
                    <input name="sponsor_zh" maxlength="120" />
                </label>
                <label class="field wide">
                    <span>{t.match_ratio_field()}</span>
                    <input name="ratio" required value="1:1" maxlength="16" />
                </label>
                <label class="field">
                    <span>{t.match_starts()}</span>
                    <input type="datetime-local" name="starts_at" />
                </label>
                <label class="field">
                    <span>{t.match_ends()}</span>
                    <input type="datetime-local" name="ends_at" />
                </label>
                <label class="field">
                    <span>{t.match_cap_per_gift()}</span>
                    <input name="cap_per_gift" inputmode="decimal" />
                </label>
                <label class="field">
                    <span>{t.match_cap_per_donor_day()}</span>
                    <input name="cap_per_donor_day" inputmode="decimal" />
                </label>
                <label class="field">
                    <span>{t.match_total_cap()}</span>
                    <input name="total_cap" required inputmode="decimal" />
                </label>
                <button class="button button-primary" type="submit">{t.match_add()}</button>
            </form>
        </section>
    }
}
