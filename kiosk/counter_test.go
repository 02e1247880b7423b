package kiosk

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/staff"
)

func officeHA() queue.Office {
	return queue.Office{Code: "HA1", Name: "Một cửa Hội An", UnitCode: "HA"}
}

func TestCounterConsoleCallsFinishesAndLinksADossier(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	f.take(t, "land", "")

	con := f.get(t, "/counter/TB1/1", "X-Test-Staff", "clerk")
	for _, want := range []string{"Quầy 1", "2 số đang chờ", "A001", "A002", `name="_csrf" value="` + testCSRF + `"`, `action="/counter/TB1/1/next"`} {
		if !strings.Contains(con, want) {
			t.Errorf("console lacks %q", want)
		}
	}

	status, loc, body := f.act(t, "clerk", f.c1, "next", nil)
	if status != http.StatusSeeOther {
		t.Fatalf("next = %d\n%s", status, body)
	}
	con = f.get(t, loc, "X-Test-Staff", "clerk")
	for _, want := range []string{`<p class="c-number">A001</p>`, `name="ticket" value="` + id + `"`, "1 số đang chờ"} {
		if !strings.Contains(con, want) {
			t.Errorf("console after next lacks %q", want)
		}
	}
	if got := f.get(t, "/t/"+id); !strings.Contains(got, "Đến lượt bạn! Mời đến Quầy 1") || !strings.Contains(got, `data-status="called"`) {
		t.Errorf("phone page after the call does not say it is called:\n%s", got)
	}
	if got := f.get(t, "/display/TB1"); !strings.Contains(got, `<span class="d-now">A001</span>`) {
		t.Errorf("display after the call does not show A001 at a counter")
	}

	status, loc, body = f.act(t, "clerk", f.c1, "recall", url.Values{"ticket": {id}})
	if status != http.StatusSeeOther || !strings.Contains(f.get(t, loc, "X-Test-Staff", "clerk"), "Đã gọi lại số A001.") {
		t.Errorf("recall = %d %q, want 303 and a notice\n%s", status, loc, body)
	}

	status, loc, body = f.act(t, "clerk", f.c1, "done", url.Values{"ticket": {id}})
	if status != http.StatusSeeOther || !strings.Contains(loc, "done="+id) {
		t.Fatalf("done = %d %q\n%s", status, loc, body)
	}
	con = f.get(t, loc, "X-Test-Staff", "clerk")
	if want := `href="/desk/dossiers/new?ticket=` + id + `"`; !strings.Contains(con, want) {
		t.Errorf("console after done lacks the dossier link %s", want)
	}
	if got := f.get(t, "/t/"+id); !strings.Contains(got, "Đã hoàn thành") || strings.Contains(got, "ticket.js") {
		t.Errorf("phone page of a finished ticket should say so and stop following events")
	}

	// The same finish again, from a stale console: a conflict, nothing changed.
	status, _, body = f.act(t, "clerk", f.c1, "done", url.Values{"ticket": {id}})
	if status != http.StatusConflict || !strings.Contains(body, "1 số đang chờ") {
		t.Errorf("second done = %d, want 409 with the console as it is\n%s", status, body)
	}
	// A done link for a ticket that another counter finished shows no link.
	if con := f.get(t, "/counter/TB1/2?done="+id, "X-Test-Staff", "clerk"); strings.Contains(con, "/desk/dossiers/new") {
		t.Errorf("counter 2 offers a dossier for counter 1's visit")
	}
}

func TestCounterConsoleSkipsAndTransfers(t *testing.T) {
	f := sqliteFixture(t)
	first := f.take(t, "land", "")
	second := f.take(t, "land", "")
	f.act(t, "clerk", f.c1, "next", nil)
	status, loc, body := f.act(t, "clerk", f.c1, "skip", url.Values{"ticket": {first}, "confirm": {"1"}})
	if status != http.StatusSeeOther || !strings.Contains(f.get(t, loc, "X-Test-Staff", "clerk"), "Đã ghi nhận số A001 vắng mặt.") {
		t.Errorf("skip = %d %q\n%s", status, loc, body)
	}
	f.act(t, "clerk", f.c1, "next", nil)
	status, loc, body = f.act(t, "clerk", f.c1, "transfer", url.Values{"ticket": {second}, "to": {"service:civil"}})
	if status != http.StatusSeeOther {
		t.Fatalf("transfer = %d\n%s", status, body)
	}
	if got := f.get(t, loc, "X-Test-Staff", "clerk"); !strings.Contains(got, "Đã chuyển số A002.") {
		t.Errorf("console after transfer lacks the notice")
	}
	if got := f.get(t, "/counter/TB1/2", "X-Test-Staff", "clerk"); !strings.Contains(got, "A002") {
		t.Errorf("counter 2 (civil) does not list the transferred A002")
	}
	if got := f.get(t, "/t/"+second); !strings.Contains(got, "Đã được chuyển") {
		t.Errorf("phone page of a transferred ticket does not say so")
	}
}

