package workday

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// YearStatus says how far a year's schedule can be trusted.
type YearStatus string

const (
	// Confirmed: the year's table is announced and has no unconfirmed day.
	Confirmed YearStatus = "confirmed"
	// PartlyUnconfirmed: announced, but some days are still marked unconfirmed.
	PartlyUnconfirmed YearStatus = "partly_unconfirmed"
	// Unannounced: a table entered ahead of the government's announcement
	// (announced = false): every day of the year may change.
	Unannounced YearStatus = "unannounced"
	// Missing: no table; only the Labour Code's fixed holidays are known.
	Missing YearStatus = "missing"
)

// NeedsAttention reports whether an administrator should still enter or
// confirm something for the year.
func (s YearStatus) NeedsAttention() bool { return s != Confirmed }

// YearInfo describes one year's schedule for administrators and metrics.
type YearInfo struct {
	Year   int
	Status YearStatus
	Source string
	// Unconfirmed are the days marked unconfirmed, at midnight Vietnamese
	// time, in order.
	Unconfirmed []time.Time
}

// Year describes the schedule of year.
func (c *Calendar) Year(year int) YearInfo {
	y := c.years.get(year)
	info := YearInfo{Year: year, Status: y.status, Source: y.source}
	for _, d := range slices.SortedFunc(maps.Keys(y.unconfirmed), compareDates) {
		info.Unconfirmed = append(info.Unconfirmed, time.Date(d.year, d.month, d.day, 0, 0, 0, 0, Location()))
	}
	return info
}

// Tables lists the years that have a table, in order.
func (c *Calendar) Tables() []int { return slices.Sorted(maps.Keys(c.tables)) }

func compareDates(a, b date) int {
	return time.Date(a.year, a.month, a.day, 0, 0, 0, 0, time.UTC).Compare(time.Date(b.year, b.month, b.day, 0, 0, 0, 0, time.UTC))
}

// yearDays is one year as counted: the table's days with the fixed holidays
// and their make-up days laid over them.
type yearDays struct {
	status                 YearStatus
	source                 string
	off, work, unconfirmed map[date]bool
}

// years resolves each year once. Years with a table are few; years without
// one are resolved when first asked for (a deadline can run into any year).
type years struct {
	tables map[int]schedule
	mu     sync.RWMutex
	days   map[int]*yearDays
}

func (ys *years) get(year int) *yearDays {
	ys.mu.RLock()
	y, ok := ys.days[year]
	ys.mu.RUnlock()
	if ok {
		return y
	}
	t, present := ys.tables[year]
	y = resolve(year, t, present)
	ys.mu.Lock()
	defer ys.mu.Unlock()
	if prev, ok := ys.days[year]; ok {
		return prev
	}
	ys.days[year] = y
	return y
}

func resolve(year int, t schedule, present bool) *yearDays {
	y := &yearDays{status: Missing, off: map[date]bool{}, work: map[date]bool{}, unconfirmed: map[date]bool{}}
	if present {
		y.source = t.source
		maps.Copy(y.off, t.off)
		maps.Copy(y.work, t.work)
		maps.Copy(y.unconfirmed, t.unconfirmed)
		switch {
		case !t.announced:
			y.status = Unannounced
		case len(t.unconfirmed) > 0:
			y.status = PartlyUnconfirmed
		default:
			y.status = Confirmed
		}
	}
	addFixedHolidays(year, y.off, y.work)
	return y
}
