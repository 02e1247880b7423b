package rating

import (
	"context"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/workday"
)

// Store is what the rating service needs from persistence.
type Store interface {
	Dossier(ctx context.Context, code string) (dossier.Dossier, error)
	Ticket(ctx context.Context, id string) (queue.Ticket, error)
	Office(ctx context.Context, code string) (queue.Office, error)
	Counter(ctx context.Context, id int64) (queue.Counter, error)
	// AddRating inserts the rating and, when f is not nil, its follow-up,
	// with the messages msgs returns (given the stored ids), in one
	// transaction. A second rating of the same dossier or ticket is
	// ErrAlreadyRated.
	AddRating(ctx context.Context, r Rating, f *FollowUp, msgs func(Rating, *FollowUp) []Message) (Rating, error)
	// RatingOf returns the rating of a dossier (kind dossier, ref its code)
	// or a ticket (its id), or apperr.ErrNotFound.
	RatingOf(ctx context.Context, kind Kind, ref string) (Rating, error)
	// LastFinishedTicket is the ticket the counter finished last, since
	// the given time, or apperr.ErrNotFound.
	LastFinishedTicket(ctx context.Context, counterID int64, since time.Time) (queue.Ticket, error)
	FollowUps(ctx context.Context, q FollowUpQuery) ([]FollowUp, error)
	FollowUp(ctx context.Context, id int64) (FollowUp, error)
	// CloseFollowUp closes an open follow-up with its messages in one
	// transaction; a closed one is ErrFollowUpClosed.
	CloseFollowUp(ctx context.Context, f FollowUp, msgs []Message) error
	RatingStats(ctx context.Context, q StatsQuery) ([]Stat, error)
}

// Message is an outbox message queued with the change that causes it.
type Message struct {
	Kind        string
	DossierCode string
	Payload     any
}

// Kinds of the outbox messages of ratings.
const (
	// KindLow tells the head of the unit a low rating came in.
	KindLow = "rating.low"
	// KindReply is the head's reply to the citizen who gave a low rating.
	KindReply = "rating.reply"
)

// Service runs the rating rules.
type Service struct {
	store Store
	cal   *workday.Calendar
	links *Links
	now   func() time.Time
}

// NewService returns the rating service.
func NewService(store Store, cal *workday.Calendar, links *Links, now func() time.Time) *Service {
	return &Service{store: store, cal: cal, links: links, now: now}
}

// Links signs rating links.
func (s *Service) Links() *Links { return s.links }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// RateDossier records the applicant's rating of a finished dossier. The
// actor is a citizen or chat that proved the dossier's phone, or anyone
// holding a valid signed link (in.Link). A wrong phone and an unknown code
// are the same not-found error; a dossier not yet done or returned is
// refused; a second rating is a conflict. Nothing is stored on an error.
func (s *Service) RateDossier(ctx context.Context, a actor.Actor, code string, in Input) (Rating, error) {
	if a.Kind == actor.Staff || a.Kind == actor.Machine {
		return Rating{}, actor.ErrForbidden // staff never rate in a citizen's name
	}
	if err := in.validate(); err != nil {
		return Rating{}, err
	}
	if !dossier.ValidCode(code) {
		return Rating{}, apperr.ErrNotFound
	}
	if in.Link != "" {
		if err := s.links.Check(ctx, code, in.Link); err != nil {
			return Rating{}, err
		}
	} else if a.Kind == actor.Anonymous {
		return Rating{}, actor.ErrUnauthorized
	}
	d, err := s.store.Dossier(ctx, code)
	if err != nil {
		return Rating{}, err
	}
	if in.Link == "" && !a.ProvedPhone(d.Applicant.Phone) {
		return Rating{}, apperr.ErrNotFound
	}
	if !d.Status.Finished() {
		return Rating{}, ErrDossierNotDone
	}
	r := Rating{Kind: KindDossier, DossierCode: d.Code, UnitCode: d.UnitCode, ServiceCode: d.ProcedureCode}
	// The officer behind the rating: whoever recorded the result.
	for _, st := range []dossier.Status{dossier.Done, dossier.Returned} {
		if e, ok := d.LastEvent(st); ok && e.Actor != "" {
			r.StaffName = e.Actor
			break
		}
	}
	return s.add(ctx, r, in)
}

// RateTicket records a rating of a finished visit. The ticket's
// unguessable id is the proof, so any actor may; a visit not yet finished
// (or a no-show) is refused; a second rating is a conflict.
func (s *Service) RateTicket(ctx context.Context, a actor.Actor, ticketID string, in Input) (Rating, error) {
	if err := in.validate(); err != nil {
		return Rating{}, err
	}
	t, o, err := s.ticket(ctx, ticketID)
	if err != nil {
		return Rating{}, err
	}
	return s.rateVisit(ctx, t, o, in)
}

