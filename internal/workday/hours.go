package workday

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Period is one stretch of office time within a day, as offsets from midnight in
// Vietnamese time. Vietnam has kept UTC+7 without daylight saving since 1975, so an
// offset from midnight is always the same wall-clock time.
type Period struct {
	Open, Close time.Duration
}

// Hours are the office hours of every working day.
type Hours struct {
	// Periods are the office periods of a day, in order, not overlapping.
	Periods []Period
	// SameDayCutoff: a same-day procedure whose clock starts after this offset
	// from midnight is due at the close of the next working day.
	SameDayCutoff time.Duration
}

// DefaultHours are the hours provincial one-stop systems count with:
// 07:00–11:30 and 13:30–17:00, same-day cut-off at 15:00.
func DefaultHours() Hours {
	return Hours{
		Periods: []Period{
			{Open: 7 * time.Hour, Close: 11*time.Hour + 30*time.Minute},
			{Open: 13*time.Hour + 30*time.Minute, Close: 17 * time.Hour},
		},
		SameDayCutoff: 15 * time.Hour,
	}
}

// ParseHours reads hours written as an administrator would in a configuration
// file: periods "07:00-11:30,13:30-17:00" and a cut-off "15:00".
func ParseHours(periods, cutoff string) (Hours, error) {
	var h Hours
	for _, p := range strings.Split(periods, ",") {
		opening, closing, ok := strings.Cut(strings.TrimSpace(p), "-")
		if !ok {
			return Hours{}, fmt.Errorf("workday: office hours %q: want HH:MM-HH:MM", p)
		}
		o, err := parseClock(opening)
		if err != nil {
			return Hours{}, err
		}
		c, err := parseClock(closing)
		if err != nil {
			return Hours{}, err
		}
		h.Periods = append(h.Periods, Period{Open: o, Close: c})
	}
	cut, err := parseClock(cutoff)
	if err != nil {
		return Hours{}, err
	}
	h.SameDayCutoff = cut
	return h, h.Validate()
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("workday: time of day %q: want HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Validate reports hours that would make deadline arithmetic meaningless.
func (h Hours) Validate() error {
	if len(h.Periods) == 0 {
		return errors.New("workday: office hours: no period")
	}
	prev := time.Duration(0)
	for i, p := range h.Periods {
		switch {
		case p.Open < 0 || p.Close > 24*time.Hour:
			return fmt.Errorf("workday: office period %d (%s): outside the day", i+1, p)
		case p.Close <= p.Open:
			return fmt.Errorf("workday: office period %d (%s): closes before it opens", i+1, p)
		case i > 0 && p.Open < prev:
			return fmt.Errorf("workday: office period %d (%s): overlaps or precedes the one before", i+1, p)
		}
		prev = p.Close
	}
	first, last := h.Periods[0].Open, h.Periods[len(h.Periods)-1].Close
	if h.SameDayCutoff < first || h.SameDayCutoff > last {
		return fmt.Errorf("workday: same-day cut-off %s: outside office hours %s–%s",
			clock(h.SameDayCutoff), clock(first), clock(last))
	}
	return nil
}

// Day is the office time of one working day: "one working day" of a procedure.
func (h Hours) Day() time.Duration {
	var d time.Duration
	for _, p := range h.Periods {
		d += p.Close - p.Open
	}
	return d
}

func (p Period) String() string { return clock(p.Open) + "-" + clock(p.Close) }

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// String writes the periods as ParseHours reads them: "07:00-11:30,13:30-17:00".
func (h Hours) String() string {
	parts := make([]string, len(h.Periods))
	for i, p := range h.Periods {
		parts[i] = FormatClock(p.Open) + "-" + FormatClock(p.Close)
	}
	return strings.Join(parts, ",")
}

// FormatClock writes an offset from midnight as HH:MM.
func FormatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
