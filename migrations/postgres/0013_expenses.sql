-- Expenses against the spending plan's lines. One is recorded as a draft, submitted, approved
-- and paid; approving and paying need an admin other than the one who recorded it. Only a paid
-- expense is public, and it is then final: a mistake is corrected by a reversal (an expense of
-- the opposite amount that names the one it reverses), never an edit.
CREATE TABLE expenses (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
    line            TEXT   NOT NULL,
    kind            TEXT   NOT NULL
        CHECK (kind IN ('expenditure', 'disbursement', 'royalty', 'fees')),
    description_en  TEXT   NOT NULL,
    description_zh  TEXT   NOT NULL,
    amount_minor    BIGINT NOT NULL,
    spent_on        TEXT   NOT NULL,
    -- An organisation's public name, or an individual's role.
    payee           TEXT   NOT NULL,
    people_served   BIGINT CHECK (people_served >= 0),
    status          TEXT   NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'paid')),
    reverses        BIGINT UNIQUE REFERENCES expenses (id),
    created_by      BIGINT NOT NULL REFERENCES staff_accounts (id),
    submitted_by    BIGINT REFERENCES staff_accounts (id),
    approved_by     BIGINT REFERENCES staff_accounts (id),
    paid_by         BIGINT REFERENCES staff_accounts (id),
    created_at      BIGINT NOT NULL,
    submitted_at    BIGINT,
    approved_at     BIGINT,
    paid_at         BIGINT,
    CHECK ((reverses IS NULL AND amount_minor > 0) OR (reverses IS NOT NULL AND amount_minor < 0)),
    CHECK (approved_by IS NULL OR approved_by <> created_by),
    CHECK (paid_by IS NULL OR paid_by <> created_by)
);
CREATE INDEX expenses_by_campaign ON expenses (campaign_id, id);

CREATE FUNCTION expenses_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'expenses are never deleted';
    END IF;
    IF OLD.status = 'paid' THEN
        RAISE EXCEPTION 'a paid expense is final: reverse it instead';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER expenses_guard BEFORE UPDATE OR DELETE ON expenses
    FOR EACH ROW EXECUTE FUNCTION expenses_guard();

-- A paid expense waits for the log from the transaction that paid it.
CREATE FUNCTION expenses_to_log() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'paid' AND OLD.status <> 'paid' THEN
        INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
        VALUES ('expense', NEW.id, NEW.campaign_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER expenses_to_log AFTER UPDATE OF status ON expenses
    FOR EACH ROW EXECUTE FUNCTION expenses_to_log();

-- The running total spent that the log's last expense entry states.
ALTER TABLE logs ADD COLUMN spent_minor BIGINT NOT NULL DEFAULT 0;
