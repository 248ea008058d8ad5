//! Languages: which one a visitor reads, and every user-facing string in each.
//!
//! The strings are a typed table ([`Texts`]): a locale that lacks one does not compile, and the
//! tests check that every entry is translated with the same placeholders. Why a table rather
//! than a translation crate is in docs/ARCHITECTURE.md.

mod en;
mod switcher;
mod zh_cn;

pub use switcher::LanguageSwitcher;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The cookie that remembers a visitor's explicit choice of language.
pub const LOCALE_COOKIE: &str = "gg_locale";

/// A language the site is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    /// Every locale, in switcher order.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// "3 gifts", "1 gift".
    pub fn gifts(self, count: u64) -> String {
        let t = self.words();
        if count == 1 {
            t.dashboard_gift_one().to_owned()
        } else {
            fill(t.dashboard_gifts(), &[("count", &count.to_string())])
        }
    }

    /// The BCP 47 tag, as in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The Open Graph form (`og:locale`).
    pub fn og_locale(self) -> &'static str {
        match self {
            Locale::En => "en_US",
            Locale::ZhCn => "zh_CN",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "中文",
        }
    }

    /// The strings of this locale, one at a time: what code in the browser uses.
    pub fn words(self) -> Words {
        Words(self)
    }

    /// The strings of this locale.
    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::En => &en::TEXTS,
            Locale::ZhCn => &zh_cn::TEXTS,
        }
    }

    /// The locale whose tag is exactly `tag` ("zh-CN", not "zh"): for addresses, which name one
    /// language one way.
    pub fn from_exact_tag(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// Reads a language tag leniently: any Chinese tag means our Simplified Chinese (the
    /// campaign's audience writes `zh`, `zh-Hans`, `zh-CN`, `zh-SG`…), any English tag English.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The best locale for an `Accept-Language` header, honouring q-values; `None` when the
    /// visitor accepts none of ours.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(u16, usize, Locale)> = None;
        for (position, item) in accept_language.split(',').take(32).enumerate() {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(Locale::from_tag) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, parse_quality);
            if quality == 0 {
                continue;
            }
            // Higher quality wins; on a tie, the earlier entry.
            let better = best.is_none_or(|(q, p, _)| quality > q || (quality == q && position < p));
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale)
    }

    /// The visitor's locale from request headers: their explicit choice (the cookie), else
    /// `Accept-Language`, else English.
    pub fn from_request(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
        Locale::asked_for(cookie_header, accept_language).unwrap_or_default()
    }

    /// The language the visitor chose (cookie) or their browser asks for, if it is one of ours;
    /// None for a client that says nothing we speak, such as a link-preview crawler.
    pub fn asked_for(cookie_header: Option<&str>, accept_language: Option<&str>) -> Option<Locale> {
        cookie_header
            .and_then(|cookies| crate::cookies::value(cookies, LOCALE_COOKIE))
            .and_then(Locale::from_tag)
            .or_else(|| accept_language.and_then(Locale::negotiate))
    }
}

/// A q-value in thousandths (`0.8` is 800); malformed values count as 0.
fn parse_quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole_ok = whole == "0" || whole == "1";
    if !whole_ok || fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let fraction: u16 = format!("{fraction:0<3}").parse().unwrap_or(0);
    if whole == "1" {
        1000
    } else {
        fraction
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A tag we do not serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language")]
pub struct UnknownLocale;

impl TryFrom<String> for Locale {
    type Error = UnknownLocale;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Locale::from_tag(&value).ok_or(UnknownLocale)
    }
}

impl From<Locale> for String {
    fn from(value: Locale) -> Self {
        value.tag().to_owned()
    }
}

/// Makes the page's locale available to every component below: on the server from the request,
/// in the browser from the `<html lang>` the server wrote, so both render the same words.
pub fn provide_locale() -> Locale {
    let locale = detect();
    provide_context(locale);
    locale
}

/// The page's locale.
pub fn use_locale() -> Locale {
    // In the browser an island has no context from the server's page: it reads `<html lang>`.
    use_context::<Locale>().unwrap_or_else(detect)
}

