package dossier

import (
	"context"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Verdict is where a dossier stands for its applicant, in one word
// (docs/domain.md, "Late dossiers").
type Verdict string

const (
	// OnTime: running, and not due within a working day.
	OnTime Verdict = "on_time"
	// AtRisk: running and due within a working day.
	AtRisk Verdict = "at_risk"
	// Late: running past the due date.
	Late Verdict = "late"
	// OverdueAfterApology: running past the new date an apology set; no
	// second letter is allowed, so the applicant is told to contact the
	// office.
	OverdueAfterApology Verdict = "overdue_after_apology"
	// FinishedOnTime: ended (a result, or the dossier left the process) no
	// later than the original due date.
	FinishedOnTime Verdict = "finished_on_time"
	// FinishedLate: ended after the original due date.
	FinishedLate Verdict = "finished_late"
)

// Text is text for people as a message ID and its parameters,
// translated at the edge (page, API, bot).
type Text struct {
	ID     string
	Params map[string]any
}

// MaskedApplicant is what a stranger holding the code and phone may learn
// of the applicant: initials and the phone's last digits.
type MaskedApplicant struct {
	Initials string
	Phone    string
}

// CitizenApology is the letter of apology as its addressee sees it: no
// staff login.
type CitizenApology struct {
	IssuedAt time.Time
	NewDueAt time.Time
	Reason   string
	Late     bool
}

// Contact is the office the applicant may call on: a name always, the
// address and phone when the unit has them on record.
type Contact struct {
	Name    string
	Address string
	Phone   string
}

// Contacts finds the office to contact about a unit's dossiers.
type Contacts interface {
	Contact(ctx context.Context, unit string) (Contact, error)
}

// Rated tells whether a dossier was rated already.
type Rated func(ctx context.Context, code string) (bool, error)

// View is a dossier as its applicant sees it, alike on the page, in the
// API and in the bot: the applicant masked, where it stands, the apology,
// what to do next, whether it may be rated, whom to contact.
type View struct {
	Code          string
	ProcedureCode string
	UnitCode      string
	Applicant     MaskedApplicant
	Status        Status
	// StatusNote is the note of the move to the current status: what is
	// missing, the fee, the reason for a refusal or a stop.
	StatusNote string
	ReceivedAt time.Time
	DueAt      time.Time
	// DueProvisional: the due date was counted across days whose schedule
	// is not announced yet, and may move.
	DueProvisional bool
	FinishedAt     *time.Time
	ReturnedAt     *time.Time
	// Standing is the verdict; Clock the details it was drawn from.
	Standing Verdict
	Clock    Standing
	// Summary says the verdict in one sentence; Tone is ok, warn or bad.
	Summary  Text
	Tone     string
	Apology  *CitizenApology
	NextStep Text
	CanRate  bool
	Office   Contact
	// Events are the steps of the dossier, oldest first, without who
	// recorded them.
	Events []Event
}

// Late reports whether the original due date passed before the dossier
// ended (the API's "late").
func (v *View) Late() bool { return v.Clock.Late }

// Track returns the citizen's view of a dossier to whoever knows its code
// and its applicant's phone, or to a citizen or chat that proved that
// phone (then the phone may be left out). An unknown code and a wrong phone
// are the same not-found error, and they take the same path, so that
// neither the answer nor its time tells whether a code exists: one look-up
// of the phone by the code, then one constant-time compare, against a
// stand-in phone when the code is unknown. Only the right phone loads the
// dossier.
func (s *Service) Track(ctx context.Context, a actor.Actor, code, phone string) (View, error) {
	p := a.Phone
	if phone != "" || (a.Kind != actor.Citizen && a.Kind != actor.Chat) {
		var ok bool
		if p, ok = NormalizePhone(phone); !ok {
			return View{}, apperr.Fields([]apperr.FieldError{{Field: "phone", MessageID: "dossier.error.phone"}})
		}
	}
	// A code is typed as it is read: with spaces around it or between its
	// parts (a code never holds one), or in lower case. Codes from the desk
	// are upper case; one from another system may not be, so the code as
	// typed is looked up too.
	code = strings.Join(strings.Fields(code), "")
	if !ValidCode(code) {
		return View{}, apperr.ErrNotFound
	}
	candidates := []string{code}
	if up := strings.ToUpper(code); up != code {
		candidates = []string{up, code}
	}
	// One read per spelling of the code, whether or not an earlier one
	// matched: an unknown code and a wrong phone cost the same.
	var found *Tracked
	for _, try := range candidates {
		t, err := s.store.TrackDossier(ctx, try, p)
		if apperr.IsNotFound(err) {
			continue
		}
		if err != nil {
			return View{}, err
		}
		if found == nil {
			found = &t
		}
	}
	if found == nil {
		return View{}, apperr.ErrNotFound
	}
	return s.viewOf(ctx, s.fill(found.Dossier), found)
}

// ViewOf is the citizen's view of a dossier the caller holds already (the
// sync API answers with it).
func (s *Service) ViewOf(ctx context.Context, d Dossier) (View, error) {
	return s.viewOf(ctx, s.fill(d), nil)
}

// viewOf builds the citizen's view of a filled dossier. pre, when tracking
// read it, already holds the unit's name and whether the dossier was rated,
// so they are not read again.
func (s *Service) viewOf(ctx context.Context, d Dossier, pre *Tracked) (View, error) {
	v := View{Code: d.Code, ProcedureCode: d.ProcedureCode, UnitCode: d.UnitCode,
		Applicant: MaskedApplicant{Initials: Initials(d.Applicant.Name), Phone: MaskPhone(d.Applicant.Phone)},
		Status:    d.Status, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, FinishedAt: d.FinishedAt, ReturnedAt: d.ReturnedAt,
		Clock: d.Standing, Events: make([]Event, 0, len(d.Events))}
	if e, ok := d.LastEvent(d.Status); ok {
		v.StatusNote = e.Note
	}
	for _, e := range d.Events {
		e.Actor = ""
		v.Events = append(v.Events, e)
	}
	if a := d.Apology; a != nil {
		v.Apology = &CitizenApology{IssuedAt: a.IssuedAt, NewDueAt: a.NewDueAt, Reason: a.Reason, Late: a.Late}
	}
	v.DueProvisional = d.Standing.Provisional
	v.Standing = verdictOf(&d, s.now())
	v.Summary, v.Tone = summaryOf(&d, v.Standing)
	v.NextStep = Text{ID: "track.next." + string(d.Status)}
	if v.Standing == OverdueAfterApology {
		v.NextStep = Text{ID: "track.next.overdue_after_apology"}
	}
	if d.Status.Finished() {
		v.CanRate = true
		switch {
		case s.ratings != nil && pre != nil:
			v.CanRate = !pre.Rated
		case s.ratings != nil:
			rated, err := s.ratings(ctx, d.Code)
			if err != nil {
				return View{}, err
			}
			v.CanRate = !rated
		}
	}
	office, err := s.contactOf(ctx, d.UnitCode, pre)
	if err != nil {
		return View{}, err
	}
	v.Office = office
	return v, nil
}

// Contact is whom an applicant contacts about a unit's dossiers, and where
// they collect a result: the same as the citizen's view says (the unit's
// one-stop department, or the office Contacts names), for the papers.
func (s *Service) Contact(ctx context.Context, unitCode string) (Contact, error) {
	return s.contactOf(ctx, unitCode, nil)
}

// contactOf finds the contact of a unit; pre, when tracking read it with
// the dossier, saves the unit's read.
func (s *Service) contactOf(ctx context.Context, unitCode string, pre *Tracked) (Contact, error) {
	c := Contact{Name: unitCode}
	switch {
	case s.units != nil && pre != nil:
		if pre.UnitName != "" {
			c = Contact{Name: pre.UnitName, Address: pre.UnitAddress, Phone: pre.UnitPhone}
		}
	case s.units != nil:
		if u, err := s.units.Get(ctx, unitCode); err == nil {
			c = Contact{Name: u.Name, Address: u.Address, Phone: u.Phone}
		}
	}
	if s.contacts != nil {
		o, err := s.contacts.Contact(ctx, unitCode)
		switch {
		case err == nil:
			if o.Name == "" {
				o.Name = c.Name
			}
			c = o
		case !apperr.IsNotFound(err):
			return Contact{}, err
		}
	}
	return c, nil
}

// verdictOf puts d's standing at now in one word. Whether a dossier was on
// time is judged against the original due date, even after an apology.
func verdictOf(d *Dossier, now time.Time) Verdict {
	st := d.Standing
	switch {
	case st.Ended && st.Late:
		return FinishedLate
	case st.Ended:
		return FinishedOnTime
	case d.Apology != nil && clockOf(d, now).After(d.Apology.NewDueAt):
		return OverdueAfterApology
	case st.Late:
		return Late
	case st.AtRisk:
		return AtRisk
	}
	return OnTime
}

// clockOf is the moment a running dossier's clock shows: now, or the start
// of the wait for a supplement, when the clock stopped.
func clockOf(d *Dossier, now time.Time) time.Time {
	if d.Status == Supplement {
		if _, open := pauses(d.Events); open != nil {
			return open.From
		}
	}
	return now
}

// summaryOf is the one sentence the page heads the dossier with, and its
// tone.
func summaryOf(d *Dossier, v Verdict) (Text, string) {
	due := map[string]any{"Due": d.DueAt}
	switch {
	case v == FinishedLate && d.Status.Finished():
		return Text{"track.verdict.finished_late", map[string]any{"Due": d.DueAt, "Finished": derefTime(d.FinishedAt)}}, "bad"
	case v == FinishedOnTime && d.Status.Finished():
		return Text{"track.verdict.finished_on_time", map[string]any{"Due": d.DueAt, "Finished": derefTime(d.FinishedAt)}}, "ok"
	case d.Standing.Ended:
		return Text{ID: "track.verdict.closed"}, ""
	case v == OverdueAfterApology:
		return Text{"track.verdict.overdue_after_apology", map[string]any{"Due": d.Apology.NewDueAt}}, "bad"
	case d.Standing.Paused:
		return Text{ID: "track.verdict.paused"}, "warn"
	case v == Late:
		return Text{"track.verdict.late", due}, "bad"
	case v == AtRisk:
		return Text{"track.verdict.at_risk", due}, "warn"
	}
	return Text{"track.verdict.on_track", due}, "ok"
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// Finished is the time the result was ready, zero when none (for templates).
func (v *View) Finished() time.Time { return derefTime(v.FinishedAt) }

// Returned is the hand-over time, zero when none (for templates).
func (v *View) Returned() time.Time { return derefTime(v.ReturnedAt) }
