-- How an artwork was made (independently, with prompting, hand-guided), and a photo of the
-- artist at work on it as evidence, stored like the artwork's own pictures (drawn again from its
-- pixels alone, a full size and a thumbnail).
ALTER TABLE artworks ADD COLUMN made_how TEXT CHECK (made_how IN ('independent', 'prompted', 'hand_guided'));
ALTER TABLE artworks ADD COLUMN evidence_key TEXT;
ALTER TABLE artworks ADD COLUMN evidence_width BIGINT;
ALTER TABLE artworks ADD COLUMN evidence_height BIGINT;
ALTER TABLE artworks ADD COLUMN evidence_thumb_key TEXT;
ALTER TABLE artworks ADD COLUMN evidence_thumb_width BIGINT;
ALTER TABLE artworks ADD COLUMN evidence_thumb_height BIGINT;
