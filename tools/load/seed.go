package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/unit"
)

// The load's unit, office and applicant: every dossier has the same phone,
// which is what the tracking lookup compares against.
const (
	loadUnit   = "TB"
	loadOffice = "TB-MC"
	loadPhone  = "+84912345678"
	loadAsked  = "0912 345 678" // as a citizen types it
)

// fixture is what the seeding leaves for the load generator.
type fixture struct {
	dossiers     int
	procedures   []string // codes of the catalog
	services     []string // queue services of the office
	kioskSecrets []string // one per kiosk
	counterIDs   []int64
	counterToken string
}

// dossierCode is the i-th dossier's code (valid for dossier.ValidCode).
func dossierCode(i int) string { return fmt.Sprintf("000.00.31.H42-LOAD-%07d", i) }

// openApp opens the store at url the way the portal does (migrations
// included) with the bundled catalog imported.
func openApp(ctx context.Context, url, dataDir string) (*app.App, error) {
	cfg, err := config.FromEnv(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "MOTCUA_DATA_DIR":
			return dataDir
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// seed fills a fresh store: the bundled catalog, a unit with its office
// (three services, four counters), the kiosks, a counter token, dossiers
// with their events, a day of tickets and ratings.
func seed(ctx context.Context, e *app.App, dossiers, kiosks, ticketsToday int, logf func(string, ...any)) (fixture, error) {
	var f fixture
	if _, err := e.Catalog.SeedIfEmpty(ctx); err != nil {
		return f, fmt.Errorf("catalog: %w", err)
	}
	for _, p := range e.Catalog.All() {
		f.procedures = append(f.procedures, p.Code)
	}
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: loadUnit, Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			return f, fmt.Errorf("unit %s: %w", u.Code, err)
		}
	}
	if _, err := e.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: loadOffice, Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: loadUnit,
		// Open day and night (holidays still close it): a load run issues
		// numbers whatever the hour it runs at.
		Hours: queue.AlwaysOpen()}); err != nil {
		return f, fmt.Errorf("office: %w", err)
	}
	for i, s := range []queue.Service{
		{Code: "hotich", NameVi: "Hộ tịch – Chứng thực", NameEn: "Civil status – Certification", Prefix: "A", Fields: []string{"Hộ tịch"}},
		{Code: "datdai", NameVi: "Đất đai – Xây dựng", NameEn: "Land – Construction", Prefix: "B", Fields: []string{"Đất đai"}},
		{Code: "kinhdoanh", NameVi: "Kinh doanh – Lĩnh vực khác", NameEn: "Business – Other matters", Prefix: "C", Fields: []string{"Bảo trợ xã hội"}},
	} {
		s.OfficeCode, s.Position = loadOffice, i
		if _, err := e.Queue.CreateService(ctx, staff.Operator(), s); err != nil {
			return f, fmt.Errorf("service %s: %w", s.Code, err)
		}
		f.services = append(f.services, s.Code)
	}
	for n := 1; n <= 4; n++ {
		c, err := e.Queue.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: loadOffice, Number: n, Name: fmt.Sprintf("Quầy %d", n), Services: f.services})
		if err != nil {
			return f, fmt.Errorf("counter %d: %w", n, err)
		}
		f.counterIDs = append(f.counterIDs, c.ID)
	}
	admin := actor.Actor{Kind: actor.Staff, ID: 1, Name: "load", Role: actor.RoleAdmin}
	for i := 0; i < kiosks; i++ {
		_, secret, err := e.Queue.EnrolKiosk(ctx, admin, loadOffice, fmt.Sprintf("Kiosk %d", i+1))
		if err != nil {
			return f, fmt.Errorf("kiosk: %w", err)
		}
		f.kioskSecrets = append(f.kioskSecrets, secret)
	}
	_, tok, err := e.Staff.CreateToken(ctx, loadUnit, []string{"counter"}, "load counter")
	if err != nil {
		return f, fmt.Errorf("counter token: %w", err)
	}
	f.counterToken = tok
	t0 := time.Now()
	if err := addDossiers(ctx, e.DB, 0, dossiers); err != nil {
		return f, err
	}
	f.dossiers = dossiers
	logf("seed: %d dossiers with their events in %s", dossiers, time.Since(t0).Round(time.Millisecond))
	// A day of tickets, issued as the kiosks issue them, and one in three
	// of them rated.
	if len(f.kioskSecrets) > 0 {
		k, err := e.Queue.KioskActor(ctx, f.kioskSecrets[0])
		if err != nil {
			return f, err
		}
		t0 = time.Now()
		for i := 0; i < ticketsToday; i++ {
			if _, err := e.Queue.Issue(ctx, k, loadOffice, f.services[i%len(f.services)], ""); err != nil {
				return f, fmt.Errorf("ticket: %w", err)
			}
		}
		logf("seed: %d tickets in %s", ticketsToday, time.Since(t0).Round(time.Millisecond))
	}
	if err := addRatings(ctx, e.DB); err != nil {
		return f, err
	}
	return f, nil
}

