package store

import (
	"context"
	"fmt"
	"time"
)

// LoadSpec describes made-up dossiers for the scorecard's benchmark and the
// load command (README, "Performance").
type LoadSpec struct {
	Unit   string // their unit
	Prefix string // the n-th dossier's code is Prefix and n in seven digits
	Phone  string // the applicant's phone of every one (normalised)
	// From and To number the dossiers added: From, From+1, … To-1.
	From, To int
	// First is the first reception: they are received over the year from
	// it, the last month's partly still running, the rest ended.
	First time.Time
	// Events gives each dossier its steps: received, in progress, and the
	// last one (the status it ended with).
	Events bool
	// Ratings rates half the returned dossiers (those whose number ends in
	// 0 or 3), on the web, as their applicants would.
	Ratings bool
}

// loadChunk is how many dossiers one INSERT … SELECT adds.
const loadChunk = 50000

// LoadDossiers adds the dossiers of spec in a few INSERT … SELECT
// statements over a generated series, then rebuilds the scorecard's tally,
// refreshes the planner's statistics, as autovacuum would, and writes the
// new dossiers' views (for tracking). A running
// dossier's due date is five calendar days, not counted with the working-day
// calendar, so those still running are marked as given by another system
// (due_fixed): the start-up recount leaves them alone, as it leaves a real
// store's dates it counted itself.
func (db *DB) LoadDossiers(ctx context.Context, spec LoadSpec) error {
	if spec.To <= spec.From {
		return nil
	}
	pg := db.dialect == Postgres
	if pg {
		// The trigger that tallies ended dossiers is off for the load; the
		// tally is rebuilt in one statement after it.
		// So are those that delete a changed dossier's view (migration
		// 00018): the loaded dossiers are new and have none.
		for _, q := range loadTriggers {
			if _, err := db.x.ExecContext(ctx, `ALTER TABLE `+q.table+` DISABLE TRIGGER `+q.trigger); err != nil {
				return fmt.Errorf("store: load dossiers: %w", err)
			}
		}
	}
	err := db.loadDossiers(ctx, spec)
	if pg {
		for _, q := range loadTriggers {
			if _, e := db.x.ExecContext(ctx, `ALTER TABLE `+q.table+` ENABLE TRIGGER `+q.trigger); err == nil && e != nil {
				err = fmt.Errorf("store: load dossiers: %w", e)
			}
		}
	}
	if err != nil {
		return err
	}
	if err := db.RebuildScorecardDays(ctx); err != nil {
		return err
	}
	// The views are built once the planner knows the new rows: without
	// statistics PostgreSQL reads every event for each batch.
	analyse := []string{`ANALYZE`}
	if pg {
		analyse = []string{`VACUUM ANALYZE dossiers`, `ANALYZE dossier_events`, `ANALYZE ratings`}
	}
	if err := db.exec(ctx, analyse...); err != nil {
		return err
	}
	if _, err := db.BuildViews(ctx); err != nil {
		return err
	}
	if pg {
		return db.exec(ctx, `VACUUM ANALYZE dossier_views`)
	}
	return db.exec(ctx, `ANALYZE dossier_views`)
}

// exec runs the loader's maintenance statements in turn.
func (db *DB) exec(ctx context.Context, qs ...string) error {
	for _, q := range qs {
		if _, err := db.x.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: load dossiers: %s: %w", q, err)
		}
	}
	return nil
}

// The PostgreSQL triggers LoadDossiers turns off while it loads, by table.
var loadTriggers = []struct{ table, trigger string }{
	{"dossiers", "dossiers_scorecard"},
	{"dossier_events", "dossier_views_stale"},
}