#[cfg(feature = "ssr")]
impl Locale {
    /// The visitor's locale from a request's `Cookie` and `Accept-Language` headers.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
        use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        Locale::from_request(header(COOKIE), header(ACCEPT_LANGUAGE))
    }
}

#[cfg(feature = "ssr")]
fn detect() -> Locale {
    use_context::<axum::http::request::Parts>().map_or_else(Locale::default, |parts| {
        Locale::from_headers(&parts.headers)
    })
}

#[cfg(not(feature = "ssr"))]
fn detect() -> Locale {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}

/// Fills `{name}` placeholders in a template. Unknown placeholders are left as they are, so a
/// mistake shows on the page (and in the tests) instead of vanishing.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! texts {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// Every user-facing string of the site in one language. Templates mark values as
        /// `{name}`, filled with [`fill`].
        pub struct Texts {
            $($(#[$doc])* pub $name: &'static str,)*
        }

        impl Texts {
            /// Every entry with its name, for checks across locales.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name),)*]
            }
        }

        /// The same strings one at a time, as the site uses them: each is a constant of its own,
        /// so the browser's code carries the strings its islands show, each with the island
        /// that shows it, where a `&Texts` would bring every page's in both languages.
        #[allow(missing_docs)]
        impl Words {
            $(
                #[inline]
                pub fn $name(self) -> &'static str {
                    // Evaluated while compiling: only the two strings are left, never the
                    // tables they come from.
                    const EN: &str = en::TEXTS.$name;
                    const ZH_CN: &str = zh_cn::TEXTS.$name;
                    match self.0 {
                        Locale::En => EN,
                        Locale::ZhCn => ZH_CN,
                    }
                }
            )*
        }
    };
}

/// A locale's strings, one at a time (see the `texts!` macro).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words(pub Locale);

