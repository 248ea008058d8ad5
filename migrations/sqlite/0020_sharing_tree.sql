-- The sharing tree: each gift made through a share keeps the chain of shares that brought it,
-- as the share codes from the first sharer down to its referrer, each followed by '/'
-- ("k3xa9qpm7n2z/p4tq8rwe2m6y/"). A share's descendants are the gifts whose lineage starts
-- with its own lineage and code: one range of this index of paid gifts. A chain's depth is
-- the lineage's length over 13. A lineage stops growing at 100 codes (1,300 characters), so
-- an index entry stays far below PostgreSQL's limit: a gift further down a chain is counted
-- at its 100th step. See "Sharing tree" in docs/ARCHITECTURE.md.
ALTER TABLE donations ADD COLUMN lineage TEXT;
CREATE INDEX donations_paid_by_lineage ON donations (campaign_id, lineage)
    WHERE lineage IS NOT NULL AND status = 'paid';

-- Gifts made through shares before the tree was kept.
WITH RECURSIVE chain (id, lineage) AS (
    SELECT d.id, r.share_code || '/'
    FROM donations d JOIN donations r ON r.id = d.referred_by
    WHERE r.referred_by IS NULL
    UNION ALL
    SELECT d.id, CASE WHEN LENGTH(chain.lineage) >= 1300 THEN chain.lineage
        ELSE chain.lineage || r.share_code || '/' END
    FROM chain
    JOIN donations r ON r.id = chain.id
    JOIN donations d ON d.referred_by = r.id
)
UPDATE donations SET lineage = chain.lineage FROM chain WHERE chain.id = donations.id;
