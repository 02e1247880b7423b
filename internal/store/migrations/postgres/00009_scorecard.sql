-- +goose Up
-- The scorecard reads a unit's dossiers by the day they were received
-- (docs/scorecard.md); the index carries every column the aggregate reads,
-- so that a year of a large unit is an index-only scan.
CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at)
    INCLUDE (procedure_code, status, channel, due_at, finished_at, returned_at, digitized, e_result,
             reused_data, has_fee, paid_online, synced_national, apology_issued_at, apology_late);

-- +goose Down
DROP INDEX dossiers_unit_received;