texts! {
    site_name,
    skip_link,
    language_label,
    footer_promise,
    loading_gallery,
    loading_artwork,
    not_found_heading,
    not_found_text,
    error_heading,
    error_text,
    go_to_gallery,
    amount_not_a_number,
    /// `{currency}`, `{decimals}`.
    amount_too_many_decimals,
    amount_not_positive,
    /// `{max}`.
    amount_too_large,
    /// `{name}`: the beneficiary.
    for_beneficiary,
    choose_artwork,
    gallery_heading,
    /// `{count}`: how many artworks.
    gallery_intro,
    campaign_story_heading,
    beneficiary_heading,
    /// `{name}`: the beneficiary.
    visit_beneficiary,
    /// `{date}`, `{amount}`: deadline and minimum gift.
    deadline,
    progress_heading,
    /// `{goal}`.
    raised_of_goal,
    progress_label,
    /// `{raised}`, `{goal}`, `{percent}`.
    progress_value,
    donors,
    of_goal,
    status,
    status_upcoming,
    status_closed,
    /// `{sponsor}`, `{cap}`: a 1:1 match and its total budget.
    match_doubled,
    /// `{sponsor}`, `{percent}`, `{cap}`: a match of another ratio.
    match_ratio,
    /// `{cap}`: the most a match adds to one gift.
    match_per_gift,
    /// `{amount}`: the match budget left.
    match_left,
    /// `{sponsor}`, `{amount}`: a match whose budget is spent.
    match_complete,
    /// `{sponsor}`, `{amount}`: a match whose window closed.
    match_ended,
    matched,
    /// `{gift}`, `{total}`: a donor's gift and what the match made of it.
    gift_became,
    breadcrumb,
    /// `{artist}`: the byline.
    by_artist,
    /// `{name}`, `{age}`.
    byline_with_age,
    artwork_story_heading,
    adopt_heading,
    /// `{amount}`: the minimum gift.
    adopt_price,
    /// `{amount}`: the minimum gift; beside the Adopt button that stays on a phone's screen.
    adopt_from,
    adopt_button,
    adopt_note_open,
    adopt_note_upcoming,
    adopt_note_closed,
    consent_heading,
    consent_given_by,
    /// `{name}`, `{relationship}`.
    consent_who,
    consent_date,
    consent_licence,
    consent_share,
    /// Between items of a short list ("gifts, certificates").
    list_separator,
    consent_in_force,
    /// `{date}`: the day consent was withdrawn.
    consent_withdrawn_on,
    consent_not_in_force,
    consent_artist_declined,
    consent_role_artist,
    consent_role_parent,
    consent_role_guardian,
    consent_role_heir,
    consent_assent,
    consent_assent_yes,
    consent_assent_no,
    consent_assent_unable,
    consent_assent_unrecorded,
    consent_period,
    /// `{from}`, `{until}`: ISO dates.
    consent_from_until,
    /// `{from}`: an ISO date.
    consent_from_open,
    consent_scope,
    consent_scope_gifts,
    consent_scope_certificates,
    consent_scope_prints,
    consent_print_share,
    /// `{n}`: how many versions the record has.
    consent_version,
    /// `{format}`: PDF, JPG or PNG.
    consent_form_on_file,
    consent_form_label,
    consent_form_note,
    /// `{format}`.
    consent_form_download,
    document_wrong_type,
    provenance_heading,
    made_independent,
    made_independent_about,
    made_prompted,
    made_prompted_about,
    made_hand_guided,
    made_hand_guided_about,
    /// `{artist}`: the artist's name.
    provenance_film_label,
    provenance_film_note,
    provenance_film_remove,
    provenance_film_caption,
    provenance_film_download,
    film_too_big,
    film_wrong_type,
    film_too_long,
    film_unreadable,
    provenance_evidence_alt,
    provenance_evidence_caption,
    provenance_not_stated,
    provenance_evidence_label,
    provenance_evidence_note,
    /// `{artist}`.
    voice_heading,
    /// `{length}`: minutes and seconds, "0:12".
    voice_length,
    voice_label,
    voice_note,
    voice_transcript_en_label,
    voice_transcript_zh_label,
    voice_remove,
    voice_wrong_type,
    voice_too_big,
    voice_too_long,
    voice_unreadable,
    checkout_withdrawn,
    consent_withdrawn_final,
    consent_role_label,
    consent_choose,
    consent_until_label,
    consent_prints_label,
    royalty_prints_label,
    consent_witness_label,
    consent_history_heading,
    consent_history_note,
    consent_history_withdrawal,
    /// `{n}`: the version's number.
    consent_version_short,
    /// `{time}`: when it was recorded.
    consent_history_recorded,
    withdraw_heading,
    withdraw_note,
    withdraw_who,
    withdraw_name,
    withdraw_button,
    consent_withdrawn_badge,
    more_artworks,
    previous,
    next,
    /// `{campaign}`, `{site}`.
    landing_title,
    /// `{title}`, `{artist}`, `{campaign}`.
    artwork_title,
    /// `{title}`, `{artist}`.
    artwork_alt,
    /// `{min}`.
    gift_below_minimum,
    /// `{currency}`.
    gift_wrong_currency,
    /// `{max}`.
    gift_name_too_long,
    /// `{max}`.
    gift_message_too_long,
    gift_bad_characters,
    gift_bad_email,
    gift_no_artwork,
    checkout_closed,
    checkout_unavailable,
    checkout_key_reused,
    checkout_too_many,
    checkout_bad_request,
    amount_label,
    other_amount,
    /// `{currency}`.
    custom_amount_label,
    about_you,
    display_name_label,
    anonymous_label,
    show_amount_label,
    /// `{max}`.
    message_label,
    email_label,
    opening_checkout,
    kind_stranger,
    /// `{campaign}`.
    thanks_title,
    thanks_confirming_heading,
    thanks_confirming_text,
    thanks_awaiting_text,
    /// `{name}`.
    thanks_confirmed_heading,
    /// `{amount}`, `{artwork}`.
    thanks_confirmed_text,
    certificate_label,
    /// `{number}`.
    certificate_number,
    /// `{amount}`.
    thanks_partly_refunded,
    /// `{index}`.
    ledger_entry,
    ledger_code_label,
    ledger_code_hint,
    ledger_verify,
    ledger_download_proof,
    ledger_recording,
    /// `{campaign}`.
    ledger_title,
    ledger_heading,
    ledger_lead,
    ledger_totals,
    ledger_logged_total,
    ledger_live_total,
    ledger_totals_note,
    ledger_recipient,
    ledger_recipient_unstated,
    account_heading,
    account_given,
    account_refunded,
    account_fees,
    account_received,
    account_spent,
    account_remaining,
    account_advanced,
    account_advanced_note,
    /// `{size}`.
    account_note,
    /// `{spent}`, `{remaining}`.
    account_card_bar,
    /// `{size}`.
    account_card_overspent,
    account_card_source,
    /// `{host}`.
    account_card_call,
    /// `{campaign}`.
    account_card_alt,
    account_card_link,
    ledger_checkpoint,
    ledger_size,
    ledger_root,
    ledger_signed_at,
    ledger_checkpoint_text,
    ledger_empty,
    ledger_key,
    ledger_witnesses,
    /// `{quorum}`, `{count}`.
    ledger_witness_policy,
    /// `{time}`.
    ledger_witness_cosigned,
    ledger_witness_not_yet,
    ledger_entries,
    ledger_col_time,
    ledger_col_what,
    ledger_col_amount,
    ledger_col_raised,
    ledger_gift,
    /// `{index}`.
    ledger_refund_of,
    expense_not_ready,
    expense_second_admin,
    expenses_heading,
    expenses_note,
    expense_new,
    expense_line,
    expense_kind,
    expense_kind_expenditure,
    expense_kind_disbursement,
    expense_kind_royalty,
    expense_kind_fees,
    expense_artist,
    document_kind_receipt,
    document_kind_invoice,
    document_kind_transfer,
    document_kind_photo,
    document_kind_report,
    document_download,
    documents_label,
    document_add,
    document_add_button,
    document_file,
    document_kind,
    age_band_unstated,
    artists_heading,
    artists_hint,
    artist_name_en,
    artist_name_zh,
    artist_works_count,
    artist_save,
    artist_saved,
    artist_name_taken,
    age_band_under_13,
    age_band_13_17,
    age_band_18_25,
    age_band_26_59,
    age_band_60_plus,
    artist_protection_minor,
    artist_protection_guardianship,
    /// `{name}`, `{campaign}`.
    artist_page_title,
    artist_age_band,
    artist_works_heading,
    royalties_heading,
    royalty_artist,
    royalty_accrued,
    royalty_paid,
    royalty_outstanding,
    /// `{size}`: the checkpoint's entries.
    royalties_note,
    royalties_owed_heading,
    royalties_none,
    expense_description_en,
    expense_description_zh,
    expense_amount,
    expense_date,
    expense_payee,
    expense_people,
    expense_record,
    expense_status_draft,
    expense_status_submitted,
    expense_status_approved,
    expense_status_paid,
    expense_submit,
    expense_approve,
    expense_pay,
    expense_reverse,
    expense_reverse_why_en,
    expense_reverse_why_zh,
    /// `{number}`: the expense reversed.
    expense_reversal_of,
    /// `{name}`.
    expense_recorded_by,
    expenses_none,
    plan_spent,
    plan_chart_caption,
    /// `{spent}`, `{planned}`.
    plan_chart_figures,
    /// `{line}`, `{amount}`.
    ledger_expense,
    /// `{line}`, `{amount}`, `{index}`.
    ledger_reversal,
    spent_heading,
    /// `{people}`.
    expense_served,
    loading_plan,
    plan_tab,
    sharing_tab,
    sharing_heading,
    /// `{total}`: all paid gifts.
    sharing_through,
    sharing_k_factor,
    sharing_deepest,
    sharing_chains,
    /// `{count}`: steps down a chain.
    sharing_steps,
    sharing_step_one,
    /// `{count}`.
    sharing_further,
    sharing_hours,
    sharing_hour,
    sharing_donors,
    sharing_brought,
    sharing_note,
    plan_line_key,
    plan_name_en,
    plan_name_zh,
    plan_buys_en,
    plan_buys_zh,
    plan_planned_label,
    plan_publish_heading,
    plan_publish_note,
    plan_publish_button,
    plan_empty,
    plan_duplicate,
    checkout_no_plan,
    /// `{version}`, `{lines}`: how many lines, `{total}`.
    ledger_plan,
    plan_heading,
    /// `{version}`, `{date}`.
    plan_version,
    plan_line,
    plan_buys,
    plan_planned,
    plan_total,
    plan_none,
    /// `{version}`, `{date}`.
    plan_earlier,
    /// `{role}`, `{scope}`, `{share}`.
    ledger_consent,
    /// `{role}`: who withdrew it.
    ledger_withdrawal,
    /// `{sponsor}`, `{amount}`, `{index}`: the gift's entry.
    ledger_match,
    /// `{sponsor}`, `{amount}`, `{index}`: the gift's entry.
    ledger_match_reversed,
    ledger_older,
    ledger_newer,
    ledger_verify_heading,
    ledger_verify_text,
    ledger_audit_heading,
    ledger_audit_text,
    /// `{format}`, `{base}`, `{paths}`.
    ledger_paths,
    ledger_format_heading,
    /// `{encoding}`.
    ledger_format_text,
    ledger_rules,
    ledger_limits,
    ledger_link,
    /// `{campaign}`.
    verify_title,
    verify_heading,
    verify_lead,
    verify_certificate,
    /// `{file}`.
    verify_or_file,
    verify_button,
    verify_working,
    /// `{amount}`, `{artwork}`, `{total}`, `{index}`, `{size}`.
    verify_included,
    /// `{amount}`, `{artwork}`, `{index}`, `{refunded}`, `{total}`.
    verify_refunded,
    link_payment_recording,
    link_payment_held,
    surge_note,
    /// `{mode}`, `{calls}`, `{budget}`, `{links}`, `{held}`.
    dashboard_payments,
    dashboard_payments_normal,
    dashboard_payments_surge,
    /// `{count}`, `{names}`.
    verify_witnessed,
    verify_not_found,
    /// `{reason}`.
    verify_refused,
    verify_forked,
    /// `{size}`.
    verify_forked_detail,
    verify_how,
    verify_link,
    thanks_refunded_heading,
    thanks_refunded_text,
    thanks_failed_heading,
    thanks_failed_text,
    thanks_expired_heading,
    thanks_expired_text,
    thanks_held_heading,
    thanks_held_text,
    try_again,
    back_to_campaign,
    demo_banner,
    demo_checkout_title,
    /// `{amount}`.
    demo_pay,
    demo_pay_later,
    demo_pay_later_fails,
    demo_decline,
    demo_declined,
    demo_expire,
    demo_cancel,
    demo_session_closed,
    feed_heading,
    feed_empty,
    /// The name shown for an anonymous gift.
    feed_anonymous,
    /// `{name}`, `{artwork}`.
    feed_gift,
    /// `{percent}`: 25%, 50%, ...
    milestone_reached,
    milestone_goal,
    embed_give,
    /// `{campaign}`.
    embed_title,
    card_heading,
    card_adopted_by,
    /// `{amount}`.
    card_gift_of,
    card_became,
    card_scan,
    /// `{artwork}`: its title.
    card_adopted,
    /// `{goal}`.
    card_goal,
    /// A share card's progress before the first percent: encouragement instead of "0%".
    card_early_label,
    card_early,
    /// `{host}`: the site's host name.
    card_call,
    /// `{host}`: the link picture of a landing or artwork page.
    card_page_call,
    /// `{campaign}`: the landing page's link picture.
    page_card_alt,
    /// `{name}`, `{artwork}`.
    share_title,
    /// `{artist}`, `{campaign}`, `{amount}`: the minimum gift.
    share_description,
    /// `{name}`, `{artwork}`.
    share_card_alt,
    share_join,
    share_browse,
    share_stats_heading,
    /// `{gifts}`, `{amount}`.
    share_stats,
    /// `{amount}`.
    share_stats_one,
    share_stats_none,
    /// `{count}`: gifts further down the tree.
    share_tree_further,
    /// `{count}`: the most the page counts.
    share_tree_further_capped,
    share_tree_label,
    share_heading,
    share_text,
    download_certificate,
    download_preview,
    copy_link,
    link_copied,
    share_button,
    open_share_page,
    staff_area,
    staff_sign_in_heading,
    staff_email,
    staff_password,
    staff_sign_in_button,
    staff_signing_in,
    staff_sign_in_failed,
    staff_too_many,
    staff_sign_in_required,
    staff_forbidden,
    staff_sign_out,
    staff_role_admin,
    staff_role_viewer,
    dashboard_heading,
    dashboard_campaigns,
    dashboard_export,
    dashboard_average,
    dashboard_last_hour,
    /// `{minutes}`: minutes per bar.
    dashboard_whole,
    /// `{count}`, `{time}`.
    dashboard_bar,
    /// `{total}`, `{peak}`, `{minutes}`.
    dashboard_chart_summary,
    dashboard_milestones,
    /// `{percent}`.
    dashboard_milestone_reached,
    /// `{percent}`.
    dashboard_milestone_pending,
    dashboard_top_artworks,
    dashboard_top_sharers,
    dashboard_recent,
    dashboard_nothing_yet,
    /// `{count}`.
    dashboard_gifts,
    dashboard_gift_one,
    review_unreviewed,
    review_held,
    review_approved,
    review_hidden,
    review_approve,
    refund_button,
    refund_amount_missing,
    /// `{number}`.
    refund_confirm_heading,
    /// `{paid}`, `{refunded}`.
    refund_confirm_facts,
    /// `{amount}`.
    refund_confirm_button,
    refund_cancel,
    refund_not_paid,
    /// `{refundable}`: what is left to refund.
    refund_bad_amount,
    refund_provider,
    move_not_possible,
    refund_amount_label,
    /// `{amount}`.
    refunded_label,
    review_hide,
    artworks_heading,
    move_earlier,
    move_later,
    move_to,
    move_to_label,
    publish,
    unpublish,
    artwork_published,
    artwork_unpublished,
    consent_on_file,
    consent_missing,
    artwork_added,
    upload_heading,
    edit_artwork,
    save_artwork,
    upload_image,
    upload_language,
    upload_title,
    upload_artist,
    upload_age,
    upload_story,
    upload_title_translated,
    upload_story_translated,
    upload_consent_note,
    upload_relationship,
    upload_royalty,
    upload_publish,
    upload_button,
    /// `{field}`: the form field.
    form_missing,
    /// `{field}`.
    form_too_long,
    /// `{field}`.
    form_invalid,
    consent_incomplete,
    publish_needs_consent,
    upload_no_image,
    upload_too_big,
    upload_wrong_type,
    upload_too_many_pixels,
    upload_unreadable,
    form_back,
    campaign_form_heading,
    new_campaign,
    edit_campaign,
    campaign_slug,
    campaign_title,
    campaign_title_translated,
    campaign_tagline,
    campaign_tagline_translated,
    campaign_story,
    campaign_beneficiary,
    campaign_beneficiary_translated,
    campaign_beneficiary_about,
    campaign_beneficiary_about_translated,
    campaign_beneficiary_url,
    campaign_recipient,
    campaign_recipient_hint,
    campaign_recipient_name,
    campaign_recipient_registration,
    campaign_currency,
    campaign_goal,
    campaign_min_gift,
    campaign_presets,
    campaign_starts,
    campaign_ends,
    campaign_utc_offset,
    campaign_options,
    campaign_close_at_goal,
    campaign_goal_counts_match,
    matches_heading,
    match_sponsor_en,
    match_sponsor_zh,
    match_ratio_field,
    match_starts,
    match_ends,
    match_cap_per_gift,
    match_cap_per_donor_day,
    match_total_cap,
    match_add,
    match_end_now,
    match_cap_per_gift_is,
    match_cap_per_donor_day_is,
    match_matched_of,
    match_not_found,
    campaign_messages_need_approval,
    campaign_send_receipts,
    campaign_outbox,
    outbox_title,
    outbox_previews,
    outbox_kind,
    outbox_to,
    outbox_language,
    outbox_status,
    outbox_attempts,
    outbox_last_error,
    outbox_html,
    /// An email's kind and state, as the outbox stores them.
    outbox_receipt,
    outbox_ambassador,
    outbox_queued,
    outbox_sent,
    outbox_failed,
    outbox_skipped,
    organiser_heading,
    organiser_intro,
    organiser_name_en,
    organiser_name_zh,
    organiser_url,
    organiser_statement_en,
    organiser_statement_zh,
    organiser_brand_colour,
    organiser_logo,
    organiser_remove_logo,
    organiser_save,
    organiser_low_contrast,
    presented_by,
    organiser_about,
    campaign_save,
    method_card,
    method_alipay,
    method_wechat_pay,
    /// `{minimum}`.
    campaign_below_provider_minimum,
    campaign_preset_below_minimum,
    campaign_ends_before_start,
    campaign_currency_locked,
    campaign_slug_taken,
    link_gone,
    join_bad_email,
    join_bad_name,
    join_bad_goal,
    join_bad_team,
    join_domain_refused,
    join_invite_unknown,
    join_invite_used,
    join_invite_expired,
    join_busy,
    join_too_fast,
    /// `{name}`, `{campaign}`.
    ambassador_title,
    /// `{team}`.
    ambassador_team,
    /// `{amount}`, `{name}`.
    ambassador_raised,
    /// `{goal}`.
    ambassador_goal,
    ambassador_give,
    join_heading,
    join_intro,
    /// `{domains}`.
    join_domains,
    join_email,
    join_name,
    join_team,
    join_goal,
    join_hidden,
    join_submit,
    join_sent_heading,
    join_sent,
    confirm_heading,
    /// `{campaign}`.
    confirm_ask,
    confirm_button,
    confirm_expired,
    confirm_unknown,
    ambassador_dashboard_heading,
    ambassador_private,
    ambassador_your_page,
    ambassador_reached,
    ambassador_gifts,
    ambassador_recruited,
    ambassador_hidden_note,
    teams_tab,
    teams_heading,
    team_add,
    team_name_en,
    team_name_zh,
    teams_domains,
    teams_domains_hint,
    teams_domains_save,
    teams_join_page,
    invite_create,
    invite_days,
    invites_heading,
    invite_used,
    invite_expired,
    /// `{date}`.
    invite_open,
    ambassadors_heading,
    ambassador_unconfirmed,
    ambassador_hidden_mark,
    /// `{count}`.
    team_members,
    /// `{count}`.
    team_reached,
    /// `{team}`, `{campaign}`.
    team_title,
    team_members_heading,
    team_people_reached,
    team_ambassadors,
    /// `{name}`: the headline of an ambassador's link picture and poster.
    ambassador_invites,
    poster_scan,
    /// `{team}`, `{beneficiary}`.
    poster_footer,
    /// `{name}`, `{campaign}`.
    poster_alt,
    posters_heading,
    posters_hint,
    poster_english,
    poster_chinese,
    /// `{campaign}`.
    updates_title,
    updates_heading,
    updates_none,
    updates_feed,
    updates_all,
    updates_read_more,
    updates_opt_in,
    outbox_update,
    staff_updates_tab,
    staff_updates_intro,
    update_title_en,
    update_body_en,
    update_title_zh,
    update_body_zh,
    update_image,
    update_image_alt_en,
    update_image_alt_zh,
    update_publish,
    /// `{count}`.
    update_emailed,
    update_pinned,
    update_pin,
    update_unpin,
}

