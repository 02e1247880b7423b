-- +goose Up
CREATE TABLE dossiers (
    code              TEXT PRIMARY KEY,
    procedure_code    TEXT NOT NULL,
    unit_code         TEXT NOT NULL REFERENCES units (code),
    applicant_name    TEXT NOT NULL,
    applicant_phone   TEXT NOT NULL,
    applicant_id      TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL CHECK (channel IN ('counter', 'online', 'post')),
    papers            TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('received', 'refused', 'in_progress', 'supplement', 'payment', 'withdrawn', 'stopped', 'done', 'returned')),
    received_at       TIMESTAMPTZ NOT NULL,
    due_at            TIMESTAMPTZ NOT NULL,
    processing_days   INTEGER NOT NULL,
    due_fixed         BOOLEAN NOT NULL DEFAULT FALSE,
    finished_at       TIMESTAMPTZ,
    returned_at       TIMESTAMPTZ,
    digitized         BOOLEAN NOT NULL DEFAULT FALSE,
    e_result          BOOLEAN NOT NULL DEFAULT FALSE,
    reused_data       BOOLEAN NOT NULL DEFAULT FALSE,
    has_fee           BOOLEAN NOT NULL DEFAULT FALSE,
    paid_online       BOOLEAN NOT NULL DEFAULT FALSE,
    synced_national   BOOLEAN NOT NULL DEFAULT FALSE,
    apology_issued_at TIMESTAMPTZ,
    apology_new_due   TIMESTAMPTZ,
    apology_reason    TEXT NOT NULL DEFAULT '',
    apology_by        TEXT NOT NULL DEFAULT '',
    apology_late      BOOLEAN NOT NULL DEFAULT FALSE,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX dossiers_unit_status_due ON dossiers (unit_code, status, due_at);
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_phone ON dossiers (applicant_phone);

-- An event is identified by its time, status and note: a sync that repeats
-- one adds nothing.
CREATE TABLE dossier_events (
    id           BIGSERIAL PRIMARY KEY,
    dossier_code TEXT NOT NULL REFERENCES dossiers (code) ON DELETE CASCADE,
    at           TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL DEFAULT '',
    UNIQUE (dossier_code, at, status, note)
);

-- The daily counter of desk codes per agency: one row per agency and day,
-- bumped in the transaction that inserts the dossier.
CREATE TABLE dossier_counters (
    agency TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);

-- Notifications to deliver, written in the transaction of the change that
-- causes them; the bot delivers them and sets delivered_at.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '',
    payload      JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_dossier ON outbox (dossier_code);

-- +goose Down
DROP TABLE outbox;
DROP TABLE dossier_counters;
DROP TABLE dossier_events;
DROP TABLE dossiers;
