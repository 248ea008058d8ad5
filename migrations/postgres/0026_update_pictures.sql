-- A campaign update may show one picture (the paints arriving, the new studio), stored like an
-- artwork's: drawn again from its pixels alone, a full size and a thumbnail, with what it shows
-- in words for people who cannot see it (the update's title when staff wrote none).
ALTER TABLE campaign_updates ADD COLUMN image_key TEXT;
ALTER TABLE campaign_updates ADD COLUMN image_width BIGINT;
ALTER TABLE campaign_updates ADD COLUMN image_height BIGINT;
ALTER TABLE campaign_updates ADD COLUMN thumb_key TEXT;
ALTER TABLE campaign_updates ADD COLUMN thumb_width BIGINT;
ALTER TABLE campaign_updates ADD COLUMN thumb_height BIGINT;
ALTER TABLE campaign_updates ADD COLUMN image_alt_en TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign_updates ADD COLUMN image_alt_zh TEXT NOT NULL DEFAULT '';
