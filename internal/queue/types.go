package queue

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// Office is a one-stop reception hall of a unit: its kiosks, display and
// counters share one numbering.
type Office struct {
	Code     string `json:"code" db:"code"`
	Name     string `json:"name" db:"name"`
	UnitCode string `json:"unit" db:"unit_code"`
	// PriorityGroups are the keys (see PriorityGroups) served first here.
	PriorityGroups []string `json:"priority_groups" db:"-"`
	// PriorityRun is how many priority tickets a counter calls in a row
	// before it calls the longest-waiting ordinary one (docs/domain.md, "The queue").
	PriorityRun int `json:"priority_run" db:"priority_run"`
	// DefaultMinutes estimates one visit before today has real service
	// times (in the morning).
	DefaultMinutes int `json:"default_minutes" db:"default_minutes"`
	// Address and Phone tell visitors where to go and whom to call.
	Address string `json:"address" db:"address"`
	Phone   string `json:"phone" db:"phone"`
	// Hours are the opening hours; nil when creating means DefaultHours.
	Hours *Hours `json:"hours" db:"-"`
	// LastTicketMinutes is how long before closing the kiosk stops issuing
	// numbers; 0 issues until closing.
	LastTicketMinutes int       `json:"last_ticket_minutes" db:"last_ticket_minutes"`
	CreatedAt         time.Time `json:"-" db:"created_at"`
}

// MapURL is a link to the office's address on OpenStreetMap's search (a
// link only: the pages load nothing from other hosts); "" without address.
func (o Office) MapURL() string { return MapURL(o.Address) }

// MapURL is a map search link for an address, "" for none.
func MapURL(address string) string {
	if strings.TrimSpace(address) == "" {
		return ""
	}
	return "https://www.openstreetmap.org/search?query=" + url.QueryEscape(address)
}

// Service is a queue of an office (not a procedure): a letter prefix and
// the fields of procedures it covers.
type Service struct {
	Code       string   `json:"code" db:"code"`
	OfficeCode string   `json:"office" db:"office_code"`
	NameVi     string   `json:"name_vi" db:"name_vi"`
	NameEn     string   `json:"name_en" db:"name_en"`
	Prefix     string   `json:"prefix" db:"prefix"`
	Fields     []string `json:"fields" db:"-"`
	Position   int      `json:"-" db:"position"` // kiosk button order
	// RetiredAt is set once the service is retired: hidden from the kiosk
	// and the consoles, its tickets kept.
	RetiredAt *time.Time `json:"-" db:"retired_at"`
}

// Name is the service's name in lang, Vietnamese when no English exists.
func (s Service) Name(lang string) string {
	if lang == "en" && s.NameEn != "" {
		return s.NameEn
	}
	return s.NameVi
}

// Counter is a desk in the hall. Number is what the call-out says
// ("quầy số 3"); ID is unique across offices (the API's /counters/{id}).
type Counter struct {
	ID         int64    `json:"id" db:"id"`
	OfficeCode string   `json:"office" db:"office_code"`
	Number     int      `json:"number" db:"number"`
	Name       string   `json:"name" db:"name"`
	Services   []string `json:"services" db:"-"`
	// PriorityStreak counts the priority tickets this counter has called in
	// a row; the service layer resets it on an ordinary call.
	PriorityStreak int `json:"-" db:"priority_streak"`
	// RetiredAt is set once the counter is retired: no console, no calls,
	// its history kept.
	RetiredAt *time.Time `json:"-" db:"retired_at"`
}

// Serves reports whether the counter calls tickets of service.
func (c Counter) Serves(service string) bool { return slices.Contains(c.Services, service) }

// Status is where a ticket is in its visit.
type Status string

const (
	Waiting     Status = "waiting"
	Called      Status = "called"  // the display has called it; the visitor walks up
	Serving     Status = "serving" // the visitor is at the counter
	Done        Status = "done"
	NoShow      Status = "no_show"
	Transferred Status = "transferred" // waiting again, in another queue or for a named counter
)

// Queued reports whether the ticket waits to be called.
func (s Status) Queued() bool { return s == Waiting || s == Transferred }

// AtCounter reports whether a counter holds the ticket now.
func (s Status) AtCounter() bool { return s == Called || s == Serving }

// Final reports whether the visit is over.
func (s Status) Final() bool { return s == Done || s == NoShow }

// Ticket is one queue number taken at a kiosk.
type Ticket struct {
	// ID is unguessable: the phone page and the API find the ticket by it.
	ID         string `json:"id" db:"id"`
	OfficeCode string `json:"office" db:"office_code"`
	Service    string `json:"service" db:"service_code"`
	Day        string `json:"day" db:"day"` // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Prefix     string `json:"-" db:"prefix"`
	Seq        int    `json:"-" db:"seq"`
	Number     string `json:"number" db:"-"` // Prefix + Seq, "A012"
	// Pos is the ticket's place in the office's day, across services: the
	// queue's order (a transfer keeps it).
	Pos      int64  `json:"-" db:"pos"`
	Priority string `json:"priority" db:"priority"` // a priority group key or ""
	Status   Status `json:"status" db:"status"`
	// CounterID is the counter that holds or held the ticket (0: none).
	CounterID int64 `json:"counter_id" db:"counter_id"`
	// TargetCounter, after a transfer to a named counter, is the only
	// counter that may call it.
	TargetCounter int64      `json:"-" db:"target_counter"`
	IssuedAt      time.Time  `json:"issued_at" db:"issued_at"`
	FirstCalledAt *time.Time `json:"-" db:"first_called_at"`
	CalledAt      *time.Time `json:"called_at" db:"called_at"`
	ServedAt      *time.Time `json:"served_at" db:"served_at"`
	DoneAt        *time.Time `json:"done_at" db:"done_at"`
	// ServiceSeconds is measured when the visit ends at a counter; the
	// estimated wait learns from it.
	ServiceSeconds int    `json:"-" db:"service_seconds"`
	Recalls        int    `json:"recalls" db:"recalls"`
	Transfers      int    `json:"transfers" db:"transfers"`
	DossierCode    string `json:"dossier_code,omitempty" db:"dossier_code"`
	// Version grows with every change; a write names the version it read,
	// so two consoles never both win.
	Version int `json:"-" db:"version"`
}

