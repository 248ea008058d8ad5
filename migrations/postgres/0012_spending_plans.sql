-- A campaign's spending plan: what the money is for, line by line. Each published version is
-- kept (never changed) with its lines, and is an entry of the campaign's public log; a campaign
-- takes no gift before its first version is published.
CREATE TABLE spending_plans (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    version       BIGINT NOT NULL CHECK (version >= 1),
    published_by  BIGINT REFERENCES staff_accounts (id),
    published_at  BIGINT NOT NULL,
    UNIQUE (campaign_id, version)
);

CREATE TABLE spending_lines (
    plan_id        BIGINT NOT NULL REFERENCES spending_plans (id),
    position       BIGINT NOT NULL CHECK (position >= 1),
    -- A short name that stays the same from version to version, as expenses name their line.
    line           TEXT   NOT NULL,
    name_en        TEXT   NOT NULL,
    name_zh        TEXT   NOT NULL,
    buys_en        TEXT   NOT NULL DEFAULT '',
    buys_zh        TEXT   NOT NULL DEFAULT '',
    planned_minor  BIGINT NOT NULL CHECK (planned_minor >= 0),
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, line)
);

CREATE FUNCTION spending_plans_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'published spending plans are kept as they were';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER spending_plans_no_change BEFORE UPDATE OR DELETE ON spending_plans
    FOR EACH ROW EXECUTE FUNCTION spending_plans_kept();
CREATE TRIGGER spending_lines_no_change BEFORE UPDATE OR DELETE ON spending_lines
    FOR EACH ROW EXECUTE FUNCTION spending_plans_kept();

-- A version's lines are written in the transaction that writes the version, so the version is
-- listed for the log when that transaction commits, lines and all.
CREATE FUNCTION spending_plans_to_log() RETURNS trigger AS $$
BEGIN
    INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
    VALUES ('plan', NEW.id, NEW.campaign_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER spending_plans_to_log AFTER INSERT ON spending_plans
    FOR EACH ROW EXECUTE FUNCTION spending_plans_to_log();
