package workday

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"
)

// Problems with a calendar file. A *DataError wraps one of them, so callers and
// tests match with errors.Is and read the year and entry from the DataError.
var (
	ErrBadYear              = errors.New("table name is not a year")
	ErrBadDate              = errors.New("not a date, want YYYY-MM-DD")
	ErrOutsideYear          = errors.New("date outside its year")
	ErrOffAndWork           = errors.New("day is both off and worked")
	ErrWorkNotWeekend       = errors.New("worked day is not a Saturday or Sunday")
	ErrUnconfirmedNotListed = errors.New("unconfirmed day is neither in off nor in work")
	ErrUnknownKey           = errors.New("unknown key")
	ErrFixedHolidayWorked   = errors.New("worked day is a holiday of the Labour Code")
)

// DataError names the file, year and entry an administrator has to fix.
type DataError struct {
	File  string
	Year  string
	Field string // off, work, unconfirmed, or a misspelt key; empty for the year itself
	Entry string // the entry as written; empty when the whole field or year is wrong
	Err   error
}

func (e *DataError) Error() string {
	where := fmt.Sprintf("%s: [%s]", e.File, e.Year)
	if e.Field != "" {
		where += " " + e.Field
	}
	if e.Entry != "" {
		where += fmt.Sprintf(" %q", e.Entry)
	}
	return fmt.Sprintf("workday: %s: %v", where, e.Err)
}

func (e *DataError) Unwrap() error { return e.Err }

// date is a day of the Vietnamese calendar, independent of any instant.
type date struct {
	year  int
	month time.Month
	day   int
}

func (d date) weekend() bool {
	wd := time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// schedule is one year's table as entered. Unconfirmed is a subset of
// off ∪ work. The fixed holidays are laid over it when the calendar is built.
type schedule struct {
	off, work, unconfirmed map[date]bool
	// announced: the government has published the year's schedule; until
	// then every day of the year may still change.
	announced bool
	source    string
}

type yearFile struct {
	Source      string   `toml:"source"`
	Announced   bool     `toml:"announced"`
	Off         []string `toml:"off"`
	Work        []string `toml:"work"`
	Unconfirmed []string `toml:"unconfirmed"`
}

// parseSchedules reads a calendar file. It reports every bad entry at once, so an
// administrator fixes the file in one pass instead of one restart per typo.
func parseSchedules(file string, data []byte) (map[int]schedule, error) {
	var raw map[string]yearFile
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, fmt.Errorf("workday: %s: %w", file, err)
	}
	var errs []error
	// A misspelt key ("of" for "off") would otherwise drop days without a word.
	for _, k := range md.Undecoded() {
		year, field := k[0], ""
		if len(k) > 1 {
			field = k[1]
		}
		errs = append(errs, &DataError{File: file, Year: year, Field: field, Err: ErrUnknownKey})
	}
	years := make(map[int]schedule, len(raw))
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		year, err := strconv.Atoi(key)
		if err != nil || len(key) != 4 {
			errs = append(errs, &DataError{File: file, Year: key, Err: ErrBadYear})
			continue
		}
		s, yearErrs := parseYear(year, raw[key])
		for _, e := range yearErrs {
			e.File, e.Year = file, key
			errs = append(errs, e)
		}
		years[year] = s
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return years, nil
}

func parseYear(year int, f yearFile) (schedule, []*DataError) {
	var errs []*DataError
	parse := func(field string, entries []string) map[date]bool {
		set := make(map[date]bool, len(entries))
		for _, e := range entries {
			t, err := time.Parse(time.DateOnly, e)
			switch {
			case err != nil:
				errs = append(errs, &DataError{Field: field, Entry: e, Err: ErrBadDate})
			case t.Year() != year:
				errs = append(errs, &DataError{Field: field, Entry: e, Err: ErrOutsideYear})
			default:
				set[date{t.Year(), t.Month(), t.Day()}] = true
			}
		}
		return set
	}
	s := schedule{
		off:         parse("off", f.Off),
		work:        parse("work", f.Work),
		unconfirmed: parse("unconfirmed", f.Unconfirmed),
		announced:   f.Announced,
		source:      f.Source,
	}
	// Walk the file's own order, not the maps', so errors come out in reading order.
	for _, e := range f.Work {
		d, ok := lookup(s.work, e)
		switch {
		case !ok:
		case s.off[d]:
			errs = append(errs, &DataError{Field: "work", Entry: e, Err: ErrOffAndWork})
		case !d.weekend():
			errs = append(errs, &DataError{Field: "work", Entry: e, Err: ErrWorkNotWeekend})
		case isFixedHoliday(d, s.off):
			// A table may add days off, never take away those of the law.
			errs = append(errs, &DataError{Field: "work", Entry: e, Err: ErrFixedHolidayWorked})
		}
	}
	for _, e := range f.Unconfirmed {
		if d, ok := lookup(s.unconfirmed, e); ok && !s.off[d] && !s.work[d] {
			errs = append(errs, &DataError{Field: "unconfirmed", Entry: e, Err: ErrUnconfirmedNotListed})
		}
	}
	return s, errs
}

// lookup finds an entry that parsed; entries that did not are reported already.
func lookup(set map[date]bool, entry string) (date, bool) {
	t, err := time.Parse(time.DateOnly, entry)
	if err != nil {
		return date{}, false
	}
	d := date{t.Year(), t.Month(), t.Day()}
	return d, set[d]
}
