package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func countViews(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM dossier_views`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func hasView(t *testing.T, db *store.DB, code string) bool {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), db.SQLx().Rebind(`SELECT COUNT(*) FROM dossier_views WHERE code = ?`), code).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// sameAsTables checks that tracking code (through its view, when it has
// one) gives what the dossier's own tables give.
func sameAsTables(t *testing.T, db *store.DB, code, phone string) dossier.Tracked {
	t.Helper()
	ctx := context.Background()
	got, err := db.TrackDossier(ctx, code, phone)
	if err != nil {
		t.Fatalf("track %s: %v", code, err)
	}
	want, err := db.TrackFull(ctx, code, phone)
	if err != nil {
		t.Fatalf("track %s from its tables: %v", code, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tracking %s\n%+v\nits tables\n%+v", code, got, want)
	}
	return got
}

// Every change the store makes to a dossier rewrites its view in the same
// transaction, and tracking through the view gives what the dossier's
// tables give, but never its papers, identity number or who recorded a
// step.
func TestTrackingViewFollowsEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUnitTB(t, db)
		d := fullDossier("V-1")
		phone := d.Applicant.Phone
		if _, err := db.CreateDossier(ctx, d, nil, nil); err != nil {
			t.Fatal(err)
		}
		if !hasView(t, db, "V-1") {
			t.Fatal("a new dossier has no view")
		}
		got := sameAsTables(t, db, "V-1", phone)
		if got.Dossier.Papers != "" || got.Dossier.Applicant.IDNumber != "" || got.Dossier.Events[0].Actor != "" {
			t.Errorf("tracking returned what it never shows: %+v", got.Dossier)
		}
		if got.Dossier.Applicant.Name != d.Applicant.Name || got.Dossier.Apology == nil || len(got.Dossier.Events) != 2 {
			t.Errorf("tracking lost fields: %+v", got.Dossier)
		}

		cur, err := db.Dossier(ctx, "V-1")
		if err != nil {
			t.Fatal(err)
		}
		cur.Status = dossier.Supplement
		ev := dossier.Event{At: t0.Add(3 * time.Hour), Status: dossier.Supplement, Note: "Thiếu bản sao", Actor: "an"}
		cur.Events = append(cur.Events, ev)
		if err := db.UpdateDossier(ctx, cur, []dossier.Event{ev}, nil); err != nil {
			t.Fatal(err)
		}
		got = sameAsTables(t, db, "V-1", phone)
		if got.Dossier.Status != dossier.Supplement || len(got.Dossier.Events) != 3 || got.Dossier.Events[2].Note != "Thiếu bản sao" {
			t.Errorf("after the update: %+v", got.Dossier)
		}
		if !hasView(t, db, "V-1") {
			t.Error("an update left the dossier without its view")
		}

		if err := db.SetUnitContact(ctx, "TB", "12 Tiểu La, Hà Lam", "0235 3874 123"); err != nil {
			t.Fatal(err)
		}
		got = sameAsTables(t, db, "V-1", phone)
		if got.UnitAddress != "12 Tiểu La, Hà Lam" || got.UnitName != "Thăng Bình" {
			t.Errorf("unit contact %q %q", got.UnitName, got.UnitAddress)
		}

		for _, c := range []struct{ code, phone string }{{"V-1", "+84900000000"}, {"V-2", phone}, {"", phone}} {
			if _, err := db.TrackDossier(ctx, c.code, c.phone); !apperr.IsNotFound(err) {
				t.Errorf("track %q with %q: %v, want not found", c.code, c.phone, err)
			}
		}
	})
}

// A change made to a dossier by any other way than the store (an older
// instance during an upgrade, a fix by hand) deletes its view, and
// tracking reads the dossier's tables until the store writes it again.
func TestTrackingViewNeverOlderThanItsDossier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUnitTB(t, db)
		d := fullDossier("V-1")
		d.Status, d.Apology, d.FinishedAt, d.ReturnedAt = dossier.InProgress, nil, nil, nil
		if _, err := db.CreateDossier(ctx, d, nil, nil); err != nil {
			t.Fatal(err)
		}
		x := db.SQLx()
		if _, err := x.ExecContext(ctx, x.Rebind(`UPDATE dossiers SET status = 'done', version = version + 1 WHERE code = ?`), "V-1"); err != nil {
			t.Fatal(err)
		}
		if hasView(t, db, "V-1") {
			t.Fatal("a change outside the store kept the old view")
		}
		if got := sameAsTables(t, db, "V-1", d.Applicant.Phone); got.Dossier.Status != dossier.Done {
			t.Errorf("status %s, want done", got.Dossier.Status)
		}
		cur, _ := db.Dossier(ctx, "V-1")
		cur.Status = dossier.Returned
		if err := db.UpdateDossier(ctx, cur, nil, nil); err != nil {
			t.Fatal(err)
		}
		if !hasView(t, db, "V-1") {
			t.Fatal("the store's next change wrote no view")
		}
		if _, err := x.ExecContext(ctx, x.Rebind(`INSERT INTO dossier_events (dossier_code, at, status, note, actor) VALUES (?, ?, 'returned', 'Trả tận nhà', 'an')`),
			"V-1", t0.Add(99*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if hasView(t, db, "V-1") {
			t.Fatal("an event added outside the store kept the old view")
		}
		got := sameAsTables(t, db, "V-1", d.Applicant.Phone)
		if n := len(got.Dossier.Events); n != 3 || got.Dossier.Events[n-1].Note != "Trả tận nhà" {
			t.Errorf("events %+v", got.Dossier.Events)
		}
		// Folding names (a start-up chore) changes nothing tracking shows.
		if _, err := db.BuildViews(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := x.ExecContext(ctx, x.Rebind(`UPDATE dossiers SET applicant_fold = 'x' WHERE code = ?`), "V-1"); err != nil {
			t.Fatal(err)
		}
		if !hasView(t, db, "V-1") {
			t.Error("a change tracking does not show deleted the view")
		}
	})
}

// Dossiers stored before the views existed get them the first time the
// store opens after the migration, and only then.
func TestTrackingViewsBuiltForOldDossiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUnitTB(t, db)
		for i := range 1203 {
			d := fullDossier(fmt.Sprintf("OLD-%04d", i))
			d.Events = d.Events[:1+i%2]
			if _, err := db.CreateDossier(ctx, d, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		x := db.SQLx()
		if _, err := x.ExecContext(ctx, `DELETE FROM dossier_views`); err != nil {
			t.Fatal(err)
		}
		// Already built once: opening again leaves the store as it is.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countViews(t, db); n != 0 {
			t.Fatalf("%d views built again", n)
		}
		sameAsTables(t, db, "OLD-0007", "+84912345678")
		if _, err := x.ExecContext(ctx, `DELETE FROM dossier_views_built`); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countViews(t, db); n != 1203 {
			t.Fatalf("%d views, want 1203", n)
		}
		for _, c := range []string{"OLD-0000", "OLD-0499", "OLD-0500", "OLD-1202"} {
			sameAsTables(t, db, c, "+84912345678")
		}
	})
}

// Building views while the dossiers change, through the store and around
// it, never leaves a view older than its dossier.
func TestTrackingViewsBuiltWhileDossiersChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUnitTB(t, db)
		const n = 300
		for i := range n {
			d := fullDossier(fmt.Sprintf("RACE-%04d", i))
			d.Status, d.Apology, d.FinishedAt, d.ReturnedAt = dossier.InProgress, nil, nil, nil
			if _, err := db.CreateDossier(ctx, d, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		x := db.SQLx()
		if _, err := x.ExecContext(ctx, `DELETE FROM dossier_views`); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 4 {
					code := fmt.Sprintf("RACE-%04d", i)
					if i%2 == 0 {
						cur, err := db.Dossier(ctx, code)
						if err != nil {
							errs <- err
							return
						}
						cur.Status = dossier.Done
						ev := dossier.Event{At: t0.Add(5 * time.Hour), Status: dossier.Done, Note: "xong"}
						if err := db.UpdateDossier(ctx, cur, []dossier.Event{ev}, nil); err != nil {
							errs <- err
							return
						}
					} else if _, err := x.ExecContext(ctx, x.Rebind(`UPDATE dossiers SET status = 'payment', version = version + 1 WHERE code = ?`), code); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.BuildViews(ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for i := range n {
			got := sameAsTables(t, db, fmt.Sprintf("RACE-%04d", i), "+84912345678")
			want := dossier.Done
			if i%2 == 1 {
				want = dossier.Payment
			}
			if got.Dossier.Status != want {
				t.Errorf("RACE-%04d: %s, want %s", i, got.Dossier.Status, want)
			}
		}
	})
}
