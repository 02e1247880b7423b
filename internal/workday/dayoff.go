package workday

import "time"

// DayOff reports whether the Vietnamese date of t is a public holiday or one
// of the year's days off, as opposed to a mere weekend: every office is closed
// on it whatever its opening hours, while a weekend closes only the offices
// whose hours say so (docs/domain.md, "Opening hours").
func (c *Calendar) DayOff(t time.Time) bool {
	d := dateOf(t)
	y := c.years.get(d.year)
	return y.off[d] && !y.work[d]
}
