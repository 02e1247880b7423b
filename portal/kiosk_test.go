package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

// kioskHarness is the desk harness with a queue office KH of unit TB:
// service "a" (prefix A) at counter 1.
func kioskHarness(t testing.TB, kind string) (*deskHarness, queue.Counter) {
	t.Helper()
	h := newDeskHarness(t, kind, nil)
	ctx := context.Background()
	q := h.env.Queue
	if _, err := q.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "KH", Name: "Một cửa thử", UnitCode: "TB"}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.CreateService(ctx, staff.Operator(), queue.Service{Code: "a", OfficeCode: "KH", NameVi: "Hộ tịch", Prefix: "A"}); err != nil {
		t.Fatal(err)
	}
	c, err := q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "KH", Number: 1, Name: "Quầy 1", Services: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	return h, c
}

func TestKioskRoutesThroughThePortal(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, ctr := kioskHarness(t, kind)
			b := h.browser(t)
			counter := "/counter/" + ctr.OfficeCode + "/" + strconv.Itoa(ctr.Number)

			resp, body := b.do("GET", "/kiosk/KH", nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Hộ tịch") {
				t.Fatalf("GET /kiosk/KH = %d", resp.StatusCode)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("kiosk page CSP = %q", csp)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("kiosk page Cache-Control = %q, want no-store (live data)", cc)
			}

			resp, body = b.do("GET", "/kiosk/NOPE", nil)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "<html") || !strings.Contains(body, "Không tìm thấy") {
				t.Errorf("unknown office = %d, want the translated 404 page\n%s", resp.StatusCode, body)
			}

			form := url.Values{"service": {"a"}}
			resp, _ = b.do("POST", "/kiosk/KH/tickets", form, "Origin", "https://evil.example")
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site ticket POST = %d, want 403", resp.StatusCode)
			}
			resp, body = b.do("POST", "/kiosk/KH/tickets", url.Values{"service": {"zzz"}}, "Origin", "http://motcua.test")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("unknown service = %d, want 422\n%s", resp.StatusCode, body)
			}
			resp, _ = b.do("POST", "/kiosk/KH/tickets", form, "Origin", "http://motcua.test")
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/kiosk/KH/tickets/") {
				t.Fatalf("same-site ticket POST = %d %q, want 303 to the ticket", resp.StatusCode, loc)
			}
			if resp, body = b.do("GET", loc, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "A001") {
				t.Errorf("ticket page = %d", resp.StatusCode)
			}

			// The console needs a signed-in member with the session's CSRF token.
			resp, _ = b.do("GET", counter, nil)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(got, "/desk/login?next=") {
				t.Errorf("console signed out = %d %q, want a redirect to sign-in", resp.StatusCode, got)
			}
			b.login("clerk")
			resp, body = b.do("GET", counter, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("console = %d\n%s", resp.StatusCode, body)
			}
			token := csrfIn(t, body)
			if resp, _ = b.do("POST", counter+"/next", url.Values{}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("next without CSRF = %d, want 403", resp.StatusCode)
			}
			resp, _ = b.do("POST", counter+"/next", url.Values{"_csrf": {token}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("next = %d", resp.StatusCode)
			}
			if _, body = b.do("GET", counter, nil); !strings.Contains(body, `<p class="c-number">A001</p>`) {
				t.Errorf("the console does not hold A001 after next")
			}
			// The clerk may not read the office head's summary; the officer may.
			if resp, _ = b.do("GET", "/desk/offices/KH/summary", nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("summary as clerk = %d, want 403", resp.StatusCode)
			}
			head := h.browser(t)
			head.login("officer")
			// Every service, the queue included, runs on the harness's clock.
			if resp, body = head.do("GET", "/desk/offices/KH/summary?day="+queue.Day(h.now()), nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "<svg") {
				t.Errorf("summary as officer = %d", resp.StatusCode)
			}
		})
	}
}
