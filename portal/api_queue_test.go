package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/demo"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

func TestQueueAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			p := startDemoQueue(t, kind)
			t.Run("offices lists the demo office", func(t *testing.T) { testOffices(t, p) })
			t.Run("bad tickets are refused and change nothing", func(t *testing.T) { testIssueBadInput(t, p) })
			t.Run("a ticket is issued and followed", func(t *testing.T) { testIssueAndFollow(t, p) })
			t.Run("counter actions need the counter's unit", func(t *testing.T) { testCounterAuth(t, p) })
			t.Run("stale and foreign counter actions change nothing", func(t *testing.T) { testCounterConflicts(t, p) })
		})
	}
}

func testOffices(t *testing.T, p *queuePortal) {
	resp, got := fetchJSON[officesResponse](t, p.base, "/api/v1/offices?lang=en")
	if resp.StatusCode != http.StatusOK || len(got.Items) != 1 {
		t.Fatalf("got %d with %d offices, want 200 with the demo office", resp.StatusCode, len(got.Items))
	}
	o := got.Items[0]
	if o.Code != demo.Office || o.Unit != "TB" || len(o.Services) != 3 || len(o.Counters) != 4 {
		t.Errorf("demo office: got %+v", o)
	}
	if s := o.Services[0]; s.Code != "hotich" || s.Prefix != "A" || s.Name != "Civil status – Certification" {
		t.Errorf("first service in English: got %+v", s)
	}
	if len(o.PriorityGroups) != 5 || o.PriorityGroups[0].Label != "Older people" {
		t.Errorf("priority groups: got %+v", o.PriorityGroups)
	}
}

func testIssueBadInput(t *testing.T, p *queuePortal) {
	cases := []struct {
		name   string
		office string
		body   any
		status int
		field  string
	}{
		{"unknown office is 404", "NOPE", map[string]string{"service": "hotich"}, 404, ""},
		{"unknown service is 422", demo.Office, map[string]string{"service": "nope"}, 422, "service"},
		{"no service is 422", demo.Office, map[string]string{}, 422, "service"},
		{"unknown priority is 422", demo.Office, map[string]string{"service": "hotich", "priority": "vip"}, 422, "priority"},
		{"broken JSON is 400", demo.Office, `{"service": `, 400, ""},
		{"an unknown field is 400", demo.Office, `{"service": "hotich", "count": 5}`, 400, ""},
		{"a number for the service is 400", demo.Office, `{"service": 1}`, 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e errorResponse
			resp := sendJSON(t, "POST", p.base+"/api/v1/offices/"+c.office+"/tickets", c.body, &e)
			if resp.StatusCode != c.status || e.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d with a message", resp.StatusCode, e, c.status)
			}
			if c.field != "" && (len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != c.field) {
				t.Errorf("fields: got %+v, want %s", e.Error.Fields, c.field)
			}
		})
	}
	_, q := fetchJSON[queueResponse](t, p.base, "/api/v1/offices/"+demo.Office+"/queue")
	for _, s := range q.Services {
		if s.Waiting != 0 {
			t.Errorf("%s: %d waiting after refused requests, want 0", s.Code, s.Waiting)
		}
	}
	if resp, _ := fetch(t, p.base, "/api/v1/offices/NOPE/queue"); resp.StatusCode != 404 {
		t.Errorf("queue of an unknown office: got %d, want 404", resp.StatusCode)
	}
}

func testIssueAndFollow(t *testing.T, p *queuePortal) {
	a := p.issue(t, "datdai", "")
	b := p.issue(t, "datdai", "elderly")
	if a.Number != "B001" || b.Number != "B002" || a.Office != demo.Office || len(a.ID) != 26 {
		t.Fatalf("issued %+v and %+v, want B001 and B002", a, b)
	}
	if !strings.HasSuffix(a.StatusURL, "/t/"+a.ID) || len(a.Counters) != 2 {
		t.Errorf("status_url %q, counters %v", a.StatusURL, a.Counters)
	}
	// B002 is a priority ticket: it goes before B001.
	_, got := fetchJSON[ticketJSON](t, p.base, "/api/v1/tickets/"+a.ID)
	if got.Status != "waiting" || got.WaitingAhead != 1 || got.Counter != nil {
		t.Errorf("B001: got %+v, want waiting with 1 ahead", got)
	}
	for _, bad := range []string{"nope", strings.Repeat("a", 26), "../../etc"} {
		if resp, _ := fetch(t, p.base, "/api/v1/tickets/"+bad); resp.StatusCode != 404 {
			t.Errorf("ticket %q: got %d, want 404", bad, resp.StatusCode)
		}
	}
	tok := p.token(t, "TB", "counter")
	c3 := counterID(t, p.base, demo.Office, 3)
	var called ticketJSON
	if resp := p.act(t, tok, c3, "next", nil, &called); resp.StatusCode != 200 || called.Number != "B002" || *called.Counter != 3 {
		t.Fatalf("next at counter 3: got %d %+v, want B002 at counter 3", resp.StatusCode, called)
	}
	_, q := fetchJSON[queueResponse](t, p.base, "/api/v1/offices/"+demo.Office+"/queue")
	if n := q.Counters[2].NowServing; n == nil || n.Number != "B002" || q.Services[1].Waiting != 1 {
		t.Errorf("queue: counter 3 serves %+v, %d waiting for datdai; want B002, 1", n, q.Services[1].Waiting)
	}
	var done ticketJSON
	if resp := p.act(t, tok, c3, "done", map[string]string{"ticket": called.ID}, &done); resp.StatusCode != 200 || done.Status != "done" {
		t.Errorf("done: got %d %+v", resp.StatusCode, done)
	}
}