// RateAtCounter records a rating given on the tablet of a counter: the
// actor is staff of the office's unit or the counter's paired tablet (a
// machine with the counter scope), and the ticket must be one this counter
// finished.
func (s *Service) RateAtCounter(ctx context.Context, a actor.Actor, counterID int64, ticketID string, in Input) (Rating, error) {
	in.Channel = ChannelTablet
	if err := in.validate(); err != nil {
		return Rating{}, err
	}
	c, o, err := s.counter(ctx, a, counterID)
	if err != nil {
		return Rating{}, err
	}
	t, _, err := s.ticket(ctx, ticketID)
	if err != nil {
		return Rating{}, err
	}
	if t.CounterID != c.ID {
		return Rating{}, ErrNotThisCounter
	}
	return s.rateVisit(ctx, t, o, in)
}

func (s *Service) rateVisit(ctx context.Context, t queue.Ticket, o queue.Office, in Input) (Rating, error) {
	if t.Status != queue.Done {
		return Rating{}, ErrVisitNotFinished
	}
	r := Rating{Kind: KindTicket, TicketID: t.ID, UnitCode: o.UnitCode, OfficeCode: o.Code,
		ServiceCode: t.Service, CounterID: t.CounterID}
	return s.add(ctx, r, in)
}

func (s *Service) ticket(ctx context.Context, id string) (queue.Ticket, queue.Office, error) {
	if !queue.ValidTicketID(id) {
		return queue.Ticket{}, queue.Office{}, apperr.ErrNotFound
	}
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return queue.Ticket{}, queue.Office{}, err
	}
	o, err := s.store.Office(ctx, t.OfficeCode)
	return t, o, err
}

// counter returns a counter and its office for an actor who may work it:
// the tablet of a counter follows the counter's own rule (queue.MayWorkCounter).
func (s *Service) counter(ctx context.Context, a actor.Actor, id int64) (queue.Counter, queue.Office, error) {
	c, err := s.store.Counter(ctx, id)
	if err != nil {
		return queue.Counter{}, queue.Office{}, err
	}
	o, err := s.store.Office(ctx, c.OfficeCode)
	if err != nil {
		return queue.Counter{}, queue.Office{}, err
	}
	if !queue.MayWorkCounter(a, o) {
		return queue.Counter{}, queue.Office{}, a.Deny()
	}
	return c, o, nil
}

// add stores a valid rating, with a follow-up when it is low.
func (s *Service) add(ctx context.Context, r Rating, in Input) (Rating, error) {
	now := s.clock()
	r.Channel, r.Comment, r.CreatedAt = in.Channel, in.Comment, now
	r.Answers = make(map[string]int, len(in.Answers))
	for k, v := range in.Answers {
		r.Answers[k] = v
	}
	r.Overall = r.Answers[Overall]
	r.Satisfied, r.Low = IsSatisfied(r.Answers), IsLow(r.Answers)
	var f *FollowUp
	if r.Low {
		f = &FollowUp{UnitCode: r.UnitCode, Status: FollowUpOpen, CreatedAt: now,
			DueAt: s.cal.Due(now, FollowUpDays).UTC().Truncate(time.Microsecond)}
	}
	return s.store.AddRating(ctx, r, f, lowMessage)
}

// LowNotice is the payload of a KindLow message: enough for the head's
// notification, nothing of the citizen's.
type LowNotice struct {
	RatingID    int64     `json:"rating_id"`
	FollowUpID  int64     `json:"follow_up_id"`
	Unit        string    `json:"unit"`
	Kind        Kind      `json:"kind"`
	DossierCode string    `json:"dossier_code,omitempty"`
	Office      string    `json:"office,omitempty"`
	CounterID   int64     `json:"counter_id,omitempty"`
	Overall     int       `json:"overall"`
	At          time.Time `json:"at"`
	DueAt       time.Time `json:"due_at"`
}

func lowMessage(r Rating, f *FollowUp) []Message {
	if f == nil {
		return nil
	}
	return []Message{{Kind: KindLow, DossierCode: r.DossierCode, Payload: LowNotice{RatingID: r.ID, FollowUpID: f.ID,
		Unit: r.UnitCode, Kind: r.Kind, DossierCode: r.DossierCode, Office: r.OfficeCode, CounterID: r.CounterID,
		Overall: r.Overall, At: r.CreatedAt, DueAt: f.DueAt}}}
}

// RatedDossier reports whether the dossier has been rated. It says nothing
// that the caller could not learn by rating, so it takes no actor; pages
// call it only after the phone check or a valid link.
func (s *Service) RatedDossier(ctx context.Context, code string) (bool, error) {
	return s.rated(ctx, KindDossier, code)
}

// RatedTicket reports whether the visit has been rated.
func (s *Service) RatedTicket(ctx context.Context, id string) (bool, error) {
	return s.rated(ctx, KindTicket, id)
}

func (s *Service) rated(ctx context.Context, kind Kind, ref string) (bool, error) {
	_, err := s.store.RatingOf(ctx, kind, ref)
	if apperr.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// CheckLink verifies a signed link's token for a dossier code.
func (s *Service) CheckLink(ctx context.Context, code, token string) error {
	return s.links.Check(ctx, code, token)
}
