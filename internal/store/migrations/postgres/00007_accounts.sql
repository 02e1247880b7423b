-- Staff accounts get the full name and title printed papers are signed
-- with, the role of a unit's head, and can be disabled; tokens can be
-- revoked.

-- +goose Up
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'head', 'officer', 'clerk'));
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;

-- The lockout reads the failures of one address.
CREATE INDEX login_failures_ip_username ON login_failures (ip, username, at);

-- +goose Down
DROP INDEX login_failures_ip_username;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN title;
ALTER TABLE users DROP COLUMN full_name;
DELETE FROM users WHERE role = 'head';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'officer', 'clerk'));
