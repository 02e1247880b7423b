package workday

import "time"

// The Labour Code's fixed-date holidays (Labour Code 2019, art. 112(1)) are days
// off in every year, whether or not its schedule has been entered: see
// docs/domain.md, "Working days". The lunar holidays (Tết, Hùng Kings' day) and
// the government's swaps are data, never computed here.

func (d date) next() date {
	t := time.Date(d.year, d.month, d.day+1, 0, 0, 0, 0, time.UTC)
	return date{t.Year(), t.Month(), t.Day()}
}

// fixedHolidays are 1 January, 30 April, 1 May, 2 September and one day next to
// 2 September, in date order. The law lets the government choose that day: a
// year's table chooses it by listing 1 or 3 September as a day off; without
// one, it is 3 September when the 2nd is a Thursday (a four-day weekend, as in
// 2021) and 1 September otherwise, which is what every announcement from 2022
// to 2026 gave once the make-up rule is applied.
func fixedHolidays(year int, listed map[date]bool) []date {
	sep1, sep2, sep3 := date{year, time.September, 1}, date{year, time.September, 2}, date{year, time.September, 3}
	adjacent := sep1
	switch {
	case listed[sep1]:
	case listed[sep3]:
		adjacent = sep3
	case time.Date(year, time.September, 2, 0, 0, 0, 0, time.UTC).Weekday() == time.Thursday:
		adjacent = sep3
	}
	days := []date{{year, time.January, 1}, {year, time.April, 30}, {year, time.May, 1}}
	if adjacent == sep1 {
		return append(days, sep1, sep2)
	}
	return append(days, sep2, sep3)
}

// addFixedHolidays lays the fixed holidays over a year's days off, with the
// make-up rule of art. 111 and 112(3): a holiday that falls on a weekly rest
// day is made up on the next working day.
//
// A table normally lists the make-up day itself (30 April 2022, a Saturday,
// made up on Monday 2 May). So a holiday on a rest day counts as made up when
// the run of days off it belongs to already holds a weekday off that is neither
// a fixed holiday nor the make-up of another; only otherwise is the first
// working day after the run added. A year without a table gets its make-up
// days this way alone.
func addFixedHolidays(year int, off, work map[date]bool) {
	fixed := fixedHolidays(year, off)
	isFixed := make(map[date]bool, len(fixed))
	for _, d := range fixed {
		isFixed[d] = true
		off[d] = true
	}
	rest := func(d date) bool { return d.weekend() && !work[d] }
	madeUp := map[date]bool{}
	for _, h := range fixed {
		if !rest(h) {
			continue
		}
		d := h.next()
		for (off[d] || rest(d)) && (rest(d) || isFixed[d] || madeUp[d]) {
			d = d.next()
		}
		madeUp[d], off[d] = true, true
	}
}

// isFixedHoliday reports whether d is one of its year's fixed holidays, as the
// year's listed days off choose the day next to 2 September.
func isFixedHoliday(d date, listed map[date]bool) bool {
	for _, f := range fixedHolidays(d.year, listed) {
		if f == d {
			return true
		}
	}
	return false
}
