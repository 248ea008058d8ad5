-- The public log: per campaign, an append-only RFC 6962 Merkle tree of entries, one per gift and
-- per refund in the ledger, with the hashes Go's sumdb stores (about two per entry) and every
-- signed checkpoint. See docs/TRANSPARENCY.md.

-- Shown only to its donor; with the certificate number it opens the gift's public commitment.
ALTER TABLE donations ADD COLUMN verification_code TEXT;

-- Ledger entries not yet in the public log. Filled by the trigger in the transaction that
-- writes the ledger, emptied by the integrator in the transaction that logs them: what is
-- missing is found by what is here, never by "ids above the last one".
CREATE TABLE log_pending (
    ledger_entry_id  INTEGER PRIMARY KEY REFERENCES ledger_entries (id),
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id)
);
CREATE INDEX log_pending_by_campaign ON log_pending (campaign_id, ledger_entry_id);

CREATE TRIGGER ledger_entries_to_log AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO log_pending (ledger_entry_id, campaign_id) VALUES (NEW.id, NEW.campaign_id);
END;

INSERT INTO log_pending (ledger_entry_id, campaign_id) SELECT id, campaign_id FROM ledger_entries;

-- Each campaign's log: its origin line (fixed when the log starts), size, and the running total
-- its last entry states.
CREATE TABLE logs (
    campaign_id   INTEGER PRIMARY KEY REFERENCES campaigns (id),
    origin        TEXT    NOT NULL UNIQUE,
    size          INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),
    raised_minor  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE log_entries (
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    idx              INTEGER NOT NULL CHECK (idx >= 0),
    ledger_entry_id  INTEGER NOT NULL UNIQUE REFERENCES ledger_entries (id),
    -- The certificate number of the gift (a refund: of its gift), for finding a donor's own
    -- entry; never served. Certificate numbers grow as gifts are paid, so this index grows at its
    -- end, as the others do: an index on a random key (a donation id, a commitment) would dirty a
    -- page per entry.
    certificate_number INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    amount_minor     INTEGER NOT NULL,
    body             TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, idx)
);
CREATE INDEX log_entries_by_certificate ON log_entries (campaign_id, certificate_number);

-- Hashes by Go sumdb's stored hash index (level and position folded into one number).
CREATE TABLE log_hashes (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    hash_index   INTEGER NOT NULL,
    hash         BLOB    NOT NULL,
    PRIMARY KEY (campaign_id, hash_index)
);

-- Every checkpoint signed, as its note text with signatures.
CREATE TABLE log_checkpoints (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    size         INTEGER NOT NULL,
    note         TEXT    NOT NULL,
    signed_at    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, size)
);

CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the public log is append-only');
END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN
    SELECT RAISE(ABORT, 'the public log is append-only');
END;
