-- +goose Up
-- What tracking shows of each dossier, in one row the citizen's code and
-- phone find by the primary key: the dossier and its events, encoded by the
-- store (docs/architecture.md, "Tracking"). The store writes a dossier's row
-- in the same transaction as every change it makes to the dossier. The
-- triggers below delete the row whenever the dossier or its events change by
-- any other way (an older instance during an upgrade, a hand-made fix), so
-- that a row, when there is one, is never older than its dossier; a dossier
-- without one is read from its own tables.
CREATE TABLE dossier_views (
    code            TEXT PRIMARY KEY REFERENCES dossiers (code) ON DELETE CASCADE,
    applicant_phone TEXT NOT NULL,
    unit_code       TEXT NOT NULL,
    body            TEXT NOT NULL
) WITHOUT ROWID;

-- One row once the dossiers stored before this migration have their views.
CREATE TABLE dossier_views_built (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    built_at DATETIME NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER dossier_views_stale_dossier AFTER UPDATE OF code, procedure_code, unit_code, applicant_name,
    applicant_phone, channel, status, received_at, due_at, processing_days, due_fixed, finished_at, returned_at,
    digitized, e_result, reused_data, has_fee, paid_online, synced_national, apology_issued_at, apology_new_due,
    apology_reason, apology_by, apology_late, version ON dossiers
BEGIN
    DELETE FROM dossier_views WHERE code = OLD.code;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dossier_views_stale_event_insert AFTER INSERT ON dossier_events
BEGIN
    DELETE FROM dossier_views WHERE code = NEW.dossier_code;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dossier_views_stale_event_update AFTER UPDATE ON dossier_events
BEGIN
    DELETE FROM dossier_views WHERE code IN (OLD.dossier_code, NEW.dossier_code);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dossier_views_stale_event_delete AFTER DELETE ON dossier_events
BEGIN
    DELETE FROM dossier_views WHERE code = OLD.dossier_code;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dossier_views_stale_event_delete;
DROP TRIGGER dossier_views_stale_event_update;
DROP TRIGGER dossier_views_stale_event_insert;
DROP TRIGGER dossier_views_stale_dossier;
DROP TABLE dossier_views_built;
DROP TABLE dossier_views;
