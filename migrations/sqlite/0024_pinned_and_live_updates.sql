-- A campaign update staff pin ("Where the money went", "Answering your questions") comes before
-- the newer ones on the campaign's pages (not in its feed, which stays newest first).
ALTER TABLE campaign_updates ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
    CHECK (pinned IN (0, 1));

-- Grows by one whenever the campaign's news changes (an update published, pinned or unpinned):
-- open pages learn of it with the live progress and fetch the news again.
ALTER TABLE campaigns ADD COLUMN news_version INTEGER NOT NULL DEFAULT 0;
