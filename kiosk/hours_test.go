package kiosk

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// At 21:01 the kiosk issues nothing and says when the office opens next;
// a number asked for anyway is refused with 409 and none is taken.
func TestKioskClosedSaysWhenItOpensAndIssuesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.clock.Set(time.Date(2026, 5, 4, 14, 1, 0, 0, time.UTC)) // Monday 21:01 in Vietnam
		page := f.get(t, "/kiosk/TB1")
		for _, want := range []string{"Hiện không cấp số", "07:00, thứ Ba ngày 05/05/2026", "07:00-11:30, 13:30-17:00"} {
			if !strings.Contains(page, want) {
				t.Errorf("closed kiosk lacks %q", want)
			}
		}
		if strings.Contains(page, "/kiosk/TB1/services/") {
			t.Errorf("a closed kiosk offers services")
		}
		status, _, body := f.do(t, http.MethodPost, "/kiosk/TB1/tickets", url.Values{"service": {"land"}},
			"Origin", "http://example.com", "X-Test-Kiosk", "1")
		if status != http.StatusConflict || !strings.Contains(body, "thứ Ba ngày 05/05/2026") {
			t.Errorf("a number outside hours: got %d, want 409 with the next opening\n%s", status, body)
		}
		admin := actor.Actor{Kind: actor.Staff, ID: 9, Name: "admin", Role: actor.RoleAdmin}
		s, err := f.q.Summary(context.Background(), admin, "TB1", "2026-05-04")
		if err != nil {
			t.Fatal(err)
		}
		if s.Total.Issued != 0 {
			t.Errorf("%d numbers issued while closed", s.Total.Issued)
		}
		// In English for a visitor who switched: an unambiguous date.
		if en := f.get(t, "/kiosk/TB1?lang=en"); !strings.Contains(en, "07:00 on Tuesday 5 May 2026") {
			t.Errorf("English closed kiosk lacks the next opening")
		}
		// 16:31: within the last half hour, no more numbers today.
		f.clock.Set(time.Date(2026, 5, 4, 9, 31, 0, 0, time.UTC))
		if page := f.get(t, "/kiosk/TB1/services/land"); !strings.Contains(page, "07:00, thứ Ba ngày 05/05/2026") {
			t.Errorf("the service step after the last ticket should say when the office opens")
		}
	})
}

// The kiosk speaks Vietnamese to a device set to English; a visitor's own
// switch to English lasts for their ticket only.
func TestKioskIsVietnameseWhateverTheDeviceAndEnglishForOneTicket(t *testing.T) {
	f := sqliteFixture(t)
	page := f.get(t, "/kiosk/TB1", "Accept-Language", "en-US,en;q=0.9")
	if !strings.Contains(page, "Chạm vào dịch vụ bạn cần") || !strings.Contains(page, `lang="vi"`) {
		t.Errorf("a kiosk with an English browser should be Vietnamese")
	}
	en := f.get(t, "/kiosk/TB1?lang=en")
	if !strings.Contains(en, `href="/kiosk/TB1/services/land?lang=en"`) {
		t.Errorf("the English kiosk's steps should stay English")
	}
	step := f.get(t, "/kiosk/TB1/services/land?lang=en")
	if !strings.Contains(step, `name="lang" value="en"`) {
		t.Errorf("the English step should post the visitor's language")
	}
	status, loc, _ := f.do(t, http.MethodPost, "/kiosk/TB1/tickets", url.Values{"service": {"land"}, "lang": {"en"}},
		"Origin", "http://example.com", "X-Test-Kiosk", "1")
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?lang=en") {
		t.Fatalf("English ticket: got %d to %q", status, loc)
	}
	ticket := f.get(t, loc)
	if !strings.Contains(ticket, "Your number") || !strings.Contains(ticket, `data-idle-url="/kiosk/TB1?lang=vi"`) {
		t.Errorf("the English ticket should be English and return to Vietnamese")
	}
}
