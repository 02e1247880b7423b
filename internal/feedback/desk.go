package feedback

import (
	"context"
	"strings"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Query selects feedback at the desk, newest first.
type Query struct {
	Units      []string // nil: every unit
	AssignedTo string   // "": anyone's
	OpenOnly   bool
	Published  bool // only published answers
	Limit      int
}

func isHead(a actor.Actor, unit string) bool { return a.StaffIn(unit, actor.RoleHead) }

// Desk returns a piece of feedback to the staff who handle it: the head of
// its unit (or an administrator), or the officer assigned to draft it.
func (s *Service) Desk(ctx context.Context, a actor.Actor, code string) (Feedback, error) {
	if !a.IsStaff() {
		return Feedback{}, a.Deny()
	}
	if !ValidCode(code) {
		return Feedback{}, apperr.ErrNotFound
	}
	f, err := s.store.Feedback(ctx, code)
	if err != nil {
		return Feedback{}, err
	}
	if isHead(a, f.UnitCode) || (a.InUnit(f.UnitCode) && f.AssignedTo != "" && f.AssignedTo == a.Name) {
		return f, nil
	}
	return Feedback{}, errNotYours
}

// List is the desk's list: a head sees the unit's feedback (an
// administrator of the whole portal all of it), an officer what they were
// assigned to draft.
func (s *Service) List(ctx context.Context, a actor.Actor, openOnly bool) ([]Feedback, error) {
	if !a.IsStaff() {
		return nil, a.Deny()
	}
	q := Query{OpenOnly: openOnly, Limit: 200}
	switch {
	case a.Role == actor.RoleAdmin && a.Unit == "":
	case a.Is(actor.RoleHead, actor.RoleAdmin):
		q.Units = []string{a.Unit}
	default:
		q.Units, q.AssignedTo = []string{a.Unit}, a.Name
	}
	return s.store.FeedbackList(ctx, q)
}

// Overdue lists the unanswered feedback past its deadline that the actor
// handles.
func (s *Service) Overdue(ctx context.Context, a actor.Actor) ([]Feedback, error) {
	if !a.IsStaff() {
		return nil, nil
	}
	all, err := s.List(ctx, a, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []Feedback
	for _, f := range all {
		if f.Overdue(now) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Assign has an officer of the unit draft the answer: the head only.
func (s *Service) Assign(ctx context.Context, a actor.Actor, code, officer string) (Feedback, error) {
	f, err := s.headOf(ctx, a, code)
	if err != nil {
		return Feedback{}, err
	}
	officer = strings.ToLower(strings.TrimSpace(officer))
	u, _, err := s.store.UserByName(ctx, officer)
	if apperr.IsNotFound(err) || (err == nil && u.UnitCode != f.UnitCode) {
		return Feedback{}, apperr.Fields([]apperr.FieldError{{Field: "officer", MessageID: "feedback.error.officer"}})
	}
	if err != nil {
		return Feedback{}, err
	}
	f.AssignedTo, f.Status = u.Username, StatusAssigned
	return s.save(ctx, f, nil)
}

// SaveDraft records the assigned officer's draft (or the head's own).
func (s *Service) SaveDraft(ctx context.Context, a actor.Actor, code, text string) (Feedback, error) {
	f, err := s.Desk(ctx, a, code)
	if err != nil {
		return Feedback{}, err
	}
	if f.Answered() {
		return Feedback{}, ErrAnswered
	}
	if f.Draft, err = answerText("draft", text); err != nil {
		return Feedback{}, err
	}
	f.Status = StatusDrafted
	return s.save(ctx, f, nil)
}

// Answer sends the head's answer: stored, and queued for the citizen in
// the outbox in the same transaction. publish puts it, without the
// citizen's name and phone, on the unit's public list.
func (s *Service) Answer(ctx context.Context, a actor.Actor, code, text string, publish bool) (Feedback, error) {
	f, err := s.headOf(ctx, a, code)
	if err != nil {
		return Feedback{}, err
	}
	if f.Answer, err = answerText("answer", text); err != nil {
		return Feedback{}, err
	}
	now := s.clock()
	f.Status, f.AnsweredAt, f.AnsweredBy, f.Published = StatusAnswered, &now, a.Name, publish
	msg := Message{Kind: KindAnswer, Payload: AnswerNotice{Code: f.Code, Unit: f.UnitCode, Answer: f.Answer, At: now}}
	if f.About.Kind == AboutDossier {
		msg.DossierCode = f.About.Ref
	}
	return s.save(ctx, f, []Message{msg})
}

// SetPublished shows or hides an answered piece of feedback on the public
// list: the head only.
func (s *Service) SetPublished(ctx context.Context, a actor.Actor, code string, publish bool) (Feedback, error) {
	f, err := s.Desk(ctx, a, code)
	if err != nil {
		return Feedback{}, err
	}
	if !isHead(a, f.UnitCode) {
		return Feedback{}, errHeadOnly
	}
	if !f.Answered() {
		return Feedback{}, ErrNotAnswered
	}
	f.Published = publish
	return s.save(ctx, f, nil)
}

// headOf returns unanswered feedback to the head of its unit.
func (s *Service) headOf(ctx context.Context, a actor.Actor, code string) (Feedback, error) {
	f, err := s.Desk(ctx, a, code)
	if err != nil {
		return Feedback{}, err
	}
	if !isHead(a, f.UnitCode) {
		return Feedback{}, errHeadOnly
	}
	if f.Answered() {
		return Feedback{}, ErrAnswered
	}
	return f, nil
}

func (s *Service) save(ctx context.Context, f Feedback, msgs []Message) (Feedback, error) {
	if err := s.store.UpdateFeedback(ctx, f, msgs); err != nil {
		return Feedback{}, err
	}
	f.Version++
	return f, nil
}

// Published lists the answered feedback the unit published, newest first,
// without the citizen's name and phone. unit "" lists every unit's.
func (s *Service) Published(ctx context.Context, unit string, limit int) ([]Feedback, error) {
	q := Query{Published: true, Limit: limit}
	if unit != "" {
		q.Units = []string{unit}
	}
	list, err := s.store.FeedbackList(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Name, list[i].Phone, list[i].AssignedTo, list[i].Draft = "", "", "", ""
		list[i].AnsweredBy = ""
		if list[i].About.Kind == AboutDossier {
			list[i].About.Ref = "" // a dossier code leads to a person
		}
	}
	return list, nil
}
