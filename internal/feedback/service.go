package feedback

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// Store is what the feedback service needs from persistence.
type Store interface {
	Dossier(ctx context.Context, code string) (dossier.Dossier, error)
	Office(ctx context.Context, code string) (queue.Office, error)
	Unit(ctx context.Context, code string) (unit.Unit, error)
	Units(ctx context.Context) ([]unit.Unit, error)
	UserByName(ctx context.Context, username string) (staff.User, string, error)
	// AnswerDays is the unit's own deadline, 0 when it has none.
	AnswerDays(ctx context.Context, unit string) (int, error)
	SetAnswerDays(ctx context.Context, unit string, days int) error
	// AddFeedback inserts f; a taken code is ErrExists.
	AddFeedback(ctx context.Context, f Feedback) (Feedback, error)
	Feedback(ctx context.Context, code string) (Feedback, error)
	// UpdateFeedback saves f if its stored version is still f.Version
	// (ErrStale otherwise), with the messages, in one transaction.
	UpdateFeedback(ctx context.Context, f Feedback, msgs []Message) error
	FeedbackList(ctx context.Context, q Query) ([]Feedback, error)
	FeedbackStats(ctx context.Context, q StatsQuery) (Stats, error)
}

// Procedures finds procedures in the catalog.
type Procedures interface {
	Get(code string) (catalog.Procedure, error)
}

// Message is an outbox message queued with the change that causes it.
type Message struct {
	Kind        string
	DossierCode string
	Payload     any
}

// KindAnswer is the outbox message that carries an answer to the citizen.
const KindAnswer = "feedback.answer"

// AnswerNotice is its payload: the bot finds the citizen by the code.
type AnswerNotice struct {
	Code   string    `json:"feedback_code"`
	Unit   string    `json:"unit"`
	Answer string    `json:"answer"`
	At     time.Time `json:"at"`
}

// Service runs the feedback rules.
type Service struct {
	store Store
	procs Procedures
	cal   *workday.Calendar
	now   func() time.Time
}

// NewService returns the feedback service.
func NewService(store Store, procs Procedures, cal *workday.Calendar, now func() time.Time) *Service {
	return &Service{store: store, procs: procs, cal: cal, now: now}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Submit records a citizen's feedback with its code and deadline. Anyone
// may send one; a dossier is named only with its applicant's phone.
func (s *Service) Submit(ctx context.Context, a actor.Actor, in Input) (Feedback, error) {
	errs := in.validate()
	if len(errs) > 0 {
		return Feedback{}, apperr.Fields(errs)
	}
	unitCode, err := s.unitOf(ctx, &in)
	if err != nil {
		return Feedback{}, err
	}
	days, err := s.AnswerDays(ctx, unitCode)
	if err != nil {
		return Feedback{}, err
	}
	now := s.clock()
	f := Feedback{UnitCode: unitCode, About: in.About, Name: in.Name, Phone: in.Phone, Content: in.Content,
		ReceivedAt: now, DueAt: s.cal.Due(now, days).UTC().Truncate(time.Microsecond), Status: StatusReceived, Version: 1}
	for range 5 {
		f.Code = newCode(now, workday.Location())
		out, err := s.store.AddFeedback(ctx, f)
		if err != ErrExists {
			return out, err
		}
	}
	return Feedback{}, ErrExists
}

var errRef = func(id string) error {
	return apperr.Fields([]apperr.FieldError{{Field: "about.ref", MessageID: id}})
}

// unitOf finds the unit the feedback goes to, checking what it is about.
func (s *Service) unitOf(ctx context.Context, in *Input) (string, error) {
	switch in.About.Kind {
	case AboutDossier:
		d, err := s.store.Dossier(ctx, in.About.Ref)
		if apperr.IsNotFound(err) || (err == nil && subtle.ConstantTimeCompare([]byte(d.Applicant.Phone), []byte(in.Phone)) != 1) {
			return "", errRef("feedback.error.dossier_ref")
		}
		if err != nil {
			return "", err
		}
		return d.UnitCode, nil
	case AboutOffice:
		o, err := s.store.Office(ctx, in.About.Ref)
		if apperr.IsNotFound(err) {
			return "", errRef("feedback.error.office_ref")
		}
		return o.UnitCode, err
	}
	if _, err := s.procs.Get(in.About.Ref); err != nil {
		if apperr.IsNotFound(err) {
			return "", errRef("feedback.error.procedure_ref")
		}
		return "", err
	}
	if in.Unit != "" {
		u, err := s.store.Unit(ctx, in.Unit)
		if apperr.IsNotFound(err) {
			return "", apperr.Fields([]apperr.FieldError{{Field: "unit", MessageID: "feedback.error.unit"}})
		}
		return u.Code, err
	}
	return s.DefaultUnit(ctx)
}

// DefaultUnit is where feedback about a procedure goes when the citizen
// names no unit: the district (the one-stop department's own unit).
func (s *Service) DefaultUnit(ctx context.Context) (string, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if u.Level == catalog.LevelDistrict {
			return u.Code, nil
		}
	}
	if len(units) > 0 {
		return units[0].Code, nil
	}
	return "", apperr.Fields([]apperr.FieldError{{Field: "unit", MessageID: "feedback.error.unit"}})
}

