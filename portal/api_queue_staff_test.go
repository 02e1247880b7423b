package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/queue"
	"motcua/internal/staff"
)

// TestCounterActionsBySession: a clerk's signed-in console may act on the
// counters of the clerk's unit, with the session's CSRF token, and on no
// other unit's.
func TestCounterActionsBySession(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	ctx := context.Background()
	q := h.env.Queue
	counters := map[string]int64{}
	for _, o := range []queue.Office{{Code: "TB-MC", Name: "Một cửa", UnitCode: "TB"}, {Code: "BA-MC", Name: "Một cửa xã", UnitCode: "BA"}} {
		if _, err := q.CreateOffice(ctx, staff.Operator(), o); err != nil {
			t.Fatal(err)
		}
		if _, err := q.CreateService(ctx, staff.Operator(), queue.Service{Code: "chung", OfficeCode: o.Code, NameVi: "Chung", Prefix: "A"}); err != nil {
			t.Fatal(err)
		}
		c, err := q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: o.Code, Number: 1, Name: "Quầy 1", Services: []string{"chung"}})
		if err != nil {
			t.Fatal(err)
		}
		counters[o.Code] = c.ID
		if _, err := q.Issue(ctx, actor.Anon(), o.Code, "chung", ""); err != nil {
			t.Fatal(err)
		}
	}
	clerk := h.browser(t)
	clerk.login("clerk")
	token := clerk.deskCSRF()
	next := func(office string, headers ...string) int {
		resp, _ := clerk.do("POST", "/api/v1/counters/"+strconv.FormatInt(counters[office], 10)+"/next", nil, headers...)
		return resp.StatusCode
	}
	if got := next("TB-MC"); got != http.StatusForbidden {
		t.Errorf("without the CSRF token: got %d, want 403", got)
	}
	if got := next("BA-MC", "X-CSRF-Token", token); got != http.StatusForbidden {
		t.Errorf("another unit's counter: got %d, want 403", got)
	}
	if got := next("TB-MC", "X-CSRF-Token", token); got != http.StatusOK {
		t.Errorf("own unit's counter with the token: got %d, want 200", got)
	}
	for office, want := range map[string]queue.Status{"TB-MC": queue.Called, "BA-MC": queue.Waiting} {
		con, err := q.Console(ctx, actor.Actor{Kind: actor.Staff, Role: actor.RoleAdmin}, counters[office])
		if err != nil {
			t.Fatal(err)
		}
		got := queue.Waiting
		if con.Current != nil {
			got = con.Current.Status
		}
		if got != want {
			t.Errorf("%s: the ticket is %s, want %s", office, got, want)
		}
	}
}
