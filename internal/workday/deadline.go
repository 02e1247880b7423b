package workday

import (
	"slices"
	"time"
)

// Due is the deadline of a procedure of days working days received at received.
//
// days > 0: the time runs from reception through office hours only, so a dossier
// received outside office hours starts at the next opening, and the deadline is
// days × DayLength of office time later.
//
// days == 0 (same-day procedures): due at the close of the day its clock starts,
// or at the close of the next working day when the clock starts after the
// same-day cut-off (15:00). Received after closing, before a weekend or on a day
// off, the clock starts at the next opening, so it is due at that day's close.
// Negative days count as 0.
//
// So a same-day procedure received at 16:00 is due at 17:00 the next working day,
// an hour later than a 1-day procedure received at the same moment. That is what
// the two rules of docs/domain.md ("Counting a deadline") say together; changing it is a decision about the
// rules, not a fix here.
func (c *Calendar) Due(received time.Time, days int) time.Time {
	if days > 0 {
		return c.AddWorkingTime(received, time.Duration(days)*c.hours.Day())
	}
	start := c.opening(received)
	day := midnight(start)
	if start.Sub(day) > c.hours.SameDayCutoff {
		day = day.AddDate(0, 0, 1)
	}
	return c.closing(day).UTC()
}

// Pause is a stretch during which the clock of a dossier stopped: it waited for
// the applicant's supplement. A zero To means it is still waiting.
type Pause struct {
	From, To time.Time
}

// DueWithPauses is Due moved later by the office time the dossier spent paused.
// Pauses may overlap (each moment counts once) and are counted from reception
// on; a pause whose To is before its From is ignored.
//
// While a pause is still open the deadline is unknown, since nobody knows when
// the supplement will come: DueWithPauses returns the zero time, and the caller
// shows the dossier as waiting for the applicant instead of a date.
func (c *Calendar) DueWithPauses(received time.Time, days int, pauses []Pause) time.Time {
	waited, open := c.pausedTime(received, pauses)
	if open {
		return time.Time{}
	}
	return c.AddWorkingTime(c.Due(received, days), waited)
}

func (c *Calendar) pausedTime(received time.Time, pauses []Pause) (waited time.Duration, open bool) {
	var spans []Pause
	for _, p := range pauses {
		if p.To.IsZero() {
			return 0, true
		}
		p.From = later(p.From, received)
		if p.To.After(p.From) {
			spans = append(spans, p)
		}
	}
	slices.SortFunc(spans, func(a, b Pause) int { return a.From.Compare(b.From) })
	// Merge overlaps so that a pause recorded twice does not move the date twice.
	var merged []Pause
	for _, p := range spans {
		if n := len(merged); n > 0 && !p.From.After(merged[n-1].To) {
			merged[n-1].To = later(merged[n-1].To, p.To)
			continue
		}
		merged = append(merged, p)
	}
	for _, p := range merged {
		waited += c.WorkingTime(p.From, p.To)
	}
	return waited, false
}
