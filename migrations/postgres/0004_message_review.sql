-- Gift messages on public feeds. A campaign may ask for every message to be approved first;
-- staff approve or hide a message. An unreviewed message is public unless the campaign asks for
-- approval or it holds a link.

ALTER TABLE campaigns ADD COLUMN messages_need_approval BIGINT NOT NULL DEFAULT 0
    CHECK (messages_need_approval IN (0, 1));

ALTER TABLE donations ADD COLUMN message_review TEXT NOT NULL DEFAULT 'unreviewed'
    CHECK (message_review IN ('unreviewed', 'approved', 'hidden'));
