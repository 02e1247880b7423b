package queue_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	testclock "motcua/internal/clock"
	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/unit"
)

// clock is the shared test clock.
type clock = testclock.Manual

// operator works every counter: the administrator of the whole portal. The
// rules of who may work which counter are tested in act_test.go.
var operator = actor.Actor{Kind: actor.Staff, ID: 1, Name: "admin", Role: actor.RoleAdmin}

// vn is a wall-clock time in Vietnam.
func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, queue.Zone())
}

// hall is an office TB-HCC with services A (hotich) and B (datdai) and
// counters 1 (A, B), 2 (A) and 3 (B), open 00:00-24:00 every day so that
// tests may issue at any hour (holidays still close it); office OTHER, with
// the default hours, has counter 9.
type hall struct {
	m        *queue.Manager
	db       *store.DB
	clock    *clock
	bus      *events.Local
	office   queue.Office
	counters map[int]queue.Counter // by number
	other    queue.Counter
}

func newHall(t testing.TB, db *store.DB, run int) *hall {
	t.Helper()
	ctx := context.Background()
	clk := testclock.At(vn(2026, 4, 29, 8, 0))
	bus := events.NewLocal()
	t.Cleanup(func() { bus.Close() })
	h := &hall{m: queue.NewManager(db, bus, clk.Now, nil), db: db, clock: clk, bus: bus, counters: map[int]queue.Counter{}}
	units := unit.NewService(db, clk.Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := units.Add(ctx, u); err != nil {
			t.Fatalf("add unit: %v", err)
		}
	}
	var err error
	h.office, err = h.m.CreateOffice(ctx, operator, queue.Office{Code: "TB-HCC", Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: "TB", PriorityRun: run,
		Hours: queue.AlwaysOpen()})
	must(t, err)
	_, err = h.m.CreateOffice(ctx, operator, queue.Office{Code: "OTHER", Name: "Văn phòng khác", UnitCode: "QNA"})
	must(t, err)
	for _, s := range []queue.Service{
		{Code: "hotich", OfficeCode: "TB-HCC", NameVi: "Hộ tịch – Chứng thực", NameEn: "Civil status", Prefix: "A", Fields: []string{"Hộ tịch"}},
		{Code: "datdai", OfficeCode: "TB-HCC", NameVi: "Đất đai – Xây dựng", NameEn: "Land", Prefix: "B", Position: 1},
		{Code: "khac", OfficeCode: "OTHER", NameVi: "Khác", Prefix: "A"},
	} {
		_, err := h.m.CreateService(ctx, operator, s)
		must(t, err)
	}
	for _, c := range []queue.Counter{
		{OfficeCode: "TB-HCC", Number: 1, Name: "Quầy 1", Services: []string{"hotich", "datdai"}},
		{OfficeCode: "TB-HCC", Number: 2, Name: "Quầy 2", Services: []string{"hotich"}},
		{OfficeCode: "TB-HCC", Number: 3, Name: "Quầy 3", Services: []string{"datdai"}},
	} {
		c, err := h.m.CreateCounter(ctx, operator, c)
		must(t, err)
		h.counters[c.Number] = c
	}
	h.other, err = h.m.CreateCounter(ctx, operator, queue.Counter{OfficeCode: "OTHER", Number: 9, Name: "Quầy 9", Services: []string{"khac"}})
	must(t, err)
	return h
}

// hallKiosk is the enrolled kiosk of TB-HCC: it may issue priority numbers.
var hallKiosk = actor.Actor{Kind: actor.Machine, ID: 1, Name: "kiosk:sảnh", Unit: "TB", Office: "TB-HCC", Scopes: []string{actor.ScopeKiosk}}

func (h *hall) issue(t *testing.T, service, priority string) queue.TicketView {
	t.Helper()
	v, err := h.m.Issue(context.Background(), hallKiosk, "TB-HCC", service, priority)
	must(t, err)
	h.clock.Add(time.Second)
	return v
}

func (h *hall) next(t *testing.T, counter int, current string) queue.Ticket {
	t.Helper()
	tk, err := h.m.Act(context.Background(), operator, h.counters[counter].ID, queue.Action{Name: "next", Ticket: current})
	must(t, err)
	h.clock.Add(time.Second)
	return tk
}

func (h *hall) ticket(t *testing.T, id string) queue.Ticket {
	t.Helper()
	v, err := h.m.Ticket(context.Background(), id)
	must(t, err)
	return v.Ticket
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr checks an error's code and message ID.
func wantErr(t *testing.T, err error, code apperr.Code, id string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s (%s)", code, id)
	}
	ae := apperr.As(err)
	if ae.Code != code || (id != "" && ae.MessageID != id) {
		t.Fatalf("got %s (%s), want %s (%s): %v", ae.Code, ae.MessageID, code, id, err)
	}
}
