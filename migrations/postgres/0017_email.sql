-- Email: an outbox of messages queued in the transaction that caused them, sent by a background
-- worker (see docs/EMAIL.md), and the addresses that asked a campaign to write no more.

-- Whether a donor who gave an email address gets a receipt.
ALTER TABLE campaigns ADD COLUMN send_receipts BIGINT NOT NULL DEFAULT 1
    CHECK (send_receipts IN (0, 1));

CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('receipt')),
    -- What caused the email ('receipt:<donation id>'): one email per cause, whatever retries.
    cause            TEXT    NOT NULL UNIQUE,
    -- What the email is about (a donation id); the text is written when it is sent.
    about            TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    -- The key of the email's unsubscribe link.
    token            TEXT    NOT NULL UNIQUE,
    -- queued, sent, failed (gave up after its attempts), skipped (unsubscribed before sending).
    status           TEXT    NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    -- A worker sending it holds it until then; after a crash another worker takes it over.
    claimed_until    BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, id);

-- An address (its SHA-256, trimmed and lower case) that asked a campaign to send it no email.
CREATE TABLE email_unsubscribes (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    address_key  TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, address_key)
);
