-- Gifts: the donation a donor starts, the payment events Stripe reports about it, the append-only
-- ledger of money that moved, and running totals per artwork. Totals change in the same
-- transaction as the ledger, so a total always equals the ledger's sum.

-- Payment methods a campaign offers at checkout, comma-separated (card, alipay, wechat_pay).
ALTER TABLE campaigns ADD COLUMN payment_methods TEXT NOT NULL DEFAULT 'card';

-- Certificate numbers are handed out per campaign, in the order gifts are paid.
ALTER TABLE campaign_totals ADD COLUMN certificates_issued BIGINT  NOT NULL DEFAULT 0;

CREATE TABLE donations (
    -- Unguessable: it is the key to the donor's thank-you page.
    id                   TEXT    PRIMARY KEY,
    campaign_id          BIGINT  NOT NULL REFERENCES campaigns (id),
    artwork_id           BIGINT  NOT NULL REFERENCES artworks (id),
    amount_minor         BIGINT  NOT NULL CHECK (amount_minor > 0),
    currency             TEXT    NOT NULL,
    display_name         TEXT    NOT NULL DEFAULT '',
    anonymous            BIGINT  NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    show_amount          BIGINT  NOT NULL DEFAULT 1 CHECK (show_amount IN (0, 1)),
    message              TEXT    NOT NULL DEFAULT '',
    -- For the receipt only; never shown publicly.
    email                TEXT,
    locale               TEXT    NOT NULL,
    -- The client's Idempotency-Key and a digest of what it asked for: the same key with the same
    -- request returns the same checkout; with another request it is refused.
    idempotency_key      TEXT    NOT NULL,
    request_digest       TEXT    NOT NULL,
    checkout_session_id  TEXT    UNIQUE,
    checkout_url         TEXT,
    payment_intent_id    TEXT,
    -- pending, awaiting_payment, paid, refunded (in full), failed, expired, held (Stripe's amount
    -- or currency differed from the request: kept out of the totals for staff to review).
    status               TEXT    NOT NULL DEFAULT 'pending',
    paid_minor           BIGINT  NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    -- The charge's refunded amount as Stripe last reported it (cumulative).
    refunded_minor       BIGINT  NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    certificate_number   BIGINT ,
    created_at           BIGINT  NOT NULL,
    updated_at           BIGINT  NOT NULL,
    paid_at              BIGINT ,
    UNIQUE (campaign_id, idempotency_key),
    UNIQUE (campaign_id, certificate_number)
);

CREATE INDEX donations_by_payment_intent ON donations (payment_intent_id);
CREATE INDEX donations_by_campaign_status ON donations (campaign_id, status);

-- Every Stripe event applied, by id: the record that makes applying one exactly-once.
CREATE TABLE stripe_events (
    id           TEXT    PRIMARY KEY,
    type         TEXT    NOT NULL,
    donation_id  TEXT,
    outcome      TEXT    NOT NULL,
    received_at  BIGINT  NOT NULL
);

-- Money that moved: a positive gift when paid, a negative entry per refund. Never updated or
-- deleted.
CREATE TABLE ledger_entries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id      BIGINT  NOT NULL REFERENCES campaigns (id),
    artwork_id       BIGINT  NOT NULL REFERENCES artworks (id),
    donation_id      TEXT    NOT NULL REFERENCES donations (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('gift', 'refund')),
    amount_minor     BIGINT  NOT NULL CHECK ((kind = 'gift' AND amount_minor > 0)
                                             OR (kind = 'refund' AND amount_minor < 0)),
    currency         TEXT    NOT NULL,
    stripe_event_id  TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);

CREATE INDEX ledger_by_campaign ON ledger_entries (campaign_id, id);

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

CREATE TABLE artwork_totals (
    artwork_id    BIGINT PRIMARY KEY REFERENCES artworks (id),
    campaign_id   BIGINT  NOT NULL REFERENCES campaigns (id),
    raised_minor  BIGINT  NOT NULL DEFAULT 0 CHECK (raised_minor >= 0),
    gifts         BIGINT  NOT NULL DEFAULT 0 CHECK (gifts >= 0)
);
