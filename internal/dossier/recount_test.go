package dossier_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/workday"
)

// announced loads the embedded calendar with an administrator's override,
// as the portal does at start-up after the file was edited.
func announced(t *testing.T, toml string) *workday.Calendar {
	t.Helper()
	path := filepath.Join(t.TempDir(), "calendar.toml")
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	cal, err := workday.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func dueNote(previous, due time.Time) string {
	return "Hạn trả kết quả tính lại theo lịch nghỉ đã công bố: " +
		previous.In(vn).Format("02/01/2006 15:04") + " → " + due.In(vn).Format("02/01/2006 15:04")
}

// check reads a dossier back and compares its due date, provisional flag,
// and the last event and outbox message.
func checkRecounted(t *testing.T, db *store.DB, svc *dossier.Service, code string, wantDue time.Time, wantProvisional, wantMoved bool, before time.Time) {
	t.Helper()
	ctx := context.Background()
	d, err := svc.Get(ctx, admin, code)
	if err != nil {
		t.Fatal(err)
	}
	if !d.DueAt.Equal(wantDue) {
		t.Errorf("due = %s, want %s", d.DueAt.In(vn), wantDue)
	}
	if d.Standing.Provisional != wantProvisional {
		t.Errorf("provisional = %v, want %v", d.Standing.Provisional, wantProvisional)
	}
	last := d.Events[len(d.Events)-1]
	if moved := last.Actor == dossier.CalendarActor; moved != wantMoved {
		t.Fatalf("last event %+v: moved by the calendar = %v, want %v", last, moved, wantMoved)
	}
	msgs, err := db.OutboxOf(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	lastMsg := msgs[len(msgs)-1]
	if (lastMsg.Kind == dossier.KindDueMoved) != wantMoved {
		t.Fatalf("last outbox message %s, want a due-moved message: %v", lastMsg.Kind, wantMoved)
	}
	if !wantMoved {
		return
	}
	if last.Status != d.Status || last.Note != dueNote(before, wantDue) {
		t.Errorf("event = %+v, want status %s and the note of the move", last, d.Status)
	}
	var n dossier.Notice
	if err := json.Unmarshal([]byte(lastMsg.Payload), &n); err != nil {
		t.Fatal(err)
	}
	if !n.DueAt.Equal(wantDue) || n.PreviousDueAt == nil || !n.PreviousDueAt.Equal(before) {
		t.Errorf("notice = %+v, want due %s, previous %s", n, wantDue, before)
	}
}

// 24 November 2026 is entered as an unconfirmed day off. The announcement
// makes it a working day: every running dossier counted across it is due
// earlier, and says so to the citizen; the others are left alone.
func TestRecountWhenAnUnconfirmedDayIsDropped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 11, 2, 7, 0))
		early := f.receive(t, "P3") // Mon 2 to Wed 4 Nov: does not reach 24 Nov
		f.clock.Set(at(2026, 11, 19, 8, 0))
		// Thu 19 from 08:00 7 h, Fri 20 and Mon 23 16 h, Tue 24 off, the last
		// hour Wed 25 07:00–08:00.
		running := f.receive(t, "P3")
		waiting := f.receive(t, "P3")
		ended := f.receive(t, "P3")
		f.move(t, waiting.Code, dossier.Supplement)
		f.move(t, ended.Code, dossier.InProgress, dossier.Done)
		if want := at(2026, 11, 25, 8, 0); !running.DueAt.Equal(want) || !running.Standing.Provisional {
			t.Fatalf("before: due %s provisional %v, want %s and provisional", running.DueAt.In(vn), running.Standing.Provisional, want)
		}

		f.clock.Set(at(2026, 11, 20, 9, 0))
		cal := announced(t, `
[2026]
source = "test: 24 Nov is not a holiday this year"
announced = true
off = ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
       "2026-04-27", "2026-08-31", "2026-09-01"]
work = ["2026-01-10", "2026-08-22"]
`)
		svc := f.svc.WithCalendar(cal)
		r, err := svc.RecountDue(ctx, dueNote)
		if err != nil {
			t.Fatal(err)
		}
		if r.Checked != 3 || r.Moved != 2 {
			t.Errorf("recount = %+v, want 3 checked (ended ones are not), 2 moved", r)
		}
		was := at(2026, 11, 25, 8, 0)
		t.Run("a running dossier counted across the day is due a day earlier", func(t *testing.T) {
			checkRecounted(t, db, svc, running.Code, at(2026, 11, 24, 8, 0), false, true, was)
		})
		t.Run("a dossier waiting for a supplement is moved too", func(t *testing.T) {
			checkRecounted(t, db, svc, waiting.Code, at(2026, 11, 24, 8, 0), false, true, was)
			d, _ := svc.Get(ctx, admin, waiting.Code)
			if e, ok := d.LastEvent(dossier.Supplement); !ok || e.Note != "ghi chú" || e.Actor == dossier.CalendarActor {
				t.Errorf("LastEvent(supplement) = %+v, want the clerk's request, not the calendar's event", e)
			}
		})
		t.Run("an ended dossier keeps the date it was judged by", func(t *testing.T) {
			checkRecounted(t, db, svc, ended.Code, was, false, false, was)
		})
		t.Run("a dossier that did not reach the day is left alone", func(t *testing.T) {
			checkRecounted(t, db, svc, early.Code, at(2026, 11, 4, 17, 0), false, false, time.Time{})
		})
		t.Run("a second recount moves nothing and writes nothing", func(t *testing.T) {
			before, _ := db.OutboxOf(ctx, running.Code)
			r, err := svc.RecountDue(ctx, dueNote)
			if err != nil || r.Moved != 0 {
				t.Fatalf("second recount = %+v, %v; want nothing moved", r, err)
			}
			if after, _ := db.OutboxOf(ctx, running.Code); len(after) != len(before) {
				t.Errorf("outbox grew from %d to %d rows", len(before), len(after))
			}
		})
	})
}

