-- Consent as an append-only record per artwork: each consent given (a new version supersedes the
-- one before) and each withdrawal is a row here, never changed, and an entry in the campaign's
-- public log. The names, relationship and witness are for admins only: the log carries them
-- inside a salted commitment. The artwork's own consent_* columns keep the latest consent's
-- details (written in the same transaction), which the publish check reads.
CREATE TABLE consent_records (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id        BIGINT NOT NULL REFERENCES campaigns (id),
    artwork_id         BIGINT NOT NULL REFERENCES artworks (id),
    kind               TEXT   NOT NULL CHECK (kind IN ('consent', 'withdrawal')),
    -- Who gave (or withdrew) it, by their role towards the artist.
    consenter          TEXT   NOT NULL CHECK (consenter IN ('artist', 'parent', 'guardian', 'heir')),
    -- The artist's own assent, recorded apart from a guardian's consent; 'unrecorded' only for
    -- consents kept before assent was asked.
    assent             TEXT   NOT NULL CHECK (assent IN ('yes', 'no', 'unable', 'unrecorded')),
    scope_gifts        BIGINT NOT NULL DEFAULT 0 CHECK (scope_gifts IN (0, 1)),
    scope_certificates BIGINT NOT NULL DEFAULT 0 CHECK (scope_certificates IN (0, 1)),
    scope_prints       BIGINT NOT NULL DEFAULT 0 CHECK (scope_prints IN (0, 1)),
    royalty_gifts_bp   BIGINT NOT NULL DEFAULT 0 CHECK (royalty_gifts_bp BETWEEN 0 AND 10000),
    royalty_prints_bp  BIGINT NOT NULL DEFAULT 0 CHECK (royalty_prints_bp BETWEEN 0 AND 10000),
    -- ISO dates: from when (a withdrawal: the day it was recorded) and, if time-limited, until.
    given_on           TEXT   NOT NULL,
    valid_until        TEXT,
    licence            TEXT   NOT NULL DEFAULT '',
    -- Admins only.
    given_by           TEXT   NOT NULL,
    relationship       TEXT   NOT NULL,
    witnessed_by       TEXT   NOT NULL DEFAULT '',
    salt               TEXT   NOT NULL,
    recorded_by        BIGINT REFERENCES staff_accounts (id),
    recorded_at        BIGINT NOT NULL
);
CREATE INDEX consent_records_by_artwork ON consent_records (artwork_id, id);

CREATE FUNCTION consent_records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'consent records are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_records_no_change BEFORE UPDATE OR DELETE ON consent_records
    FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();

-- Records other than ledger entries (consents now; plans and expenses later) not yet in the
-- public log, in the order they were made, as log_pending is for ledger entries.
CREATE TABLE log_pending_records (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_kind  TEXT   NOT NULL,
    record_id    BIGINT NOT NULL,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    UNIQUE (record_kind, record_id)
);
CREATE INDEX log_pending_records_by_campaign ON log_pending_records (campaign_id, seq);
CREATE FUNCTION consent_records_to_log() RETURNS trigger AS $$
BEGIN
    INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
    VALUES ('consent', NEW.id, NEW.campaign_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_records_to_log AFTER INSERT ON consent_records
    FOR EACH ROW EXECUTE FUNCTION consent_records_to_log();

-- The consents kept on artworks until now become each artwork's first record. Their assent was
-- never asked, so it is 'unrecorded'; the role is read from the relationship as staff wrote it.
INSERT INTO consent_records (campaign_id, artwork_id, kind, consenter, assent, scope_gifts,
    scope_certificates, royalty_gifts_bp, given_on, licence, given_by, relationship, salt,
    recorded_at)
SELECT campaign_id, id, 'consent',
       CASE WHEN lower(consent_relationship) IN ('the artist', 'artist', 'self', '本人')
                 THEN 'artist'
            WHEN lower(consent_relationship) IN ('mother', 'father', 'parent', '母亲', '父亲')
                 THEN 'parent'
            ELSE 'guardian' END,
       'unrecorded', 1, 1, royalty_basis_points, consent_given_on, consent_licence,
       consent_given_by, consent_relationship, md5(random()::text || clock_timestamp()::text),
       created_at
FROM artworks
WHERE consent_given_by IS NOT NULL AND consent_given_on IS NOT NULL
  AND consent_licence IS NOT NULL AND consent_relationship IS NOT NULL
ORDER BY id;

-- Log entries now come from other records too: an entry names its ledger entry, or the kind and
-- id of its record; only a ledger entry's has a certificate number.
ALTER TABLE log_entries ALTER COLUMN ledger_entry_id DROP NOT NULL;
ALTER TABLE log_entries ALTER COLUMN certificate_number DROP NOT NULL;
ALTER TABLE log_entries ADD COLUMN record_kind TEXT;
ALTER TABLE log_entries ADD COLUMN record_id BIGINT;
ALTER TABLE log_entries ADD CONSTRAINT log_entries_one_record UNIQUE (record_kind, record_id);
ALTER TABLE log_entries ADD CONSTRAINT log_entries_one_source
    CHECK ((ledger_entry_id IS NULL) <> (record_id IS NULL));
ALTER TABLE log_entries ADD CONSTRAINT log_entries_record_named
    CHECK ((record_id IS NULL) = (record_kind IS NULL));
ALTER TABLE log_entries ADD CONSTRAINT log_entries_gift_numbered
    CHECK (ledger_entry_id IS NULL OR certificate_number IS NOT NULL);
