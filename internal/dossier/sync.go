package dossier

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// skew is how far in the future a reported time may be before it is refused:
// the other system's clock may run a little ahead.
const skew = 2 * time.Minute

// Sync creates or updates a dossier from the full state another one-stop
// system sends. It is idempotent: the same body twice changes nothing and
// queues nothing the second time; events are appended, never duplicated, and
// never removed. It reports whether the dossier was created.
func (s *Service) Sync(ctx context.Context, a actor.Actor, code string, body []byte) (Dossier, bool, error) {
	if !a.HasScope(actor.ScopeSync) || a.Unit == "" {
		return Dossier{}, false, a.Deny()
	}
	in, errs, err := DecodeSync(body)
	if err != nil {
		return Dossier{}, false, err
	}
	in.Unit, in.ProcedureCode = strings.TrimSpace(in.Unit), strings.TrimSpace(in.ProcedureCode)
	if in.Unit != "" && !maySync(a, in.Unit) {
		return Dossier{}, false, apperr.New(apperr.Forbidden, "dossier.error.sync.unit")
	}
	if !ValidCode(code) {
		errs = append([]apperr.FieldError{{Field: "code", MessageID: "error.field.code", Params: map[string]any{"Max": MaxCodeLen}}}, errs...)
	}
	errs = append(errs, s.checkSync(ctx, &in)...)
	if len(errs) > 0 {
		return Dossier{}, false, apperr.Fields(firstPerField(errs))
	}
	// Two deliveries of one body may race; the loser finds the winner's
	// write and, the body being the same, has nothing left to do.
	for attempt := 0; ; attempt++ {
		d, created, err := s.syncOnce(ctx, a, code, in)
		if attempt < 4 && (errors.Is(err, ErrStale) || errors.Is(err, ErrExists)) {
			continue
		}
		return d, created, err
	}
}

// checkSync validates the values of a decoded body and normalises them.
func (s *Service) checkSync(ctx context.Context, in *SyncInput) []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, id string, params map[string]any) {
		errs = append(errs, apperr.FieldError{Field: field, MessageID: id, Params: params})
	}
	latest := s.now().UTC().Add(skew)
	future := func(field string, t time.Time) {
		if t.After(latest) {
			bad(field, "dossier.error.future", nil)
		}
	}
	// An empty value is as missing as an absent member: the decoder reported
	// the latter already, and firstPerField keeps one problem per field.
	if in.ProcedureCode == "" {
		bad("procedure_code", "error.field.required", nil)
	} else if _, err := s.procs.Get(in.ProcedureCode); err != nil {
		bad("procedure_code", "dossier.error.procedure_unknown", nil)
	}
	if in.Unit == "" {
		bad("unit", "error.field.required", nil)
	} else if _, err := s.units.Get(ctx, in.Unit); err != nil {
		bad("unit", "dossier.error.unit_unknown", nil)
	}
	in.Applicant.Name = strings.Join(strings.Fields(in.Applicant.Name), " ")
	in.Applicant.IDNumber = strings.ToUpper(strings.TrimSpace(in.Applicant.IDNumber))
	if p, ok := NormalizePhone(in.Applicant.Phone); ok {
		in.Applicant.Phone = p
	}
	d := Dossier{Applicant: in.Applicant, Channel: in.Channel, Status: in.Status, ReceivedAt: in.ReceivedAt}
	if in.DueAt != nil {
		d.DueAt = *in.DueAt
	}
	for _, e := range d.Validate() {
		// A missing member was reported by the decoder already.
		if e.MessageID != "error.field.required" || !in.ReceivedAt.IsZero() || e.Field != "received_at" {
			errs = append(errs, e)
		}
	}
	future("received_at", in.ReceivedAt)
	for i, e := range in.Events {
		name := "events[" + strconv.Itoa(i) + "]"
		if !e.Status.Valid() {
			bad(name+".status", "dossier.error.status", nil)
		}
		text(name+".note", e.Note, false, MaxNoteLen, bad)
		future(name+".at", e.At)
	}
	if a := in.Apology; a != nil {
		a.Reason = strings.TrimSpace(a.Reason)
		text("apology.reason", a.Reason, true, MaxReasonLen, bad)
		future("apology.issued_at", a.IssuedAt)
	}
	return errs
}

