-- A sign-in attempt reserves its turn (a row per key) before its password is checked, so a
-- burst of attempts cannot all pass the count; `attempt` names the turn so a success can take
-- its rows back. Rows written before this column existed are plain failures.
ALTER TABLE staff_sign_in_failures ADD COLUMN attempt TEXT;
CREATE INDEX staff_sign_in_failures_by_attempt ON staff_sign_in_failures (attempt);
