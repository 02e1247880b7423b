-- +goose Up
-- The scorecard reads a unit's dossiers by the day they were received
-- (docs/scorecard.md).
CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at);

-- +goose Down
DROP INDEX dossiers_unit_received;
