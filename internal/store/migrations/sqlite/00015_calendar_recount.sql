-- +goose Up
-- The working-day calendar the running dossiers' due dates were last
-- counted with (workday.Calendar.Fingerprint): the portal counts them again
-- at start-up only when its calendar differs (docs/domain.md, "Working
-- days"). One row at most.
CREATE TABLE calendar_recount (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    counted_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE calendar_recount;
