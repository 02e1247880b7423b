-- +goose Up
-- Enrolled kiosks: a device an administrator enrolled for one office keeps a
-- long-lived secret (a cookie); only its hash is stored. A revoked kiosk is
-- kept for the record and refused at once on every instance.
CREATE TABLE kiosks (
    id          INTEGER PRIMARY KEY,
    office_code TEXT NOT NULL REFERENCES queue_offices (code),
    unit_code   TEXT NOT NULL REFERENCES units (code),
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    enrolled_by TEXT NOT NULL,
    enrolled_at DATETIME NOT NULL,
    revoked_at  DATETIME NULL,
    revoked_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kiosks_office ON kiosks (office_code);

-- Tickets taken without an enrolled kiosk, per client address and hour
-- (MOTCUA_TICKETS_PER_HOUR): one atomic upsert counts and checks, so the
-- limit holds under concurrency and across instances.
CREATE TABLE ticket_quota (
    client       TEXT NOT NULL,
    window_start DATETIME NOT NULL,
    taken        INTEGER NOT NULL,
    PRIMARY KEY (client, window_start)
);
CREATE INDEX ticket_quota_window ON ticket_quota (window_start);

-- +goose Down
DROP TABLE ticket_quota;
DROP TABLE kiosks;
