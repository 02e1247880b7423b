-- Staff accounts get the full name and title printed papers are signed
-- with, the role of a unit's head, and can be disabled; tokens can be
-- revoked. SQLite cannot change a CHECK constraint, so users is rebuilt;
-- sessions, which refer to it, are set aside and put back so that nobody is
-- signed out (dropping users would delete them by cascade).

-- +goose Up
CREATE TABLE sessions_keep AS SELECT id_hash, user_id, csrf, created_at, last_seen_at FROM sessions;
DROP TABLE sessions;

CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'head', 'officer', 'clerk')),
    unit_code     TEXT REFERENCES units (code),
    created_at    DATETIME NOT NULL,
    full_name     TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    disabled_at   DATETIME
);
INSERT INTO users_new (id, username, password_hash, role, unit_code, created_at)
    SELECT id, username, password_hash, role, unit_code, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
INSERT INTO sessions SELECT id_hash, user_id, csrf, created_at, last_seen_at FROM sessions_keep;
DROP TABLE sessions_keep;

ALTER TABLE api_tokens ADD COLUMN revoked_at DATETIME;

-- The lockout reads the failures of one address.
CREATE INDEX login_failures_ip_username ON login_failures (ip, username, at);

-- +goose Down
DROP INDEX login_failures_ip_username;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
CREATE TABLE sessions_keep AS SELECT id_hash, user_id, csrf, created_at, last_seen_at FROM sessions;
DROP TABLE sessions;
DELETE FROM users WHERE role = 'head';
CREATE TABLE users_old (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'clerk')),
    unit_code     TEXT REFERENCES units (code),
    created_at    DATETIME NOT NULL
);
INSERT INTO users_old SELECT id, username, password_hash, role, unit_code, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
INSERT INTO sessions SELECT * FROM sessions_keep WHERE user_id IN (SELECT id FROM users);
DROP TABLE sessions_keep;