// AnswerDays is how many working days the unit has to answer.
func (s *Service) AnswerDays(ctx context.Context, unit string) (int, error) {
	d, err := s.store.AnswerDays(ctx, unit)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return DefaultAnswerDays, nil
	}
	return d, nil
}

// SetAnswerDays sets the unit's deadline for new feedback: its head or an
// administrator.
func (s *Service) SetAnswerDays(ctx context.Context, a actor.Actor, unit string, days int) error {
	if !a.StaffIn(unit, actor.RoleHead) {
		return a.Deny()
	}
	if days < 1 || days > MaxAnswerDays {
		return apperr.Fields([]apperr.FieldError{{Field: "answer_days", MessageID: "error.field.range",
			Params: map[string]any{"Min": 1, "Max": MaxAnswerDays}}})
	}
	if _, err := s.store.Unit(ctx, unit); err != nil {
		return err
	}
	return s.store.SetAnswerDays(ctx, unit, days)
}

// Get returns feedback to whoever knows its code and phone (a citizen, a
// chat that proved the phone, or anyone with both). A wrong phone and an
// unknown code are the same not-found error.
func (s *Service) Get(ctx context.Context, a actor.Actor, code, phone string) (Feedback, error) {
	p, ok := dossier.NormalizePhone(phone)
	if !ok {
		if strings.TrimSpace(phone) == "" {
			return Feedback{}, apperr.Fields([]apperr.FieldError{{Field: "phone", MessageID: "error.field.required"}})
		}
		return Feedback{}, apperr.Fields([]apperr.FieldError{{Field: "phone", MessageID: "dossier.error.phone"}})
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ValidCode(code) {
		return Feedback{}, apperr.ErrNotFound
	}
	f, err := s.store.Feedback(ctx, code)
	if err != nil {
		return Feedback{}, err
	}
	if subtle.ConstantTimeCompare([]byte(p), []byte(f.Phone)) != 1 {
		return Feedback{}, apperr.ErrNotFound
	}
	if (a.Kind == actor.Citizen || a.Kind == actor.Chat) && a.Phone != "" && !a.ProvedPhone(p) {
		return Feedback{}, apperr.ErrNotFound
	}
	return f, nil
}

// Verdict records whether the answer satisfied the citizen: once, and only
// after an answer.
func (s *Service) Verdict(ctx context.Context, a actor.Actor, code, phone string, satisfied bool) (Feedback, error) {
	f, err := s.Get(ctx, a, code, phone)
	if err != nil {
		return Feedback{}, err
	}
	if !f.Answered() {
		return Feedback{}, ErrNotAnswered
	}
	if f.Satisfied != nil {
		return Feedback{}, ErrVerdictGiven
	}
	now := s.clock()
	f.Satisfied, f.VerdictAt = &satisfied, &now
	if err := s.store.UpdateFeedback(ctx, f, nil); err != nil {
		if err == ErrStale {
			return Feedback{}, ErrVerdictGiven
		}
		return Feedback{}, err
	}
	f.Version++
	return f, nil
}

func answerText(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	var id string
	var params map[string]any
	switch {
	case !utf8.ValidString(v):
		id = "error.field.utf8"
	case v == "":
		id = "error.field.required"
	case utf8.RuneCountInString(v) > MaxAnswerLen:
		id, params = "error.field.too_long", map[string]any{"Max": MaxAnswerLen}
	default:
		return v, nil
	}
	return "", apperr.Fields([]apperr.FieldError{{Field: field, MessageID: id, Params: params}})
}
