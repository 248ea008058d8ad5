//! `giving-gallery verify` and `giving-gallery audit`: checking the public log from outside,
//! with nothing but its public key.

use anyhow::{bail, Context};
use app::artworks::artist::royalty_on;
use app::artworks::consent::{Assent, Terms};
use app::spending::Account;
use app::transparency::entry::{Entry, Kind, Link, Stated};
use app::transparency::note::VerifierKey;
use app::transparency::proof::{verify_checkpoint_with, verify_proof_with, Policy};
use app::transparency::tiles::{split_bundle, tile_path, TILE_HEIGHT, TILE_WIDTH};
use std::collections::HashMap;

/// A verifier key given on the command line, or the file that holds it.
pub fn read_key(key: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(key);
    if !key.contains('+') && path.is_file() {
        return Ok(std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?
            .trim()
            .to_owned());
    }
    Ok(key.trim().to_owned())
}

/// A log's verifier key given on the command line, read.
fn log_key(key: &str) -> anyhow::Result<VerifierKey> {
    VerifierKey::parse(&read_key(key)?).context("that is not a valid Ed25519 verifier key")
}

/// Checks one proof file, with the cosignatures `policy` requires; says what it proves.
pub fn verify(proof: &std::path::Path, key: &str, policy: &Policy) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(proof).with_context(|| format!("reading {}", proof.display()))?;
    let verified = verify_proof_with(&text, &log_key(key)?, policy)?;
    let entry = &verified.entry;
    let what = match entry.kind {
        Kind::Gift => "a gift",
        Kind::Refund => "a refund",
        Kind::Consent | Kind::Withdrawal | Kind::Budget | Kind::Expense | Kind::Match => {
            return Ok(format!(
                "OK: entry {} of {} is a {} for {}, in the signed checkpoint of {} entries",
                verified.index,
                verified.checkpoint.origin,
                entry.kind.as_str(),
                entry.artwork,
                verified.checkpoint.size,
            ))
        }
    };
    Ok(format!(
        "OK: entry {} of {} is {what} of {} {} to {}, in the signed checkpoint of {} entries \
         (running total then {} {})",
        verified.index,
        verified.checkpoint.origin,
        entry.amount,
        entry.currency,
        entry.artwork,
        verified.checkpoint.size,
        entry.raised,
        entry.currency
    ))
}

/// What an audit found in a consistent log.
#[derive(Debug)]
pub struct Audit {
    pub origin: String,
    pub size: u64,
    pub gifts: u64,
    pub refunds: u64,
    pub consents: u64,
    pub withdrawals: u64,
    /// Spending plan versions.
    pub plans: u64,
    /// Paid expenses and reversals, and the total they leave spent.
    pub expenses: u64,
    pub spent: i64,
    /// Royalties the consent formula gives, and royalty expenses paid, over all artists.
    pub royalties_accrued: i64,
    pub royalties_paid: i64,
    /// Sponsors' match entries (matches and their reversals), and the total they leave matched.
    pub matches: u64,
    pub matched: i64,
    /// The checkpoint size at which the campaign's published account was compared, figure by
    /// figure, with what the entries state.
    pub account_checked_at: u64,
    pub total: i64,
    pub currency: String,
    /// The witnesses of the policy that cosigned the checkpoint.
    pub cosigned_by: Vec<String>,
}

