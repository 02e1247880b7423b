// Package feedback is the service layer for feedback and complaints (phản
// ánh, kiến nghị): a citizen sends one about a procedure, a dossier or an
// office; it gets a code and a deadline in working days; the head of the
// unit answers it, or has an officer draft the answer; the answer is queued
// for the citizen in the outbox; the citizen finds it by code and phone and
// says whether it satisfied them (docs/domain.md, "Satisfaction and
// feedback").
package feedback

import (
	"crypto/rand"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// About kinds: what the feedback is about.
const (
	AboutProcedure = "procedure"
	AboutDossier   = "dossier"
	AboutOffice    = "office"
)

// AboutKinds lists them, for forms.
var AboutKinds = []string{AboutProcedure, AboutDossier, AboutOffice}

// Statuses of a piece of feedback.
const (
	StatusReceived = "received"
	StatusAssigned = "assigned" // an officer drafts the answer
	StatusDrafted  = "drafted"  // the draft waits for the head
	StatusAnswered = "answered"
)

// Limits (README, "Satisfaction and feedback": a feedback's content 5,000 characters).
const (
	MaxContentLen = 5000
	MaxAnswerLen  = 5000
	MaxNameLen    = 200
	MaxRefLen     = 64
	// DefaultAnswerDays is the working days a unit has to answer, unless
	// it set its own.
	DefaultAnswerDays = 10
	MaxAnswerDays     = 60
)

// About is what the feedback is about.
type About struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

// Input is a citizen's feedback. Unit is optional for a dossier or an
// office (their unit is known); for a procedure it names the unit, and
// defaults to the district.
type Input struct {
	About   About
	Unit    string
	Name    string
	Phone   string
	Content string
}

// Feedback is one stored piece of feedback.
type Feedback struct {
	ID         int64
	Code       string
	UnitCode   string
	About      About
	Name       string
	Phone      string // canonical
	Content    string
	ReceivedAt time.Time
	DueAt      time.Time
	Status     string
	AssignedTo string // the officer drafting the answer
	Draft      string
	Answer     string
	AnsweredAt *time.Time
	AnsweredBy string
	// Satisfied is the citizen's verdict on the answer, nil before.
	Satisfied *bool
	VerdictAt *time.Time
	Published bool
	Version   int
}

// Answered reports whether an answer was sent.
func (f Feedback) Answered() bool { return f.Status == StatusAnswered }

// Overdue reports whether it is unanswered past its deadline.
func (f Feedback) Overdue(now time.Time) bool { return !f.Answered() && now.After(f.DueAt) }

// OnTime reports whether it was answered on or before its deadline.
func (f Feedback) OnTime() bool {
	return f.AnsweredAt != nil && !f.AnsweredAt.After(f.DueAt)
}

func (in *Input) validate() []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, id string, params map[string]any) {
		errs = append(errs, apperr.FieldError{Field: field, MessageID: id, Params: params})
	}
	in.About.Ref = strings.TrimSpace(in.About.Ref)
	switch in.About.Kind {
	case AboutProcedure, AboutDossier, AboutOffice:
	case "":
		bad("about.kind", "error.field.required", nil)
	default:
		bad("about.kind", "feedback.error.about_kind", nil)
	}
	text(in.About.Ref, "about.ref", MaxRefLen, bad)
	text(in.Name, "name", MaxNameLen, bad)
	text(in.Content, "content", MaxContentLen, bad)
	if p, ok := dossier.NormalizePhone(in.Phone); ok {
		in.Phone = p
	} else if strings.TrimSpace(in.Phone) == "" {
		bad("phone", "error.field.required", nil)
	} else {
		bad("phone", "dossier.error.phone", nil)
	}
	in.Name, in.Content = strings.TrimSpace(in.Name), strings.TrimSpace(in.Content)
	return errs
}

// text checks a required free-text field.
func text(v, field string, max int, bad func(string, string, map[string]any)) {
	switch {
	case !utf8.ValidString(v):
		bad(field, "error.field.utf8", nil)
	case strings.TrimSpace(v) == "":
		bad(field, "error.field.required", nil)
	case utf8.RuneCountInString(v) > max:
		bad(field, "error.field.too_long", map[string]any{"Max": max})
	}
}

// codeAlphabet has no 0/O, 1/I: a code read out on the phone is not
// misheard.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newCode is "PA-YYMMDD-XXXXX": the day it came and five random letters.
func newCode(at time.Time, loc *time.Location) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	out := []byte(at.In(loc).Format("060102"))
	out = append([]byte("PA-"), out...)
	out = append(out, '-')
	for _, c := range b {
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// ValidCode reports whether s has the shape of a feedback code.
func ValidCode(s string) bool {
	if len(s) != 15 || !strings.HasPrefix(s, "PA-") || s[9] != '-' {
		return false
	}
	for i, r := range s[3:] {
		switch {
		case i == 6:
		case i < 6 && r >= '0' && r <= '9':
		case i > 6 && strings.ContainsRune(codeAlphabet, r):
		default:
			return false
		}
	}
	return true
}

// Errors of the rules.
var (
	ErrNotAnswered  = apperr.New(apperr.Invalid, "feedback.error.not_answered")
	ErrVerdictGiven = apperr.New(apperr.Conflict, "feedback.error.verdict_given")
	ErrAnswered     = apperr.New(apperr.Conflict, "feedback.error.answered")
	ErrStale        = apperr.New(apperr.Conflict, "feedback.error.stale")
	ErrExists       = apperr.New(apperr.Conflict, "feedback.error.exists")
	errHeadOnly     = apperr.New(apperr.Forbidden, "feedback.error.head_only")
	errNotYours     = apperr.New(apperr.Forbidden, "feedback.error.not_assigned")
)

// AnsweredTime is when it was answered, zero before (for pages).
func (f Feedback) AnsweredTime() time.Time {
	if f.AnsweredAt == nil {
		return time.Time{}
	}
	return *f.AnsweredAt
}

// Judged reports whether the citizen gave a verdict on the answer.
func (f Feedback) Judged() bool { return f.Satisfied != nil }

// SatisfiedWithAnswer reports a verdict of satisfied.
func (f Feedback) SatisfiedWithAnswer() bool { return f.Satisfied != nil && *f.Satisfied }
