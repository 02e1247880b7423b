package queue_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/workday"
)

func TestParseHoursReportsEveryBadEntryByPath(t *testing.T) {
	_, errs := queue.ParseHours(map[string][]string{
		"mon": {"07:00-11:30", "13:30-17:00"},
		"tue": {"07:00-11:30", "7h-17h"},
		"wed": {"13:30-17:00", "07:00-11:30"},
		"thu": {"17:00-07:00"},
		"fri": {"00:00-24:00"},
		"sat": {"25:00-26:00"},
		"xyz": {"07:00-08:00"},
	}, "offices[0].hours")
	got := map[string]string{}
	for _, e := range errs {
		got[e.Field] = e.MessageID
	}
	want := map[string]string{
		"offices[0].hours.tue[1]": "queue.error.hours_period",
		"offices[0].hours.wed[1]": "queue.error.hours_order",
		"offices[0].hours.thu[0]": "queue.error.hours_period",
		"offices[0].hours.sat[0]": "queue.error.hours_period",
		"offices[0].hours.xyz":    "queue.error.hours_day",
	}
	if len(got) != len(want) {
		t.Errorf("got %d errors %v, want %v", len(got), got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
}

func TestHoursJSONRoundTrip(t *testing.T) {
	b, err := json.Marshal(queue.DefaultHours())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"mon":["07:00-11:30","13:30-17:00"],"tue":["07:00-11:30","13:30-17:00"],"wed":["07:00-11:30","13:30-17:00"],` +
		`"thu":["07:00-11:30","13:30-17:00"],"fri":["07:00-11:30","13:30-17:00"],"sat":[],"sun":[]}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var h queue.Hours
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	if h.Text("mon") != "07:00-11:30, 13:30-17:00" || len(h.Day("sat")) != 0 {
		t.Errorf("round trip: got %v", h.Map())
	}
}

func TestOpeningAt(t *testing.T) {
	cal := workday.Default()
	saturdayMornings := queue.DefaultHours()
	saturdayMornings.Days[time.Saturday] = []workday.Period{{Open: 7 * time.Hour, Close: 11 * time.Hour}}
	std := queue.Office{Hours: queue.DefaultHours(), LastTicketMinutes: 30}
	cases := []struct {
		name    string
		office  queue.Office
		at      time.Time
		issuing bool
		next    time.Time
	}{
		{"a weekday morning issues", std, vn(2026, 5, 5, 9, 0), true, time.Time{}},
		{"lunch waits for the afternoon", std, vn(2026, 5, 5, 12, 0), false, vn(2026, 5, 5, 13, 30)},
		{"the last half hour issues nothing", std, vn(2026, 5, 5, 16, 31), false, vn(2026, 5, 6, 7, 0)},
		{"before the morning's last ticket", std, vn(2026, 5, 5, 10, 59), true, time.Time{}},
		{"after the morning's last ticket", std, vn(2026, 5, 5, 11, 1), false, vn(2026, 5, 5, 13, 30)},
		{"21:01 opens tomorrow", std, vn(2026, 5, 5, 21, 1), false, vn(2026, 5, 6, 7, 0)},
		{"Friday evening opens Monday", std, vn(2026, 5, 8, 18, 0), false, vn(2026, 5, 11, 7, 0)},
		{"until closing when last is 0", queue.Office{Hours: queue.DefaultHours()}, vn(2026, 5, 5, 16, 59), true, time.Time{}},
		{"Saturday open where the hours say", queue.Office{Hours: saturdayMornings, LastTicketMinutes: 30}, vn(2026, 5, 9, 8, 0), true, time.Time{}},
		{"Sunday closed", queue.Office{Hours: saturdayMornings, LastTicketMinutes: 30}, vn(2026, 5, 10, 8, 0), false, vn(2026, 5, 11, 7, 0)},
		{"a holiday closes whatever the hours", queue.Office{Hours: queue.AlwaysOpen(), LastTicketMinutes: 30}, vn(2026, 4, 30, 10, 0), false, vn(2026, 5, 2, 0, 0)},
		{"the eve of a holiday stops before midnight", queue.Office{Hours: queue.AlwaysOpen(), LastTicketMinutes: 30}, vn(2026, 4, 29, 23, 45), false, vn(2026, 5, 2, 0, 0)},
		{"open day and night issues at 03:00", queue.Office{Hours: queue.AlwaysOpen(), LastTicketMinutes: 30}, vn(2026, 5, 5, 3, 0), true, time.Time{}},
		{"Tết: the next opening is after it", std, vn(2026, 2, 13, 17, 0), false, vn(2026, 2, 23, 7, 0)},
		{"no hours: closed with no opening known", queue.Office{Hours: &queue.Hours{}}, vn(2026, 5, 5, 9, 0), false, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op := c.office.OpeningAt(cal, c.at)
			if op.Issuing != c.issuing || !op.Next.Equal(c.next) {
				t.Errorf("got issuing %v, next %v; want %v, %v", op.Issuing, op.Next, c.issuing, c.next)
			}
		})
	}
}

