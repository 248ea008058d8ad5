//! The staff area: sign-in, the live dashboard and moderation.
//!
//! Every `/staff` page is refused by the server's guard before it renders when the visitor is
//! not signed in or their role does not reach [`page_needs`]; every staff server function checks
//! the role again itself with [`session::require`].

mod api;
mod artist_records;
mod artwork_edit;
mod artworks;
mod bar;
mod campaign_edit;
mod chart;
mod dashboard;
mod refresh;
mod sharing;
mod sign_in;
mod spending;
mod teams;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod artist_form;
#[cfg(feature = "ssr")]
pub mod artwork_form;
#[cfg(feature = "ssr")]
pub mod campaign_form;
#[cfg(feature = "ssr")]
pub mod expense_form;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod match_form;
#[cfg(feature = "ssr")]
pub mod organiser_form;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod spending_form;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod teams_form;
#[cfg(feature = "ssr")]
pub mod updates_form;

pub use api::{
    load_artwork_draft, load_artworks, load_campaign_draft, load_dashboard, load_sharing,
    load_spending, load_teams, review_message, sign_in, sign_out, ArtworksBoard, MoveArtwork,
    PublishArtwork, ReviewMessage, SharingBoard, SignIn, SpendingBoard,
};
pub use artwork_edit::{artwork_save_path, ArtworkEditPage};
pub use artworks::{upload_path, ArtworksPage};
pub use campaign_edit::CampaignEditPage;
pub use dashboard::DashboardPage;
pub use sharing::SharingPage;
pub use sign_in::SignInPage;
pub use spending::{plan_path, SpendingPage};
pub use teams::TeamsPage;

use crate::campaigns::Progress;
use crate::dates::Timestamp;
use crate::i18n::Words;
use crate::live::{FeedGift, MessageReview};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// For a staff island that holds a form: a form posted without script comes back with its
/// server function's error in the address (`__path`, `__err`). On the server the router hands
/// it to the form's action; in the browser, where no router runs, this does, so the island's
/// hydration finds the message the server wrote.
#[cfg(feature = "hydrate")]
fn provide_action_error() {
    use leptos::prelude::{provide_context, window};
    let Ok(search) = window().location().search() else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    if let (Some(path), Some(error)) = (params.get("__path"), params.get("__err")) {
        provide_context(leptos::server::ServerActionError::new(&path, &error));
    }
}

/// The sign-in page.
pub const SIGN_IN_PATH: &str = "/staff/sign-in";

/// What a staff member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// Reads only.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Admin, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == text)
    }

    /// Whether this role may do what `needs` is required for.
    pub fn allows(self, needs: Role) -> bool {
        self == Role::Admin || needs == Role::Viewer
    }

    pub fn label(self, t: Words) -> &'static str {
        match self {
            Role::Admin => t.staff_role_admin(),
            Role::Viewer => t.staff_role_viewer(),
        }
    }
}

/// The page where admins start a campaign.
pub const NEW_CAMPAIGN_PATH: &str = "/staff/new-campaign";

/// The role a `/staff` page needs, or `None` for the sign-in page, which anyone may open.
/// Pages that edit need an admin; the rest are for every staff member.
pub fn page_needs(path: &str) -> Option<Role> {
    let path = path.trim_end_matches('/');
    if path == SIGN_IN_PATH {
        None
    } else if path == NEW_CAMPAIGN_PATH || path.ends_with("/edit") {
        Some(Role::Admin)
    } else {
        Some(Role::Viewer)
    }
}

/// Where an admin's refund form posts.
pub const REFUND_PATH: &str = "/api/staff/refund";

/// A campaign's donations as CSV.
pub fn export_path(slug: &str) -> String {
    format!("/staff/campaigns/{slug}/donations.csv")
}

/// Where to go after signing in: a staff page, never another site.
pub fn after_sign_in(next: Option<&str>) -> String {
    next.filter(|n| {
        (*n == "/staff" || n.starts_with("/staff/"))
            && !n.starts_with(SIGN_IN_PATH)
            && n.chars().all(|c| c.is_ascii_graphic())
            && !n.contains("//")
            && !n.contains('\\')
    })
    .unwrap_or("/staff")
    .to_owned()
}

/// A signed-in staff member as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub name: String,
    pub role: Role,
}

/// A campaign staff can open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignChoice {
    pub slug: String,
    pub title: String,
}

/// Gifts counted in equal time slices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub start: Timestamp,
    pub bucket_minutes: i64,
    /// Paid gifts in each slice, oldest first.
    pub gifts: Vec<u32>,
}

/// An artwork's place in the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworkRank {
    pub title: String,
    pub gifts: u64,
    pub raised: Money,
}

/// A donor whose share brought gifts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharerRank {
    /// `None` when the sharer gave anonymously.
    pub name: Option<String>,
    pub code: String,
    pub gifts: u64,
    pub raised: Money,
}

/// A gift as staff see it: with its message whatever its review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffGift {
    pub number: i64,
    pub name: Option<String>,
    pub artwork: String,
    pub amount: Money,
    /// How much of it has been refunded so far.
    pub refunded: Money,
    pub message: String,
    pub review: MessageReview,
    /// Whether the public feed shows the message now.
    pub public: bool,
    pub at: Timestamp,
}

