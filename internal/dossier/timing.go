package dossier

import (
	"time"

	"motcua/internal/workday"
)

// Standing is where a dossier stands against its deadline at one moment.
type Standing struct {
	// Late: the clock passed the due date before a result was ready. For an
	// ended dossier that is decided by when it ended; an apology's new date
	// never makes a late dossier on time.
	Late bool
	// AtRisk: still running, not late, due within one working day, and past
	// half of the time it was given: a dossier of a same-day or one-day
	// procedure is not "due soon" the minute it is received
	// (docs/domain.md, "Counting a deadline").
	AtRisk bool
	// ApologyWindow: still running and due within one working day (or
	// late): the time when the office must send its letter of apology at
	// the latest, whatever the procedure's length.
	ApologyWindow bool
	// Paused: waiting for the applicant's supplement; the clock has stopped
	// and the due date will move by the time waited.
	Paused bool
	// OverdueAfterApology: still running past the new date its letter of
	// apology set; no second letter is allowed, and the desk lists it above
	// every other late dossier (docs/domain.md, "Late dossiers").
	OverdueAfterApology bool
	// Ended: a result is ready or handed over, or the dossier left the process.
	Ended bool
	// Left is the office time from the clock's moment to the due date:
	// negative when late.
	Left time.Duration
	// Provisional: still running, and the due date was counted across days
	// whose schedule is not yet announced or is marked unconfirmed, so it may
	// move when the schedule is entered (see RecountDue).
	Provisional bool
}

// pauses returns the stretches spent waiting for a supplement, from the
// events: a pause starts at a supplement event and ends at the next event of
// another status. An unfinished pause is returned apart.
func pauses(events []Event) (closed []workday.Pause, open *workday.Pause) {
	var cur *workday.Pause
	for _, e := range events {
		switch {
		case e.Status == Supplement && cur == nil:
			cur = &workday.Pause{From: e.At}
		case e.Status != Supplement && cur != nil:
			cur.To = e.At
			closed = append(closed, *cur)
			cur = nil
		}
	}
	return closed, cur
}

// dueAt is the return date: the procedure's time from reception, moved later
// by every finished wait for a supplement. A wait still going on does not move
// it yet: nobody knows how long it will last, and the page says so instead.
func dueAt(cal *workday.Calendar, d *Dossier) time.Time {
	if d.DueFixed {
		return d.DueAt
	}
	closed, _ := pauses(d.Events)
	return cal.DueWithPauses(d.ReceivedAt, d.ProcessingDays, closed)
}

// endedAt is when the dossier's clock stopped for good.
func endedAt(d *Dossier) time.Time {
	if d.FinishedAt != nil {
		return *d.FinishedAt
	}
	if e, ok := d.LastEvent(d.Status); ok {
		return e.At
	}
	if d.ReturnedAt != nil {
		return *d.ReturnedAt
	}
	return d.ReceivedAt
}

// standing computes d's standing at now.
func standing(cal *workday.Calendar, d *Dossier, now time.Time) Standing {
	var st Standing
	clock := now
	switch {
	case d.Status.Ended():
		st.Ended = true
		clock = endedAt(d)
	case d.Status == Supplement:
		st.Paused = true
		if _, open := pauses(d.Events); open != nil {
			clock = open.From
		}
	}
	st.Late = clock.After(d.DueAt)
	st.Left = cal.WorkingTime(clock, d.DueAt)
	if !st.Ended && !st.Paused && !st.Late {
		st.ApologyWindow = st.Left <= cal.DayLength()
		given := cal.WorkingTime(d.ReceivedAt, d.DueAt)
		st.AtRisk = st.ApologyWindow && 2*st.Left <= given
	}
	st.OverdueAfterApology = !st.Ended && d.Apology != nil && clock.After(d.Apology.NewDueAt)
	st.Provisional = !st.Ended && !d.DueAt.IsZero() && cal.Provisional(d.ReceivedAt, d.DueAt)
	return st
}