func TestCounterConsoleRefusesBadInput(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	c1 := "/counter/TB1/1"
	for _, tc := range []struct {
		name   string
		method string
		path   string
		who    string
		form   url.Values
		want   int
		body   string
	}{
		{"signed out is 401", "GET", c1, "", nil, 401, ""},
		{"a clerk of another unit is 403", "GET", c1, "other", nil, 403, ""},
		{"an unknown counter is 404", "GET", "/counter/TB1/9", "clerk", nil, 404, ""},
		{"an unknown office is 404", "GET", "/counter/NOPE/1", "clerk", nil, 404, ""},
		{"a junk counter number is 404", "GET", "/counter/TB1/abc", "clerk", nil, 404, ""},
		{"an unknown old counter id is 404", "GET", "/counter/999999", "clerk", nil, 404, ""},
		{"a junk old counter id is 404", "GET", "/counter/abc", "clerk", nil, 404, ""},
		{"an old counter id of another unit is 403", "GET", "/counter/" + itoa(f.c1.ID), "other", nil, 403, ""},
		{"a post without the CSRF token is 403", "POST", c1 + "/next", "clerk", url.Values{}, 403, ""},
		{"a post from another unit is 403", "POST", c1 + "/next", "other", url.Values{"_csrf": {testCSRF}}, 403, ""},
		{"an unknown action is 404", "POST", c1 + "/explode", "clerk", url.Values{"_csrf": {testCSRF}}, 404, ""},
		{"done with nothing held is 409", "POST", c1 + "/done", "clerk", url.Values{"_csrf": {testCSRF}}, 409, ""},
		{"recall of a ticket not held is 409", "POST", c1 + "/recall", "clerk", url.Values{"_csrf": {testCSRF}, "ticket": {id}}, 409, ""},
		{"a junk transfer target is 422", "POST", c1 + "/transfer", "clerk", url.Values{"_csrf": {testCSRF}, "to": {"planet:mars"}}, 422, "Hãy chọn một dịch vụ hoặc một quầy"},
		{"a junk transfer counter is 422", "POST", c1 + "/transfer", "clerk", url.Values{"_csrf": {testCSRF}, "to": {"counter:x"}}, 422, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := []string{}
			if tc.who != "" {
				h = []string{"X-Test-Staff", tc.who}
			}
			status, _, body := f.do(t, tc.method, tc.path, tc.form, h...)
			if status != tc.want || !strings.Contains(body, tc.body) {
				t.Errorf("%s %s = %d, want %d with %q\n%s", tc.method, tc.path, status, tc.want, tc.body, body)
			}
		})
	}
	// Nothing above called anyone.
	if got := f.get(t, "/t/"+id); !strings.Contains(got, `data-status="waiting"`) {
		t.Errorf("the ticket changed after refused actions")
	}
}

func TestCounterCallNextWithNobodyWaitingSaysSo(t *testing.T) {
	f := sqliteFixture(t)
	status, _, body := f.act(t, "clerk", f.c1, "next", nil)
	if status != http.StatusConflict || !strings.Contains(body, `role="status"`) {
		t.Errorf("next on an empty queue = %d, want 409 with a notice on the console\n%s", status, body)
	}
}

// Counters are addressed by office and the number on the counter: "Quầy 2"
// is /counter/TB1/2 whatever its internal ID, the old /counter/{id}
// redirects there, and a number no counter bears is 404.
func TestCounterIsAddressedByItsNumber(t *testing.T) {
	f := sqliteFixture(t)
	ctx := context.Background()
	// Internal IDs drift from numbers as counters come and go.
	c6, err := f.q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "TB1", Number: 6, Name: "Quầy 6", Services: []string{"land"}})
	if err != nil {
		t.Fatal(err)
	}
	if c6.ID == 6 {
		t.Fatalf("the test needs an ID other than the number")
	}
	if got := f.get(t, "/counter/TB1/6", "X-Test-Staff", "clerk"); !strings.Contains(got, "<h1>Quầy 6") {
		t.Errorf("/counter/TB1/6 is not Quầy 6")
	}
	status, loc, _ := f.do(t, "GET", "/counter/"+itoa(c6.ID)+"?msg=x", nil, "X-Test-Staff", "clerk")
	if status != 301 || loc != "/counter/TB1/6?msg=x" {
		t.Errorf("old address: got %d to %q, want 301 to /counter/TB1/6", status, loc)
	}
	if status, _, _ := f.do(t, "GET", "/counter/TB1/5", nil, "X-Test-Staff", "clerk"); status != 404 {
		t.Errorf("a number no counter bears: got %d, want 404", status)
	}
	// The old form address still acts, and lands on the new address.
	f.take(t, "land", "")
	status, loc, _ = f.do(t, "POST", "/counter/"+itoa(c6.ID)+"/next", url.Values{"_csrf": {testCSRF}}, "X-Test-Staff", "clerk")
	if status != 303 || loc != "/counter/TB1/6" {
		t.Errorf("old form post: got %d to %q", status, loc)
	}
}

