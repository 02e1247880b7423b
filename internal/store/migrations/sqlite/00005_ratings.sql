-- +goose Up
-- Satisfaction: ratings of dossiers and visits, the follow-up of
-- every low rating, feedback and complaints (phản ánh, kiến nghị), and the
-- key that signs rating links (docs/domain.md, "Satisfaction and feedback").
CREATE TABLE ratings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('dossier', 'ticket')),
    dossier_code TEXT UNIQUE,
    ticket_id    TEXT UNIQUE,
    unit_code    TEXT NOT NULL,
    office_code  TEXT,
    service_code TEXT,
    counter_id   INTEGER,
    staff_id     INTEGER,
    staff_name   TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL,
    overall      INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 2),
    answers      TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    satisfied    BOOLEAN NOT NULL,
    low          BOOLEAN NOT NULL,
    created_at   DATETIME NOT NULL,
    CHECK ((kind = 'dossier' AND dossier_code IS NOT NULL AND ticket_id IS NULL)
        OR (kind = 'ticket' AND ticket_id IS NOT NULL AND dossier_code IS NULL))
);
CREATE INDEX ratings_unit ON ratings (unit_code, created_at);
CREATE INDEX ratings_created ON ratings (created_at);

CREATE TABLE follow_ups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id  INTEGER NOT NULL UNIQUE REFERENCES ratings (id),
    unit_code  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    due_at     DATETIME NOT NULL,
    action     TEXT NOT NULL DEFAULT '',
    reply      TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    closed_at  DATETIME,
    closed_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX follow_ups_unit ON follow_ups (unit_code, status, due_at);

CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    unit_code   TEXT NOT NULL,
    about_kind  TEXT NOT NULL CHECK (about_kind IN ('procedure', 'dossier', 'office')),
    about_ref   TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    content     TEXT NOT NULL,
    received_at DATETIME NOT NULL,
    due_at      DATETIME NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'drafted', 'answered')),
    assigned_to TEXT NOT NULL DEFAULT '',
    draft       TEXT NOT NULL DEFAULT '',
    answer      TEXT NOT NULL DEFAULT '',
    answered_at DATETIME,
    answered_by TEXT NOT NULL DEFAULT '',
    satisfied   BOOLEAN,
    verdict_at  DATETIME,
    published   BOOLEAN NOT NULL DEFAULT FALSE,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX feedback_unit ON feedback (unit_code, status, due_at);
CREATE INDEX feedback_received ON feedback (received_at);

-- How many working days a unit has to answer feedback; a unit without a row
-- has the default.
CREATE TABLE feedback_units (
    unit_code   TEXT PRIMARY KEY,
    answer_days INTEGER NOT NULL CHECK (answer_days BETWEEN 1 AND 60)
);

-- Secrets shared by every instance and the bot, generated once.
CREATE TABLE link_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE link_keys;
DROP TABLE feedback_units;
DROP TABLE feedback;
DROP TABLE follow_ups;
DROP TABLE ratings;
