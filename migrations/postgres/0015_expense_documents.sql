-- The documents behind an expense: a receipt, an invoice, a transfer confirmation, a photo or a
-- report, as PDF, JPEG or PNG. Staff keep the original; the public gets a copy (an image drawn
-- again without its metadata, a PDF as it is), and both are named by their SHA-256, which the
-- expense's log entry states. A document is added before the expense is paid and never changed.
CREATE TABLE expense_documents (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expense_id       BIGINT NOT NULL REFERENCES expenses (id),
    kind             TEXT   NOT NULL
        CHECK (kind IN ('receipt', 'invoice', 'transfer', 'photo', 'report')),
    format           TEXT   NOT NULL CHECK (format IN ('pdf', 'jpg', 'png')),
    original_sha256  TEXT   NOT NULL,
    public_sha256    TEXT   NOT NULL,
    -- A PDF with active content (JavaScript, actions, embedded files): served only as a download.
    active_content   BIGINT NOT NULL CHECK (active_content IN (0, 1)),
    byte_size        BIGINT NOT NULL,
    added_by         BIGINT NOT NULL REFERENCES staff_accounts (id),
    added_at         BIGINT NOT NULL,
    UNIQUE (expense_id, original_sha256)
);
CREATE INDEX expense_documents_by_expense ON expense_documents (expense_id, id);

CREATE FUNCTION expense_documents_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'expense documents are never changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER expense_documents_no_change BEFORE UPDATE OR DELETE ON expense_documents
    FOR EACH ROW EXECUTE FUNCTION expense_documents_append_only();
