-- The company presenting a campaign, beside its beneficiary: its name and a short statement in
-- both languages, its website, its logo (a PNG under MEDIA_DIR) and its brand colour, which
-- pages take only when it reads well (WCAG AA, checked when staff save it).
ALTER TABLE campaigns ADD COLUMN organiser_en TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN organiser_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN organiser_url TEXT;
ALTER TABLE campaigns ADD COLUMN organiser_statement_en TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN organiser_statement_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN organiser_logo TEXT;
ALTER TABLE campaigns ADD COLUMN organiser_logo_width INTEGER;
ALTER TABLE campaigns ADD COLUMN organiser_logo_height INTEGER;
-- '#rrggbb', lower case.
ALTER TABLE campaigns ADD COLUMN brand_colour TEXT CHECK (brand_colour IS NULL OR length(brand_colour) = 7);
