-- An artwork may carry a short voice message from its artist (Ogg/Opus, MP3 or M4A, at most
-- 2 MB and 60 seconds, told by content), stored like pictures under a name made from its
-- content, with what it says written out in each language.
ALTER TABLE artworks ADD COLUMN voice_key TEXT;
ALTER TABLE artworks ADD COLUMN voice_duration_ms BIGINT;
ALTER TABLE artworks ADD COLUMN voice_transcript_en TEXT NOT NULL DEFAULT '';
ALTER TABLE artworks ADD COLUMN voice_transcript_zh TEXT NOT NULL DEFAULT '';
