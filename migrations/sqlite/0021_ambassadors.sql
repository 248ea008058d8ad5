-- Employee ambassadors and their teams. Staff create a campaign's teams and let employees join
-- through one-time invitation links or with an address at an allowed domain. An employee joins
-- with their work address, which a one-time link sent to it confirms, and gets a public page
-- (/a/{code}); gifts made through it, and through shares that started from it, are credited to
-- them and their team. See "Ambassadors and teams" in docs/ARCHITECTURE.md.

CREATE TABLE teams (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    name_en      TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (campaign_id, name_en)
);

-- Domains whose addresses may join a campaign's teams without an invitation, lower case.
CREATE TABLE ambassador_domains (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    domain       TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, domain)
);

-- One-time invitations (/join/{token}), used by the first employee who joins with one.
CREATE TABLE ambassador_invites (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    token        TEXT    NOT NULL UNIQUE,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE ambassadors (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    team_id          INTEGER NOT NULL REFERENCES teams (id),
    -- Public: the address of their page, and what a visit through it leaves in the referrer
    -- cookie (a share code's format; no share has it).
    code             TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL,
    -- The work address: never public, never logged.
    email            TEXT    NOT NULL,
    -- Its SHA-256 (trimmed, lower case): one ambassador per address and campaign.
    address_key      TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    goal_minor       INTEGER CHECK (goal_minor > 0),
    -- Left off public leaderboards, by their own choice.
    hidden           INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    -- The secret of the link that confirms the address; NULL once it has.
    confirm_token    TEXT    UNIQUE,
    confirm_expires_at INTEGER NOT NULL,
    confirmed_at     INTEGER,
    -- The secret of their own dashboard's address (/ambassadors/{key}).
    dashboard_key    TEXT    NOT NULL UNIQUE,
    -- The visitors their page brought (first touch): the people it reached.
    visits           INTEGER NOT NULL DEFAULT 0,
    invite_id        INTEGER REFERENCES ambassador_invites (id),
    created_at       INTEGER NOT NULL,
    UNIQUE (campaign_id, address_key)
);
CREATE INDEX ambassadors_by_team ON ambassadors (team_id);

-- The ambassador a gift is credited to: the one whose page the donor came through, or whose
-- page started the chain of shares that brought them.
ALTER TABLE donations ADD COLUMN ambassador_id INTEGER REFERENCES ambassadors (id);
CREATE INDEX donations_paid_by_ambassador ON donations (ambassador_id)
    WHERE ambassador_id IS NOT NULL AND status = 'paid';

-- The outbox also carries the ambassadors' confirmation emails. SQLite changes a CHECK by
-- rebuilding the table.
CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('receipt', 'ambassador')),
    cause            TEXT    NOT NULL UNIQUE,
    about            TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    token            TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);
INSERT INTO outbox_new SELECT id, campaign_id, kind, cause, about, recipient, locale, token,
    status, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, id);
