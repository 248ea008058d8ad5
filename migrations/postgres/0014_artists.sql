-- Artists as people with their own record, not a name typed on each artwork: the public name or
-- pseudonym their works carry, an age band, and whether they were a minor or under guardianship
-- when consent was given. Every artwork belongs to one; a royalty expense names the one it pays.
CREATE TABLE artists (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT  NOT NULL REFERENCES campaigns (id),
    slug         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    age_band     TEXT    NOT NULL DEFAULT 'unstated'
        CHECK (age_band IN ('unstated', 'under-13', '13-17', '18-25', '26-59', '60-plus')),
    protection   TEXT    NOT NULL DEFAULT 'none'
        CHECK (protection IN ('none', 'minor', 'guardianship')),
    UNIQUE (campaign_id, slug),
    UNIQUE (campaign_id, name)
);

ALTER TABLE artworks ADD COLUMN artist_id BIGINT REFERENCES artists (id);
CREATE INDEX artworks_by_artist ON artworks (artist_id);
ALTER TABLE expenses ADD COLUMN artist_id BIGINT REFERENCES artists (id);

-- Every artwork so far gets an artist record from its artist's name.
INSERT INTO artists (campaign_id, slug, name, age_band)
SELECT campaign_id, 'artist-' || MIN(id), artist_name,
       CASE WHEN MAX(artist_age) IS NULL THEN 'unstated'
            WHEN MAX(artist_age) < 13 THEN 'under-13'
            WHEN MAX(artist_age) < 18 THEN '13-17'
            WHEN MAX(artist_age) < 26 THEN '18-25'
            WHEN MAX(artist_age) < 60 THEN '26-59'
            ELSE '60-plus' END
FROM artworks GROUP BY campaign_id, artist_name;
UPDATE artworks SET artist_id = (
    SELECT r.id FROM artists r WHERE r.campaign_id = artworks.campaign_id AND r.name = artworks.artist_name
);
UPDATE artists SET protection = CASE
    WHEN EXISTS (SELECT 1 FROM consent_records c JOIN artworks a ON a.id = c.artwork_id
                 WHERE a.artist_id = artists.id AND c.kind = 'consent' AND c.consenter = 'guardian')
        THEN 'guardianship'
    WHEN EXISTS (SELECT 1 FROM consent_records c JOIN artworks a ON a.id = c.artwork_id
                 WHERE a.artist_id = artists.id AND c.kind = 'consent' AND c.consenter = 'parent')
        THEN 'minor'
    ELSE 'none' END;
