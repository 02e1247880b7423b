package workday

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// countingRules names the version of the deadline arithmetic (Due,
// DueWithPauses and the fixed holidays): change it with the arithmetic, so
// that a store's due dates are counted again after such a release.
const countingRules = "1"

// Fingerprint identifies everything a due date is counted with: the
// counting rules, the office hours and every year's table (the days off,
// the days worked, the unconfirmed ones and whether it was announced). Two
// calendars with the same fingerprint count every due date alike, so the
// portal counts its running dossiers again only when it changed
// (docs/domain.md, "Working days").
func (c *Calendar) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "rules %s\nhours %s cutoff %s\n", countingRules, c.hours, FormatClock(c.hours.SameDayCutoff))
	years := make([]int, 0, len(c.tables))
	for y := range c.tables {
		years = append(years, y)
	}
	slices.Sort(years)
	days := func(set map[date]bool) string {
		var out []string
		for d, ok := range set {
			if ok {
				out = append(out, fmt.Sprintf("%04d-%02d-%02d", d.year, d.month, d.day))
			}
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	for _, y := range years {
		s := c.tables[y]
		fmt.Fprintf(h, "[%d] announced %t\noff %s\nwork %s\nunconfirmed %s\n", y, s.announced, days(s.off), days(s.work), days(s.unconfirmed))
	}
	return hex.EncodeToString(h.Sum(nil))
}