// Tết 2027 is entered as a forecast (Fri 5 to Thu 11 February) in a year not
// yet announced. The announcement gives Thu 4 to Wed 10 February instead: a
// dossier due on Thu 4 moves a week later, one due after Tết keeps its date
// and is no longer provisional.
func TestRecountWhenTetIsAnnounced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2027, 1, 25, 7, 0))
		// Mon 25 to Fri 29 Jan, Mon 1 to Thu 4 Feb, then Fri 12 Feb after the
		// forecast Tết: due Fri 12 Feb 17:00 either way.
		after := f.receive(t, "P10")
		f.clock.Set(at(2027, 2, 2, 7, 0))
		// Tue 2, Wed 3, Thu 4 Feb: due Thu 4 Feb 17:00 by the forecast.
		into := f.receive(t, "P3")
		if !after.Standing.Provisional || !into.Standing.Provisional {
			t.Fatal("due dates in a year not announced are not provisional")
		}
		if want := at(2027, 2, 4, 17, 0); !into.DueAt.Equal(want) {
			t.Fatalf("forecast due = %s, want %s", into.DueAt.In(vn), want)
		}

		cal := announced(t, `
[2027]
source = "test: the announcement"
announced = true
off = ["2027-01-01", "2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09",
       "2027-02-10", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03"]
`)
		svc := f.svc.WithCalendar(cal)
		r, err := svc.RecountDue(ctx, dueNote)
		if err != nil {
			t.Fatal(err)
		}
		if r.Checked != 2 || r.Moved != 1 {
			t.Errorf("recount = %+v, want 2 checked, 1 moved", r)
		}
		t.Run("the dossier due on the newly announced day off moves to after Tết", func(t *testing.T) {
			// Tue 2 and Wed 3 Feb, then Thu 11 Feb.
			checkRecounted(t, db, svc, into.Code, at(2027, 2, 11, 17, 0), false, true, at(2027, 2, 4, 17, 0))
		})
		t.Run("the dossier due after Tết keeps its date and is final", func(t *testing.T) {
			checkRecounted(t, db, svc, after.Code, at(2027, 2, 12, 17, 0), false, false, time.Time{})
		})
	})
}

// The case that was wrong: received Tuesday 1 December 2026 for a
// 25-working-day procedure, the dossier was due Tuesday 5 January 2027, as
// if New Year's Day 2027 were worked. It is due Wednesday 6 January, and
// provisional, 2027 not being announced.
func TestDueAcrossNewYear2027(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, at(2026, 12, 1, 8, 0))
		d := f.receive(t, "1.001699")
		if want := at(2027, 1, 6, 8, 0); !d.DueAt.Equal(want) {
			t.Errorf("due = %s, want %s", d.DueAt.In(vn), want)
		}
		if !d.Standing.Provisional {
			t.Error("due date in 2027, not yet announced, is not provisional")
		}
	})
}

// Two instances starting at once over one store both recount: each moved
// dossier gets one event and one message, not two.
func TestRecountTwiceAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2027, 2, 2, 7, 0))
		var codes []string
		for range 6 {
			codes = append(codes, f.receive(t, "P3").Code) // due Thu 4 Feb by the forecast
		}
		cal := announced(t, `
[2027]
source = "test: the announcement"
announced = true
off = ["2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-16", "2027-05-03", "2027-09-03"]
`)
		a, b := f.svc.WithCalendar(cal), f.svc.WithCalendar(cal)
		errs := make(chan error, 2)
		moved := make(chan int, 2)
		for _, svc := range []*dossier.Service{a, b} {
			go func() {
				r, err := svc.RecountDue(ctx, dueNote)
				moved <- r.Moved
				errs <- err
			}()
		}
		total := 0
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			total += <-moved
		}
		if total != len(codes) {
			t.Errorf("moved %d in all, want %d: each dossier once", total, len(codes))
		}
		for _, code := range codes {
			msgs, _ := db.OutboxOf(ctx, code)
			if len(msgs) != 2 {
				t.Errorf("%s: %d outbox rows, want the reception and one move", code, len(msgs))
			}
		}
	})
}
