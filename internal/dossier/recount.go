package dossier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"motcua/internal/workday"
)

// CalendarActor is the actor of the events written when a new or corrected
// working-day schedule moves a due date.
const CalendarActor = "calendar"

// WithCalendar is the same service counting with another calendar: the one
// loaded after an administrator entered or confirmed a year's schedule.
func (s *Service) WithCalendar(cal *workday.Calendar) *Service {
	c := *s
	c.cal = cal
	return &c
}

// DueNote writes the note of the event that records a moved due date, in the
// language of the dossier's record; the caller takes it from the locales.
type DueNote func(previous, due time.Time) string

// Recount is what RecountDue did.
type Recount struct {
	Checked int // running dossiers whose due date was counted again
	Moved   int // of those, the ones whose due date changed
}

// open are the statuses of dossiers whose due date may still matter.
var open = []Status{Received, InProgress, Supplement, Payment}

const recountPage = 200

// RecountDue counts the due date of every running dossier again with the
// service's calendar and moves those that differ from the stored one: a
// year's schedule was entered, confirmed or corrected since they were
// received. Each moved dossier gets an event (actor CalendarActor, the note
// from note) and a KindDueMoved message for the citizen, in one transaction.
// Dates given by another system (DueFixed) are that system's to move, and
// ended dossiers keep the date they were judged by.
//
// Several instances may run it at once: a dossier changed meanwhile is read
// again, and one already moved is found equal and left alone.
func (s *Service) RecountDue(ctx context.Context, note DueNote) (Recount, error) {
	var r Recount
	after := ""
	for {
		page, _, err := s.store.Dossiers(ctx, Selection{Statuses: open, ByCode: true, After: after, Limit: recountPage})
		if err != nil {
			return r, err
		}
		for _, row := range page {
			after = row.Code
			if row.DueFixed {
				continue
			}
			r.Checked++
			moved, err := s.recountOne(ctx, row.Code, note)
			if err != nil {
				return r, fmt.Errorf("recount due date of %s: %w", row.Code, err)
			}
			if moved {
				r.Moved++
			}
		}
		if len(page) < recountPage {
			return r, nil
		}
	}
}

func (s *Service) recountOne(ctx context.Context, code string, note DueNote) (bool, error) {
	for attempt := 0; ; attempt++ {
		d, err := s.store.Dossier(ctx, code)
		if err != nil {
			return false, err
		}
		if d.DueFixed || d.Status.Ended() {
			return false, nil
		}
		due := dueAt(s.cal, &d).UTC().Truncate(time.Microsecond)
		if due.IsZero() || due.Equal(d.DueAt) {
			return false, nil
		}
		now := s.clock()
		if n := len(d.Events); n > 0 && !now.After(d.Events[n-1].At) {
			now = d.Events[n-1].At.Add(time.Microsecond)
		}
		previous := d.DueAt
		d.DueAt = due
		e := Event{At: now, Status: d.Status, Note: note(previous, due), Actor: CalendarActor}
		d.Events = append(d.Events, e)
		msg := Message{Kind: KindDueMoved, Notice: Notice{Code: d.Code, Unit: d.UnitCode, Status: d.Status,
			At: now, DueAt: due, PreviousDueAt: &previous}}
		err = s.store.UpdateDossier(ctx, d, []Event{e}, []Message{msg})
		if errors.Is(err, ErrStale) && attempt < 3 {
			continue // changed meanwhile: count again from what is stored now
		}
		return err == nil, err
	}
}
