package dossier

import (
	"context"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/queue"
)

// Reception is a dossier as the clerk enters it at the counter.
type Reception struct {
	UnitCode      string
	ProcedureCode string
	Applicant     Applicant
	Channel       Channel
	Papers        string
	Digitized     bool
	HasFee        bool
	ReusedData    bool
	// Ticket is the queue ticket of the visit the dossier is opened for,
	// if any: the dossier and the ticket's link to it are stored together.
	Ticket string
}

// TicketLink is the queue ticket a reception links, with the rule that
// decides, in the store's transaction, on the ticket as stored and its
// office's unit.
type TicketLink struct {
	ID    string
	Apply func(t queue.Ticket, officeUnit, code string) (queue.Ticket, bool, error)
}

// ticketLink is the link of a reception to its visit's ticket: a ticket of
// an office the actor may not act for is not found, as is an unknown one;
// then the queue's rule (queue.Ticket.LinkTo).
func ticketLink(a actor.Actor, id string) (*TicketLink, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" {
		return nil, nil
	}
	if !queue.ValidTicketID(id) {
		return nil, apperr.ErrNotFound
	}
	return &TicketLink{ID: id, Apply: func(t queue.Ticket, officeUnit, code string) (queue.Ticket, bool, error) {
		if !a.InUnit(officeUnit) {
			return t, false, apperr.ErrNotFound
		}
		return t.LinkTo(code)
	}}, nil
}

// Receive records a dossier received now at the desk of a unit: its code is
// drawn from the agency's daily counter, its due date counted from the
// procedure's processing time in working days. Opened for a visit of the
// queue (r.Ticket), the ticket is linked to it in the same transaction:
// both are stored, or neither.
func (s *Service) Receive(ctx context.Context, a actor.Actor, r Reception) (Dossier, error) {
	link, err := ticketLink(a, r.Ticket)
	if err != nil {
		return Dossier{}, err
	}
	now := s.clock()
	d := Dossier{
		ProcedureCode: strings.TrimSpace(r.ProcedureCode),
		UnitCode:      strings.TrimSpace(r.UnitCode),
		Applicant: Applicant{Name: strings.Join(strings.Fields(r.Applicant.Name), " "),
			IDNumber: strings.ToUpper(strings.TrimSpace(r.Applicant.IDNumber))},
		Channel: r.Channel, Papers: strings.TrimSpace(r.Papers), Status: Received, ReceivedAt: now,
		Digitized: r.Digitized, HasFee: r.HasFee, ReusedData: r.ReusedData,
	}
	if d.Channel == "" {
		d.Channel = Counter
	}
	var errs []apperr.FieldError
	if p, ok := NormalizePhone(r.Applicant.Phone); ok {
		d.Applicant.Phone = p
	} else {
		d.Applicant.Phone = r.Applicant.Phone
	}
	errs = append(errs, d.Validate()...)
	proc, err := s.procs.Get(d.ProcedureCode)
	if err != nil {
		errs = append(errs, apperr.FieldError{Field: "procedure_code", MessageID: "dossier.error.procedure_unknown"})
	}
	u, err := s.units.Get(ctx, d.UnitCode)
	switch {
	case apperr.IsNotFound(err):
		errs = append(errs, apperr.FieldError{Field: "unit", MessageID: "dossier.error.unit_unknown"})
	case err != nil:
		return Dossier{}, err
	case !MayReceive(a, u.Code):
		return Dossier{}, actRefusal(a, u.Code)
	}
	if len(errs) > 0 {
		return Dossier{}, apperr.Fields(errs)
	}
	d.ProcessingDays = proc.ProcessingDays
	d.DueAt = s.cal.Due(now, proc.ProcessingDays)
	d.Events = []Event{{At: now, Status: Received, Actor: a.Name}}
	agency := u.AgencyCode
	if agency == "" {
		agency = u.Code
	}
	key := counterKey(agency, now)
	msgs := []Message{statusMessage(&d, "", now, "")}
	var created Dossier
	if link != nil {
		created, err = s.store.CreateDossierForTicket(ctx, d, &key, msgs, *link)
	} else {
		created, err = s.store.CreateDossier(ctx, d, &key, msgs)
	}
	if err != nil {
		return Dossier{}, err
	}
	return s.fill(created), nil
}

// CheckTransition tells whether a may move the dossier to status to with
// that note, changing nothing: the desk asks for a confirmation only of a
// move that would be made. It returns the dossier as read.
func (s *Service) CheckTransition(ctx context.Context, a actor.Actor, code string, to Status, note string) (Dossier, error) {
	note = strings.TrimSpace(note)
	if !to.Valid() {
		return Dossier{}, apperr.Fields([]apperr.FieldError{{Field: "status", MessageID: "dossier.error.status"}})
	}
	var errs []apperr.FieldError
	text("note", note, to.needsNote(), MaxNoteLen, func(f, id string, p map[string]any) {
		if id == "error.field.required" {
			id = "dossier.error.note_required." + string(to)
		}
		errs = append(errs, apperr.FieldError{Field: f, MessageID: id, Params: p})
	})
	d, err := s.Get(ctx, a, code)
	if err != nil {
		return Dossier{}, err
	}
	if !MayMove(a, &d, to) {
		return Dossier{}, actRefusal(a, d.UnitCode)
	}
	if !d.Status.CanMoveTo(to) {
		return Dossier{}, refusedMove(d.Status, to)
	}
	if len(errs) > 0 {
		return Dossier{}, apperr.Fields(errs)
	}
	return d, nil
}

// Transition moves a dossier to another status, as the table allows, and
// records who did it, when and why.
func (s *Service) Transition(ctx context.Context, a actor.Actor, code string, to Status, note string) (Dossier, error) {
	note = strings.TrimSpace(note)
	d, err := s.CheckTransition(ctx, a, code, to, note)
	if err != nil {
		return Dossier{}, err
	}
	now := s.clock()
	if n := len(d.Events); n > 0 && !now.After(d.Events[n-1].At) {
		// Keep the timeline in order even if the clock stepped back.
		now = d.Events[n-1].At.Add(time.Microsecond)
	}
	from := d.Status
	e := Event{At: now, Status: to, Note: note, Actor: a.Name}
	if from == Supplement {
		s.resume(&d, now)
	}
	d.Events = append(d.Events, e)
	d.Status = to
	switch to {
	case Done:
		d.FinishedAt = &now
	case Returned:
		d.ReturnedAt = &now
	case Payment:
		d.HasFee = true
	}
	if err := s.store.UpdateDossier(ctx, d, []Event{e}, []Message{statusMessage(&d, from, now, note)}); err != nil {
		return Dossier{}, err
	}
	d.Version++
	return s.fill(d), nil
}

// resume moves the due date by the office time the dossier waited for its
// supplement, which ends now.
func (s *Service) resume(d *Dossier, now time.Time) {
	closed, open := pauses(d.Events)
	if open == nil {
		return
	}
	if d.DueFixed {
		d.DueAt = s.cal.AddWorkingTime(d.DueAt, s.cal.WorkingTime(open.From, now))
		return
	}
	open.To = now
	d.DueAt = s.cal.DueWithPauses(d.ReceivedAt, d.ProcessingDays, append(closed, *open))
}

// refusedMove explains a move the table does not allow.
func refusedMove(from, to Status) error {
	if from.Final() {
		return apperr.New(apperr.Conflict, "dossier.error.final."+string(from))
	}
	if from == to {
		return apperr.New(apperr.Conflict, "dossier.error.already")
	}
	return apperr.New(apperr.Conflict, "dossier.error.cannot."+string(to))
}
