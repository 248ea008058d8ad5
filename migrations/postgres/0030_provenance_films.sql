-- Provenance evidence may also be a film of the artist at work (MPEG-4 or QuickTime, at most
-- 40 MB and 90 seconds, told by content), stored like pictures under a name made from its
-- content, with the size its pictures are shown at and its length.
ALTER TABLE artworks ADD COLUMN film_key TEXT;
ALTER TABLE artworks ADD COLUMN film_width BIGINT;
ALTER TABLE artworks ADD COLUMN film_height BIGINT;
ALTER TABLE artworks ADD COLUMN film_duration_ms BIGINT;