/// Downloads a campaign's whole log from `base` (`https://host/campaigns/slug`) and checks
/// everything: the checkpoint's signature, every entry's format, every running total, that each
/// refund refers to an earlier gift and never exceeds it, that the entries hash to the signed
/// root, and that every hash tile served agrees with the entries; with witnesses, that the
/// checkpoint carries the cosignatures `policy` requires.
pub async fn audit(base: &str, key: &str, policy: &Policy) -> anyhow::Result<Audit> {
    let key = log_key(key)?;
    let base = base.trim_end_matches('/');
    let client = reqwest::Client::builder()
        .build()
        .context("an HTTP client")?;
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{base}/log/{path}");
        async move {
            let response = client
                .get(&url)
                .send()
                .await
                .with_context(|| format!("fetching {url}"))?;
            if !response.status().is_success() {
                bail!("{url} answered {}", response.status());
            }
            Ok::<_, anyhow::Error>(response.bytes().await?.to_vec())
        }
    };
    // The account first: the checkpoint read next is the same or newer, so the entries reach
    // the size the account was stated at.
    let account = fetch_account(&client, base).await?;
    let note = String::from_utf8(get("checkpoint".into()).await?).context("a checkpoint")?;
    let checkpoint = verify_checkpoint_with(&note, &key, policy).context("the checkpoint")?;
    let cosigned_by = policy
        .check(&note)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let size = checkpoint.size;

    let mut stored: Vec<tlog_tiles_hash::Hash> = Vec::new();
    let mut report = Audit::of(checkpoint.origin.clone(), size, cosigned_by);
    let mut seen = Seen::default();
    let mut index = 0_u64;
    for n in 0..size.div_ceil(TILE_WIDTH) {
        let width = (size - n * TILE_WIDTH).min(TILE_WIDTH);
        let bundle = get(format!("tile/{}", tile_path(None, n, width))).await?;
        let entries = split_bundle(&bundle).context("a malformed entry bundle")?;
        if entries.len() as u64 != width {
            bail!(
                "entry bundle {n} holds {} entries, not {width}",
                entries.len()
            );
        }
        for bytes in entries {
            if index == account.checkpoint_size {
                compare_account(&account, &report, &seen)?;
            }
            let text = std::str::from_utf8(bytes).with_context(|| format!("entry {index}"))?;
            let entry = Entry::parse(text).with_context(|| format!("entry {index}"))?;
            check_rules(&entry, index, &mut report, &mut seen)
                .with_context(|| format!("entry {index}"))?;
            let hashes = tlog_tiles_hash::stored_hashes(index, bytes, &stored)?;
            stored.extend(hashes);
            index += 1;
        }
    }
    if index == account.checkpoint_size {
        compare_account(&account, &report, &seen)?;
    } else if account.checkpoint_size > size {
        bail!(
            "the account states a checkpoint of {} entries, beyond the log's {size}",
            account.checkpoint_size
        );
    }
    report.account_checked_at = account.checkpoint_size;
    let root = tlog_tiles_hash::tree_hash(size, &stored)?;
    if root != checkpoint.root {
        bail!("the entries do not hash to the signed root: the log was altered");
    }
    // Every hash tile must agree with the entries.
    for level in 0..8_u8 {
        let available = size >> (u32::from(level) * u32::from(TILE_HEIGHT));
        if available == 0 {
            break;
        }
        for n in 0..available.div_ceil(TILE_WIDTH) {
            let width = (available - n * TILE_WIDTH).min(TILE_WIDTH);
            let tile = get(format!("tile/{}", tile_path(Some(level), n, width))).await?;
            let expected = tlog_tiles_hash::tile_bytes(&stored, level, n, width);
            if tile != expected {
                bail!(
                    "hash tile {} disagrees with the entries",
                    tile_path(Some(level), n, width)
                );
            }
        }
    }
    report.royalties_accrued = seen.royalties().values().map(|f| f.0).sum();
    Ok(report)
}

/// The campaign's published account (`/api/campaigns/{slug}/account`), beside its log at
/// `base` (`https://host/campaigns/{slug}`).
async fn fetch_account(client: &reqwest::Client, base: &str) -> anyhow::Result<Account> {
    let (site, slug) = base
        .rsplit_once("/campaigns/")
        .context("a campaign address ends in /campaigns/{slug}")?;
    let url = format!("{site}/api/campaigns/{slug}/account");
    let response = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("fetching {url}"))?;
    if !response.status().is_success() {
        bail!("{url} answered {}", response.status());
    }
    response
        .json()
        .await
        .with_context(|| format!("reading {url}"))
}