func testCounterAuth(t *testing.T, p *queuePortal) {
	c1 := counterID(t, p.base, demo.Office, 1)
	other := p.token(t, "TB-BA", "counter")
	syncOnly := p.token(t, "TB", "sync")
	cases := []struct {
		name    string
		headers []string
		status  int
	}{
		{"no credentials is 401", nil, 401},
		{"a wrong token is 401", []string{"Authorization", "Bearer " + strings.Repeat("x", 43)}, 401},
		{"a token without the counter scope is 403", []string{"Authorization", "Bearer " + syncOnly}, 403},
		{"a token of another unit is 403", []string{"Authorization", "Bearer " + other}, 403},
	}
	p.issue(t, "hotich", "")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e errorResponse
			resp := sendJSON(t, "POST", p.base+"/api/v1/counters/"+strconv.FormatInt(c1, 10)+"/next", nil, &e, c.headers...)
			if resp.StatusCode != c.status || e.Error.Message == "" {
				t.Errorf("got %d %+v, want %d", resp.StatusCode, e, c.status)
			}
		})
	}
	_, q := fetchJSON[queueResponse](t, p.base, "/api/v1/offices/"+demo.Office+"/queue")
	if q.Counters[0].NowServing != nil {
		t.Errorf("counter 1 serves %+v after refused calls, want nothing", q.Counters[0].NowServing)
	}
}

func testCounterConflicts(t *testing.T, p *queuePortal) {
	ctx := context.Background()
	m := p.manager(t)
	if _, err := m.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "BA-MC", Name: "Một cửa xã Bình An", UnitCode: "TB-BA"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.CreateService(ctx, staff.Operator(), queue.Service{Code: "chung", OfficeCode: "BA-MC", NameVi: "Chung", Prefix: "A"}); err != nil {
		t.Fatal(err)
	}
	foreign, err := m.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "BA-MC", Number: 1, Name: "Quầy 1", Services: []string{"chung"}})
	if err != nil {
		t.Fatal(err)
	}
	tok, baTok := p.token(t, "TB", "counter"), p.token(t, "TB-BA", "counter")
	c2 := counterID(t, p.base, demo.Office, 2)
	p.issue(t, "kinhdoanh", "")
	var cur ticketJSON
	if resp := p.act(t, tok, c2, "next", nil, &cur); resp.StatusCode != 200 {
		t.Fatalf("next: %d", resp.StatusCode)
	}
	var done ticketJSON
	if resp := p.act(t, tok, c2, "done", map[string]string{"ticket": cur.ID}, &done); resp.StatusCode != 200 {
		t.Fatalf("done: %d", resp.StatusCode)
	}
	p.issue(t, "kinhdoanh", "")
	var held ticketJSON
	if resp := p.act(t, tok, c2, "next", nil, &held); resp.StatusCode != 200 {
		t.Fatalf("next: %d", resp.StatusCode)
	}
	cases := []struct {
		name    string
		token   string
		counter int64
		action  string
		body    any
		status  int
	}{
		{"finishing twice is 409", tok, c2, "done", map[string]string{"ticket": cur.ID}, 409},
		{"recalling a finished ticket is 409", tok, c2, "recall", map[string]string{"ticket": cur.ID}, 409},
		{"a counter of another office on this ticket is 409", baTok, foreign.ID, "done", map[string]string{"ticket": held.ID}, 409},
		{"another counter on a held ticket is 409", tok, counterID(t, p.base, demo.Office, 4), "skip", map[string]string{"ticket": held.ID}, 409},
		{"next while holding an unnamed ticket is 409", tok, c2, "next", nil, 409},
		{"a transfer to nowhere is 422", tok, c2, "transfer", map[string]any{"ticket": held.ID}, 422},
		{"a transfer to a foreign counter is 422", tok, c2, "transfer", map[string]any{"ticket": held.ID, "counter": foreign.ID}, 422},
		{"an unknown counter is 404", tok, 999999, "next", nil, 404},
		{"an unknown action is 404", tok, c2, "explode", nil, 404},
		{"a malformed body is 400", tok, c2, "done", `{"ticket": 5}`, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e errorResponse
			resp := p.act(t, c.token, c.counter, c.action, c.body, &e)
			if resp.StatusCode != c.status || e.Error.Message == "" {
				t.Errorf("got %d %+v, want %d with a message", resp.StatusCode, e, c.status)
			}
		})
	}
	_, got := fetchJSON[ticketJSON](t, p.base, "/api/v1/tickets/"+held.ID)
	if got.Status != "called" || got.Counter == nil || *got.Counter != 2 {
		t.Errorf("held ticket after refused actions: got %+v, want called at counter 2", got)
	}
	_, got = fetchJSON[ticketJSON](t, p.base, "/api/v1/tickets/"+cur.ID)
	if got.Status != "done" {
		t.Errorf("finished ticket: got %s, want done", got.Status)
	}
}
