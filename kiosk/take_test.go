package kiosk

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestKioskTakesANumberOnEveryStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		home := f.get(t, "/kiosk/TB1")
		for _, want := range []string{"Đất đai", "Hộ tịch", `href="/kiosk/TB1/services/land"`, `class="k-choice"`, "0 người đang chờ"} {
			if !strings.Contains(home, want) {
				t.Errorf("kiosk home lacks %q", want)
			}
		}
		step := f.get(t, "/kiosk/TB1/services/land")
		for _, want := range []string{`name="service" value="land"`, `name="priority" value=""`, `value="elderly"`, "Người cao tuổi", `action="/kiosk/TB1/tickets"`} {
			if !strings.Contains(step, want) {
				t.Errorf("priority step lacks %q", want)
			}
		}
		id := f.take(t, "land", "")
		page := f.get(t, "/kiosk/TB1/tickets/"+id)
		for _, want := range []string{`id="k-number">A001</strong>`, "Đất đai", "Quầy 1, Quầy 2", "<svg", `http-equiv="refresh"`, "/kiosk/TB1?lang=vi"} {
			if !strings.Contains(page, want) {
				t.Errorf("ticket page lacks %q", want)
			}
		}
		second := f.take(t, "land", "elderly")
		page = f.get(t, "/kiosk/TB1/tickets/"+second)
		for _, want := range []string{">A002<", "Ưu tiên: Người cao tuổi"} {
			if !strings.Contains(page, want) {
				t.Errorf("second ticket page lacks %q", want)
			}
		}
		if home := f.get(t, "/kiosk/TB1"); !strings.Contains(home, "2 người đang chờ") {
			t.Errorf("kiosk home does not count the two waiting tickets")
		}
	})
}

func TestKioskSpeaksEnglishWhenAsked(t *testing.T) {
	f := sqliteFixture(t)
	home := f.get(t, "/kiosk/TB1?lang=en")
	for _, want := range []string{"Touch the service you need", "Land", "Civil status", "Tiếng Việt"} {
		if !strings.Contains(home, want) {
			t.Errorf("English kiosk home lacks %q", want)
		}
	}
	id := f.take(t, "civil", "")
	page := f.get(t, "/kiosk/TB1/tickets/"+id+"?lang=en")
	for _, want := range []string{"Your number", "B001", "Civil status", "Quầy 2", "People ahead of you"} {
		if !strings.Contains(page, want) {
			t.Errorf("English ticket lacks %q", want)
		}
	}
}

func TestKioskKeepsThePrinterSetting(t *testing.T) {
	f := sqliteFixture(t)
	if home := f.get(t, "/kiosk/TB1?print=1"); !strings.Contains(home, `href="/kiosk/TB1/services/land?print=1"`) {
		t.Errorf("service links drop print=1")
	}
	if step := f.get(t, "/kiosk/TB1/services/land?print=1"); !strings.Contains(step, `name="print" value="1"`) {
		t.Errorf("priority form drops print=1")
	}
	status, loc, _ := f.do(t, http.MethodPost, "/kiosk/TB1/tickets",
		url.Values{"service": {"land"}, "print": {"1"}}, "Origin", "http://example.com")
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?print=1") {
		t.Fatalf("take with print = %d %q, want 303 to …?print=1", status, loc)
	}
	page := f.get(t, loc)
	for _, want := range []string{`data-autoprint="1"`, "/kiosk/TB1?lang=vi&amp;print=1"} {
		if !strings.Contains(page, want) {
			t.Errorf("printing ticket page lacks %q", want)
		}
	}
}

func TestKioskRefusesBadInput(t *testing.T) {
	f := sqliteFixture(t)
	same := []string{"Origin", "http://example.com"}
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		form    url.Values
		headers []string
		want    int
	}{
		{"unknown office home is 404", "GET", "/kiosk/NOPE", nil, nil, 404},
		{"unknown office display is 404", "GET", "/display/NOPE", nil, nil, 404},
		{"unknown service step is 404", "GET", "/kiosk/TB1/services/nope", nil, nil, 404},
		{"unknown office step is 404", "GET", "/kiosk/NOPE/services/land", nil, nil, 404},
		{"malformed ticket id is 404", "GET", "/kiosk/TB1/tickets/xyz", nil, nil, 404},
		{"unknown ticket id is 404", "GET", "/kiosk/TB1/tickets/aaaaaaaaaaaaaaaaaaaaaaaaaa", nil, nil, 404},
		{"phone page of junk is 404", "GET", "/t/..%2f..%2fetc", nil, nil, 404},
		{"unknown service is 422", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"nope"}}, same, 422},
		{"missing service is 422", "POST", "/kiosk/TB1/tickets", url.Values{}, same, 422},
		{"unknown priority group is 422", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}, "priority": {"vip"}}, same, 422},
		{"a priority claimed without an enrolled kiosk is 403", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}, "priority": {"elderly"}}, same, 403},
		{"unknown office ticket is 404", "POST", "/kiosk/NOPE/tickets", url.Values{"service": {"land"}}, same, 404},
		{"other site's form is refused", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, []string{"Origin", "https://evil.example"}, 403},
		{"other site's referer is refused", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, []string{"Referer", "https://evil.example/x"}, 403},
		{"cross-site fetch metadata is refused", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, []string{"Origin", "http://example.com", "Sec-Fetch-Site", "cross-site"}, 403},
		{"a post with no origin at all is refused", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, nil, 403},
		{"an opaque origin is refused", "POST", "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, []string{"Origin", "null"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := f.do(t, tc.method, tc.path, tc.form, tc.headers...)
			if status != tc.want {
				t.Errorf("%s %s = %d, want %d\n%s", tc.method, tc.path, status, tc.want, body)
			}
		})
	}
	b, err := f.q.Board(context.Background(), "TB1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range b.Services {
		if s.Waiting != 0 {
			t.Errorf("service %s has %d waiting after refused requests, want 0", s.Service.Code, s.Waiting)
		}
	}
}

func TestKioskAcceptsItsPublicOriginAndReferer(t *testing.T) {
	f := sqliteFixture(t)
	for _, h := range [][]string{
		{"Origin", "https://motcua.example.vn"},
		{"Referer", "http://example.com/kiosk/TB1/services/land"},
		{"Origin", "http://example.com", "Sec-Fetch-Site", "same-origin"},
	} {
		status, _, body := f.do(t, http.MethodPost, "/kiosk/TB1/tickets", url.Values{"service": {"land"}}, h...)
		if status != http.StatusSeeOther {
			t.Errorf("POST with %v = %d, want 303\n%s", h, status, body)
		}
	}
}

func TestKioskTicketOfAnotherOfficeIsNotFound(t *testing.T) {
	f := sqliteFixture(t)
	id := f.take(t, "land", "")
	if _, err := f.q.CreateOffice(context.Background(), staff.Operator(), officeHA()); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.do(t, http.MethodGet, "/kiosk/HA1/tickets/"+id, nil); status != http.StatusNotFound {
		t.Errorf("ticket under another office = %d, want 404", status)
	}
}
