package kiosk

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/queue"
)

func officeHA() queue.Office {
	return queue.Office{Code: "HA1", Name: "Một cửa Hội An", UnitCode: "HA"}
}

func TestCounterConsoleCallsFinishesAndLinksADossier(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	f.take(t, "land", "")

	con := f.get(t, "/counter/"+itoa(f.c1.ID), "X-Test-Staff", "clerk")
	for _, want := range []string{"Quầy 1", "2 số đang chờ", "A001", "A002", `name="_csrf" value="` + testCSRF + `"`, `action="/counter/` + itoa(f.c1.ID) + `/next"`} {
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
	if con := f.get(t, "/counter/"+itoa(f.c2.ID)+"?done="+id, "X-Test-Staff", "clerk"); strings.Contains(con, "/desk/dossiers/new") {
		t.Errorf("counter 2 offers a dossier for counter 1's visit")
	}
}

func TestCounterConsoleSkipsAndTransfers(t *testing.T) {
	f := sqliteFixture(t)
	first := f.take(t, "land", "")
	second := f.take(t, "land", "")
	f.act(t, "clerk", f.c1, "next", nil)
	status, loc, body := f.act(t, "clerk", f.c1, "skip", url.Values{"ticket": {first}})
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
	if got := f.get(t, "/counter/"+itoa(f.c2.ID), "X-Test-Staff", "clerk"); !strings.Contains(got, "A002") {
		t.Errorf("counter 2 (civil) does not list the transferred A002")
	}
	if got := f.get(t, "/t/"+second); !strings.Contains(got, "Đã được chuyển") {
		t.Errorf("phone page of a transferred ticket does not say so")
	}
}

func TestCounterConsoleRefusesBadInput(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	c1 := "/counter/" + itoa(f.c1.ID)
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
		{"an unknown counter is 404", "GET", "/counter/999999", "clerk", nil, 404, ""},
		{"a junk counter id is 404", "GET", "/counter/abc", "clerk", nil, 404, ""},
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
