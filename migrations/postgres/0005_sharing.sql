-- Sharing: every donation gets a public share code, the address its certificate's QR code and
-- link preview point to (the donation id stays secret: it opens the donor's own page). A gift
-- made after visiting someone's share page remembers whose share brought it.

ALTER TABLE donations ADD COLUMN share_code TEXT;
CREATE UNIQUE INDEX donations_by_share_code ON donations (share_code);

-- The donation whose share page the donor came through, first touch; counted for the sharer
-- once the gift is paid.
ALTER TABLE donations ADD COLUMN referred_by TEXT REFERENCES donations (id);
CREATE INDEX donations_by_referrer ON donations (referred_by) WHERE referred_by IS NOT NULL;