/// Fails unless the published account states what the entries so far do: the total given less
/// refunds, the total spent (fees included), and each artist's royalties accrued by the formula
/// and paid.
fn compare_account(account: &Account, report: &Audit, seen: &Seen) -> anyhow::Result<()> {
    let at = account.checkpoint_size;
    if account.raised_minor - account.refunded_minor != report.total {
        bail!(
            "the account at {at} entries says {} was given less refunds, the entries {}",
            account.raised_minor - account.refunded_minor,
            report.total
        );
    }
    if account.spent_minor + account.fees_minor != report.spent {
        bail!(
            "the account at {at} entries says {} was spent, the entries {}",
            account.spent_minor + account.fees_minor,
            report.spent
        );
    }
    let computed = seen.royalties();
    // Consents logged before entries named artists leave the split between artists to the
    // campaign: then only the totals can be compared.
    let named = computed.get("").is_none_or(|(accrued, _)| *accrued == 0);
    let stated = |artist: &str| {
        account
            .royalties
            .iter()
            .find(|r| r.artist == artist)
            .map_or((0, 0), |r| (r.accrued_minor, r.paid_minor))
    };
    if named {
        for (artist, figures) in &computed {
            if stated(artist) != *figures {
                bail!("the account at {at} entries states royalties {:?} for {artist}, the formula {figures:?}", stated(artist));
            }
        }
        for r in &account.royalties {
            let figures = computed.get(&r.artist).copied().unwrap_or((0, 0));
            if (r.accrued_minor, r.paid_minor) != figures {
                bail!(
                    "the account at {at} entries states royalties for {} the entries do not",
                    r.artist
                );
            }
        }
    } else {
        let sum = |f: fn(&(i64, i64)) -> i64| computed.values().map(f).sum::<i64>();
        let accrued: i64 = account.royalties.iter().map(|r| r.accrued_minor).sum();
        let paid: i64 = account.royalties.iter().map(|r| r.paid_minor).sum();
        if (accrued, paid) != (sum(|f| f.0), sum(|f| f.1)) {
            bail!("the account at {at} entries states royalties the formula does not give");
        }
    }
    Ok(())
}

impl Audit {
    /// The report on a log of `size` entries before any entry is read.
    fn of(origin: String, size: u64, cosigned_by: Vec<String>) -> Audit {
        Audit {
            origin,
            size,
            gifts: 0,
            refunds: 0,
            consents: 0,
            withdrawals: 0,
            plans: 0,
            expenses: 0,
            spent: 0,
            royalties_accrued: 0,
            royalties_paid: 0,
            matches: 0,
            matched: 0,
            account_checked_at: 0,
            total: 0,
            currency: String::new(),
            cosigned_by,
        }
    }
}

/// What the entries so far have established.
#[derive(Default)]
struct Seen {
    /// Gift index → (amount, refunded so far, the royalty segment it counts in).
    gifts: HashMap<u64, (i64, i64, usize)>,
    /// One per consent: its artist (when the entry names one), its share of gifts in basis
    /// points, and the gifts made under it less their refunds.
    segments: Vec<(Option<String>, u16, i64)>,
    /// Artwork → its latest consent's segment.
    segment_of: HashMap<String, usize>,
    /// Artist → royalty expenses paid, less reversals.
    royalties_paid: HashMap<String, i64>,
    /// Artwork → its latest consent's terms, and whether consent was withdrawn.
    consents: HashMap<String, (Terms, bool)>,
    /// The spending plan's latest version (0: none yet) and its lines.
    plan_version: u32,
    plan_lines: Vec<String>,
    /// Expense entry index → (line, amount, whether a reversal of it came since, artist).
    expenses: HashMap<u64, (String, i64, bool, Option<String>)>,
    /// Gift entry index → what each sponsor (by position) matched on it so far, net.
    matched: HashMap<(u64, u32), i64>,
}

impl Seen {
    /// Each artist's royalties by the formula (`floor(net × share / 10000)` per consent) and
    /// paid; the artist is empty for consents logged before entries named one.
    fn royalties(&self) -> HashMap<String, (i64, i64)> {
        let mut out: HashMap<String, (i64, i64)> = HashMap::new();
        for (artist, bp, net) in &self.segments {
            let artist = artist.clone().unwrap_or_default();
            out.entry(artist).or_default().0 += royalty_on(*net, *bp);
        }
        for (artist, paid) in &self.royalties_paid {
            out.entry(artist.clone()).or_default().1 += paid;
        }
        out
    }
}

