// Package rating is the service layer for satisfaction ratings: a citizen
// rates a finished dossier or a finished visit once, on the questions of
// docs/domain.md ("Satisfaction and feedback"), and every low rating opens a
// follow-up for the head of the unit, in the same transaction.
package rating

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
)

// Levels of every question: Rất hài lòng 2, Hài lòng 1, Không hài lòng 0,
// the 2 / 1 / 0 scoring of Circular 01/2018.
const (
	VerySatisfied = 2
	Satisfied     = 1
	Unsatisfied   = 0
)

// Levels lists the levels, best first (the order forms show them in).
var Levels = []int{VerySatisfied, Satisfied, Unsatisfied}

// Question is one question of a rating. Its wording is in locales/ under
// rating.q.KEY (and rating.q.KEY.hint); a question's levels may have their
// own wording under rating.q.KEY.level.N, else rating.level.N.
type Question struct {
	Key      string `json:"key"`
	Required bool   `json:"required"`
}

// Overall is the question every rating answers; the others are optional.
const Overall = "overall"

var questions = []Question{
	{Key: Overall, Required: true},
	{Key: "ease"},
	{Key: "timeliness"},
	{Key: "attitude"},
	{Key: "trips"},
	{Key: "information"},
}

// Questions lists the questions, in the order forms ask them.
func Questions() []Question { return slices.Clone(questions) }

// IsQuestion reports whether key is a question.
func IsQuestion(key string) bool {
	return slices.ContainsFunc(questions, func(q Question) bool { return q.Key == key })
}

// Kind is what was rated.
type Kind string

const (
	KindDossier Kind = "dossier"
	KindTicket  Kind = "ticket"
)

// Channels a rating arrives by.
const (
	ChannelWeb    = "web"    // the /rate page after the phone check
	ChannelLink   = "link"   // a signed link (result slip, notification)
	ChannelAPI    = "api"    // the JSON API
	ChannelTicket = "ticket" // the phone's ticket page
	ChannelTablet = "tablet" // the tablet facing the citizen at a counter
	ChannelBot    = "bot"    // the Telegram bot
)

var channels = []string{ChannelWeb, ChannelLink, ChannelAPI, ChannelTicket, ChannelTablet, ChannelBot}

// MaxCommentLen is a comment's limit in characters (README, "Satisfaction and feedback").
const MaxCommentLen = 2000

// Input is what a citizen answers. Answers maps question keys to levels;
// only Overall is required. Link is a signed link's token (the ?k= of
// Links.Path), the proof of a citizen who holds the result slip.
type Input struct {
	Answers map[string]int
	Comment string
	Channel string
	Link    string
}

// Rating is one stored rating.
type Rating struct {
	ID          int64          `json:"id"`
	Kind        Kind           `json:"kind"`
	DossierCode string         `json:"dossier_code,omitempty"`
	TicketID    string         `json:"-"`
	UnitCode    string         `json:"unit"`
	OfficeCode  string         `json:"office,omitempty"`
	ServiceCode string         `json:"service,omitempty"`
	CounterID   int64          `json:"counter_id,omitempty"`
	StaffID     int64          `json:"-"`
	StaffName   string         `json:"-"`
	Channel     string         `json:"channel"`
	Overall     int            `json:"overall"`
	Answers     map[string]int `json:"answers"`
	Comment     string         `json:"-"`
	Satisfied   bool           `json:"satisfied"`
	Low         bool           `json:"low"`
	CreatedAt   time.Time      `json:"created_at"`
}

// IsSatisfied: overall is Hài lòng or Rất hài lòng.
func IsSatisfied(answers map[string]int) bool { return answers[Overall] >= Satisfied }

// IsLow: overall is Không hài lòng, or any answer is.
func IsLow(answers map[string]int) bool {
	for _, v := range answers {
		if v == Unsatisfied {
			return true
		}
	}
	return false
}

// validate lists every problem of an input; nothing is stored when there
// is one.
func (in *Input) validate() error {
	var errs []apperr.FieldError
	keys := make([]string, 0, len(in.Answers))
	for k := range in.Answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := in.Answers[k]; {
		case !IsQuestion(k):
			errs = append(errs, apperr.FieldError{Field: "answers." + k, MessageID: "rating.error.unknown_question"})
		case v < Unsatisfied || v > VerySatisfied:
			errs = append(errs, apperr.FieldError{Field: "answers." + k, MessageID: "rating.error.level",
				Params: map[string]any{"Min": Unsatisfied, "Max": VerySatisfied}})
		}
	}
	if _, ok := in.Answers[Overall]; !ok {
		errs = append(errs, apperr.FieldError{Field: "answers." + Overall, MessageID: "rating.error.overall_required"})
	}
	switch {
	case !utf8.ValidString(in.Comment):
		errs = append(errs, apperr.FieldError{Field: "comment", MessageID: "error.field.utf8"})
	case utf8.RuneCountInString(in.Comment) > MaxCommentLen:
		errs = append(errs, apperr.FieldError{Field: "comment", MessageID: "error.field.too_long",
			Params: map[string]any{"Max": MaxCommentLen}})
	}
	if in.Channel == "" {
		in.Channel = ChannelAPI
	}
	if !slices.Contains(channels, in.Channel) {
		errs = append(errs, apperr.FieldError{Field: "channel", MessageID: "rating.error.channel"})
	}
	if len(errs) > 0 {
		return apperr.Fields(errs)
	}
	in.Comment = strings.TrimSpace(in.Comment)
	return nil
}

// Errors of the rules.
var (
	ErrAlreadyRated     = apperr.New(apperr.Conflict, "rating.error.already")
	ErrDossierNotDone   = apperr.New(apperr.Invalid, "rating.error.dossier_not_done")
	ErrVisitNotFinished = apperr.New(apperr.Invalid, "rating.error.visit_not_finished")
	ErrLinkInvalid      = apperr.New(apperr.Forbidden, "rating.error.link")
	ErrLinkExpired      = apperr.New(apperr.Forbidden, "rating.error.link_expired")
	ErrNotThisCounter   = apperr.New(apperr.Conflict, "rating.error.not_this_counter")
	ErrFollowUpClosed   = apperr.New(apperr.Conflict, "rating.error.follow_up_closed")
)
