package dossier_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/catalog"
	testclock "motcua/internal/clock"
	"motcua/internal/dossier"
	"motcua/internal/search"
	"motcua/internal/store"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// vn is Vietnamese time, in which the tests state their clocks.
var vn = workday.Location()

func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, vn) }

// clock is the shared test clock.
type clock = testclock.Manual

// fixture is a dossier service over a real store with a small catalog
// (P0 same day, P3 three working days, P10 ten, 1.001699 twenty-five) and units TB (agency code
// 000.00.31.H42), TB-HA (no agency code) and TB-BA.
type fixture struct {
	db    *store.DB
	svc   *dossier.Service
	clock *clock
}

// The actors of most tests: administrators of one unit, who may do all
// that the unit's staff may (the rules of each role are in who_test.go),
// the administrator of the whole portal, and TB's sync token.
var (
	deskTB = actor.Actor{Kind: actor.Staff, ID: 1, Name: "an.tb", Role: actor.RoleAdmin, Unit: "TB"}
	deskHA = actor.Actor{Kind: actor.Staff, ID: 2, Name: "binh.ha", Role: actor.RoleAdmin, Unit: "TB-HA"}
	admin  = actor.Actor{Kind: actor.Staff, ID: 3, Name: "admin", Role: actor.RoleAdmin}
	syncTB = actor.Actor{Kind: actor.Machine, ID: 1, Name: "legacy", Unit: "TB", Scopes: []string{actor.ScopeSync}}
)

func newFixture(t *testing.T, db *store.DB, start time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	c := testclock.At(start)
	cat := catalog.NewService(db, search.DefaultSynonyms(), c.Now)
	var procs []catalog.Procedure
	for _, p := range []struct {
		code string
		days int
	}{{"P0", 0}, {"P3", 3}, {"P10", 10}, {"1.001699", 25}} {
		procs = append(procs, catalog.Procedure{Code: p.code, Name: "Thủ tục " + p.code, Field: "Hộ tịch",
			Level: catalog.LevelDistrict, Agency: "UBND", ProcessingDays: p.days, Online: catalog.OnlineNone})
	}
	if _, err := cat.Import(ctx, procs, nil, catalog.ImportOptions{}); err != nil {
		t.Fatalf("import procedures: %v", err)
	}
	units := unit.NewService(db, c.Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"},
		{Code: "TB-HA", Name: "Thị trấn Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB"},
		{Code: "TB-BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB", AgencyCode: "000.32.31.H42"},
	} {
		if _, err := units.Add(ctx, u); err != nil {
			t.Fatalf("add unit %s: %v", u.Code, err)
		}
	}
	return &fixture{db: db, svc: dossier.NewService(db, cat, units, workday.Default(), c.Now), clock: c}
}

// receive receives a dossier for procedure proc at TB now.
func (f *fixture) receive(t *testing.T, proc string) dossier.Dossier {
	t.Helper()
	d, err := f.svc.Receive(context.Background(), deskTB, dossier.Reception{UnitCode: "TB", ProcedureCode: proc,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912 345 678"}, Channel: dossier.Counter, Papers: "Tờ khai"})
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return d
}

// move applies transitions in order, each an hour after the last.
func (f *fixture) move(t *testing.T, code string, path ...dossier.Status) dossier.Dossier {
	t.Helper()
	var d dossier.Dossier
	for _, st := range path {
		f.clock.Add(time.Hour)
		var err error
		if d, err = f.svc.Transition(context.Background(), deskTB, code, st, "ghi chú"); err != nil {
			t.Fatalf("move %s to %s: %v", code, st, err)
		}
	}
	return d
}
