-- Campaign updates: news staff publish on the campaign's pages and its Atom feed, emailed to
-- the donors who asked for it when they gave. See "Campaign updates" in docs/EMAIL.md.

-- Whether the donor asked, when giving, for the campaign's news by email.
ALTER TABLE donations ADD COLUMN wants_updates BIGINT NOT NULL DEFAULT 0
    CHECK (wants_updates IN (0, 1));

CREATE TABLE campaign_updates (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    title_en      TEXT   NOT NULL,
    body_en       TEXT   NOT NULL,
    -- Empty when staff wrote it in English only: Chinese readers get the English.
    title_zh      TEXT   NOT NULL DEFAULT '',
    body_zh       TEXT   NOT NULL DEFAULT '',
    -- The publishing form's own key: a form sent twice (a double tap, the back button) publishes
    -- and emails once.
    form_key      TEXT   NOT NULL,
    -- The staff account that published it (none for the demo campaign's own).
    published_by  BIGINT  REFERENCES staff_accounts (id),
    published_at  BIGINT NOT NULL,
    -- How many emails it queued.
    emailed       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, form_key)
);
CREATE INDEX campaign_updates_by_campaign ON campaign_updates (campaign_id, id);

-- The outbox also carries updates.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('receipt', 'ambassador', 'update'));
