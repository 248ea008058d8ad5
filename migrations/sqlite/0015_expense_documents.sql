-- The documents behind an expense: a receipt, an invoice, a transfer confirmation, a photo or a
-- report, as PDF, JPEG or PNG. Staff keep the original; the public gets a copy (an image drawn
-- again without its metadata, a PDF as it is), and both are named by their SHA-256, which the
-- expense's log entry states. A document is added before the expense is paid and never changed.
CREATE TABLE expense_documents (
    id               INTEGER PRIMARY KEY,
    expense_id       INTEGER NOT NULL REFERENCES expenses (id),
    kind             TEXT    NOT NULL
        CHECK (kind IN ('receipt', 'invoice', 'transfer', 'photo', 'report')),
    format           TEXT    NOT NULL CHECK (format IN ('pdf', 'jpg', 'png')),
    original_sha256  TEXT    NOT NULL,
    public_sha256    TEXT    NOT NULL,
    -- A PDF with active content (JavaScript, actions, embedded files): served only as a download.
    active_content   INTEGER NOT NULL CHECK (active_content IN (0, 1)),
    byte_size        INTEGER NOT NULL,
    added_by         INTEGER NOT NULL REFERENCES staff_accounts (id),
    added_at         INTEGER NOT NULL,
    UNIQUE (expense_id, original_sha256)
);
CREATE INDEX expense_documents_by_expense ON expense_documents (expense_id, id);

CREATE TRIGGER expense_documents_no_change BEFORE UPDATE ON expense_documents
BEGIN
    SELECT RAISE(ABORT, 'expense documents are never changed');
END;
CREATE TRIGGER expense_documents_no_delete BEFORE DELETE ON expense_documents
BEGIN
    SELECT RAISE(ABORT, 'expense documents are never deleted');
END;
