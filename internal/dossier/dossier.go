// Package dossier is the service layer for dossiers (hồ sơ): reception at the
// desk, the state machine of docs/domain.md, working-day deadlines with the
// supplement pause, apology letters, citizen tracking and the sync API. Every
// change that a citizen should hear about writes an outbox message in the same
// transaction.
package dossier

import (
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
)

// Channel is how a dossier reached the office.
type Channel string

const (
	Counter Channel = "counter"
	Online  Channel = "online"
	Post    Channel = "post"
)

// Channels lists every channel, for forms.
var Channels = []Channel{Counter, Online, Post}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == Counter || c == Online || c == Post }

// Applicant is the person who filed the dossier.
type Applicant struct {
	Name     string
	Phone    string // canonical, +84…
	IDNumber string // optional: citizen ID (CCCD)
}

// Event is one step of a dossier's life. An event is identified by its time,
// status and note, so a sync that repeats it adds nothing.
type Event struct {
	At     time.Time
	Status Status
	Note   string
	Actor  string // who recorded it: a staff username, or sync:UNIT
}

func (e Event) key() eventKey { return eventKey{e.At.UnixMicro(), e.Status, e.Note} }

type eventKey struct {
	at     int64
	status Status
	note   string
}

// Apology is the letter of apology with a new return date (Phiếu xin lỗi và
// hẹn lại ngày trả kết quả).
type Apology struct {
	IssuedAt time.Time
	NewDueAt time.Time
	Reason   string
	By       string
	// Late: issued after the due date. It is recorded all the same.
	Late bool
}

// Dossier is one dossier with its events, oldest first.
type Dossier struct {
	Code          string
	ProcedureCode string
	UnitCode      string
	Applicant     Applicant
	Channel       Channel
	Papers        string // the papers received, as the clerk noted them
	Status        Status
	ReceivedAt    time.Time
	// DueAt is the return date: counted from the procedure's processing days
	// and moved by the time spent waiting for supplements; an apology's new
	// date does not change it, so "on time" keeps meaning the original date.
	DueAt time.Time
	// ProcessingDays is the procedure's time when the dossier was received;
	// DueFixed means DueAt came from another system and is kept as given.
	ProcessingDays int
	DueFixed       bool
	FinishedAt     *time.Time
	ReturnedAt     *time.Time

	Digitized      bool
	EResult        bool
	ReusedData     bool
	HasFee         bool
	PaidOnline     bool
	SyncedNational bool

	Apology *Apology
	Events  []Event
	// Version grows with every change; an update from a stale copy is refused.
	Version int

	// Standing is computed by the service when the dossier is read.
	Standing Standing
}

// Limits on what a dossier holds: generous for real records, small enough
// that one request cannot bloat the database.
const (
	MaxNameLen   = 200
	MaxNoteLen   = 500
	MaxPapersLen = 2000
	MaxReasonLen = 1000
	MaxEvents    = 200
	maxIDLen     = 20
)

// Validate lists every problem with the dossier's own fields. The code is
// checked where it comes from: drawn from a counter or given by a sync.
func (d *Dossier) Validate() []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, id string, params map[string]any) {
		errs = append(errs, apperr.FieldError{Field: field, MessageID: id, Params: params})
	}
	text("applicant.name", d.Applicant.Name, true, MaxNameLen, bad)
	if _, ok := NormalizePhone(d.Applicant.Phone); !ok {
		bad("applicant.phone", "dossier.error.phone", nil)
	}
	if !validIDNumber(d.Applicant.IDNumber) {
		bad("applicant.id_number", "dossier.error.id_number", nil)
	}
	if !d.Channel.Valid() {
		bad("channel", "dossier.error.channel", nil)
	}
	if !d.Status.Valid() {
		bad("status", "dossier.error.status", nil)
	}
	text("papers", d.Papers, false, MaxPapersLen, bad)
	if d.ReceivedAt.IsZero() {
		bad("received_at", "error.field.required", nil)
	}
	if !d.DueAt.IsZero() && d.DueAt.Before(d.ReceivedAt) {
		bad("due_at", "dossier.error.due_before_received", nil)
	}
	return errs
}

// text checks a free-text field.
func text(field, v string, required bool, max int, bad func(string, string, map[string]any)) {
	switch {
	case !utf8.ValidString(v):
		bad(field, "error.field.utf8", nil)
	case required && strings.TrimSpace(v) == "":
		bad(field, "error.field.required", nil)
	case utf8.RuneCountInString(v) > max:
		bad(field, "error.field.too_long", map[string]any{"Max": max})
	}
}

// validIDNumber accepts an empty ID or one of digits and letters (the 12
// digits of a CCCD, the 9 of an old CMND, a passport number).
func validIDNumber(s string) bool {
	if len(s) > maxIDLen {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// LastEvent returns the latest event with status st, if any. The events the
// calendar writes when it moves a due date (CalendarActor) keep the status
// the dossier had but are no step of its life: they are skipped, so that the
// note of a request to supplement, or the time a status was reached, stays
// the one a person or a sync recorded.
func (d *Dossier) LastEvent(st Status) (Event, bool) {
	for i := len(d.Events) - 1; i >= 0; i-- {
		if d.Events[i].Status == st && d.Events[i].Actor != CalendarActor {
			return d.Events[i], true
		}
	}
	return Event{}, false
}
