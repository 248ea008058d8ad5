-- Campaign updates: news staff publish on the campaign's pages and its Atom feed, emailed to
-- the donors who asked for it when they gave. See "Campaign updates" in docs/EMAIL.md.

-- Whether the donor asked, when giving, for the campaign's news by email.
ALTER TABLE donations ADD COLUMN wants_updates INTEGER NOT NULL DEFAULT 0
    CHECK (wants_updates IN (0, 1));

CREATE TABLE campaign_updates (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id),
    title_en      TEXT    NOT NULL,
    body_en       TEXT    NOT NULL,
    -- Empty when staff wrote it in English only: Chinese readers get the English.
    title_zh      TEXT    NOT NULL DEFAULT '',
    body_zh       TEXT    NOT NULL DEFAULT '',
    -- The publishing form's own key: a form sent twice (a double tap, the back button) publishes
    -- and emails once.
    form_key      TEXT    NOT NULL,
    -- The staff account that published it (none for the demo campaign's own).
    published_by  INTEGER REFERENCES staff_accounts (id),
    published_at  INTEGER NOT NULL,
    -- How many emails it queued.
    emailed       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, form_key)
);
CREATE INDEX campaign_updates_by_campaign ON campaign_updates (campaign_id, id);

-- The outbox also carries updates. SQLite changes a CHECK by rebuilding the table.
CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('receipt', 'ambassador', 'update')),
    cause            TEXT    NOT NULL UNIQUE,
    about            TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    token            TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);
INSERT INTO outbox_new SELECT id, campaign_id, kind, cause, about, recipient, locale, token,
    status, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, id);