/// The Chinese glossary: one word for each thing the site names, and one way of addressing the
/// reader. Every Chinese text the site shows, and the demo campaign's own words, keep to it.
pub const ZH_GLOSSARY: [(&str, &[&str]); 2] = [
    // Adopting an artwork is 认领 ("to claim as one's own"); not 认购 ("to subscribe for
    // shares") nor 领养 or 收养 (adopting a child or a pet).
    ("认领", &["认购", "领养", "收养"]),
    // The reader is addressed as 您, never 你.
    ("您", &["你"]),
];

/// The words of `text` that the glossary replaces, with the word to use instead.
pub fn glossary_breaches(text: &str) -> Vec<(&'static str, &'static str)> {
    ZH_GLOSSARY
        .iter()
        .flat_map(|(word, instead_of)| instead_of.iter().map(move |wrong| (*wrong, *word)))
        .filter(|(wrong, _)| text.contains(wrong))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn chinese_texts_keep_to_one_glossary() {
        for (name, text) in Locale::ZhCn.texts().entries() {
            assert_eq!(glossary_breaches(text), vec![], "zh-CN.{name}: {text}");
        }
        // The test itself fails on a second word for the same thing.
        assert_eq!(
            glossary_breaches("你认购了这幅画"),
            vec![("认购", "认领"), ("你", "您")]
        );
    }

    fn placeholders(template: &str) -> BTreeSet<String> {
        template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    }

    /// Entries that are rightly the same in both languages: pure arrangements of values.
    const SAME_IN_BOTH: [&str; 1] = ["landing_title"];

    /// Names of formats and units that Chinese text writes in Latin letters too.
    const LATIN_IN_CHINESE: [&str; 12] = [
        "CSV",
        "JPEG",
        "PNG",
        "PDF",
        "WebP",
        "MB",
        "UTC",
        "SHA",
        "Ogg",
        "Opus",
        "MP",
        "QuickTime",
    ];

    /// The template with its placeholders removed: the words a reader sees around the values.
    fn words_around_values(template: &str) -> String {
        template
            .split('{')
            .map(|part| part.split_once('}').map_or(part, |(_, after)| after))
            .collect()
    }

    #[test]
    fn every_string_is_translated_with_the_same_placeholders() {
        let en = Locale::En.texts().entries();
        let zh = Locale::ZhCn.texts().entries();
        assert_eq!(en.len(), zh.len());
        for ((name, en_text), (_, zh_text)) in en.iter().zip(&zh) {
            assert!(!en_text.trim().is_empty(), "en.{name} is empty");
            assert!(!zh_text.trim().is_empty(), "zh-CN.{name} is empty");
            assert_eq!(
                placeholders(en_text),
                placeholders(zh_text),
                "{name}: both languages must fill the same values"
            );
            if !SAME_IN_BOTH.contains(name) {
                assert_ne!(en_text, zh_text, "zh-CN.{name} is still English");
                assert!(
                    !words_around_values(zh_text)
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|word| word.len() > 1 && !LATIN_IN_CHINESE.contains(&word)),
                    "zh-CN.{name} contains English words: {zh_text}"
                );
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_locale() {
        let negotiate = Locale::negotiate;
        assert_eq!(negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some(Locale::ZhCn));
        assert_eq!(negotiate("en-GB,en;q=0.9"), Some(Locale::En));
        assert_eq!(negotiate("zh-Hans"), Some(Locale::ZhCn));
        assert_eq!(negotiate("zh"), Some(Locale::ZhCn));
        assert_eq!(
            negotiate("fr-FR, zh-SG;q=0.5, en;q=0.4"),
            Some(Locale::ZhCn)
        );
        assert_eq!(negotiate("en;q=0.3, zh;q=0.7"), Some(Locale::ZhCn));
        assert_eq!(negotiate("zh;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(negotiate("fr, de"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("zh;q=abc, en"), Some(Locale::En));
        assert_eq!(negotiate(&"x,".repeat(10_000)), None);
    }

    #[test]
    fn an_explicit_choice_beats_the_browser_language() {
        let zh_browser = Some("zh-CN,zh;q=0.9");
        assert_eq!(Locale::from_request(None, zh_browser), Locale::ZhCn);
        assert_eq!(
            Locale::from_request(Some("a=1; gg_locale=en; b=2"), zh_browser),
            Locale::En
        );
        assert_eq!(
            Locale::from_request(Some("gg_locale=klingon"), zh_browser),
            Locale::ZhCn,
            "a bad cookie falls back to the browser"
        );
        assert_eq!(Locale::from_request(None, None), Locale::En);
    }

    #[test]
    fn templates_fill_named_values_and_keep_unknown_ones_visible() {
        assert_eq!(fill("For {name}", &[("name", "Bright")]), "For Bright");
        assert_eq!(fill("{a}{b}{a}", &[("a", "1"), ("b", "2")]), "121");
        assert_eq!(fill("{missing}", &[]), "{missing}");
        assert_eq!(fill("unclosed {brace", &[]), "unclosed {brace");
        assert_eq!(fill("{name}", &[("name", "{name}")]), "{name}");
    }

    #[test]
    fn locales_round_trip_through_their_tags() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
            let json = serde_json::to_string(&locale).expect("serialises");
            assert_eq!(serde_json::from_str::<Locale>(&json).ok(), Some(locale));
        }
        assert!(serde_json::from_str::<Locale>("\"fr\"").is_err());
    }
}
