package main

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/dossier"
	"motcua/internal/store/storetest"
	"motcua/internal/workday"
)

func (h *deskHarness) setClock(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clock = t
}

// vnTime is a wall-clock time in Vietnam.
func vnTime(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, workday.Location())
}

// receive1001699 receives, at TB now, a dossier for 1.001699 (25 working days).
func (h *deskHarness) receive1001699(t *testing.T) dossier.Dossier {
	t.Helper()
	d, err := h.s.dossiers.Receive(context.Background(), actor.Actor{Kind: actor.Staff, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"},
		dossier.Reception{UnitCode: "TB", ProcedureCode: "1.001699", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Received Tuesday 1 December 2026 at 08:00 for 25 working days, the dossier
// is due Wednesday 6 January 2027 (New Year's Day is off), and every place
// that shows the date says it is provisional: 2027 is not announced.
func TestProvisionalDueDateShown(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			h.setClock(vnTime(2026, 12, 1, 8, 0))
			d := h.receive1001699(t)
			status, _, body := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", "")
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			var got struct {
				DueAt          string `json:"due_at"`
				DueProvisional bool   `json:"due_provisional"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if got.DueAt != "2027-01-06T01:00:00Z" || !got.DueProvisional {
				t.Errorf("API: due_at %s, due_provisional %v; want 2027-01-06T01:00:00Z (08:00 in Vietnam), true", got.DueAt, got.DueProvisional)
			}

			_, _, page := h.call(t, "GET", "/track?code="+d.Code+"&phone=0912345678", "")
			if !strings.Contains(page, `id="due-provisional"`) || !strings.Contains(page, "06/01/2027") {
				t.Errorf("tracking page: no provisional due date 06/01/2027")
			}
			b := h.browser(t)
			b.login("clerk")
			if _, page := b.do("GET", "/desk/dossiers/"+d.Code, nil); !strings.Contains(page, `id="due-provisional"`) {
				t.Errorf("desk dossier page: not marked provisional")
			}
			if _, page := b.do("GET", "/desk/dossiers", nil); !strings.Contains(page, h.env.Text.For("vi").T("desk.standing.provisional")) {
				t.Errorf("desk list: not marked provisional")
			}
			if _, page := b.do("GET", "/desk/dossiers/"+d.Code+"/receipt", nil); !strings.Contains(html.UnescapeString(page), h.env.Text.For("vi").T("desk.receipt.provisional")) {
				t.Errorf("receipt: not marked provisional")
			}

			t.Run("a due date within announced days is not provisional", func(t *testing.T) {
				h.setClock(vnTime(2026, 3, 2, 8, 0))
				d := h.receiveTB(t)
				_, _, body := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", "")
				if !strings.Contains(body, `"due_provisional":false`) {
					t.Errorf("API: %s, want due_provisional false", body)
				}
			})
		})
	}
}

// The administrator enters the announcement in $MOTCUA_DATA_DIR/calendar.toml
// and restarts the portal: the due dates that moved are recorded in the
// dossier's history and queued for the citizen.
func TestStartUpRecountsDueDates(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dataDir := t.TempDir()
			dbURL := storetest.URL(t, kind)
			h := newDossierHarness(t, kind, map[string]string{"DATABASE_URL": dbURL, "MOTCUA_DATA_DIR": dataDir})
			h.setClock(vnTime(2027, 2, 1, 7, 0))
			// 25 working days from Mon 1 Feb 2027 by the forecast (Tết off
			// Fri 5 to Thu 11 Feb): Mon 1 to Thu 4 (4), Fri 12 (5), 15 to 19
			// (10), 22 to 26 (15), 1 to 5 Mar (20), 8 to 12 Mar (25): Fri 12 Mar.
			d := h.receive1001699(t)
			if want := vnTime(2027, 3, 12, 17, 0); !d.DueAt.Equal(want) {
				t.Fatalf("forecast due = %s, want %s", d.DueAt.In(workday.Location()), want)
			}
			// The announcement: Tết off Mon 8 to Fri 12 Feb (Fri 5 worked) and
			// Sat 20 Feb a make-up working day: Mon 1 to Fri 5 (5), 15 to 19
			// (10), Sat 20 (11), 22 to 26 (16), 1 to 5 Mar (21), 8 to 11 Mar
			// (25): due Thu 11 Mar.
			override := `
[2027]
source = "test: the announcement"
announced = true
off = ["2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
       "2027-04-16", "2027-05-03", "2027-09-03"]
work = ["2027-02-20"]
`
			if err := os.WriteFile(filepath.Join(dataDir, "calendar.toml"), []byte(override), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"DATABASE_URL": dbURL, "MOTCUA_DATA_DIR": dataDir}
			h.setClock(vnTime(2027, 2, 2, 7, 0))
			e, err := open(context.Background(), func(k string) string { return env[k] }, io.Discard, app.WithClock(h.now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(e.Close)
			if _, _, err := newServer(e); err != nil {
				t.Fatal(err)
			}
			got, err := e.DB.Dossier(context.Background(), d.Code)
			if err != nil {
				t.Fatal(err)
			}
			if want := vnTime(2027, 3, 11, 17, 0); !got.DueAt.Equal(want) {
				t.Errorf("due after restart = %s, want %s", got.DueAt.In(workday.Location()), want)
			}
			last := got.Events[len(got.Events)-1]
			vi := e.Text.For("vi")
			wantNote := vi.T("dossier.event.due_moved", "Previous", vi.DateTime(d.DueAt), "Due", vi.DateTime(got.DueAt))
			if last.Actor != dossier.CalendarActor || last.Note != wantNote || strings.Contains(last.Note, "dossier.event") {
				t.Errorf("last event = %+v, want the calendar's note %q", last, wantNote)
			}
			msgs, err := e.DB.OutboxOf(context.Background(), d.Code)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(msgs); n != 2 || msgs[1].Kind != dossier.KindDueMoved {
				t.Errorf("outbox = %+v, want the reception, then the moved due date", msgs)
			}

			// The store remembers the calendar it counted with: a restart
			// with the same one counts nothing again (a due date put back
			// by hand stays put), a changed one counts again.
			restart := func() {
				t.Helper()
				e, err := open(context.Background(), func(k string) string { return env[k] }, io.Discard, app.WithClock(h.now))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(e.Close)
				if _, _, err := newServer(e); err != nil {
					t.Fatal(err)
				}
			}
			back := got
			back.DueAt = d.DueAt
			if err := e.DB.UpdateDossier(context.Background(), back, nil, nil); err != nil {
				t.Fatal(err)
			}
			restart()
			if again, err := e.DB.Dossier(context.Background(), d.Code); err != nil || !again.DueAt.Equal(d.DueAt) {
				t.Errorf("after a restart with the same calendar: due %s, %v; want it left at %s", again.DueAt, err, d.DueAt)
			}
			override = strings.Replace(override, `"2027-09-03"]`, `"2027-09-03", "2027-12-31"]`, 1)
			if err := os.WriteFile(filepath.Join(dataDir, "calendar.toml"), []byte(override), 0o600); err != nil {
				t.Fatal(err)
			}
			restart()
			if again, err := e.DB.Dossier(context.Background(), d.Code); err != nil || !again.DueAt.Equal(vnTime(2027, 3, 11, 17, 0)) {
				t.Errorf("after a restart with a changed calendar: due %s, %v; want it counted again", again.DueAt, err)
			}
		})
	}
}

// From 1 October, administrators see at the desk that next year's schedule
// still has to be entered or confirmed, and in which file; others do not.
func TestCalendarNoticeAtTheDesk(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	notice := `id="calendar-notice"`
	// desk signs in afresh at the time given (a session ends after 8 idle
	// hours) and returns the home page.
	desk := func(at time.Time, who string) string {
		h.setClock(at)
		b := h.browser(t)
		b.login(who)
		_, page := b.do("GET", "/desk", nil)
		return html.UnescapeString(page)
	}
	if page := desk(vnTime(2026, 9, 30, 9, 0), "admin"); strings.Contains(page, notice) {
		t.Error("30 September: notice shown, want none before 1 October")
	}
	page := desk(vnTime(2026, 10, 1, 9, 0), "admin")
	if !strings.Contains(page, notice) {
		t.Fatal("1 October: no notice for the administrator")
	}
	file, _ := filepath.Abs(filepath.Join(h.env.Cfg.DataDir, "calendar.toml"))
	vi := h.env.Text.For("vi")
	for _, want := range []string{file, vi.T("desk.calendar.status.unannounced", "Year", 2027), "[2027]", "announced = true"} {
		if !strings.Contains(page, want) {
			t.Errorf("notice does not say %q", want)
		}
	}
	if page := desk(vnTime(2026, 10, 1, 9, 0), "clerk"); strings.Contains(page, notice) {
		t.Error("a clerk sees the administrators' notice")
	}
	page = desk(vnTime(2027, 10, 1, 9, 0), "admin")
	for _, want := range []string{vi.T("desk.calendar.status.missing", "Year", 2028), vi.T("desk.calendar.status.unannounced", "Year", 2027)} {
		if !strings.Contains(page, want) {
			t.Errorf("1 October 2027, with 2027 still a forecast: notice does not say %q", want)
		}
	}
	if page := desk(vnTime(2027, 3, 1, 9, 0), "admin"); !strings.Contains(page, vi.T("desk.calendar.status.unannounced", "Year", 2027)) {
		t.Error("March 2027: no notice that the current year is still a forecast")
	}
}

// Once next year is entered and confirmed, the notice goes away.
func TestCalendarNoticeGoneOnceConfirmed(t *testing.T) {
	dataDir := t.TempDir()
	err := os.WriteFile(filepath.Join(dataDir, "calendar.toml"), []byte(`
[2027]
source = "test: announced"
announced = true
off = ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-04-16", "2027-05-03", "2027-09-03"]
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	h := newDeskHarness(t, "sqlite", map[string]string{"MOTCUA_DATA_DIR": dataDir})
	h.setClock(vnTime(2026, 11, 2, 9, 0))
	b := h.browser(t)
	b.login("admin")
	if _, page := b.do("GET", "/desk", nil); strings.Contains(page, `id="calendar-notice"`) {
		t.Error("notice shown although 2027 is announced and confirmed")
	}
}

func TestCalendarMetrics(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	h.setClock(vnTime(2026, 12, 1, 9, 0))
	families, err := h.s.metrics.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range families {
		if f.GetName() != "motcua_calendar_year_info" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			got[labels["year"]] = labels["status"]
		}
	}
	want := map[string]string{"2025": "confirmed", "2026": "partly_unconfirmed", "2027": "unannounced"}
	if len(got) != len(want) {
		t.Errorf("years = %v, want %v", got, want)
	}
	for y, s := range want {
		if got[y] != s {
			t.Errorf("year %s: status %q, want %q", y, got[y], s)
		}
	}
}
