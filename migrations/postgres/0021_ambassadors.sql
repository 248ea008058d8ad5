-- Employee ambassadors and their teams. Staff create a campaign's teams and let employees join
-- through one-time invitation links or with an address at an allowed domain. An employee joins
-- with their work address, which a one-time link sent to it confirms, and gets a public page
-- (/a/{code}); gifts made through it, and through shares that started from it, are credited to
-- them and their team. See "Ambassadors and teams" in docs/ARCHITECTURE.md.

CREATE TABLE teams (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    name_en      TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (campaign_id, name_en)
);

-- Domains whose addresses may join a campaign's teams without an invitation, lower case.
CREATE TABLE ambassador_domains (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    domain       TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, domain)
);

-- One-time invitations (/join/{token}), used by the first employee who joins with one.
CREATE TABLE ambassador_invites (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    token        TEXT    NOT NULL UNIQUE,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);

CREATE TABLE ambassadors (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    team_id          BIGINT NOT NULL REFERENCES teams (id),
    -- Public: the address of their page, and what a visit through it leaves in the referrer
    -- cookie (a share code's format; no share has it).
    code             TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL,
    -- The work address: never public, never logged.
    email            TEXT    NOT NULL,
    -- Its SHA-256 (trimmed, lower case): one ambassador per address and campaign.
    address_key      TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    goal_minor       BIGINT CHECK (goal_minor > 0),
    -- Left off public leaderboards, by their own choice.
    hidden           BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    -- The secret of the link that confirms the address; NULL once it has.
    confirm_token    TEXT    UNIQUE,
    confirm_expires_at BIGINT NOT NULL,
    confirmed_at     BIGINT,
    -- The secret of their own dashboard's address (/ambassadors/{key}).
    dashboard_key    TEXT    NOT NULL UNIQUE,
    -- The visitors their page brought (first touch): the people it reached.
    visits           BIGINT NOT NULL DEFAULT 0,
    invite_id        BIGINT REFERENCES ambassador_invites (id),
    created_at       BIGINT NOT NULL,
    UNIQUE (campaign_id, address_key)
);
CREATE INDEX ambassadors_by_team ON ambassadors (team_id);

-- The ambassador a gift is credited to: the one whose page the donor came through, or whose
-- page started the chain of shares that brought them.
ALTER TABLE donations ADD COLUMN ambassador_id BIGINT REFERENCES ambassadors (id);
CREATE INDEX donations_paid_by_ambassador ON donations (ambassador_id)
    WHERE ambassador_id IS NOT NULL AND status = 'paid';

-- The outbox also carries the ambassadors' confirmation emails.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('receipt', 'ambassador'));