/// The application's rules for one entry, in order.
fn check_rules(
    entry: &Entry,
    index: u64,
    report: &mut Audit,
    seen: &mut Seen,
) -> anyhow::Result<()> {
    if report.currency.is_empty() {
        report.currency = entry.currency.clone();
    } else if report.currency != entry.currency {
        bail!(
            "the currency changed from {} to {}",
            report.currency,
            entry.currency
        );
    }
    let expected = report
        .total
        .checked_add(entry.amount)
        .context("the total overflows")?;
    if entry.raised != expected {
        bail!(
            "the running total says {} but the entries add up to {expected}",
            entry.raised
        );
    }
    report.total = expected;
    match (&entry.consent, &entry.link) {
        (Some(Stated::Consent(terms)), _) => {
            if seen.consents.get(&entry.artwork).is_some_and(|(_, w)| *w) {
                bail!("a consent for {} after its withdrawal", entry.artwork);
            }
            seen.consents
                .insert(entry.artwork.clone(), (terms.clone(), false));
            let share = if terms.scope.gifts {
                terms.royalty_gifts_bp
            } else {
                0
            };
            seen.segment_of
                .insert(entry.artwork.clone(), seen.segments.len());
            seen.segments.push((entry.artist.clone(), share, 0));
            report.consents += 1;
        }
        (
            Some(Stated::Expense {
                line,
                amount,
                spent,
                ..
            }),
            link,
        ) => {
            if seen.plan_version == 0 {
                bail!("an expense before the campaign published its spending plan");
            }
            let expected = report
                .spent
                .checked_add(*amount)
                .context("the total spent overflows")?;
            if *spent != expected {
                bail!("the running total spent says {spent} but the expenses add up to {expected}");
            }
            match link {
                Link::Refers(original) => {
                    let Some((its_line, its_amount, reversed, its_artist)) =
                        seen.expenses.get_mut(original)
                    else {
                        bail!("a reversal refers to entry {original}, which is not an earlier expense");
                    };
                    if *reversed
                        || *its_amount != -amount
                        || its_line != line
                        || *its_artist != entry.artist
                    {
                        bail!("a reversal of entry {original} does not undo it exactly once");
                    }
                    *reversed = true;
                }
                _ => {
                    if !seen.plan_lines.contains(line) {
                        bail!("an expense on line {line}, which the plan in force does not have");
                    }
                    seen.expenses
                        .insert(index, (line.clone(), *amount, false, entry.artist.clone()));
                }
            }
            if let Some(artist) = &entry.artist {
                *seen.royalties_paid.entry(artist.clone()).or_default() += amount;
                report.royalties_paid += amount;
            }
            report.spent = expected;
            report.expenses += 1;
        }
        (Some(Stated::Plan { version, lines }), _) => {
            seen.plan_lines = lines.iter().map(|(line, _)| line.clone()).collect();
            if *version != seen.plan_version + 1 {
                bail!(
                    "spending plan version {version} follows version {}",
                    seen.plan_version
                );
            }
            seen.plan_version = *version;
            report.plans += 1;
        }
        (Some(Stated::Withdrawal(_)), _) => {
            let Some((_, withdrawn)) = seen.consents.get_mut(&entry.artwork) else {
                bail!("a withdrawal for {}, which had no consent", entry.artwork);
            };
            if *withdrawn {
                bail!("a second withdrawal for {}", entry.artwork);
            }
            *withdrawn = true;
            report.withdrawals += 1;
        }
        (None, Link::Commitment(_)) => {
            // A gift needs a consent before it that covers gifts on the gift's day, without the
            // artist's no. (A gift paid after a withdrawal was begun before it: its checkout
            // was allowed, and the donor's money is counted.)
            let day = &entry.time[..10];
            let in_force = seen.consents.get(&entry.artwork).is_some_and(|(t, _)| {
                t.scope.gifts
                    && t.assent != Assent::No
                    && t.from.as_str() <= day
                    && t.until.as_deref().is_none_or(|until| day <= until)
            });
            if !in_force {
                bail!(
                    "a gift for {} with no consent in force for it before it",
                    entry.artwork
                );
            }
            if seen.plan_version == 0 {
                bail!("a gift before the campaign published its spending plan");
            }
            let segment = *seen
                .segment_of
                .get(&entry.artwork)
                .context("a gift whose artwork's consent has no segment")?;
            seen.segments[segment].2 += entry.amount;
            seen.gifts.insert(index, (entry.amount, 0, segment));
            report.gifts += 1;
        }
        (
            Some(Stated::Match {
                sponsor,
                amount,
                matched,
            }),
            link,
        ) => {
            let Link::Refers(gift) = link else {
                bail!("a match that refers to no gift");
            };
            if !seen.gifts.contains_key(gift) {
                bail!("a match refers to entry {gift}, which is not an earlier gift");
            }
            let expected = report
                .matched
                .checked_add(*amount)
                .context("the total matched overflows")?;
            if *matched != expected {
                bail!(
                    "the running total matched says {matched} but the matches add up to {expected}"
                );
            }
            let on_gift = seen.matched.entry((*gift, *sponsor)).or_default();
            *on_gift += amount;
            if *on_gift < 0 {
                bail!("sponsor {sponsor}'s reversals on gift {gift} exceed what it matched");
            }
            report.matched = expected;
            report.matches += 1;
        }
        (None, Link::Digest(_)) => bail!("a digest on an entry that is not a plan"),
        (None, Link::Refers(gift)) => {
            let Some((amount, refunded, segment)) = seen.gifts.get_mut(gift) else {
                bail!("a refund refers to entry {gift}, which is not an earlier gift");
            };
            *refunded -= entry.amount;
            seen.segments[*segment].2 += entry.amount;
            if *refunded > *amount {
                bail!("refunds of gift {gift} exceed what it put in");
            }
            report.refunds += 1;
        }
    }
    Ok(())
}

