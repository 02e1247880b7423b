package dossier_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// The due dates below were counted by hand against the 2026 schedule of
// docs/domain.md: office hours 07:00–11:30 and 13:30–17:00, a working day is 8 h.
func TestDueAtReception(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		for _, tc := range []struct {
			name     string
			received time.Time
			proc     string
			want     time.Time
		}{
			{"three days from a Monday morning end on Thursday morning", at(2026, 5, 4, 8, 0), "P3", at(2026, 5, 7, 8, 0)},
			{"30 April, 1 May and the weekend do not count", at(2026, 4, 29, 8, 0), "P3", at(2026, 5, 6, 8, 0)},
			{"Hùng Kings' day made up on Monday 27 April does not count", at(2026, 4, 24, 17, 30), "P3", at(2026, 5, 4, 17, 0)},
			{"a same-day procedure received before 15:00 is due at 17:00", at(2026, 5, 8, 10, 0), "P0", at(2026, 5, 8, 17, 0)},
			{"a same-day procedure received after 15:00 is due the next working day", at(2026, 5, 8, 16, 0), "P0", at(2026, 5, 11, 17, 0)},
			{"received on a Saturday, the clock starts on Monday", at(2026, 5, 9, 9, 0), "P3", at(2026, 5, 13, 17, 0)},
			{"received in the evening, the clock starts the next morning", at(2026, 5, 4, 18, 0), "P3", at(2026, 5, 7, 17, 0)},
			{"a compensating Saturday is worked", at(2026, 1, 10, 9, 0), "P0", at(2026, 1, 10, 17, 0)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.clock.Set(tc.received)
				d := f.receive(t, tc.proc)
				if !d.DueAt.Equal(tc.want) {
					t.Errorf("due = %s, want %s", d.DueAt.In(vn), tc.want)
				}
			})
		}
	})
}

func TestSupplementPause(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3") // due Thu 7 May 08:00
		f.clock.Set(at(2026, 5, 5, 8, 0))
		if _, err := f.svc.Transition(ctx, deskTB, d.Code, dossier.Supplement, "Thiếu bản sao CCCD"); err != nil {
			t.Fatal(err)
		}
		// Past the original due date, still waiting: the clock has stopped.
		f.clock.Set(at(2026, 5, 8, 7, 30))
		got, _ := f.svc.Get(ctx, deskTB, d.Code)
		if !got.Standing.Paused || got.Standing.Late || got.Standing.AtRisk {
			t.Errorf("while waiting: %+v, want paused and neither late nor at risk", got.Standing)
		}
		// The papers come on Fri 8 May 08:00 after 3 working days of waiting
		// (Tue 7 h, Wed 8 h, Thu 8 h, Fri 1 h): the due date moves by 24 h.
		f.clock.Set(at(2026, 5, 8, 8, 0))
		got, err := f.svc.Transition(ctx, deskTB, d.Code, dossier.InProgress, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := at(2026, 5, 12, 8, 0); !got.DueAt.Equal(want) {
			t.Errorf("due after the pause = %s, want %s", got.DueAt.In(vn), want)
		}
		if got.Standing.Late {
			t.Errorf("late right after the pause, want on time")
		}
		// A second wait, Mon 11 May 13:30 to 17:00 (3.5 h), moves it again.
		f.clock.Set(at(2026, 5, 11, 13, 30))
		f.svc.Transition(ctx, deskTB, d.Code, dossier.Supplement, "Thiếu chữ ký")
		f.clock.Set(at(2026, 5, 11, 17, 0))
		got, err = f.svc.Transition(ctx, deskTB, d.Code, dossier.InProgress, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := at(2026, 5, 12, 11, 30); !got.DueAt.Equal(want) {
			t.Errorf("due after two pauses = %s, want %s", got.DueAt.In(vn), want)
		}
		stored, _ := f.svc.Get(ctx, deskTB, d.Code)
		if !stored.DueAt.Equal(got.DueAt) {
			t.Errorf("stored due %s, returned %s", stored.DueAt, got.DueAt)
		}
	})
}

func TestStanding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3") // due Thu 7 May 08:00
		for _, tc := range []struct {
			name         string
			now          time.Time
			late, atRisk bool
		}{
			{"ten working hours before the due date it is neither late nor at risk", at(2026, 5, 5, 16, 0), false, false},
			{"seven working hours before the due date it is at risk", at(2026, 5, 6, 9, 0), false, true},
			{"exactly at the due date it is at risk, not late", at(2026, 5, 7, 8, 0), false, true},
			{"a minute past the due date it is late", at(2026, 5, 7, 8, 1), true, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.clock.Set(tc.now)
				got, _ := f.svc.Get(ctx, deskTB, d.Code)
				if got.Standing.Late != tc.late || got.Standing.AtRisk != tc.atRisk {
					t.Errorf("standing = %+v, want late %v, at risk %v", got.Standing, tc.late, tc.atRisk)
				}
			})
		}
		t.Run("a one-day or same-day dossier is not at risk when just received", func(t *testing.T) {
			f.clock.Set(at(2026, 5, 4, 8, 0))
			d0 := f.receive(t, "P0") // due Mon 4 May 17:00
			f.clock.Set(at(2026, 5, 4, 8, 5))
			got, _ := f.svc.Get(ctx, deskTB, d0.Code)
			if got.Standing.AtRisk || got.Standing.Late {
				t.Errorf("five minutes after reception: %+v, want on time", got.Standing)
			}
			if !got.ApologyDue() {
				t.Errorf("the office may still write its letter of apology a working day ahead")
			}
			f.clock.Set(at(2026, 5, 4, 14, 30)) // 2.5 of its 8 office hours left
			if got, _ = f.svc.Get(ctx, deskTB, d0.Code); !got.Standing.AtRisk {
				t.Errorf("with 2.5 office hours left: %+v, want at risk", got.Standing)
			}
		})
		t.Run("finished on the due date is on time, long after", func(t *testing.T) {
			f.clock.Set(at(2026, 5, 4, 8, 0))
			d := f.receive(t, "P3")
			f.clock.Set(at(2026, 5, 5, 8, 0))
			f.svc.Transition(ctx, deskTB, d.Code, dossier.InProgress, "")
			f.clock.Set(at(2026, 5, 7, 8, 0))
			f.svc.Transition(ctx, deskTB, d.Code, dossier.Done, "")
			f.clock.Set(at(2026, 6, 1, 8, 0))
			got, _ := f.svc.Get(ctx, deskTB, d.Code)
			if got.Standing.Late || !got.Standing.Ended || got.FinishedAt == nil {
				t.Errorf("standing = %+v, finished %v; want ended on time", got.Standing, got.FinishedAt)
			}
		})
	})
}
