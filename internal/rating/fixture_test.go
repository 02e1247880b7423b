package rating_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	testclock "motcua/internal/clock"
	"motcua/internal/dossier"
	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/store"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

var vn = workday.Location()

// clock is the shared test clock.
type clock = testclock.Manual

// fixture: units TB (district) and TB-HA, a hall TB-HCC of TB with service
// A and counters 1 and 2, and a rating service over a real store.
type fixture struct {
	db       *store.DB
	svc      *rating.Service
	q        *queue.Manager
	clock    *clock
	counters []queue.Counter
}

const phone = "+84912345678"

var (
	citizen  = actor.Actor{Kind: actor.Citizen, Phone: phone}
	stranger = actor.Actor{Kind: actor.Citizen, Phone: "+84987654321"}
	chat     = actor.Actor{Kind: actor.Chat, ID: 42, Phone: phone}
	headTB   = actor.Actor{Kind: actor.Staff, ID: 1, Name: "head.tb", Role: actor.RoleHead, Unit: "TB"}
	headHA   = actor.Actor{Kind: actor.Staff, ID: 2, Name: "head.ha", Role: actor.RoleHead, Unit: "TB-HA"}
	clerkTB  = actor.Actor{Kind: actor.Staff, ID: 3, Name: "clerk.tb", Role: actor.RoleClerk, Unit: "TB"}
	officer  = actor.Actor{Kind: actor.Staff, ID: 4, Name: "officer.tb", Role: actor.RoleOfficer, Unit: "TB"}
	admin    = actor.Actor{Kind: actor.Staff, ID: 5, Name: "admin", Role: actor.RoleAdmin}
	tablet   = actor.Actor{Kind: actor.Machine, ID: 6, Name: "tablet", Unit: "TB", Scopes: []string{actor.ScopeCounter}}
	syncTB   = actor.Actor{Kind: actor.Machine, ID: 7, Name: "sync", Unit: "TB", Scopes: []string{actor.ScopeSync}}
)

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := testclock.At(time.Date(2026, 4, 29, 9, 0, 0, 0, vn))
	units := unit.NewService(db, c.Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
		{Code: "TB-HA", Name: "Thị trấn Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB"},
	} {
		if _, err := units.Add(ctx, u); err != nil {
			t.Fatalf("add unit: %v", err)
		}
	}
	bus := events.NewLocal()
	t.Cleanup(func() { bus.Close() })
	f := &fixture{db: db, clock: c, q: queue.NewManager(db, bus, c.Now, nil)}
	f.svc = rating.NewService(db, workday.Default(), rating.NewLinks(db, "", c.Now), c.Now)
	must(t, ignore(f.q.CreateOffice(ctx, operator, queue.Office{Code: "TB-HCC", Name: "Một cửa", UnitCode: "TB", PriorityRun: 3, DefaultMinutes: 8})))
	must(t, ignore(f.q.CreateService(ctx, operator, queue.Service{Code: "hotich", OfficeCode: "TB-HCC", NameVi: "Hộ tịch", Prefix: "A"})))
	for n := 1; n <= 2; n++ {
		ctr, err := f.q.CreateCounter(ctx, operator, queue.Counter{OfficeCode: "TB-HCC", Number: n, Name: "Quầy", Services: []string{"hotich"}})
		must(t, err)
		f.counters = append(f.counters, ctr)
	}
	return f
}

func ignore[T any](_ T, err error) error { return err }

// dossier stores a dossier of unit in the given status, its result
// recorded by officer.tb.
func (f *fixture) dossier(t testing.TB, code, unitCode string, st dossier.Status) dossier.Dossier {
	t.Helper()
	now := f.clock.Now().UTC()
	d := dossier.Dossier{Code: code, ProcedureCode: "1.000001", UnitCode: unitCode,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: phone}, Channel: dossier.Counter, Status: st,
		ReceivedAt: now.Add(-48 * time.Hour), DueAt: now.Add(48 * time.Hour), ProcessingDays: 3,
		Events: []dossier.Event{{At: now.Add(-48 * time.Hour), Status: dossier.Received, Actor: "clerk.tb"}}}
	if st == dossier.Done || st == dossier.Returned {
		d.FinishedAt = &now
		d.Events = append(d.Events, dossier.Event{At: now.Add(-time.Hour), Status: dossier.Done, Actor: "officer.tb"})
	}
	if st == dossier.Returned {
		d.ReturnedAt = &now
		d.Events = append(d.Events, dossier.Event{At: now, Status: dossier.Returned, Actor: "clerk.tb"})
	}
	out, err := f.db.CreateDossier(context.Background(), d, nil, nil)
	must(t, err)
	return out
}

// visit issues a ticket and has counter i call it and, if finish, finish it.
func (f *fixture) visit(t testing.TB, i int, finish bool) queue.Ticket {
	t.Helper()
	ctx := context.Background()
	v, err := f.q.Issue(ctx, actor.Anon(), "TB-HCC", "hotich", "")
	must(t, err)
	f.clock.Add(time.Minute)
	tk, err := f.q.Act(ctx, operator, f.counters[i].ID, queue.Action{Name: "next"})
	must(t, err)
	if tk.ID != v.Ticket.ID {
		t.Fatalf("called %s, want %s", tk.Number, v.Ticket.Number)
	}
	if finish {
		f.clock.Add(time.Minute)
		tk, err = f.q.Act(ctx, operator, f.counters[i].ID, queue.Action{Name: "done", Ticket: tk.ID})
		must(t, err)
	}
	return tk
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err error, code apperr.Code, id string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s (%s)", code, id)
	}
	ae := apperr.As(err)
	if ae.Code != code || (id != "" && ae.MessageID != id) {
		t.Fatalf("got %s (%s), want %s (%s): %v", ae.Code, ae.MessageID, code, id, err)
	}
}

func in(answers map[string]int) rating.Input {
	return rating.Input{Answers: answers, Channel: rating.ChannelWeb}
}

func (f *fixture) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

// operator works every counter: the administrator of the whole portal.
var operator = actor.Actor{Kind: actor.Staff, Name: "admin", Role: actor.RoleAdmin}
