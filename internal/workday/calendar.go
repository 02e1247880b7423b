// Package workday is the working-day calendar of Vietnamese civil servants and the
// deadline arithmetic of the one-stop department.
//
// The Labour Code's fixed-date holidays (1 January, 30 April, 1 May, 2 September
// and a day next to it, made up on the next working day when one falls on a
// weekend) hold in every year. Everything else is data (calendar.toml, embedded,
// overridable per year by an administrator), never computed: Tết and Hùng Kings'
// day follow the lunar calendar and the government swaps working days onto
// Saturdays every year. A year with no table, or with a table not yet marked
// announced, is reported as unconfirmed on every day, so that a due date
// counted across it is shown as provisional. See docs/domain.md, "Working days".
//
// Time is counted in office hours only (DefaultHours). "N working days" is N times
// the office time of one day, counted from reception; see Due for the rules.
// Every instant returned is in UTC, so that storage is uniform.
package workday

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // the portal runs on bare containers without /usr/share/zoneinfo
)

//go:embed calendar.toml
var embedded []byte

// vietnam is loaded once: LoadLocation parses zone data on every call.
var vietnam = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(fmt.Sprintf("workday: time/tzdata is linked in, yet: %v", err))
	}
	return loc
})

// Location is Vietnamese time, in which days and office hours are reckoned.
func Location() *time.Location { return vietnam() }

// Calendar answers which days are worked and counts office time. It is immutable
// and safe for concurrent use.
type Calendar struct {
	tables map[int]schedule // as entered, by year
	years  *years           // resolved days, shared by copies with other hours
	hours  Hours
}

// Default is the embedded schedule with the default office hours.
func Default() *Calendar {
	tables, err := parseSchedules("embedded calendar.toml", embedded)
	if err != nil {
		// The tests parse the embedded file, so a bad one never ships.
		panic(err)
	}
	return newCalendar(tables)
}

func newCalendar(tables map[int]schedule) *Calendar {
	return &Calendar{tables: tables, years: &years{tables: tables, days: map[int]*yearDays{}}, hours: DefaultHours()}
}

// Load is Default with the years of the override file laid over it: a year present
// in the file replaces the embedded year, other years are kept. A missing file (or
// an empty path) is no override. The portal passes $MOTCUA_DATA_DIR/calendar.toml.
func Load(overridePath string) (*Calendar, error) {
	tables, err := parseSchedules("embedded calendar.toml", embedded)
	if err != nil {
		return nil, err
	}
	if overridePath == "" {
		return newCalendar(tables), nil
	}
	data, err := os.ReadFile(overridePath)
	if errors.Is(err, fs.ErrNotExist) {
		return newCalendar(tables), nil
	}
	if err != nil {
		return nil, fmt.Errorf("workday: read calendar override: %w", err)
	}
	over, err := parseSchedules(overridePath, data)
	if err != nil {
		return nil, err
	}
	maps.Copy(tables, over)
	return newCalendar(tables), nil
}

// WithHours is the same calendar with other office hours.
func (c *Calendar) WithHours(h Hours) (*Calendar, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	// Copy the periods: the caller's slice must not change a calendar in use.
	h.Periods = slices.Clone(h.Periods)
	return &Calendar{tables: c.tables, years: c.years, hours: h}, nil
}

// DayLength is the office time of one working day (8 hours by default): the unit
// of "N working days", and of "at least one working day before the due date".
func (c *Calendar) DayLength() time.Duration { return c.hours.Day() }

// Hours are the office hours the calendar counts with.
func (c *Calendar) Hours() Hours { return c.hours }

// IsWorkingDay reports whether the Vietnamese date of t is worked.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(dateOf(t)) }

// Unconfirmed reports whether the schedule of the Vietnamese date of t may still
// change: its year has no table or a table not yet announced, or the day is
// marked unconfirmed.
func (c *Calendar) Unconfirmed(t time.Time) bool {
	d := dateOf(t)
	y := c.years.get(d.year)
	return y.status == Missing || y.status == Unannounced || y.unconfirmed[d]
}

// Provisional reports whether any day from the date of from to the date of to is
// Unconfirmed: a due date counted across such a day may move, and the receipt
// slip should say so.
func (c *Calendar) Provisional(from, to time.Time) bool {
	for day := midnight(from); !day.After(to); day = day.AddDate(0, 0, 1) {
		if c.Unconfirmed(day) {
			return true
		}
	}
	return false
}

func (c *Calendar) working(d date) bool {
	y := c.years.get(d.year)
	if y.work[d] {
		return true
	}
	if y.off[d] {
		return false
	}
	return !d.weekend()
}

func dateOf(t time.Time) date {
	y, m, d := t.In(Location()).Date()
	return date{y, m, d}
}

// midnight is the start of t's Vietnamese day. Days are stepped with AddDate in
// Vietnamese time, which has had no daylight saving since 1975, so a day is 24 h.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Location())
}
