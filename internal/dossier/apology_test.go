package dossier_test

import (
	"context"
	"testing"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestApology(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		letter := dossier.ApologyInput{NewDue: at(2026, 5, 12, 0, 0), WholeDay: true, Reason: "Chờ ý kiến của Sở"}
		fresh := func(t *testing.T) dossier.Dossier {
			t.Helper()
			f.clock.Set(at(2026, 5, 4, 8, 0))
			return f.receive(t, "P3") // due Thu 7 May 08:00
		}

		t.Run("a dossier neither late nor at risk gets no letter", func(t *testing.T) {
			d := fresh(t)
			f.clock.Set(at(2026, 5, 5, 9, 0))
			if _, err := f.svc.Apologize(ctx, deskTB, d.Code, letter); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("err = %v, want a conflict", err)
			}
		})
		t.Run("an at-risk dossier gets one letter, on time, queued for the citizen", func(t *testing.T) {
			d := fresh(t)
			f.clock.Set(at(2026, 5, 6, 9, 0))
			got, err := f.svc.Apologize(ctx, deskTB, d.Code, letter)
			if err != nil {
				t.Fatal(err)
			}
			a := got.Apology
			if a == nil || a.Late || !a.NewDueAt.Equal(at(2026, 5, 12, 17, 0)) || a.Reason != letter.Reason || a.By != "an.tb" {
				t.Fatalf("apology = %+v", a)
			}
			if !got.DueAt.Equal(at(2026, 5, 7, 8, 0)) {
				t.Errorf("the letter moved the due date to %s; on time keeps meaning the original date", got.DueAt)
			}
			msgs, _ := db.OutboxOf(ctx, d.Code)
			if len(msgs) != 2 || msgs[1].Kind != dossier.KindApology {
				t.Errorf("outbox = %+v, want the reception then the apology", msgs)
			}
			// The date may be moved only once.
			later := letter
			later.NewDue = at(2026, 5, 14, 0, 0)
			if _, err := f.svc.Apologize(ctx, deskTB, d.Code, later); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("second letter: err = %v, want a conflict", err)
			}
			// Finished after the original date but before the new one: late all the same.
			f.clock.Set(at(2026, 5, 8, 9, 0))
			f.move(t, d.Code, dossier.InProgress, dossier.Done)
			got, _ = f.svc.Get(ctx, deskTB, d.Code)
			if !got.Standing.Late {
				t.Errorf("finished %s after the original due date %s: want late despite the letter", got.FinishedAt, got.DueAt)
			}
		})
		t.Run("a letter issued after the due date is recorded as late", func(t *testing.T) {
			d := fresh(t)
			f.clock.Set(at(2026, 5, 8, 9, 0))
			got, err := f.svc.Apologize(ctx, deskTB, d.Code, letter)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Apology.Late {
				t.Errorf("apology issued after the due date not marked late")
			}
		})
		t.Run("a bad letter lists every problem and writes nothing", func(t *testing.T) {
			d := fresh(t)
			f.clock.Set(at(2026, 5, 8, 9, 0))
			for name, in := range map[string]dossier.ApologyInput{
				"reason":     {NewDue: at(2026, 5, 12, 0, 0), WholeDay: true, Reason: "  "},
				"not later":  {NewDue: at(2026, 5, 6, 0, 0), WholeDay: true, Reason: "x"},
				"past":       {NewDue: at(2026, 5, 7, 12, 0), Reason: "x"},
				"day off":    {NewDue: at(2026, 5, 9, 0, 0), WholeDay: true, Reason: "x"},
				"no date":    {Reason: "x"},
				"both wrong": {NewDue: at(2026, 5, 6, 0, 0), WholeDay: true},
			} {
				_, err := f.svc.Apologize(ctx, deskTB, d.Code, in)
				ae := apperr.As(err)
				if ae.Code != apperr.Invalid || len(ae.Fields) == 0 || (name == "both wrong" && len(ae.Fields) != 2) {
					t.Errorf("%s: err = %v, fields %+v", name, err, ae.Fields)
				}
			}
			got, _ := f.svc.Get(ctx, deskTB, d.Code)
			if got.Apology != nil {
				t.Errorf("a refused letter was saved: %+v", got.Apology)
			}
		})
		t.Run("an ended dossier gets no letter", func(t *testing.T) {
			d := fresh(t)
			f.move(t, d.Code, dossier.Refused)
			f.clock.Set(at(2026, 5, 8, 9, 0))
			if _, err := f.svc.Apologize(ctx, deskTB, d.Code, letter); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("err = %v, want a conflict", err)
			}
		})
		t.Run("an officer of another unit cannot issue one", func(t *testing.T) {
			d := fresh(t)
			f.clock.Set(at(2026, 5, 8, 9, 0))
			if _, err := f.svc.Apologize(ctx, deskHA, d.Code, letter); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("err = %v, want forbidden", err)
			}
		})
	})
}
