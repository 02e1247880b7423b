package dossier_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// allowed is docs/domain.md's life of a dossier, written out here independently
// of the service's table.
var allowed = map[[2]dossier.Status]bool{
	{dossier.Received, dossier.InProgress}: true, {dossier.Received, dossier.Supplement}: true,
	{dossier.Received, dossier.Payment}: true, {dossier.Received, dossier.Refused}: true,
	{dossier.Received, dossier.Withdrawn}:    true,
	{dossier.InProgress, dossier.Supplement}: true, {dossier.InProgress, dossier.Payment}: true,
	{dossier.InProgress, dossier.Done}: true, {dossier.InProgress, dossier.Withdrawn}: true,
	{dossier.InProgress, dossier.Stopped}:    true,
	{dossier.Supplement, dossier.InProgress}: true, {dossier.Supplement, dossier.Withdrawn}: true,
	{dossier.Supplement, dossier.Stopped}: true,
	{dossier.Payment, dossier.InProgress}: true, {dossier.Payment, dossier.Done}: true,
	{dossier.Payment, dossier.Withdrawn}: true, {dossier.Payment, dossier.Stopped}: true,
	{dossier.Done, dossier.Returned}: true,
}

// pathTo reaches each status from a fresh dossier.
var pathTo = map[dossier.Status][]dossier.Status{
	dossier.Received:   nil,
	dossier.InProgress: {dossier.InProgress},
	dossier.Supplement: {dossier.Supplement},
	dossier.Payment:    {dossier.Payment},
	dossier.Refused:    {dossier.Refused},
	dossier.Withdrawn:  {dossier.Withdrawn},
	dossier.Done:       {dossier.InProgress, dossier.Done},
	dossier.Returned:   {dossier.InProgress, dossier.Done, dossier.Returned},
	dossier.Stopped:    {dossier.InProgress, dossier.Stopped},
}

func TestTransitionTable(t *testing.T) {
	for _, from := range dossier.Statuses {
		for _, to := range dossier.Statuses {
			if got, want := from.CanMoveTo(to), allowed[[2]dossier.Status{from, to}]; got != want {
				t.Errorf("%s → %s allowed = %v, want %v", from, to, got, want)
			}
		}
	}
	for _, st := range dossier.Statuses {
		want := st == dossier.Refused || st == dossier.Withdrawn || st == dossier.Stopped || st == dossier.Returned
		if st.Final() != want {
			t.Errorf("%s final = %v, want %v", st, st.Final(), want)
		}
	}
}

func TestTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		for _, from := range dossier.Statuses {
			for _, to := range dossier.Statuses {
				ok := allowed[[2]dossier.Status{from, to}]
				name := fmt.Sprintf("%s to %s is refused", from, to)
				if ok {
					name = fmt.Sprintf("%s to %s is allowed", from, to)
				}
				t.Run(name, func(t *testing.T) {
					d := f.receive(t, "P10")
					if len(pathTo[from]) > 0 {
						d = f.move(t, d.Code, pathTo[from]...)
					}
					before, _ := db.OutboxOf(ctx, d.Code)
					f.clock.Add(time.Hour)
					got, err := f.svc.Transition(ctx, deskTB, d.Code, to, "lý do")
					stored, gerr := f.svc.Get(ctx, deskTB, d.Code)
					if gerr != nil {
						t.Fatal(gerr)
					}
					after, _ := db.OutboxOf(ctx, d.Code)
					if !ok {
						if apperr.CodeOf(err) != apperr.Conflict {
							t.Fatalf("err = %v, want a conflict", err)
						}
						if stored.Status != from || len(stored.Events) != len(d.Events) || stored.Version != d.Version || len(after) != len(before) {
							t.Errorf("a refused move changed the dossier: status %s, %d events, version %d, %d messages",
								stored.Status, len(stored.Events), stored.Version, len(after))
						}
						return
					}
					if err != nil {
						t.Fatalf("err = %v", err)
					}
					last := stored.Events[len(stored.Events)-1]
					if got.Status != to || stored.Status != to || last.Status != to || last.Actor != "an.tb" || last.Note != "lý do" {
						t.Errorf("after the move: status %s/%s, last event %+v", got.Status, stored.Status, last)
					}
					if len(after) != len(before)+1 || after[len(after)-1].Kind != dossier.KindStatus {
						t.Errorf("outbox: %d messages before, %d after; want one more status message", len(before), len(after))
					}
				})
			}
		}
	})
}
