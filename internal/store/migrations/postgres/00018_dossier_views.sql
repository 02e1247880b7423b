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
);

-- One row once the dossiers stored before this migration have their views.
CREATE TABLE dossier_views_built (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    built_at TIMESTAMPTZ NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION dossier_views_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'dossiers' THEN
        DELETE FROM dossier_views WHERE code = OLD.code;
    ELSIF TG_OP = 'INSERT' THEN
        DELETE FROM dossier_views WHERE code = NEW.dossier_code;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM dossier_views WHERE code = OLD.dossier_code;
    ELSE
        DELETE FROM dossier_views WHERE code IN (OLD.dossier_code, NEW.dossier_code);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER dossier_views_stale AFTER UPDATE OF code, procedure_code, unit_code, applicant_name,
    applicant_phone, channel, status, received_at, due_at, processing_days, due_fixed, finished_at, returned_at,
    digitized, e_result, reused_data, has_fee, paid_online, synced_national, apology_issued_at, apology_new_due,
    apology_reason, apology_by, apology_late, version ON dossiers
    FOR EACH ROW EXECUTE FUNCTION dossier_views_stale();
CREATE TRIGGER dossier_views_stale AFTER INSERT OR UPDATE OR DELETE ON dossier_events
    FOR EACH ROW EXECUTE FUNCTION dossier_views_stale();

-- +goose Down
DROP TRIGGER dossier_views_stale ON dossier_events;
DROP TRIGGER dossier_views_stale ON dossiers;
DROP FUNCTION dossier_views_stale();
DROP TABLE dossier_views_built;
DROP TABLE dossier_views;