/// The stored hashes of a log held in memory (Go sumdb's layout), through `tlog_tiles`.
mod tlog_tiles_hash {
    use app::transparency::tiles::TILE_HEIGHT;
    pub use tlog_tiles::Hash;
    use tlog_tiles::{Error, HashReader};

    struct Memory<'a>(&'a [Hash]);

    impl HashReader for Memory<'_> {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
            indexes
                .iter()
                .map(|&i| {
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| self.0.get(i).copied())
                        .ok_or(Error::IndexesNotInTree)
                })
                .collect()
        }
    }

    pub fn stored_hashes(index: u64, entry: &[u8], stored: &[Hash]) -> anyhow::Result<Vec<Hash>> {
        Ok(tlog_tiles::stored_hashes(index, entry, &Memory(stored))?)
    }

    pub fn tree_hash(size: u64, stored: &[Hash]) -> anyhow::Result<[u8; 32]> {
        Ok(tlog_tiles::tree_hash(size, &Memory(stored))?.0)
    }

    pub fn tile_bytes(stored: &[Hash], level: u8, n: u64, width: u64) -> Vec<u8> {
        let start = n << TILE_HEIGHT;
        (start..start + width)
            .flat_map(|i| {
                let index = tlog_tiles::stored_hash_index(level * TILE_HEIGHT, i);
                usize::try_from(index)
                    .ok()
                    .and_then(|index| stored.get(index))
                    .copied()
                    .unwrap_or_default()
                    .0
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::artworks::consent::{Consenter, Scope};

    fn audit_of(entries: &[Entry]) -> anyhow::Result<Audit> {
        let mut report = Audit::of(String::new(), entries.len() as u64, Vec::new());
        let mut seen = Seen::default();
        for (index, entry) in entries.iter().enumerate() {
            check_rules(entry, index as u64, &mut report, &mut seen)
                .with_context(|| format!("entry {index}"))?;
        }
        report.royalties_accrued = seen.royalties().values().map(|f| f.0).sum();
        Ok(report)
    }

    fn terms(from: &str, until: Option<&str>) -> Terms {
        Terms {
            consenter: Consenter::Parent,
            assent: Assent::Yes,
            scope: Scope {
                gifts: true,
                certificates: true,
                prints: false,
            },
            royalty_gifts_bp: 500,
            royalty_prints_bp: 0,
            from: from.into(),
            until: until.map(Into::into),
            form: None,
        }
    }

    fn consent(artwork: &str, terms: Terms, raised: i64) -> Entry {
        Entry {
            kind: Kind::Consent,
            time: "2026-05-01T08:00Z".into(),
            artwork: artwork.into(),
            artist: None,
            amount: 0,
            raised,
            currency: "CNY".into(),
            consent: Some(Stated::Consent(terms)),
            link: Link::Commitment("0".repeat(64)),
        }
    }

    fn gift(artwork: &str, day: &str, amount: i64, raised: i64) -> Entry {
        Entry {
            kind: Kind::Gift,
            time: format!("{day}T12:00Z"),
            artwork: artwork.into(),
            artist: None,
            amount,
            raised,
            currency: "CNY".into(),
            consent: None,
            link: Link::Commitment("1".repeat(64)),
        }
    }

    fn plan(version: u32) -> Entry {
        Entry {
            kind: Kind::Budget,
            artwork: String::new(),
            artist: None,
            consent: Some(Stated::Plan {
                version,
                lines: vec![("teachers-pay".into(), 100_000)],
            }),
            link: Link::Digest("2".repeat(64)),
            ..consent("", terms("2026-05-01", None), 0)
        }
    }

    fn withdrawal(artwork: &str, raised: i64) -> Entry {
        Entry {
            kind: Kind::Withdrawal,
            consent: Some(Stated::Withdrawal(Consenter::Parent)),
            ..consent(artwork, terms("2026-05-01", None), raised)
        }
    }

    fn matched(gift: u64, amount: i64, total: i64, raised: i64) -> Entry {
        Entry {
            kind: Kind::Match,
            consent: Some(Stated::Match {
                sponsor: 1,
                amount,
                matched: total,
            }),
            link: Link::Refers(gift),
            ..gift_entry_at(raised)
        }
    }

    fn gift_entry_at(raised: i64) -> Entry {
        Entry {
            amount: 0,
            ..gift("sun", "2026-06-01", 1, raised)
        }
    }

    #[test]
    fn matches_add_up_refer_to_earlier_gifts_and_never_reverse_more_than_they_matched() {
        let start = || {
            vec![
                consent("sun", terms("2026-05-01", None), 0),
                plan(1),
                gift("sun", "2026-06-01", 500, 500),
            ]
        };
        let mut log = start();
        log.extend([matched(2, 500, 500, 500), matched(2, -200, 300, 500)]);
        let report = audit_of(&log).expect("a consistent log");
        assert_eq!(
            (report.matches, report.matched, report.total),
            (2, 300, 500)
        );
        for (bad, why) in [
            (matched(2, 500, 400, 500), "running total matched"),
            (matched(1, 500, 500, 500), "not an earlier gift"),
            (matched(3, 500, 500, 500), "not an earlier gift"),
            (matched(2, -100, -100, 500), "exceed what it matched"),
            (matched(2, 500, 500, 400), "running total says"),
        ] {
            let mut log = start();
            log.push(bad);
            let error = audit_of(&log).expect_err(why);
            assert!(format!("{error:#}").contains(why), "{error:#}");
        }
    }

    #[test]
    fn gifts_after_a_consent_in_force_pass() {
        let report = audit_of(&[
            consent("sun", terms("2026-05-01", Some("2026-12-31")), 0),
            plan(1),
            gift("sun", "2026-06-01", 500, 500),
            withdrawal("sun", 500),
            Entry {
                raised: 500,
                ..plan(2)
            },
        ])
        .expect("a consistent log");
        assert_eq!(report.plans, 2);
        assert_eq!(
            (report.consents, report.gifts, report.withdrawals),
            (1, 1, 1)
        );
    }

    #[test]
    fn a_forged_gift_before_its_artworks_consent_fails_the_audit() {
        let error = audit_of(&[
            plan(1),
            gift("sun", "2026-06-01", 500, 500),
            consent("sun", terms("2026-05-01", None), 500),
        ])
        .expect_err("a gift with no consent before it");
        assert!(
            format!("{error:#}").contains("no consent in force"),
            "{error:#}"
        );
        // Consent for another artwork, before its dates, after them, or without gifts in
        // scope does not cover a gift either.
        let no_gifts = Terms {
            scope: Scope {
                prints: true,
                ..Scope::default()
            },
            ..terms("2026-05-01", None)
        };
        let declined = Terms {
            assent: Assent::No,
            ..terms("2026-05-01", None)
        };
        for covering in [
            consent("moon", terms("2026-05-01", None), 0),
            consent("sun", terms("2026-07-01", None), 0),
            consent("sun", terms("2026-01-01", Some("2026-05-31")), 0),
            consent("sun", no_gifts, 0),
            consent("sun", declined, 0),
        ] {
            assert!(
                audit_of(&[
                    plan(1),
                    covering.clone(),
                    gift("sun", "2026-06-01", 500, 500)
                ])
                .is_err(),
                "{covering:?}"
            );
        }
    }

    #[test]
    fn gifts_need_a_published_plan_and_versions_follow_in_order() {
        let consented = consent("sun", terms("2026-05-01", None), 0);
        let error = audit_of(&[consented.clone(), gift("sun", "2026-06-01", 500, 500)])
            .expect_err("a gift before any plan");
        assert!(format!("{error:#}").contains("spending plan"), "{error:#}");
        assert!(audit_of(&[plan(1), plan(3)]).is_err());
        assert!(audit_of(&[plan(2)]).is_err());
    }

    fn expense(line: &str, amount: i64, spent: i64, link: Link) -> Entry {
        Entry {
            kind: Kind::Expense,
            consent: Some(Stated::Expense {
                line: line.into(),
                kind: app::spending::expense::ExpenseKind::Expenditure,
                amount,
                spent,
                documents: Vec::new(),
            }),
            link,
            ..plan(1)
        }
    }

    #[test]
    fn expenses_keep_a_running_total_and_reversals_undo_one_exactly_once() {
        let digest = || Link::Digest("3".repeat(64));
        let report = audit_of(&[
            plan(1),
            expense("teachers-pay", 700, 700, digest()),
            expense("teachers-pay", 300, 1_000, digest()),
            expense("teachers-pay", -700, 300, Link::Refers(1)),
        ])
        .expect("a consistent log");
        assert_eq!((report.expenses, report.spent), (3, 300));
        for forged in [
            // Before any plan; on a line the plan lacks; a wrong running total.
            vec![expense("teachers-pay", 700, 700, digest())],
            vec![plan(1), expense("catering", 700, 700, digest())],
            vec![plan(1), expense("teachers-pay", 700, 900, digest())],
            // A reversal of another amount, of nothing, or twice.
            vec![
                plan(1),
                expense("teachers-pay", 700, 700, digest()),
                expense("teachers-pay", -600, 100, Link::Refers(1)),
            ],
            vec![
                plan(1),
                expense("teachers-pay", -700, -700, Link::Refers(0)),
            ],
            vec![
                plan(1),
                expense("teachers-pay", 700, 700, digest()),
                expense("teachers-pay", -700, 0, Link::Refers(1)),
                expense("teachers-pay", -700, -700, Link::Refers(1)),
            ],
        ] {
            assert!(audit_of(&forged).is_err(), "{forged:?}");
        }
    }

    #[test]
    fn withdrawals_need_a_consent_and_end_it_for_good() {
        assert!(audit_of(&[withdrawal("sun", 0)]).is_err());
        assert!(audit_of(&[
            consent("sun", terms("2026-05-01", None), 0),
            withdrawal("sun", 0),
            consent("sun", terms("2026-05-01", None), 0),
        ])
        .is_err());
    }

    #[test]
    fn royalties_follow_the_formula_per_consent_and_refunds_count_against_their_gift() {
        let named = |entry: Entry| Entry {
            artist: Some("lin".into()),
            ..entry
        };
        let doubled = Terms {
            royalty_gifts_bp: 1_000,
            ..terms("2026-05-01", None)
        };
        let royalty = |amount: i64, spent: i64, link: Link| {
            let mut entry = expense("teachers-pay", amount, spent, link);
            if let Some(Stated::Expense { kind, .. }) = &mut entry.consent {
                *kind = app::spending::expense::ExpenseKind::Royalty;
            }
            Entry {
                raised: 2_499,
                ..named(entry)
            }
        };
        let refund = Entry {
            kind: Kind::Refund,
            amount: -500,
            raised: 1_499,
            link: Link::Refers(3),
            ..gift("sun", "2026-06-02", -500, 1_499)
        };
        let entries = [
            named(consent("sun", terms("2026-05-01", None), 0)),
            plan(1),
            gift("sun", "2026-06-01", 1_000, 1_000),
            gift("sun", "2026-06-01", 999, 1_999),
            named(consent("sun", doubled, 1_999)),
            refund,
            gift("sun", "2026-06-03", 1_000, 2_499),
            royalty(50, 50, Link::Digest("3".repeat(64))),
        ];
        let report = audit_of(&entries).expect("a consistent log");
        // The first consent: floor((1000 + 999 - 500) x 5%) = 74, its refund counted against it
        // though it came under the second; the second: floor(1000 x 10%) = 100.
        assert_eq!(report.royalties_accrued, 74 + 100);
        assert_eq!(report.royalties_paid, 50);
        let mut reversed = entries.to_vec();
        reversed.push(royalty(-50, 0, Link::Refers(7)));
        assert_eq!(audit_of(&reversed).expect("a reversal").royalties_paid, 0);
        let mut other = reversed.clone();
        other[8].artist = Some("chen".into());
        assert!(audit_of(&other).is_err(), "a reversal for another artist");
    }
}
