package scorecard

import (
	"time"

	"motcua/internal/apperr"
	"motcua/internal/workday"
)

// Period is a span of local calendar dates (Asia/Ho_Chi_Minh), both
// included.
type Period struct {
	From time.Time // local midnight of the first day
	To   time.Time // local midnight of the last day
}

// maxPeriodDays bounds a period: ten years is more than any report asks.
const maxPeriodDays = 3700

const dateLayout = "2006-01-02"

// ParsePeriod reads from and to (YYYY-MM-DD). An empty to is today, an
// empty from the first of January of to's year.
func ParsePeriod(from, to string, now time.Time) (Period, error) {
	loc := workday.Location()
	var bad []apperr.FieldError
	parse := func(field, s string) time.Time {
		t, err := time.ParseInLocation(dateLayout, s, loc)
		if err != nil {
			bad = append(bad, apperr.FieldError{Field: field, MessageID: "scorecard.error.date"})
		}
		return t
	}
	var p Period
	if to == "" {
		y, m, d := now.In(loc).Date()
		p.To = time.Date(y, m, d, 0, 0, 0, 0, loc)
	} else {
		p.To = parse("to", to)
	}
	if from == "" {
		p.From = time.Date(p.To.Year(), 1, 1, 0, 0, 0, 0, loc)
	} else {
		p.From = parse("from", from)
	}
	if len(bad) > 0 {
		return Period{}, &apperr.Error{Code: apperr.Malformed, MessageID: "error.invalid_fields", Fields: bad}
	}
	switch {
	case p.To.Before(p.From):
		bad = append(bad, apperr.FieldError{Field: "to", MessageID: "scorecard.error.range"})
	case p.To.Sub(p.From) > maxPeriodDays*24*time.Hour:
		bad = append(bad, apperr.FieldError{Field: "from", MessageID: "scorecard.error.span", Params: map[string]any{"Years": 10}})
	}
	if len(bad) > 0 {
		return Period{}, apperr.Fields(bad)
	}
	return p, nil
}

// Month is the calendar month of a local date.
func Month(year int, month time.Month) Period {
	loc := workday.Location()
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	return Period{From: first, To: first.AddDate(0, 1, -1)}
}

// Start is the period's first instant, in UTC.
func (p Period) Start() time.Time { return p.From.UTC() }

// End is the instant after the period's last day, in UTC.
func (p Period) End() time.Time { return p.To.AddDate(0, 0, 1).UTC() }

// FromDate and ToDate are the dates as the API writes them.
func (p Period) FromDate() string { return p.From.Format(dateLayout) }
func (p Period) ToDate() string   { return p.To.Format(dateLayout) }

// Months splits the period into calendar months, the first and last
// clipped to it.
func (p Period) Months() []Period {
	var out []Period
	for m := Month(p.From.Year(), p.From.Month()); !m.From.After(p.To); m = Month(m.From.Year(), m.From.Month()+1) {
		if m.From.Before(p.From) {
			m.From = p.From
		}
		if m.To.After(p.To) {
			m.To = p.To
		}
		out = append(out, m)
	}
	return out
}