// addDossiers inserts dossiers from..to-1 with two or three events each, in
// a few INSERT … SELECT statements over a generated series (a year of
// receptions, the last month's partly still running). The scorecard's tally
// is rebuilt after it. Their due dates are five calendar days, not counted
// with the working-day calendar, so those still running are marked as given
// by another system (due_fixed): the start-up recount leaves them alone, as
// it would leave a real store whose dates it counted itself.
func addDossiers(ctx context.Context, db *store.DB, from, to int) error {
	if to <= from {
		return nil
	}
	x := db.SQL()
	pg := db.Dialect() == store.Postgres
	first := time.Now().UTC().AddDate(-1, 0, 0).Truncate(time.Hour)
	const chunk = 50000
	for lo := from; lo < to; lo += chunk {
		hi := min(lo+chunk, to)
		var q string
		if pg {
			q = `WITH procs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, COUNT(*) OVER () AS n FROM procedures),
			g AS (SELECT i, $3::timestamptz + (i % 365) * interval '1 day' + (i % 540) * interval '1 minute' AS rec FROM generate_series($1::int, $2::int - 1) AS i)
			INSERT INTO dossiers (code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, channel, status,
				received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result, reused_data,
				has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason, apology_late, created_at, updated_at)
			SELECT '000.00.31.H42-LOAD-' || lpad(g.i::text, 7, '0'), p.code, 'TB', 'Nguyễn Văn An', 'nguyen van an', '` + loadPhone + `',
				(ARRAY['counter', 'counter', 'online', 'post'])[1 + g.i % 4],
				CASE WHEN g.i % 365 >= 335 THEN (ARRAY['returned', 'done', 'in_progress', 'received', 'supplement', 'payment', 'withdrawn', 'refused', 'in_progress', 'returned'])[1 + g.i % 10]
					ELSE (ARRAY['returned', 'done', 'returned', 'returned', 'done', 'done', 'withdrawn', 'refused', 'stopped', 'returned'])[1 + g.i % 10] END,
				g.rec, g.rec + interval '5 days', 5, g.i % 365 >= 335,
				CASE WHEN g.i % 10 IN (0, 1, 5, 9) THEN g.rec + (g.i % 7) * interval '1 day' END,
				CASE WHEN g.i % 10 IN (0, 2, 3, 9) THEN g.rec + (g.i % 7) * interval '1 day' + interval '2 hours' END,
				g.i % 5 <> 0, g.i % 3 = 0, g.i % 7 = 0, g.i % 4 = 1, g.i % 8 = 1, g.i % 10 < 7,
				CASE WHEN g.i % 13 = 0 THEN g.rec + interval '4 days' END,
				CASE WHEN g.i % 13 = 0 THEN g.rec + interval '8 days' END,
				CASE WHEN g.i % 13 = 0 THEN 'Chờ ý kiến của cơ quan phối hợp' ELSE '' END, false,
				g.rec, g.rec
			FROM g JOIN procs p ON p.i = g.i % p.n`
		} else {
			q = `WITH RECURSIVE g(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < $2),
			procs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, COUNT(*) OVER () AS n FROM procedures),
			s AS (SELECT i, datetime($3, '+' || (i % 365) || ' days', '+' || (i % 540) || ' minutes') AS rec FROM g)
			INSERT INTO dossiers (code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, channel, status,
				received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result, reused_data,
				has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason, apology_late, created_at, updated_at)
			SELECT '000.00.31.H42-LOAD-' || printf('%07d', s.i), p.code, 'TB', 'Nguyễn Văn An', 'nguyen van an', '` + loadPhone + `',
				CASE s.i % 4 WHEN 2 THEN 'online' WHEN 3 THEN 'post' ELSE 'counter' END,
				CASE WHEN s.i % 365 >= 335 THEN json_extract('["returned","done","in_progress","received","supplement","payment","withdrawn","refused","in_progress","returned"]', '$[' || (s.i % 10) || ']')
					ELSE json_extract('["returned","done","returned","returned","done","done","withdrawn","refused","stopped","returned"]', '$[' || (s.i % 10) || ']') END,
				s.rec, datetime(s.rec, '+5 days'), 5, s.i % 365 >= 335,
				CASE WHEN s.i % 10 IN (0, 1, 5, 9) THEN datetime(s.rec, '+' || (s.i % 7) || ' days') END,
				CASE WHEN s.i % 10 IN (0, 2, 3, 9) THEN datetime(s.rec, '+' || (s.i % 7) || ' days', '+2 hours') END,
				s.i % 5 <> 0, s.i % 3 = 0, s.i % 7 = 0, s.i % 4 = 1, s.i % 8 = 1, s.i % 10 < 7,
				CASE WHEN s.i % 13 = 0 THEN datetime(s.rec, '+4 days') END,
				CASE WHEN s.i % 13 = 0 THEN datetime(s.rec, '+8 days') END,
				CASE WHEN s.i % 13 = 0 THEN 'Chờ ý kiến của cơ quan phối hợp' ELSE '' END, false,
				s.rec, s.rec
			FROM s JOIN procs p ON p.i = s.i % p.n`
		}
		if !pg {
			q = sqliteParams(q)
		}
		if _, err := x.ExecContext(ctx, q, lo, hi, first.Format("2006-01-02 15:04:05")); err != nil {
			return fmt.Errorf("insert dossiers: %w", err)
		}
		// Every dossier was received; most moved on; the finished ones
		// have their last step.
		lower, upper := "'000.00.31.H42-LOAD-' || lpad($1::text, 7, '0')", "'000.00.31.H42-LOAD-' || lpad($2::text, 7, '0')"
		if !pg {
			lower, upper = "'000.00.31.H42-LOAD-' || printf('%07d', $1)", "'000.00.31.H42-LOAD-' || printf('%07d', $2)"
		}
		plus := func(col, d string) string {
			if pg {
				return col + " + interval '" + d + "'"
			}
			return "datetime(" + col + ", '+" + d + "')"
		}
		for _, ev := range []string{
			`SELECT code, received_at, 'received', '', 'Trần Thị Bình' FROM dossiers`,
			`SELECT code, ` + plus("received_at", "3 hours") + `, 'in_progress', 'Chuyển phòng chuyên môn', 'Trần Thị Bình' FROM dossiers`,
			`SELECT code, COALESCE(finished_at, ` + plus("received_at", "1 day") + `), status, '', 'Lê Văn Cường' FROM dossiers`,
		} {
			q := `INSERT INTO dossier_events (dossier_code, at, status, note, actor) ` + ev +
				` WHERE code >= ` + lower + ` AND code < ` + upper + ` AND code LIKE '000.00.31.H42-LOAD-%' ON CONFLICT DO NOTHING`
			if !pg {
				q = sqliteParams(q)
			}
			if _, err := x.ExecContext(ctx, q, lo, hi); err != nil {
				return fmt.Errorf("insert events: %w", err)
			}
		}
	}
	if err := db.RebuildScorecardDays(ctx); err != nil {
		return err
	}
	if pg {
		_, err := x.ExecContext(ctx, `ANALYZE dossiers; ANALYZE dossier_events`)
		return err
	}
	_, err := x.ExecContext(ctx, `ANALYZE`)
	return err
}

