package queue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/workday"
)

// Hours are an office's opening hours: periods of local time (Asia/Ho_Chi_Minh)
// per weekday, "00:00-24:00" for the whole day. A day without periods is
// closed; hours with no period on any day close the office until it gets
// some (docs/domain.md, "Opening hours").
type Hours struct {
	// Days are indexed by time.Weekday (Sunday first).
	Days [7][]workday.Period
}

// DayKeys name the weekdays in the offices file and the forms, Monday first.
var DayKeys = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var dayOf = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// DayIndex is the weekday a key of DayKeys names.
func DayIndex(key string) (time.Weekday, bool) { d, ok := dayOf[key]; return d, ok }

// DefaultHours are the office hours of DOMAIN.md: 07:00–11:30 and
// 13:30–17:00, Monday to Friday.
func DefaultHours() *Hours {
	h := &Hours{}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Days[d] = []workday.Period{
			{Open: 7 * time.Hour, Close: 11*time.Hour + 30*time.Minute},
			{Open: 13*time.Hour + 30*time.Minute, Close: 17 * time.Hour},
		}
	}
	return h
}

// AlwaysOpen is "00:00-24:00" every day: open but on holidays and days off.
func AlwaysOpen() *Hours {
	h := &Hours{}
	for d := range h.Days {
		h.Days[d] = []workday.Period{{Open: 0, Close: 24 * time.Hour}}
	}
	return h
}

// DefaultLastTicketMinutes is how long before closing the kiosk stops
// issuing numbers unless the office says otherwise.
const DefaultLastTicketMinutes = 30

// IsZero reports whether no day has hours: the office is closed.
func (h *Hours) IsZero() bool {
	if h == nil {
		return true
	}
	for _, d := range h.Days {
		if len(d) > 0 {
			return false
		}
	}
	return true
}

// Day returns the periods of a weekday key as text ("07:00-11:30").
func (h *Hours) Day(key string) []string {
	d, ok := dayOf[key]
	if !ok || h == nil {
		return nil
	}
	out := make([]string, 0, len(h.Days[d]))
	for _, p := range h.Days[d] {
		out = append(out, formatPeriod(p))
	}
	return out
}

// Text is a weekday's hours on one line, "07:00-11:30, 13:30-17:00".
func (h *Hours) Text(key string) string { return strings.Join(h.Day(key), ", ") }

// DaySpan is a run of weekdays, From to To (the same day for one), open
// the same hours: Text, "07:00-11:30, 13:30-17:00".
type DaySpan struct {
	From, To time.Weekday
	Text     string
}

// Week groups the open days, Monday first, into runs of the same hours,
// for people to read ("Monday – Friday: …"); closed days are left out.
func (h *Hours) Week() []DaySpan {
	if h.IsZero() {
		return nil
	}
	var out []DaySpan
	for _, k := range DayKeys {
		d, text := dayOf[k], h.Text(k)
		switch {
		case text == "":
		case len(out) > 0 && out[len(out)-1].Text == text && out[len(out)-1].To == prevDay(d):
			out[len(out)-1].To = d
		default:
			out = append(out, DaySpan{From: d, To: d, Text: text})
		}
	}
	return out
}

// prevDay is the day before d in a week that starts on Monday.
func prevDay(d time.Weekday) time.Weekday { return (d + 6) % 7 }

// Map is the hours as the offices file and the API write them.
func (h *Hours) Map() map[string][]string {
	out := make(map[string][]string, 7)
	for _, k := range DayKeys {
		out[k] = h.Day(k)
		if out[k] == nil {
			out[k] = []string{}
		}
	}
	return out
}

