package dossier_test

import (
	"context"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// TestTrackView follows one dossier through its life as its applicant sees
// it: masked, with the standing of the moment and the next step.
func TestTrackView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3") // due Thu 7 May 08:00
		track := func(t *testing.T) dossier.View {
			t.Helper()
			v, err := f.svc.Track(ctx, nobody, d.Code, "0912 345 678")
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		steps := []struct {
			name  string
			at    func()
			want  dossier.Verdict
			next  string
			apply func(t *testing.T)
		}{
			{"just received: on time", func() { f.clock.Set(at(2026, 5, 4, 9, 0)) }, dossier.OnTime, "track.next.received", nil},
			{"due within a working day: at risk", func() { f.clock.Set(at(2026, 5, 6, 9, 0)) }, dossier.AtRisk, "track.next.received", nil},
			{"past the due date: late", func() { f.clock.Set(at(2026, 5, 7, 9, 0)) }, dossier.Late, "track.next.received", func(t *testing.T) {
				if _, err := f.svc.Apologize(ctx, officerTB, d.Code, dossier.ApologyInput{NewDue: at(2026, 5, 11, 0, 0), WholeDay: true, Reason: "Chờ ý kiến"}); err != nil {
					t.Fatal(err)
				}
			}},
			{"past the apology's new date: overdue after the apology", func() { f.clock.Set(at(2026, 5, 12, 9, 0)) }, dossier.OverdueAfterApology, "track.next.overdue_after_apology", func(t *testing.T) {
				f.move(t, d.Code, dossier.InProgress, dossier.Done)
			}},
			{"done after the due date: finished late, may be rated", nil, dossier.FinishedLate, "track.next.done", nil},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				if s.at != nil {
					s.at()
				}
				v := track(t)
				if v.Standing != s.want || v.NextStep.ID != s.next {
					t.Errorf("standing %s, next %s; want %s, %s", v.Standing, v.NextStep.ID, s.want, s.next)
				}
				if v.Applicant.Initials != "N. V. A." || v.Applicant.Phone != "******678" {
					t.Errorf("applicant = %+v, want it masked", v.Applicant)
				}
				for _, e := range v.Events {
					if e.Actor != "" {
						t.Errorf("event shows who recorded it: %q", e.Actor)
					}
				}
				if v.Office.Name != "Huyện Thăng Bình" {
					t.Errorf("office = %+v, want the unit's name at least", v.Office)
				}
				if v.CanRate != (s.want == dossier.FinishedLate) {
					t.Errorf("can rate = %v", v.CanRate)
				}
				if s.want == dossier.OverdueAfterApology && (v.Apology == nil || !strings.Contains(v.Summary.ID, "overdue")) {
					t.Errorf("apology %+v, summary %s", v.Apology, v.Summary.ID)
				}
				if s.apply != nil {
					s.apply(t)
				}
			})
		}
	})
}

// TestTrackWho: a citizen or chat that proved the applicant's phone sees
// the view without typing it; one that proved another phone learns what a
// stranger with a wrong phone learns.
func TestTrackWho(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		for _, who := range []actor.Actor{citizen, chat} {
			if v, err := f.svc.Track(ctx, who, d.Code, ""); err != nil || v.Code != d.Code {
				t.Errorf("%s with the proved phone: %v", who, err)
			}
			other := who
			other.Phone = "+84987654321"
			if _, err := f.svc.Track(ctx, other, d.Code, ""); err != apperr.ErrNotFound {
				t.Errorf("%s with another phone: err = %v, want not found", who, err)
			}
		}
		for _, who := range []actor.Actor{nobody, clerkTB, syncTB} {
			if _, err := f.svc.Track(ctx, who, d.Code, ""); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%s without a phone: err = %v, want the phone asked for", who, err)
			}
			if _, err := f.svc.Track(ctx, who, d.Code, "0912345678"); err != nil {
				t.Errorf("%s with the phone: %v", who, err)
			}
		}
	})
}
