-- Campaigns, their artworks and their running totals.
-- Money is integer minor units beside an ISO currency code; timestamps are Unix milliseconds.
-- Flags are 0/1 integers: sqlx's Any driver reads no SQLite BOOLEAN.

CREATE TABLE campaigns (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT    NOT NULL UNIQUE,
    title               TEXT    NOT NULL,
    tagline             TEXT    NOT NULL,
    story               TEXT    NOT NULL,
    beneficiary_name    TEXT    NOT NULL,
    beneficiary_about   TEXT    NOT NULL,
    beneficiary_url     TEXT,
    currency            TEXT    NOT NULL,
    goal_minor          INTEGER NOT NULL CHECK (goal_minor > 0),
    -- The least a donor can give for one artwork; never below the provider's minimum (checked
    -- where campaigns are written, since it depends on the currency).
    min_gift_minor      INTEGER NOT NULL CHECK (min_gift_minor > 0),
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL CHECK (ends_at > starts_at),
    -- The campaign's local time, for showing its deadline the way its donors read clocks.
    utc_offset_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (utc_offset_minutes BETWEEN -840 AND 840),
    close_at_goal       INTEGER NOT NULL DEFAULT 1 CHECK (close_at_goal IN (0, 1)),
    featured            INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    created_at          INTEGER NOT NULL
);

-- The amounts offered as one-tap choices on an artwork page, in display order.
CREATE TABLE campaign_amount_presets (
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (campaign_id, position)
);

CREATE TABLE artworks (
    id                  INTEGER PRIMARY KEY,
    campaign_id         INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    slug                TEXT    NOT NULL,
    title               TEXT    NOT NULL,
    artist_name         TEXT    NOT NULL,
    artist_age          INTEGER CHECK (artist_age BETWEEN 1 AND 130),
    story               TEXT    NOT NULL,
    artist_message      TEXT    NOT NULL DEFAULT '',
    -- Content-addressed file names in the media folder, with their pixel sizes so pages can
    -- reserve the space before the image arrives.
    image_key           TEXT    NOT NULL,
    image_width         INTEGER NOT NULL,
    image_height        INTEGER NOT NULL,
    thumb_key           TEXT    NOT NULL,
    thumb_width         INTEGER NOT NULL,
    thumb_height        INTEGER NOT NULL,
    position            INTEGER NOT NULL,
    published           INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    -- Consent: who agreed to this artwork being sold, in what relation to the artist, when, under
    -- which licence, and the artist's share of each gift in basis points. The Children's Gallery
    -- was sued by an artist's family who never consented: no consent, no publication.
    consent_given_by     TEXT,
    consent_relationship TEXT,
    consent_given_on     TEXT,
    consent_licence      TEXT,
    royalty_basis_points INTEGER NOT NULL DEFAULT 0 CHECK (royalty_basis_points BETWEEN 0 AND 10000),
    created_at          INTEGER NOT NULL,
    UNIQUE (campaign_id, slug),
    CHECK (published = 0 OR (consent_given_by IS NOT NULL AND consent_given_on IS NOT NULL
                             AND consent_licence IS NOT NULL AND consent_relationship IS NOT NULL))
);

CREATE INDEX artworks_by_campaign_position ON artworks (campaign_id, position);

-- Running totals, updated in the same transaction as the ledger so reading them never sums it.
CREATE TABLE campaign_totals (
    campaign_id   INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    raised_minor  INTEGER NOT NULL DEFAULT 0 CHECK (raised_minor >= 0),
    donors        INTEGER NOT NULL DEFAULT 0 CHECK (donors >= 0),
    updated_at    INTEGER NOT NULL
);
