-- The payment provider's fee on each payment, as its balance transactions state it (Stripe: the
-- `fee` of the charge's balance transaction), converted to the payment's own currency. Fees are
-- read from the provider's list, whether or not the webhook has recorded the gift yet; a fee
-- counts in a campaign's account once its gift is paid and a settlement takes it.
CREATE TABLE fee_settlements (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id),
    -- The spending plan's line the fees are logged against.
    line          TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    gifts         INTEGER NOT NULL CHECK (gifts >= 0),
    created_at    INTEGER NOT NULL
);

CREATE TABLE payment_fees (
    payment_intent  TEXT    PRIMARY KEY,
    fee_minor       INTEGER NOT NULL CHECK (fee_minor >= 0),
    currency        TEXT    NOT NULL,
    -- When the provider made the balance transaction (Unix ms).
    created_at      INTEGER NOT NULL,
    -- The settlement that took it into a campaign's account: once, never moved.
    settlement_id   INTEGER REFERENCES fee_settlements (id)
);
-- The fees no settlement has taken yet, and a settlement's fees.
CREATE INDEX payment_fees_by_settlement ON payment_fees (settlement_id);

-- How far the provider's balance transactions have been read (Unix seconds, the provider's
-- clock): the next read starts a little before it.
CREATE TABLE payment_fee_reads (
    name            TEXT    PRIMARY KEY,
    listed_through  INTEGER NOT NULL
);
