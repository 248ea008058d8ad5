-- Expenses against the spending plan's lines. One is recorded as a draft, submitted, approved
-- and paid; approving and paying need an admin other than the one who recorded it. Only a paid
-- expense is public, and it is then final: a mistake is corrected by a reversal (an expense of
-- the opposite amount that names the one it reverses), never an edit.
CREATE TABLE expenses (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id),
    line            TEXT    NOT NULL,
    kind            TEXT    NOT NULL
        CHECK (kind IN ('expenditure', 'disbursement', 'royalty', 'fees')),
    description_en  TEXT    NOT NULL,
    description_zh  TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL,
    spent_on        TEXT    NOT NULL,
    -- An organisation's public name, or an individual's role.
    payee           TEXT    NOT NULL,
    people_served   INTEGER CHECK (people_served >= 0),
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'paid')),
    reverses        INTEGER UNIQUE REFERENCES expenses (id),
    created_by      INTEGER NOT NULL REFERENCES staff_accounts (id),
    submitted_by    INTEGER REFERENCES staff_accounts (id),
    approved_by     INTEGER REFERENCES staff_accounts (id),
    paid_by         INTEGER REFERENCES staff_accounts (id),
    created_at      INTEGER NOT NULL,
    submitted_at    INTEGER,
    approved_at     INTEGER,
    paid_at         INTEGER,
    CHECK ((reverses IS NULL AND amount_minor > 0) OR (reverses IS NOT NULL AND amount_minor < 0)),
    CHECK (approved_by IS NULL OR approved_by <> created_by),
    CHECK (paid_by IS NULL OR paid_by <> created_by)
);
CREATE INDEX expenses_by_campaign ON expenses (campaign_id, id);

CREATE TRIGGER expenses_paid_are_final BEFORE UPDATE ON expenses WHEN OLD.status = 'paid'
BEGIN
    SELECT RAISE(ABORT, 'a paid expense is final: reverse it instead');
END;
CREATE TRIGGER expenses_no_delete BEFORE DELETE ON expenses
BEGIN
    SELECT RAISE(ABORT, 'expenses are never deleted');
END;

-- A paid expense waits for the log from the transaction that paid it.
CREATE TRIGGER expenses_to_log AFTER UPDATE OF status ON expenses
WHEN NEW.status = 'paid' AND OLD.status <> 'paid'
BEGIN
    INSERT INTO log_pending_records (record_kind, record_id, campaign_id)
    VALUES ('expense', NEW.id, NEW.campaign_id);
END;

-- The running total spent that the log's last expense entry states.
ALTER TABLE logs ADD COLUMN spent_minor INTEGER NOT NULL DEFAULT 0;
