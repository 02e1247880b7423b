package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"motcua/internal/store/storetest"
	"motcua/internal/workday"
)

// TestDueMovedNotice: when the working-day schedule entered at start-up
// moves a followed dossier's due date, the chat hears the old and new dates.
func TestDueMovedNotice(t *testing.T) {
	ctx := context.Background()
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	startBot(t, w.env(f, nil), "-poll", "2s")
	u := user{ID: 3201, Lang: "vi"}
	code := w.dossier.Code
	f.say(t, u, code)
	n := len(f.sent(u.ID))
	f.push(u.contactUpdate(u.ID, "+"+applicantPhoneTG))
	f.waitSent(t, u.ID, n+2)

	// The administrator declares the dossier's due day a day off: its due
	// date moves to a later working day.
	due := w.dossier.DueAt.In(workday.Location())
	table := fmt.Sprintf("[%d]\nsource = \"test\"\nannounced = true\noff = [%q]\n", due.Year(), due.Format("2006-01-02"))
	must(t, os.WriteFile(w.dataFile("calendar.toml"), []byte(table), 0o600))
	cal, err := workday.Load(w.dataFile("calendar.toml"))
	must(t, err)
	r, err := w.a.Dossiers.WithCalendar(cal).RecountDue(ctx, func(_, _ time.Time) string { return "tính lại" })
	must(t, err)
	if r.Moved != 1 {
		t.Fatalf("recount = %+v, want the dossier moved", r)
	}
	moved, err := w.a.DB.Dossier(ctx, code)
	must(t, err)
	zone := w.a.Text.Zone()
	got := f.waitSent(t, u.ID, n+3)[n+2].text()
	for _, want := range []string{code, due.Format("02/01/2006"), moved.DueAt.In(zone).Format("02/01/2006"), "lịch nghỉ"} {
		if !strings.Contains(got, want) {
			t.Errorf("notice %q lacks %q", got, want)
		}
	}
}
