-- The legal entity that receives a campaign's money, as registered (its name as on the register,
-- untranslated, and its registration: the register and the number). Shown with the campaign's
-- account on its transparency page and in /api/campaigns/{slug}/account. Empty: not stated.
ALTER TABLE campaigns ADD COLUMN recipient_legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN recipient_registration TEXT NOT NULL DEFAULT '';
