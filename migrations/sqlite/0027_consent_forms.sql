-- A consent record may keep the signed form it was given on (a scan or a PDF): the public log
-- states its format and SHA-256; the file, kept as it came, is for admins only.
ALTER TABLE consent_records ADD COLUMN form_format TEXT CHECK (form_format IN ('pdf', 'jpg', 'png'));
ALTER TABLE consent_records ADD COLUMN form_sha256 TEXT;