// FormatNumber is the printed number: the prefix and at least three digits.
// Past 999 in a day the number simply grows a digit rather than refuse anyone.
func FormatNumber(prefix string, seq int) string { return fmt.Sprintf("%s%03d", prefix, seq) }

// Wait is how long the ticket waited before its first call.
func (t Ticket) Wait() (time.Duration, bool) {
	if t.FirstCalledAt == nil {
		return 0, false
	}
	return t.FirstCalledAt.Sub(t.IssuedAt), true
}

var ticketEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTicketID is 16 random bytes: nobody can guess another person's ticket.
func newTicketID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return strings.ToLower(ticketEncoding.EncodeToString(b[:]))
}

// ValidTicketID reports whether id has the shape of a ticket ID, so that a
// junk path never reaches the store.
func ValidTicketID(id string) bool {
	if len(id) != 26 {
		return false
	}
	_, err := ticketEncoding.DecodeString(strings.ToUpper(id))
	return err == nil
}

const (
	maxName       = 200
	maxFields     = 50
	maxServices   = 26 // one letter each
	maxRun        = 20
	maxMinutes    = 240
	maxCounterNo  = 999
	maxAddress    = unit.MaxAddress
	maxLastTicket = 240
)

type fieldErrs []apperr.FieldError

func (f *fieldErrs) add(field, id string, params map[string]any) {
	*f = append(*f, apperr.FieldError{Field: field, MessageID: id, Params: params})
}

func (f *fieldErrs) text(field, v string, required bool) {
	switch {
	case !utf8.ValidString(v):
		f.add(field, "error.field.utf8", nil)
	case required && strings.TrimSpace(v) == "":
		f.add(field, "error.field.required", nil)
	case utf8.RuneCountInString(v) > maxName:
		f.add(field, "error.field.too_long", map[string]any{"Max": maxName})
	}
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return apperr.Fields(f)
}

func validCode(s string) bool { return catalog.ValidCode(s) && len(s) <= 32 }

// code checks a code: missing is "required", not a format error.
func (f *fieldErrs) code(field, v string) {
	switch {
	case strings.TrimSpace(v) == "":
		f.add(field, "error.field.required", nil)
	case !validCode(v):
		f.add(field, "error.field.code", map[string]any{"Max": 32})
	}
}

func (f *fieldErrs) textMax(field, v string, max int) {
	switch {
	case !utf8.ValidString(v):
		f.add(field, "error.field.utf8", nil)
	case utf8.RuneCountInString(v) > max:
		f.add(field, "error.field.too_long", map[string]any{"Max": max})
	}
}

// Validate checks an office before it is saved.
func (o *Office) Validate() error {
	var f fieldErrs
	f.code("code", o.Code)
	f.text("name", o.Name, true)
	f.textMax("address", o.Address, maxAddress)
	if !unit.ValidPhone(o.Phone) {
		f.add("phone", "queue.error.phone", nil)
	}
	o.Hours.validate(&f)
	if o.LastTicketMinutes < 0 || o.LastTicketMinutes > maxLastTicket {
		f.add("last_ticket_minutes", "error.field.range", map[string]any{"Min": 0, "Max": maxLastTicket})
	}
	if strings.TrimSpace(o.UnitCode) == "" {
		f.add("unit", "error.field.required", nil)
	}
	for _, g := range o.PriorityGroups {
		if _, ok := priorityGroup(g); !ok {
			f.add("priority_groups", "queue.error.priority_unknown", nil)
			break
		}
	}
	if o.PriorityRun < 1 || o.PriorityRun > maxRun {
		f.add("priority_run", "error.field.range", map[string]any{"Min": 1, "Max": maxRun})
	}
	if o.DefaultMinutes < 1 || o.DefaultMinutes > maxMinutes {
		f.add("default_minutes", "error.field.range", map[string]any{"Min": 1, "Max": maxMinutes})
	}
	return f.err()
}

// Validate checks a service before it is saved.
func (s *Service) Validate() error {
	var f fieldErrs
	f.code("code", s.Code)
	f.text("name_vi", s.NameVi, true)
	f.text("name_en", s.NameEn, false)
	if len(s.Prefix) != 1 || s.Prefix[0] < 'A' || s.Prefix[0] > 'Z' {
		f.add("prefix", "queue.error.prefix", nil)
	}
	if len(s.Fields) > maxFields {
		f.add("fields", "error.field.too_many", map[string]any{"Max": maxFields})
	}
	for _, v := range s.Fields {
		if strings.TrimSpace(v) == "" || !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxName {
			f.add("fields", "queue.error.field_name", nil)
			break
		}
	}
	return f.err()
}

// Validate checks a counter before it is saved.
func (c *Counter) Validate() error {
	var f fieldErrs
	if c.Number < 1 || c.Number > maxCounterNo {
		f.add("number", "error.field.range", map[string]any{"Min": 1, "Max": maxCounterNo})
	}
	f.text("name", c.Name, true)
	if len(c.Services) == 0 {
		f.add("services", "queue.error.counter_services", nil)
	}
	return f.err()
}