// syncOnce merges the body into the stored dossier, if any, and writes the
// result when something changed.
func (s *Service) syncOnce(ctx context.Context, a actor.Actor, code string, in SyncInput) (Dossier, bool, error) {
	old, err := s.store.Dossier(ctx, code)
	exists := err == nil
	if err != nil && !apperr.IsNotFound(err) {
		return Dossier{}, false, err
	}
	if exists && !maySync(a, old.UnitCode) {
		return Dossier{}, false, apperr.New(apperr.Forbidden, "dossier.error.sync.other_unit")
	}
	d := Dossier{Code: code, ProcedureCode: in.ProcedureCode, UnitCode: in.Unit, Applicant: in.Applicant,
		Channel: in.Channel, Status: in.Status, ReceivedAt: in.ReceivedAt,
		Digitized: in.Digitized, EResult: in.EResult, ReusedData: in.ReusedData, HasFee: in.HasFee,
		PaidOnline: in.PaidOnline, SyncedNational: in.SyncedNational}
	if exists {
		d.Papers, d.Version = old.Papers, old.Version
	}
	if exists && old.ProcedureCode == d.ProcedureCode {
		d.ProcessingDays = old.ProcessingDays
	} else if p, err := s.procs.Get(d.ProcedureCode); err == nil {
		d.ProcessingDays = p.ProcessingDays
	}
	var added []Event
	d.Events, added = mergeEvents(old.Events, in.Events, "sync:"+a.Name)
	if in.DueAt != nil {
		d.DueFixed, d.DueAt = true, *in.DueAt
	} else {
		d.DueAt = dueAt(s.cal, &d)
	}
	d.FinishedAt, d.ReturnedAt = finishedAt(&d), returnedAt(&d)

	var msgs []Message
	if !exists || old.Status != d.Status {
		msgs = append(msgs, statusMessage(&d, old.Status, statusTime(&d), lastNote(&d)))
	}
	issued, err := mergeApology(&d, old.Apology, in.Apology, "sync:"+a.Name)
	if err != nil {
		return Dossier{}, false, err
	}
	if issued {
		msgs = append(msgs, apologyMessage(&d))
	}
	if !exists {
		created, err := s.store.CreateDossier(ctx, d, nil, msgs)
		if err != nil {
			return Dossier{}, false, err
		}
		return s.fill(created), true, nil
	}
	if len(added) == 0 && sameState(&old, &d) {
		return s.fill(old), false, nil
	}
	if err := s.store.UpdateDossier(ctx, d, added, msgs); err != nil {
		return Dossier{}, false, err
	}
	d.Version++
	return s.fill(d), false, nil
}

// mergeEvents appends to the stored events those of the body not already
// there (same time, status and note), in time order.
func mergeEvents(stored, body []Event, actor string) (all, added []Event) {
	seen := map[eventKey]bool{}
	all = slices.Clone(stored)
	for _, e := range stored {
		seen[e.key()] = true
	}
	for _, e := range body {
		if seen[e.key()] {
			continue
		}
		seen[e.key()] = true
		e.Actor = actor
		added = append(added, e)
		all = append(all, e)
	}
	slices.SortStableFunc(all, func(a, b Event) int { return a.At.Compare(b.At) })
	return all, added
}

// finishedAt is when the result was ready: the last "done" event, else the
// moment it was handed over, else the latest event.
func finishedAt(d *Dossier) *time.Time {
	if !d.Status.Finished() {
		return nil
	}
	for _, st := range []Status{Done, Returned} {
		if e, ok := d.LastEvent(st); ok {
			return &e.At
		}
	}
	t := statusTime(d)
	return &t
}

func returnedAt(d *Dossier) *time.Time {
	if d.Status != Returned {
		return nil
	}
	t := statusTime(d)
	return &t
}

// statusTime is when the dossier reached its status, as far as the events
// tell; deterministic, so that a repeated sync computes the same dossier.
func statusTime(d *Dossier) time.Time {
	if e, ok := d.LastEvent(d.Status); ok {
		return e.At
	}
	if n := len(d.Events); n > 0 {
		return d.Events[n-1].At
	}
	return d.ReceivedAt
}

func lastNote(d *Dossier) string {
	if e, ok := d.LastEvent(d.Status); ok {
		return e.Note
	}
	return ""
}

// mergeApology applies the body's apology: a new one is recorded (and
// reported as issued); the same one again changes at most its wording; a
// different date is refused, since the date may be moved only once. An
// apology is never withdrawn by a body without one.
func mergeApology(d *Dossier, stored, body *Apology, actor string) (issued bool, err error) {
	switch {
	case body == nil:
		d.Apology = stored
		return false, nil
	case stored == nil:
		if !body.NewDueAt.After(d.DueAt) {
			return false, apperr.Fields([]apperr.FieldError{{Field: "apology.new_due_at", MessageID: "dossier.error.new_due_not_later",
				Params: map[string]any{"Due": d.DueAt.In(location()).Format("02/01/2006 15:04")}}})
		}
		a := *body
		a.By, a.Late = actor, a.IssuedAt.After(d.DueAt)
		d.Apology = &a
		return true, nil
	case stored.IssuedAt.Equal(body.IssuedAt) && stored.NewDueAt.Equal(body.NewDueAt):
		a := *stored
		a.Reason = body.Reason
		d.Apology = &a
		return false, nil
	}
	return false, apperr.Fields([]apperr.FieldError{{Field: "apology", MessageID: "dossier.error.apology_once"}})
}

// firstPerField keeps the first problem reported about a field and drops
// later ones about it or its parts: a missing applicant is not also a
// missing name.
func firstPerField(errs []apperr.FieldError) []apperr.FieldError {
	var out []apperr.FieldError
	covered := func(f string) bool {
		for _, e := range out {
			if f == e.Field || strings.HasPrefix(f, e.Field+".") || strings.HasPrefix(f, e.Field+"[") {
				return true
			}
		}
		return false
	}
	for _, e := range errs {
		if !covered(e.Field) {
			out = append(out, e)
		}
	}
	return out
}