func TestIssueOutsideHoursIsRefusedWithTheNextOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		// OTHER keeps the default hours.
		h.clock.Set(vn(2026, 5, 5, 21, 1))
		_, err := h.m.Issue(ctx, hallKiosk, "OTHER", "khac", "")
		ae := apperr.As(err)
		if ae.Code != apperr.Conflict || ae.MessageID != "queue.error.closed" {
			t.Fatalf("got %v, want a closed conflict", err)
		}
		if ae.Params["Time"] != "07:00" || ae.Params["Date"] != "06/05/2026" || ae.Params["Day"] != "2026-05-06" {
			t.Errorf("params: got %v", ae.Params)
		}
		day, err := h.m.Summary(ctx, operator, "OTHER", "2026-05-05")
		must(t, err)
		if day.Total.Issued != 0 {
			t.Errorf("a refused number was issued: %d", day.Total.Issued)
		}
		h.clock.Set(vn(2026, 5, 6, 7, 0))
		if _, err := h.m.Issue(ctx, hallKiosk, "OTHER", "khac", ""); err != nil {
			t.Errorf("at the opening: %v", err)
		}
		// Hours removed: closed until it gets some.
		o, err := h.m.Office(ctx, "OTHER")
		must(t, err)
		o.Hours = &queue.Hours{}
		_, err = h.m.UpdateOffice(ctx, operator, o)
		must(t, err)
		_, err = h.m.Issue(ctx, hallKiosk, "OTHER", "khac", "")
		if ae := apperr.As(err); ae.MessageID != "queue.error.closed_no_hours" {
			t.Errorf("no hours: got %v", err)
		}
	})
}

func TestWeekGroupsDaysWithTheSameHours(t *testing.T) {
	h, errs := queue.ParseHours(map[string][]string{
		"mon": {"07:00-11:30", "13:30-17:00"}, "tue": {"07:00-11:30", "13:30-17:00"}, "wed": {"07:00-11:30", "13:30-17:00"},
		"thu": {"07:00-11:30"}, "fri": {"07:00-11:30", "13:30-17:00"}, "sat": {"07:00-11:30"}, "sun": {"07:00-11:30"},
	}, "hours")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := h.Week()
	want := []queue.DaySpan{
		{From: time.Monday, To: time.Wednesday, Text: "07:00-11:30, 13:30-17:00"},
		{From: time.Thursday, To: time.Thursday, Text: "07:00-11:30"},
		{From: time.Friday, To: time.Friday, Text: "07:00-11:30, 13:30-17:00"},
		{From: time.Saturday, To: time.Sunday, Text: "07:00-11:30"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("span %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := queue.DefaultHours().Week(); len(got) != 1 || got[0].From != time.Monday || got[0].To != time.Friday {
		t.Errorf("default hours: %+v, want Monday to Friday", got)
	}
	if got := (&queue.Hours{}).Week(); got != nil {
		t.Errorf("no hours: %+v", got)
	}
}
