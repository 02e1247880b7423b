package store

import (
	"context"
	"fmt"
	"time"
)

// BenchLoadDossiers adds n made-up dossiers to a unit, received over the
// year from first, in one INSERT … SELECT (the last month's still partly
// running, the rest ended, as a real year looks): the scorecard's benchmark needs a
// million of them in seconds. PostgreSQL only; it vacuums and analyses the
// table afterwards, as autovacuum would in production.
func (db *DB) BenchLoadDossiers(ctx context.Context, unitCode string, n int, first time.Time) error {
	if db.dialect != Postgres {
		return fmt.Errorf("store: bench load: PostgreSQL only")
	}
	// The triggers that tally ended dossiers are off for the load, and the
	// tally is rebuilt in one statement after it.
	if _, err := db.x.ExecContext(ctx, `ALTER TABLE dossiers DISABLE TRIGGER dossiers_scorecard`); err != nil {
		return fmt.Errorf("store: bench load: %w", err)
	}
	_, err := db.x.ExecContext(ctx, `
		WITH procs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, COUNT(*) OVER () AS n FROM procedures),
		g AS (SELECT i, $3::timestamptz + (i % 365) * interval '1 day' + (i % 540) * interval '1 minute' AS rec
			FROM generate_series(1, $2::int) AS i)
		INSERT INTO dossiers (code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, channel, status,
			received_at, due_at, processing_days, finished_at, returned_at, digitized, e_result, reused_data,
			has_fee, paid_online, synced_national, apology_issued_at, apology_late, created_at, updated_at)
		SELECT 'BENCH-' || g.i, p.code, $1, 'Nguyễn Văn An', 'nguyen van an', '+84912345678',
			(ARRAY['counter', 'counter', 'online', 'post'])[1 + g.i % 4],
			CASE WHEN g.i % 365 >= 335 THEN (ARRAY['returned', 'done', 'in_progress', 'received', 'supplement', 'payment', 'withdrawn', 'refused', 'in_progress', 'returned'])[1 + g.i % 10]
				ELSE (ARRAY['returned', 'done', 'returned', 'returned', 'supplement', 'done', 'withdrawn', 'refused', 'stopped', 'returned'])[1 + g.i % 10] END,
			g.rec, g.rec + interval '5 days', 3,
			CASE WHEN g.i % 10 IN (0, 1, 9) THEN g.rec + (g.i % 7) * interval '1 day' END,
			CASE WHEN g.i % 10 IN (0, 9) THEN g.rec + (g.i % 7) * interval '1 day' + interval '2 hours' END,
			g.i % 5 <> 0, g.i % 3 = 0, g.i % 7 = 0, g.i % 4 = 1, g.i % 8 = 1, g.i % 10 < 7,
			CASE WHEN g.i % 13 = 0 THEN g.rec + interval '4 days' END, g.i % 26 = 0,
			g.rec, g.rec
		FROM g JOIN procs p ON p.i = g.i % p.n`, unitCode, n, first.UTC())
	if err != nil {
		return fmt.Errorf("store: bench load: %w", err)
	}
	if _, err := db.x.ExecContext(ctx, `ALTER TABLE dossiers ENABLE TRIGGER dossiers_scorecard`); err != nil {
		return fmt.Errorf("store: bench load: %w", err)
	}
	if err := db.RebuildScorecardDays(ctx); err != nil {
		return err
	}
	if _, err := db.x.ExecContext(ctx, `VACUUM ANALYZE dossiers`); err != nil {
		return fmt.Errorf("store: bench load: vacuum: %w", err)
	}
	return nil
}
