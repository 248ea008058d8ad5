-- Campaign staff: who may sign in, with what role, and the failed sign-ins that slow down
-- password guessing. Sessions live in the session store's own table (created at start).

CREATE TABLE staff_accounts (
    id             INTEGER PRIMARY KEY,
    -- Lower-cased: one account per address however it is typed.
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    -- admin: everything; viewer: reads only.
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'viewer')),
    -- Argon2id, in the PHC string format (algorithm, parameters and salt included).
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);

-- One row per failed sign-in, by account and by client address. Both keys are SHA-256 digests,
-- so the table holds neither addresses nor the emails people mistyped. Rows older than the
-- limit's window are deleted as new ones arrive.
CREATE TABLE staff_sign_in_failures (
    scope  TEXT    NOT NULL CHECK (scope IN ('account', 'address')),
    key    TEXT    NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX staff_sign_in_failures_by_key ON staff_sign_in_failures (scope, key, at);

-- The dashboard counts paid gifts per minute.
CREATE INDEX donations_paid_by_time ON donations (campaign_id, paid_at) WHERE status = 'paid';
