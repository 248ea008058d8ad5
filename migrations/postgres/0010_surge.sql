-- Payment Links made ahead of time for checkouts beyond the payment provider's rate limit: one
-- per artwork and preset amount, and one per artwork for an amount the donor enters on the
-- provider's page (amount_minor 0, at least the campaign's minimum then). A link no longer
-- wanted (campaign closed, artwork withdrawn, amount changed) is deactivated, never deleted.
CREATE TABLE payment_links (
    link_id       TEXT   PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    artwork_id    BIGINT NOT NULL REFERENCES artworks (id),
    amount_minor  BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency      TEXT   NOT NULL,
    url           TEXT   NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX payment_links_in_use ON payment_links (artwork_id, amount_minor, currency)
    WHERE active = 1;

-- The link a donation was sent to instead of a Checkout Session of its own.
ALTER TABLE donations ADD COLUMN payment_link_id TEXT;

-- The provider's rate budget, shared by every instance on PostgreSQL (a token bucket; SQLite
-- has one instance, which keeps it in memory).
CREATE TABLE provider_budget (
    name        TEXT   PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    updated_ms  BIGINT NOT NULL
);

-- Payments no donation can take (a second payment through a link for a donation already
-- paid, a link payment for an unknown donation or another artwork): recorded for staff to
-- review and refund, never counted.
CREATE TABLE held_payments (
    session_id         TEXT   PRIMARY KEY,
    event_id           TEXT   NOT NULL,
    donation_id        TEXT,
    payment_link_id    TEXT,
    amount_minor       BIGINT NOT NULL,
    currency           TEXT   NOT NULL,
    payment_intent_id  TEXT,
    reason             TEXT   NOT NULL,
    created_at         BIGINT NOT NULL
);
