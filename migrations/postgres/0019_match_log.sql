-- Matched money in the public log: each match entry (a share of a gift, or its reversal) waits
-- for the log from the transaction that wrote it, as consents and expenses do, and becomes a
-- `kind match` entry after its gift's entry. See docs/TRANSPARENCY.md.
CREATE FUNCTION match_entries_to_log() RETURNS trigger AS $$
BEGIN
    INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
    VALUES ('match', NEW.id, NEW.campaign_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER match_entries_to_log AFTER INSERT ON match_entries
    FOR EACH ROW EXECUTE FUNCTION match_entries_to_log();

-- Matches made before the log took them.
INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
SELECT 'match', id, campaign_id FROM match_entries ORDER BY id;

-- The running total of matched money that the log's last match entry states.
ALTER TABLE logs ADD COLUMN matched_minor BIGINT NOT NULL DEFAULT 0;