func (db *DB) loadDossiers(ctx context.Context, spec LoadSpec) error {
	pg := db.dialect == Postgres
	var first any = spec.First.UTC()
	if !pg {
		first = spec.First.UTC().Format(time.DateTime) // for datetime()
	}
	dossiers, events, ratings := loadSQL(pg)
	for lo := spec.From; lo < spec.To; lo += loadChunk {
		hi := min(lo+loadChunk, spec.To)
		if _, err := db.x.ExecContext(ctx, dossiers, lo, hi, first, spec.Prefix, spec.Unit, spec.Phone); err != nil {
			return fmt.Errorf("store: load dossiers: %w", err)
		}
		if spec.Events {
			for _, q := range events {
				if _, err := db.x.ExecContext(ctx, q, lo, hi, spec.Prefix); err != nil {
					return fmt.Errorf("store: load dossier events: %w", err)
				}
			}
		}
		if spec.Ratings {
			if _, err := db.x.ExecContext(ctx, ratings, lo, hi, spec.Prefix); err != nil {
				return fmt.Errorf("store: load ratings: %w", err)
			}
		}
	}
	return nil
}

// loadSQL is the dialect's INSERT of dossiers numbered $1 to $2-1 received
// over the year from $3, coded $4 and the number, of unit $5 and phone $6;
// its three INSERTs of those dossiers' events, and its INSERT of their
// ratings (the same $1, $2, and $4 as $3).
func loadSQL(pg bool) (string, []string, string) {
	var q string
	if pg {
		q = `WITH procs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, COUNT(*) OVER () AS n FROM procedures),
		g AS (SELECT i, $3::timestamptz + (i % 365) * interval '1 day' + (i % 540) * interval '1 minute' AS rec FROM generate_series($1::int, $2::int - 1) AS i)
		INSERT INTO dossiers (code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, channel, status,
			received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result, reused_data,
			has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason, apology_late, created_at, updated_at)
		SELECT $4::text || lpad(g.i::text, 7, '0'), p.code, $5, 'Nguyễn Văn An', 'nguyen van an', $6,
			(ARRAY['counter', 'counter', 'online', 'post'])[1 + g.i % 4],
			CASE WHEN g.i % 365 >= 335 THEN (ARRAY['returned', 'done', 'in_progress', 'received', 'supplement', 'payment', 'withdrawn', 'refused', 'in_progress', 'returned'])[1 + g.i % 10]
				ELSE (ARRAY['returned', 'done', 'returned', 'returned', 'done', 'done', 'withdrawn', 'refused', 'stopped', 'returned'])[1 + g.i % 10] END,
			g.rec, g.rec + interval '5 days', 5, g.i % 365 >= 335,
			CASE WHEN g.i % 10 IN (0, 1, 5, 9) THEN g.rec + (g.i % 7) * interval '1 day' END,
			CASE WHEN g.i % 10 IN (0, 2, 3, 9) THEN g.rec + (g.i % 7) * interval '1 day' + interval '2 hours' END,
			g.i % 5 <> 0, g.i % 3 = 0, g.i % 7 = 0, g.i % 4 = 1, g.i % 8 = 1, g.i % 10 < 7,
			CASE WHEN g.i % 13 = 0 THEN g.rec + interval '4 days' END,
			CASE WHEN g.i % 13 = 0 THEN g.rec + interval '8 days' END,
			CASE WHEN g.i % 13 = 0 THEN 'Chờ ý kiến của cơ quan phối hợp' ELSE '' END, g.i % 26 = 0,
			g.rec, g.rec
		FROM g JOIN procs p ON p.i = g.i % p.n`
	} else {
		q = `WITH RECURSIVE g(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < ?2),
		procs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, COUNT(*) OVER () AS n FROM procedures),
		s AS (SELECT i, datetime(?3, '+' || (i % 365) || ' days', '+' || (i % 540) || ' minutes') AS rec FROM g)
		INSERT INTO dossiers (code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, channel, status,
			received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result, reused_data,
			has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason, apology_late, created_at, updated_at)
		SELECT ?4 || printf('%07d', s.i), p.code, ?5, 'Nguyễn Văn An', 'nguyen van an', ?6,
			CASE s.i % 4 WHEN 2 THEN 'online' WHEN 3 THEN 'post' ELSE 'counter' END,
			CASE WHEN s.i % 365 >= 335 THEN json_extract('["returned","done","in_progress","received","supplement","payment","withdrawn","refused","in_progress","returned"]', '$[' || (s.i % 10) || ']')
				ELSE json_extract('["returned","done","returned","returned","done","done","withdrawn","refused","stopped","returned"]', '$[' || (s.i % 10) || ']') END,
			s.rec, datetime(s.rec, '+5 days'), 5, s.i % 365 >= 335,
			CASE WHEN s.i % 10 IN (0, 1, 5, 9) THEN datetime(s.rec, '+' || (s.i % 7) || ' days') END,
			CASE WHEN s.i % 10 IN (0, 2, 3, 9) THEN datetime(s.rec, '+' || (s.i % 7) || ' days', '+2 hours') END,
			s.i % 5 <> 0, s.i % 3 = 0, s.i % 7 = 0, s.i % 4 = 1, s.i % 8 = 1, s.i % 10 < 7,
			CASE WHEN s.i % 13 = 0 THEN datetime(s.rec, '+4 days') END,
			CASE WHEN s.i % 13 = 0 THEN datetime(s.rec, '+8 days') END,
			CASE WHEN s.i % 13 = 0 THEN 'Chờ ý kiến của cơ quan phối hợp' ELSE '' END, s.i % 26 = 0,
			s.rec, s.rec
		FROM s JOIN procs p ON p.i = s.i % p.n`
	}
	// Every dossier was received; most moved on; the finished ones have
	// their last step. The range of codes finds the chunk's dossiers by the
	// primary key.
	lower, upper := `$3::text || lpad($1::text, 7, '0')`, `$3::text || lpad($2::text, 7, '0')`
	plus := func(col, d string) string { return col + " + interval '" + d + "'" }
	if !pg {
		lower, upper = `?3 || printf('%07d', ?1)`, `?3 || printf('%07d', ?2)`
		plus = func(col, d string) string { return "datetime(" + col + ", '+" + d + "')" }
	}
	var evs []string
	for _, ev := range []string{
		`SELECT code, received_at, 'received', '', 'Trần Thị Bình' FROM dossiers`,
		`SELECT code, ` + plus("received_at", "3 hours") + `, 'in_progress', 'Chuyển phòng chuyên môn', 'Trần Thị Bình' FROM dossiers`,
		`SELECT code, COALESCE(finished_at, ` + plus("received_at", "1 day") + `), status, '', 'Lê Văn Cường' FROM dossiers`,
	} {
		evs = append(evs, `INSERT INTO dossier_events (dossier_code, at, status, note, actor) `+ev+
			` WHERE code >= `+lower+` AND code < `+upper+` ON CONFLICT DO NOTHING`)
	}
	rate := `INSERT INTO ratings (kind, dossier_code, unit_code, service_code, channel, overall, answers, comment, satisfied, low, created_at)
		SELECT 'dossier', code, unit_code, procedure_code, 'web', ascii(right(code, 1)) % 3, '{"overall":2}', '', true, false, returned_at
		FROM dossiers WHERE code >= ` + lower + ` AND code < ` + upper + ` AND returned_at IS NOT NULL AND right(code, 1) IN ('0', '3')
		ON CONFLICT DO NOTHING`
	if !pg {
		rate = `INSERT INTO ratings (kind, dossier_code, unit_code, service_code, channel, overall, answers, comment, satisfied, low, created_at)
		SELECT 'dossier', code, unit_code, procedure_code, 'web', unicode(substr(code, -1)) % 3, '{"overall":2}', '', true, false, returned_at
		FROM dossiers WHERE code >= ` + lower + ` AND code < ` + upper + ` AND returned_at IS NOT NULL AND substr(code, -1) IN ('0', '3')
		ON CONFLICT DO NOTHING`
	}
	return q, evs, rate
}