// addRatings rates one finished dossier in three.
func addRatings(ctx context.Context, db *store.DB) error {
	q := `INSERT INTO ratings (kind, dossier_code, unit_code, service_code, channel, overall, answers, comment, satisfied, low, created_at)
		SELECT 'dossier', code, unit_code, procedure_code, 'web', (length(code) + unicode(substr(code, -1))) % 3, '{"overall":2}', '', true, false, returned_at
		FROM dossiers WHERE returned_at IS NOT NULL AND substr(code, -1) IN ('1', '4', '7') ON CONFLICT DO NOTHING`
	if db.Dialect() == store.Postgres {
		q = `INSERT INTO ratings (kind, dossier_code, unit_code, service_code, channel, overall, answers, comment, satisfied, low, created_at)
		SELECT 'dossier', code, unit_code, procedure_code, 'web', ascii(right(code, 1)) % 3, '{"overall":2}', '', true, false, returned_at
		FROM dossiers WHERE returned_at IS NOT NULL AND right(code, 1) IN ('1', '4', '7') ON CONFLICT DO NOTHING`
	}
	if _, err := db.SQL().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("insert ratings: %w", err)
	}
	return nil
}

// sqliteParams writes $n parameters as SQLite's ?n.
func sqliteParams(q string) string {
	return strings.NewReplacer("$1", "?1", "$2", "?2", "$3", "?3").Replace(q)
}