// MarshalJSON writes {"mon": ["07:00-11:30", …], …, "sun": []}, Monday first.
func (h Hours) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range DayKeys {
		if i > 0 {
			b.WriteByte(',')
		}
		v, _ := json.Marshal(k)
		b.Write(v)
		b.WriteByte(':')
		day := h.Day(k)
		if day == nil {
			day = []string{}
		}
		v, _ = json.Marshal(day)
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes; a bad entry is an error.
func (h *Hours) UnmarshalJSON(data []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	parsed, errs := ParseHours(m, "hours")
	if len(errs) > 0 {
		return fmt.Errorf("hours: %s: %s", errs[0].Field, errs[0].MessageID)
	}
	*h = *parsed
	return nil
}

// ParseHours reads hours by weekday key; each bad entry is reported at its
// path under path ("hours.mon[1]"), in the order of DayKeys.
func ParseHours(days map[string][]string, path string) (*Hours, []apperr.FieldError) {
	h := &Hours{}
	var errs []apperr.FieldError
	for k := range days {
		if _, ok := dayOf[k]; !ok {
			errs = append(errs, apperr.FieldError{Field: path + "." + k, MessageID: "queue.error.hours_day"})
		}
	}
	for _, k := range DayKeys {
		for i, s := range days[k] {
			at := fmt.Sprintf("%s.%s[%d]", path, k, i)
			p, ok := ParsePeriod(s)
			if !ok {
				errs = append(errs, apperr.FieldError{Field: at, MessageID: "queue.error.hours_period", Params: map[string]any{"Value": s}})
				continue
			}
			d := dayOf[k]
			if n := len(h.Days[d]); n > 0 && p.Open < h.Days[d][n-1].Close {
				errs = append(errs, apperr.FieldError{Field: at, MessageID: "queue.error.hours_order", Params: map[string]any{"Value": s}})
				continue
			}
			h.Days[d] = append(h.Days[d], p)
		}
	}
	return h, errs
}

// ParsePeriod reads "HH:MM-HH:MM" (spaces allowed, "24:00" as a closing).
func ParsePeriod(s string) (workday.Period, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return workday.Period{}, false
	}
	open, ok1 := parseClock(a, false)
	close, ok2 := parseClock(b, true)
	if !ok1 || !ok2 || close <= open {
		return workday.Period{}, false
	}
	return workday.Period{Open: open, Close: close}, true
}

func parseClock(s string, closing bool) (time.Duration, bool) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(mm) != 2 || len(hh) < 1 || len(hh) > 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return 0, false
	}
	switch {
	case h == 24 && m == 0 && closing:
	case h > 23:
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

func formatPeriod(p workday.Period) string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", int(p.Open/time.Hour), int(p.Open%time.Hour/time.Minute),
		int(p.Close/time.Hour), int(p.Close%time.Hour/time.Minute))
}

// validate checks hours built in code rather than parsed.
func (h *Hours) validate(f *fieldErrs) {
	if h == nil {
		return
	}
	for _, k := range DayKeys {
		d := dayOf[k]
		var prev time.Duration
		for i, p := range h.Days[d] {
			if p.Open < 0 || p.Close > 24*time.Hour || p.Close <= p.Open || (i > 0 && p.Open < prev) {
				f.add(fmt.Sprintf("hours.%s[%d]", k, i), "queue.error.hours_order", map[string]any{"Value": formatPeriod(p)})
			}
			prev = p.Close
		}
	}
}

// DayOffs is the part of the working-day calendar opening hours need: the
// public holidays and days off that close every office.
type DayOffs interface {
	DayOff(t time.Time) bool
}

// Opening is whether an office issues numbers at an instant.
type Opening struct {
	// Open: the instant is within the office's hours.
	Open bool
	// Issuing: open, and before the last-ticket cut-off.
	Issuing bool
	// Closes is when this opening ends (zero: not within a week).
	Closes time.Time
	// Next is, when not issuing, the next instant numbers are issued (zero:
	// none known, as for an office without hours).
	Next time.Time
}

// span is a stretch of opening, periods that touch merged into one.
type span struct{ from, to time.Time }

// spans are the office's openings from the start of now's day for days
// days, skipping days off.
func (h *Hours) spans(cal DayOffs, now time.Time, days int) []span {
	loc := Zone()
	y, m, d := now.In(loc).Date()
	var out []span
	for i := range days {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if cal != nil && cal.DayOff(day) {
			continue
		}
		for _, p := range h.Days[day.Weekday()] {
			s := span{day.Add(p.Open), day.Add(p.Close)}
			if n := len(out); n > 0 && !out[n-1].to.Before(s.from) {
				out[n-1].to = s.to
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// OpeningAt tells whether the office issues numbers at now and, if not,
// when it next does. Holidays and days off close it whatever its hours.
func (o Office) OpeningAt(cal DayOffs, now time.Time) Opening {
	if o.Hours.IsZero() {
		return Opening{}
	}
	last := time.Duration(o.LastTicketMinutes) * time.Minute
	var op Opening
	for _, horizon := range []int{8, 400} {
		spans := o.Hours.spans(cal, now, horizon)
		y, m, d := now.In(Zone()).Date()
		end := time.Date(y, m, d+horizon, 0, 0, 0, 0, Zone())
		for _, s := range spans {
			stop := s.to.Add(-last) // the last ticket
			// Open without a break to the end of the first look-ahead: no
			// closing to stop before.
			endless := horizon == 8 && s.to.Equal(end)
			if endless {
				stop = time.Time{}
			}
			if !now.Before(s.from) && now.Before(s.to) {
				op.Open = true
				if !endless {
					op.Closes = s.to
				}
				if stop.IsZero() || now.Before(stop) {
					op.Issuing = true
					return op
				}
				continue
			}
			if s.from.After(now) && (stop.IsZero() || s.from.Before(stop)) {
				op.Next = s.from
				return op
			}
		}
	}
	return op
}
