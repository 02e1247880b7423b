package workday

import "time"

// WorkingTime is the office time between two instants: the part of [from, to]
// that falls in office hours of working days. It is negative when to is before
// from, so that "how late" and "how long left" read the same way.
func (c *Calendar) WorkingTime(from, to time.Time) time.Duration {
	if to.Before(from) {
		return -c.WorkingTime(to, from)
	}
	var sum time.Duration
	for day := midnight(from); day.Before(to); day = day.AddDate(0, 0, 1) {
		if !c.working(dateOf(day)) {
			continue
		}
		for _, p := range c.hours.Periods {
			start := later(day.Add(p.Open), from)
			end := earlier(day.Add(p.Close), to)
			if end.After(start) {
				sum += end.Sub(start)
			}
		}
	}
	return sum
}

// AddWorkingTime is the instant at which d of office time has run from from.
// Time outside office hours does not run, so from outside hours starts at the
// next opening. A result that falls exactly on the boundary between two periods
// is the earlier one: 8 hours from a Monday's opening is Monday's close, not
// Tuesday's opening. A negative d counts backwards, landing on the later side
// of a boundary (an opening rather than the previous close), which is the
// latest instant with that much office time left before from.
func (c *Calendar) AddWorkingTime(from time.Time, d time.Duration) time.Time {
	switch {
	case d == 0:
		return from.UTC()
	case d < 0:
		return c.subtractWorkingTime(from, -d)
	}
	for day := midnight(from); ; day = day.AddDate(0, 0, 1) {
		if !c.working(dateOf(day)) {
			continue
		}
		for _, p := range c.hours.Periods {
			start, end := later(day.Add(p.Open), from), day.Add(p.Close)
			if !end.After(start) {
				continue
			}
			if left := end.Sub(start); d > left {
				d -= left
				continue
			}
			return start.Add(d).UTC()
		}
	}
}

func (c *Calendar) subtractWorkingTime(from time.Time, d time.Duration) time.Time {
	for day := midnight(from); ; day = day.AddDate(0, 0, -1) {
		if !c.working(dateOf(day)) {
			continue
		}
		for i := len(c.hours.Periods) - 1; i >= 0; i-- {
			p := c.hours.Periods[i]
			start, end := day.Add(p.Open), earlier(day.Add(p.Close), from)
			if !end.After(start) {
				continue
			}
			if left := end.Sub(start); d > left {
				d -= left
				continue
			}
			return end.Add(-d).UTC()
		}
	}
}

// opening is the first office instant at or after t: t itself during office hours.
func (c *Calendar) opening(t time.Time) time.Time {
	for day := midnight(t); ; day = day.AddDate(0, 0, 1) {
		if !c.working(dateOf(day)) {
			continue
		}
		for _, p := range c.hours.Periods {
			if t.Before(day.Add(p.Close)) {
				return later(day.Add(p.Open), t)
			}
		}
	}
}

// closing is the end of office hours on the first working day at or after day.
func (c *Calendar) closing(day time.Time) time.Time {
	for !c.working(dateOf(day)) {
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(c.hours.Periods[len(c.hours.Periods)-1].Close)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
