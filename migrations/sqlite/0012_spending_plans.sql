-- A campaign's spending plan: what the money is for, line by line. Each published version is
-- kept (never changed) with its lines, and is an entry of the campaign's public log; a campaign
-- takes no gift before its first version is published.
CREATE TABLE spending_plans (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    published_by  INTEGER REFERENCES staff_accounts (id),
    published_at  INTEGER NOT NULL,
    UNIQUE (campaign_id, version)
);

CREATE TABLE spending_lines (
    plan_id        INTEGER NOT NULL REFERENCES spending_plans (id),
    position       INTEGER NOT NULL CHECK (position >= 1),
    -- A short name that stays the same from version to version, as expenses name their line.
    line           TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    name_zh        TEXT    NOT NULL,
    buys_en        TEXT    NOT NULL DEFAULT '',
    buys_zh        TEXT    NOT NULL DEFAULT '',
    planned_minor  INTEGER NOT NULL CHECK (planned_minor >= 0),
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, line)
);

CREATE TRIGGER spending_plans_no_update BEFORE UPDATE ON spending_plans
BEGIN
    SELECT RAISE(ABORT, 'published spending plans are kept as they were');
END;
CREATE TRIGGER spending_plans_no_delete BEFORE DELETE ON spending_plans
BEGIN
    SELECT RAISE(ABORT, 'published spending plans are kept as they were');
END;
CREATE TRIGGER spending_lines_no_update BEFORE UPDATE ON spending_lines
BEGIN
    SELECT RAISE(ABORT, 'published spending plans are kept as they were');
END;
CREATE TRIGGER spending_lines_no_delete BEFORE DELETE ON spending_lines
BEGIN
    SELECT RAISE(ABORT, 'published spending plans are kept as they were');
END;

-- A version's lines are written in the transaction that writes the version, so the version is
-- listed for the log when that transaction commits, lines and all.
CREATE TRIGGER spending_plans_to_log AFTER INSERT ON spending_plans
BEGIN
    INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
    VALUES ('plan', NEW.id, NEW.campaign_id);
END;
