package dossier_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// A code another system took through sync, in the desk's own format, is
// passed over: reception never answers 409 because of it.
func TestReceptionPassesOverCodesTakenBySync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		first := f.receive(t, "P3")
		if first.Code != "000.00.31.H42-260505-0001" {
			t.Fatalf("first code = %s", first.Code)
		}
		for _, n := range []int{2, 3, 5} {
			code := fmt.Sprintf("000.00.31.H42-260505-%04d", n)
			if _, _, err := f.svc.Sync(ctx, syncTB, code, encode(t, body())); err != nil {
				t.Fatalf("sync %s: %v", code, err)
			}
		}
		var got []string
		for range 3 {
			got = append(got, f.receive(t, "P3").Code)
		}
		want := []string{"000.00.31.H42-260505-0004", "000.00.31.H42-260505-0006", "000.00.31.H42-260505-0007"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("codes after sync took 2, 3 and 5 = %v, want %v", got, want)
		}
		for _, code := range []string{"000.00.31.H42-260505-0002", "000.00.31.H42-260505-0005"} {
			if d, err := f.svc.Get(ctx, admin, code); err != nil || d.Events[0].Actor != "sync:legacy" {
				t.Errorf("synced dossier %s was changed: %+v, %v", code, d, err)
			}
		}
	})
}

// Syncs taking the next codes race with receptions at the desk: every
// reception succeeds and no code is given twice.
func TestReceptionRacesSyncOfDeskCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		const n = 12
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		for i := 1; i <= n; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				code := fmt.Sprintf("000.00.31.H42-260505-%04d", 2*i)
				if _, _, err := f.svc.Sync(ctx, syncTB, code, encode(t, body())); err != nil && apperr.CodeOf(err) != apperr.Conflict {
					t.Errorf("sync %s: %v", code, err)
				}
			}()
			go func() {
				defer wg.Done()
				d, err := f.svc.Receive(ctx, deskTB, dossier.Reception{UnitCode: "TB", ProcedureCode: "P3",
					Applicant: dossier.Applicant{Name: "Trần Thị Bình", Phone: "0912345678"}, Channel: dossier.Counter})
				if err != nil {
					t.Errorf("reception: %v", err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if seen[d.Code] {
					t.Errorf("code %s given twice", d.Code)
				}
				seen[d.Code] = true
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("%d receptions succeeded, want %d", len(seen), n)
		}
	})
}

// The unit and the procedure of a synced dossier may not be empty.
func TestSyncRefusesEmptyUnitAndProcedure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		for _, name := range []string{"unit", "procedure_code"} {
			for _, v := range []string{"", "   "} {
				m := body()
				m[name] = v
				_, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m))
				ae := apperr.As(err)
				if ae.Code != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != name {
					t.Errorf("%s %q: err = %v (%+v), want invalid on %s", name, v, err, ae.Fields, name)
				}
				if _, err := f.svc.Get(ctx, admin, syncCode); !apperr.IsNotFound(err) {
					t.Errorf("%s %q: something was written: %v", name, v, err)
				}
			}
		}
	})
}