/// Everything the dashboard shows about one campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub member: StaffMember,
    pub campaigns: Vec<CampaignChoice>,
    pub slug: String,
    pub title: String,
    pub utc_offset_minutes: i16,
    pub progress: Progress,
    /// The public feed, which the page follows live.
    pub feed: Vec<FeedGift>,
    pub last_hour: Chart,
    pub whole: Chart,
    pub top_artworks: Vec<ArtworkRank>,
    pub top_sharers: Vec<SharerRank>,
    pub recent: Vec<StaffGift>,
    pub payments: PaymentsStatus,
    /// What each artist is owed, by the public ledger's published checkpoint of
    /// `checkpoint_size` entries.
    pub royalties: Vec<crate::artworks::artist::Royalty>,
    pub checkpoint_size: u64,
    /// The account at that checkpoint: given, refunded, the provider's fees, received, spent
    /// and what remains.
    pub account: Option<crate::spending::Account>,
}

/// How checkouts reach the payment provider right now (this server process).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsStatus {
    /// Checkouts are going through Payment Links: the provider's rate budget is spent.
    pub surge: bool,
    /// Calls to the provider in the last second, and the budget's calls a second.
    pub calls_per_second: u64,
    pub budget_per_second: u64,
    /// Payment Links ready for a surge.
    pub links_ready: i64,
    /// Checkouts sent to links since the process started.
    pub via_links: u64,
    /// Payments no donation could take, waiting for staff.
    pub held_for_review: i64,
}

/// A campaign as its form shows it: every field as the staff member typed it or will see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDraft {
    /// Who is editing, for the staff bar (set by the server function, not by the form).
    pub member: Option<StaffMember>,
    pub slug: String,
    pub content_locale: String,
    pub title: String,
    pub tagline: String,
    pub story: String,
    pub beneficiary_name: String,
    pub beneficiary_about: String,
    pub beneficiary_url: String,
    /// The legal entity that receives the money: registered name and registration.
    pub recipient_legal_name: String,
    pub recipient_registration: String,
    pub currency: String,
    pub goal: String,
    pub min_gift: String,
    /// Comma-separated amounts.
    pub presets: String,
    /// `datetime-local` values in the campaign's clock.
    pub starts_at: String,
    pub ends_at: String,
    /// "+08:00".
    pub utc_offset: String,
    pub close_at_goal: bool,
    /// Matched money counts toward the goal.
    pub goal_counts_match: bool,
    pub messages_need_approval: bool,
    /// Donors who give an email address get a receipt.
    pub send_receipts: bool,
    pub payment_methods: Vec<String>,
    pub title_translated: String,
    pub tagline_translated: String,
    pub story_translated: String,
    pub beneficiary_name_translated: String,
    pub beneficiary_about_translated: String,
    /// Gifts exist: the currency is fixed.
    pub has_gifts: bool,
    /// An existing campaign (its slug is fixed) rather than a new one.
    pub editing: bool,
    /// The campaign's matches, in their order.
    pub matches: Vec<MatchLine>,
    /// The company presenting it.
    pub organiser: OrganiserLine,
}

/// The organiser as its form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganiserLine {
    pub name_en: String,
    pub name_zh: String,
    pub url: String,
    pub statement_en: String,
    pub statement_zh: String,
    /// `#rrggbb`, or empty.
    pub brand_colour: String,
    pub logo_url: Option<String>,
}

/// A match as the campaign form lists it; amounts in major units of the campaign's currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchLine {
    pub id: i64,
    pub sponsor: String,
    /// "1:1", "2:1", "50%".
    pub ratio: String,
    pub per_gift: Option<String>,
    pub per_donor_day: Option<String>,
    pub total: String,
    pub matched: String,
    /// Its window has closed (or staff ended it).
    pub ended: bool,
}

impl CampaignDraft {
    /// A new campaign's starting point: yuan, card payments, one day in UTC+8.
    pub fn fresh() -> CampaignDraft {
        CampaignDraft {
            content_locale: "zh-CN".to_owned(),
            currency: "CNY".to_owned(),
            min_gift: "5".to_owned(),
            presets: "5, 10, 50".to_owned(),
            utc_offset: "+08:00".to_owned(),
            close_at_goal: true,
            goal_counts_match: true,
            // Campaigns speak for vulnerable people: a stranger's words wait for a person.
            messages_need_approval: true,
            send_receipts: true,
            payment_methods: vec!["card".to_owned()],
            ..CampaignDraft::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_may_do_what_admins_may() {
        assert!(Role::Admin.allows(Role::Admin));
        assert!(Role::Admin.allows(Role::Viewer));
        assert!(Role::Viewer.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Admin));
    }

    #[test]
    fn sign_in_only_sends_people_on_to_staff_pages() {
        assert_eq!(
            after_sign_in(Some("/staff/campaigns/x")),
            "/staff/campaigns/x"
        );
        for bad in [
            None,
            Some("https://evil.example"),
            Some("//evil.example"),
            Some("/staff//evil.example"),
            Some("/staffing"),
            Some("/staff/sign-in"),
            Some("/staff/\\evil"),
            Some("/"),
        ] {
            assert_eq!(after_sign_in(bad), "/staff", "{bad:?}");
        }
    }

    #[test]
    fn every_staff_page_but_sign_in_needs_an_account() {
        assert_eq!(page_needs("/staff/sign-in"), None);
        assert_eq!(page_needs("/staff"), Some(Role::Viewer));
        assert_eq!(page_needs("/staff/campaigns/x"), Some(Role::Viewer));
        assert_eq!(page_needs("/staff/campaigns/x/edit"), Some(Role::Admin));
        assert_eq!(page_needs("/staff/new-campaign"), Some(Role::Admin));
    }
}
