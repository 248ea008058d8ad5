-- Campaign content in more than one language. The campaigns and artworks rows keep the text as it
-- was written, in content_locale; these tables hold translations. A page asks for its reader's
-- locale and falls back, field by field, to the original where a translation is missing or empty.

ALTER TABLE campaigns ADD COLUMN content_locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE artworks ADD COLUMN content_locale TEXT NOT NULL DEFAULT 'en';

CREATE TABLE campaign_translations (
    campaign_id        BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    locale             TEXT    NOT NULL,
    title              TEXT    NOT NULL DEFAULT '',
    tagline            TEXT    NOT NULL DEFAULT '',
    story              TEXT    NOT NULL DEFAULT '',
    beneficiary_name   TEXT    NOT NULL DEFAULT '',
    beneficiary_about  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, locale)
);

CREATE TABLE artwork_translations (
    artwork_id            BIGINT  NOT NULL REFERENCES artworks (id) ON DELETE CASCADE,
    locale                TEXT    NOT NULL,
    title                 TEXT    NOT NULL DEFAULT '',
    artist_name           TEXT    NOT NULL DEFAULT '',
    story                 TEXT    NOT NULL DEFAULT '',
    artist_message        TEXT    NOT NULL DEFAULT '',
    consent_given_by      TEXT    NOT NULL DEFAULT '',
    consent_relationship  TEXT    NOT NULL DEFAULT '',
    consent_licence       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (artwork_id, locale)
);
