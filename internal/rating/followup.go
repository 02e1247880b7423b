package rating

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// FollowUpDays is how many working days the head has to follow up a low
// rating (docs/domain.md, "Closing the loop").
const FollowUpDays = 5

// Follow-up statuses.
const (
	FollowUpOpen   = "open"
	FollowUpClosed = "closed"
)

// MaxFollowUpText limits what the head records and replies.
const MaxFollowUpText = 2000

// FollowUp is what the head of a unit does about one low rating.
type FollowUp struct {
	ID        int64
	RatingID  int64
	UnitCode  string
	Status    string
	DueAt     time.Time
	Action    string // what was done
	Reply     string // what the citizen is told
	CreatedAt time.Time
	ClosedAt  *time.Time
	ClosedBy  string
	// Rating is the low rating behind it (the store joins it).
	Rating Rating
}

// Overdue reports whether the follow-up is open past its deadline.
func (f FollowUp) Overdue(now time.Time) bool { return f.Status == FollowUpOpen && now.After(f.DueAt) }

// FollowUpQuery selects follow-ups: of some units ("" in Units: all), open
// only or all, newest first.
type FollowUpQuery struct {
	Units    []string
	OpenOnly bool
	Limit    int
}

// ReplyNotice is the payload of a KindReply message.
type ReplyNotice struct {
	RatingID    int64     `json:"rating_id"`
	Unit        string    `json:"unit"`
	Kind        Kind      `json:"kind"`
	DossierCode string    `json:"dossier_code,omitempty"`
	Reply       string    `json:"reply"`
	At          time.Time `json:"at"`
}

var errHeadOnly = apperr.New(apperr.Forbidden, "rating.error.head_only")

// mayFollowUp reports whether a heads the unit (or administers it).
func mayFollowUp(a actor.Actor, unit string) bool { return a.StaffIn(unit, actor.RoleHead) }

// FollowUps lists the follow-ups of the units the actor heads: an
// administrator of the whole portal sees all, a head their unit's.
func (s *Service) FollowUps(ctx context.Context, a actor.Actor, openOnly bool) ([]FollowUp, error) {
	if !a.Is(actor.RoleHead, actor.RoleAdmin) {
		return nil, a.Deny()
	}
	q := FollowUpQuery{OpenOnly: openOnly, Limit: 200}
	if !(a.Role == actor.RoleAdmin && a.Unit == "") {
		q.Units = []string{a.Unit}
	}
	return s.store.FollowUps(ctx, q)
}

// FollowUp returns one follow-up to the head of its unit.
func (s *Service) FollowUp(ctx context.Context, a actor.Actor, id int64) (FollowUp, error) {
	if !a.IsStaff() {
		return FollowUp{}, a.Deny()
	}
	f, err := s.store.FollowUp(ctx, id)
	if err != nil {
		return FollowUp{}, err
	}
	if !mayFollowUp(a, f.UnitCode) {
		return FollowUp{}, errHeadOnly
	}
	return f, nil
}

// CloseFollowUp records what was done about a low rating and the reply to
// the citizen, queues the reply in the outbox in the same transaction, and
// closes the follow-up. Only the head of the unit (or an administrator).
func (s *Service) CloseFollowUp(ctx context.Context, a actor.Actor, id int64, action, reply string) (FollowUp, error) {
	f, err := s.FollowUp(ctx, a, id)
	if err != nil {
		return FollowUp{}, err
	}
	action, reply = strings.TrimSpace(action), strings.TrimSpace(reply)
	var errs []apperr.FieldError
	for _, fld := range []struct{ name, v string }{{"action", action}, {"reply", reply}} {
		switch {
		case !utf8.ValidString(fld.v):
			errs = append(errs, apperr.FieldError{Field: fld.name, MessageID: "error.field.utf8"})
		case fld.v == "":
			errs = append(errs, apperr.FieldError{Field: fld.name, MessageID: "error.field.required"})
		case utf8.RuneCountInString(fld.v) > MaxFollowUpText:
			errs = append(errs, apperr.FieldError{Field: fld.name, MessageID: "error.field.too_long",
				Params: map[string]any{"Max": MaxFollowUpText}})
		}
	}
	if len(errs) > 0 {
		return FollowUp{}, apperr.Fields(errs)
	}
	if f.Status != FollowUpOpen {
		return FollowUp{}, ErrFollowUpClosed
	}
	now := s.clock()
	f.Status, f.Action, f.Reply, f.ClosedAt, f.ClosedBy = FollowUpClosed, action, reply, &now, a.Name
	msg := Message{Kind: KindReply, DossierCode: f.Rating.DossierCode, Payload: ReplyNotice{RatingID: f.RatingID,
		Unit: f.UnitCode, Kind: f.Rating.Kind, DossierCode: f.Rating.DossierCode, Reply: reply, At: now}}
	if err := s.store.CloseFollowUp(ctx, f, []Message{msg}); err != nil {
		return FollowUp{}, err
	}
	return f, nil
}

// OverdueFollowUps counts the open follow-ups past their deadline that the
// actor heads; 0 for anyone who heads nothing.
func (s *Service) OverdueFollowUps(ctx context.Context, a actor.Actor) ([]FollowUp, error) {
	if !a.Is(actor.RoleHead, actor.RoleAdmin) {
		return nil, nil
	}
	all, err := s.FollowUps(ctx, a, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []FollowUp
	for _, f := range all {
		if f.Overdue(now) {
			out = append(out, f)
		}
	}
	return out, nil
}
