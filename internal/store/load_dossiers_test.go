package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// loadSome loads n made-up dossiers of unit TB with their events and
// ratings, through the store's one bulk loader.
func loadSome(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	addUnitTB(t, db)
	if _, err := db.SaveProcedures(ctx, []catalog.Procedure{sampleProcedure("1.000894"), sampleProcedure("1.001193")}, t0, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadDossiers(ctx, store.LoadSpec{Unit: "TB", Prefix: "000.00.31.H42-LOAD-", Phone: "+84912345678",
		From: 0, To: n, First: t0, Events: true, Ratings: true}); err != nil {
		t.Fatal(err)
	}
}

// The one bulk loader gives every dossier its three steps, rates the
// returned ones whose number ends in 0 or 3, leaves the running ones'
// made-up due dates to "another system", and the dossiers it adds are
// tracked as any other.
func TestLoadDossiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 730
		loadSome(t, db, n)
		var dossiers, events, ratings, rateable, runningNotFixed int
		for q, dest := range map[string]*int{
			`SELECT COUNT(*) FROM dossiers`:       &dossiers,
			`SELECT COUNT(*) FROM dossier_events`: &events,
			`SELECT COUNT(*) FROM ratings`:        &ratings,
			`SELECT COUNT(*) FROM dossiers WHERE returned_at IS NOT NULL AND substr(code, length(code), 1) IN ('0', '3')`:          &rateable,
			`SELECT COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement', 'payment') AND NOT due_fixed`: &runningNotFixed,
		} {
			if err := db.SQL().QueryRowContext(ctx, q).Scan(dest); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if dossiers != n || events != 3*n || ratings != rateable || ratings == 0 || runningNotFixed != 0 {
			t.Errorf("dossiers %d events %d ratings %d (rateable %d) running not fixed %d, want %d, %d, all rateable, none",
				dossiers, events, ratings, rateable, runningNotFixed, n, 3*n)
		}
		// Loading the next ones adds to them.
		if err := db.LoadDossiers(ctx, store.LoadSpec{Unit: "TB", Prefix: "000.00.31.H42-LOAD-", Phone: "+84912345678",
			From: n, To: n + 10, First: t0, Events: true}); err != nil {
			t.Fatal(err)
		}
		for i, want := range map[int]bool{0: true, 3: true, n + 9: false} {
			code := fmt.Sprintf("000.00.31.H42-LOAD-%07d", i)
			tr, err := db.TrackDossier(ctx, code, "+84912345678")
			if err != nil {
				t.Fatalf("track %s: %v", code, err)
			}
			if len(tr.Events) != 3 || tr.Events[0].Status != dossier.Received || tr.UnitName == "" {
				t.Errorf("track %s = %+v, want its three events and its unit", code, tr)
			}
			if want && tr.Dossier.ReturnedAt != nil && !tr.Rated {
				t.Errorf("%s returned, not rated", code)
			}
		}
	})
}

// Tracking finds the dossier's view by its primary key, or the dossier by
// its primary key and its events by their index, and its rating by its
// index, at any volume: no table that grows is scanned. On SQLite the plan
// is read after ANALYZE wrote its samples (sqlite_stat4), as on a store that
// has run for a while.
func TestTrackingPlanUsesIndexes(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	loadSome(t, db, 2000)
	for _, c := range []struct {
		name, query string
		want        []string
	}{
		{"view", store.TrackViewQuery, []string{"SEARCH v USING PRIMARY KEY (code=?)", "SEARCH r USING INDEX"}},
		{"full", store.TrackFullQuery, []string{"SEARCH d USING INDEX sqlite_autoindex_dossiers_1 (code=?)", "SEARCH e USING INDEX", "SEARCH r USING INDEX"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := db.SQL().QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+c.query, "000.00.31.H42-LOAD-0000001", "+84912345678")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "\n")
			for _, want := range c.want {
				if !strings.Contains(all, want) {
					t.Errorf("plan lacks %q:\n%s", want, all)
				}
			}
			for _, p := range plan {
				// units, a few hundred rows at most, may be read whole.
				if strings.HasPrefix(p, "SCAN") && !strings.HasPrefix(p, "SCAN u ") {
					t.Errorf("plan scans: %q\n%s", p, all)
				}
			}
		})
	}
}

// Opening a large store does not walk its dossiers to find names still to
// fold: the look uses the partial index that holds only those.
func TestUnfoldedNamesPlanUsesIndex(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	loadSome(t, db, 2000)
	var id, parent, unused int
	var detail string
	if err := db.SQL().QueryRowContext(context.Background(), `EXPLAIN QUERY PLAN `+store.UnfoldedQuery).Scan(&id, &parent, &unused, &detail); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, "dossiers_unfolded") {
		t.Errorf("plan %q, want the partial index dossiers_unfolded", detail)
	}
}