// "Vắng mặt" asks first (a confirmation page without JavaScript); a no-show
// stays on the counter's list for the day, is called back from it without
// a new number, and the visitor's phone says they can still be called.
func TestCounterNoShowIsConfirmedAndCalledBack(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	f.act(t, "clerk", f.c1, "next", nil)

	status, loc, _ := f.act(t, "clerk", f.c1, "skip", url.Values{"ticket": {id}})
	if status != http.StatusSeeOther || loc != "/counter/TB1/1/skip?ticket="+id {
		t.Fatalf("skip without confirming: got %d to %q, want the confirmation step", status, loc)
	}
	if got := f.get(t, "/t/"+id); !strings.Contains(got, `data-status="called"`) {
		t.Fatalf("an unconfirmed no-show ended the visit")
	}
	page := f.get(t, loc, "X-Test-Staff", "clerk")
	for _, want := range []string{"Xác nhận số A001 vắng mặt?", `name="confirm" value="1"`, `href="/counter/TB1/1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("confirmation page lacks %q", want)
		}
	}
	status, loc, _ = f.act(t, "clerk", f.c1, "skip", url.Values{"ticket": {id}, "confirm": {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("confirmed skip = %d", status)
	}
	con := f.get(t, loc, "X-Test-Staff", "clerk")
	if !strings.Contains(con, "1 số vắng mặt hôm nay") || !strings.Contains(con, `action="/counter/TB1/1/callback"`) {
		t.Errorf("the console does not list the no-show to call back")
	}
	phone := f.get(t, "/t/"+id)
	if !strings.Contains(phone, "vẫn có thể được gọi lại") || strings.Contains(phone, "hoặc lấy số mới") || !strings.Contains(phone, "data-events=") {
		t.Errorf("the phone of a no-show should say it can be called back today, and keep listening")
	}
	// Counter 2 serves the service too and may call it back; the other
	// unit's clerk may not.
	if status, _, _ := f.do(t, "POST", "/counter/TB1/2/callback", url.Values{"_csrf": {testCSRF}, "ticket": {id}}, "X-Test-Staff", "other"); status != http.StatusForbidden {
		t.Errorf("call back by another unit: got %d, want 403", status)
	}
	status, loc, _ = f.act(t, "clerk", f.c2, "callback", url.Values{"ticket": {id}})
	if status != http.StatusSeeOther || !strings.Contains(f.get(t, loc, "X-Test-Staff", "clerk"), "Đã gọi lại số A001") {
		t.Fatalf("call back = %d", status)
	}
	if got := f.get(t, "/t/"+id); !strings.Contains(got, `data-status="called"`) || !strings.Contains(got, "Quầy 2") {
		t.Errorf("the phone does not show the call back to Quầy 2")
	}
	// Called back once, it is no longer a no-show.
	if status, _, _ := f.act(t, "clerk", f.c1, "callback", url.Values{"ticket": {id}}); status != http.StatusConflict {
		t.Errorf("a second call back: got %d, want 409", status)
	}
	// The next day the list is empty and an old no-show cannot be called.
	f.act(t, "clerk", f.c2, "skip", url.Values{"ticket": {id}, "confirm": {"1"}})
	f.clock.Add(24 * time.Hour)
	if con := f.get(t, "/counter/TB1/1", "X-Test-Staff", "clerk"); strings.Contains(con, "vắng mặt hôm nay") {
		t.Errorf("yesterday's no-shows are listed")
	}
	if status, _, _ := f.act(t, "clerk", f.c1, "callback", url.Values{"ticket": {id}}); status != http.StatusConflict {
		t.Errorf("calling back yesterday's no-show: got %d, want 409", status)
	}
}
