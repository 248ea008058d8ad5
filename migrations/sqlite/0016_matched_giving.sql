-- Matched giving: a sponsor (usually the company presenting the campaign) adds money to each gift
-- by a ratio, within an optional window and caps. Matches apply in their position order; each is
-- computed once, in the transaction that records the gift as paid, and a refund reverses its
-- share. See docs/MATCHING.md.

-- Whether the goal (its percentage, and closing at the goal) counts matched money.
ALTER TABLE campaigns ADD COLUMN goal_counts_match INTEGER NOT NULL DEFAULT 1
    CHECK (goal_counts_match IN (0, 1));

-- Matched money, beside raised_minor (what donors gave).
ALTER TABLE campaign_totals ADD COLUMN matched_minor INTEGER NOT NULL DEFAULT 0
    CHECK (matched_minor >= 0);

CREATE TABLE matches (
    id                       INTEGER PRIMARY KEY,
    campaign_id              INTEGER NOT NULL REFERENCES campaigns (id),
    position                 INTEGER NOT NULL,
    sponsor_en               TEXT    NOT NULL,
    sponsor_zh               TEXT    NOT NULL,
    -- Basis points of the gift: 10000 is 1:1, 20000 is 2:1, 5000 is 50%.
    ratio_bp                 INTEGER NOT NULL CHECK (ratio_bp BETWEEN 1 AND 100000),
    -- Unix milliseconds; a gift paid in [starts_at, ends_at) is matched.
    starts_at                INTEGER,
    ends_at                  INTEGER,
    cap_per_gift_minor       INTEGER CHECK (cap_per_gift_minor > 0),
    -- Per donor (by email when given, else per gift) and campaign-local day.
    cap_per_donor_day_minor  INTEGER CHECK (cap_per_donor_day_minor > 0),
    total_cap_minor          INTEGER NOT NULL CHECK (total_cap_minor > 0),
    -- The sum of this match's entries, changed with them.
    matched_minor            INTEGER NOT NULL DEFAULT 0
        CHECK (matched_minor BETWEEN 0 AND total_cap_minor),
    created_at               INTEGER NOT NULL,
    UNIQUE (campaign_id, position),
    CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
);

-- Matched money that moved: positive when a gift is matched, negative when its refund reverses
-- the match. Never updated or deleted.
CREATE TABLE match_entries (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    match_id         INTEGER NOT NULL REFERENCES matches (id),
    donation_id      TEXT    NOT NULL REFERENCES donations (id),
    amount_minor     INTEGER NOT NULL CHECK (amount_minor <> 0),
    -- A digest of the donor's email (or the donation id when none was given), and the
    -- campaign-local day the gift was matched: the per-donor daily cap's key. Never shown.
    donor_key        TEXT    NOT NULL,
    day              INTEGER NOT NULL,
    stripe_event_id  TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX match_entries_by_donation ON match_entries (donation_id);
CREATE INDEX match_entries_by_donor_day ON match_entries (match_id, donor_key, day);

CREATE TRIGGER match_entries_no_update BEFORE UPDATE ON match_entries
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER match_entries_no_delete BEFORE DELETE ON match_entries
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
