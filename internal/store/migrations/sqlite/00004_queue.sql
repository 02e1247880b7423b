-- +goose Up
-- Queue numbers: offices, their services and counters, tickets.
CREATE TABLE queue_offices (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    unit_code       TEXT NOT NULL REFERENCES units (code),
    priority_groups TEXT NOT NULL DEFAULT '[]',
    priority_run    INTEGER NOT NULL DEFAULT 3,
    default_minutes INTEGER NOT NULL DEFAULT 8,
    created_at      DATETIME NOT NULL
);

CREATE TABLE queue_services (
    office_code TEXT NOT NULL REFERENCES queue_offices (code),
    code        TEXT NOT NULL,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    prefix      TEXT NOT NULL,
    fields      TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office_code, code),
    UNIQUE (office_code, prefix)
);

CREATE TABLE queue_counters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    office_code     TEXT NOT NULL REFERENCES queue_offices (code),
    number          INTEGER NOT NULL,
    name            TEXT NOT NULL,
    services        TEXT NOT NULL DEFAULT '[]',
    priority_streak INTEGER NOT NULL DEFAULT 0,
    UNIQUE (office_code, number)
);

-- The last number given per office, service and day (service_code '' holds
-- the office's position counter). Taking a number increments these rows in
-- the ticket's own transaction: the row locks order kiosks, and a
-- rolled-back ticket gives its number back.
CREATE TABLE queue_numbers (
    office_code  TEXT NOT NULL,
    service_code TEXT NOT NULL,
    day          TEXT NOT NULL,
    last_seq     INTEGER NOT NULL,
    PRIMARY KEY (office_code, service_code, day)
);

CREATE TABLE queue_tickets (
    id               TEXT PRIMARY KEY,
    office_code      TEXT NOT NULL REFERENCES queue_offices (code),
    numbered_service TEXT NOT NULL,
    service_code     TEXT NOT NULL,
    day              TEXT NOT NULL,
    prefix           TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    -- pos orders the office's day across services: issue order, even when
    -- two kiosks issue within one clock tick.
    pos              INTEGER NOT NULL,
    priority         TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred')),
    counter_id       INTEGER REFERENCES queue_counters (id),
    target_counter   INTEGER REFERENCES queue_counters (id),
    issued_at        DATETIME NOT NULL,
    first_called_at  DATETIME,
    called_at        DATETIME,
    served_at        DATETIME,
    done_at          DATETIME,
    service_seconds  INTEGER NOT NULL DEFAULT 0,
    recalls          INTEGER NOT NULL DEFAULT 0,
    transfers        INTEGER NOT NULL DEFAULT 0,
    dossier_code     TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (office_code, numbered_service, day, seq)
);
-- A day's queue by status, then service: counting who is ahead of a
-- ticket reads only its service's waiting tickets, and the day's measures
-- only the tickets counters have called.
CREATE INDEX queue_tickets_day ON queue_tickets (office_code, day, status, service_code, pos);
CREATE INDEX queue_tickets_counter ON queue_tickets (counter_id, status);

-- +goose Down
DROP TABLE queue_tickets;
DROP TABLE queue_numbers;
DROP TABLE queue_counters;
DROP TABLE queue_services;
DROP TABLE queue_offices;
