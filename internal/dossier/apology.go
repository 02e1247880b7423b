package dossier

import (
	"context"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/workday"
)

// ApologyInput is the officer's letter: a reason and a new return date.
type ApologyInput struct {
	// NewDue is the new return date. With WholeDay only its Vietnamese date
	// counts, and the letter promises the result by that day's closing time.
	NewDue   time.Time
	WholeDay bool
	Reason   string
}

// Apologize issues the letter of apology with a new return date for a late
// dossier or one due within a working day. The date may be moved only once;
// a letter issued after the due date is recorded, and marked late.
func (s *Service) Apologize(ctx context.Context, a actor.Actor, code string, in ApologyInput) (Dossier, error) {
	d, err := s.Get(ctx, a, code)
	if err != nil {
		return Dossier{}, err
	}
	if !MayApologize(a, &d) {
		return Dossier{}, actRefusal(a, d.UnitCode)
	}
	if err := d.apologyRefusal(); err != nil {
		return Dossier{}, err
	}
	now := s.clock()
	ap := Apology{IssuedAt: now, Reason: strings.TrimSpace(in.Reason), By: a.Name, Late: now.After(d.DueAt)}
	var errs []apperr.FieldError
	if in.WholeDay && !in.NewDue.IsZero() {
		if !s.cal.IsWorkingDay(in.NewDue) {
			errs = append(errs, apperr.FieldError{Field: "new_due_at", MessageID: "dossier.error.not_working_day"})
		}
		in.NewDue = s.closeOfDay(in.NewDue)
	}
	ap.NewDueAt = in.NewDue.UTC().Truncate(time.Microsecond)
	errs = append(errs, s.checkApology(&d, ap, now)...)
	if len(errs) > 0 {
		return Dossier{}, apperr.Fields(errs)
	}
	d.Apology = &ap
	if err := s.store.UpdateDossier(ctx, d, nil, []Message{apologyMessage(&d)}); err != nil {
		return Dossier{}, err
	}
	d.Version++
	return s.fill(d), nil
}

// ApologyDue reports whether a letter of apology may be issued now: the
// dossier is late or due within a working day, still running, and has none
// yet. The desk offers the form only then.
func (d *Dossier) ApologyDue() bool { return d.apologyRefusal() == nil }

// apologyRefusal says why no letter may be issued, nil when one may.
func (d *Dossier) apologyRefusal() error {
	switch {
	case d.Apology != nil:
		return apperr.New(apperr.Conflict, "dossier.error.apology_once")
	case d.Standing.Ended:
		return apperr.New(apperr.Conflict, "dossier.error.apology_ended")
	case !d.Standing.Late && !d.Standing.ApologyWindow:
		return apperr.New(apperr.Conflict, "dossier.error.apology_not_due")
	}
	return nil
}

// checkApology lists what is wrong with a letter: it needs a reason, and a
// new date later than both the due date and the moment it is issued.
func (s *Service) checkApology(d *Dossier, a Apology, now time.Time) []apperr.FieldError {
	var errs []apperr.FieldError
	text("reason", a.Reason, true, MaxReasonLen, func(f, id string, p map[string]any) {
		errs = append(errs, apperr.FieldError{Field: f, MessageID: id, Params: p})
	})
	switch {
	case a.NewDueAt.IsZero():
		errs = append(errs, apperr.FieldError{Field: "new_due_at", MessageID: "error.field.required"})
	case !a.NewDueAt.After(d.DueAt):
		errs = append(errs, apperr.FieldError{Field: "new_due_at", MessageID: "dossier.error.new_due_not_later",
			Params: map[string]any{"Due": d.DueAt.In(workday.Location()).Format("02/01/2006 15:04")}})
	case !a.NewDueAt.After(now):
		errs = append(errs, apperr.FieldError{Field: "new_due_at", MessageID: "dossier.error.new_due_past"})
	}
	return errs
}

// closeOfDay is the end of office hours on t's Vietnamese date: a same-day
// deadline counted from that day's midnight.
func (s *Service) closeOfDay(t time.Time) time.Time {
	y, m, day := t.In(workday.Location()).Date()
	return s.cal.Due(time.Date(y, m, day, 0, 0, 0, 0, workday.Location()), 0)
}
