package workday

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Instants are drawn from mid-2024 to 2028, so that they cross the years with
// data, the years without, and every kind of day off.
var (
	propertyBase = at(2024, 6, 1, 0, 0)
	propertySpan = int64(4 * 365 * 24 * time.Hour)
	maxOffice    = int64(300 * 8 * time.Hour) // longer than any procedure
)

func instant(n int64) time.Time {
	return propertyBase.Add(time.Duration(mod(n, propertySpan)))
}

func mod(n, m int64) int64 { return (n%m + m) % m }

// checkRoundTrip: the office time from from to AddWorkingTime(from, d) is d.
func checkRoundTrip(t *testing.T, c *Calendar, from time.Time, d time.Duration) {
	t.Helper()
	to := c.AddWorkingTime(from, d)
	if got := c.WorkingTime(from, to); got != d {
		t.Fatalf("WorkingTime(%s, AddWorkingTime(%s, %v) = %s) = %v, want %v",
			show(from), show(from), d, show(to), got, d)
	}
	if (d > 0 && to.Before(from)) || (d < 0 && to.After(from)) {
		t.Fatalf("AddWorkingTime(%s, %v) = %s moves the wrong way", show(from), d, show(to))
	}
}

// checkMonotone: a later reception or a longer time never gives an earlier due
// date, and nothing is due before it is received.
//
// One exception follows from the rules themselves: a same-day procedure whose
// clock starts after the 15:00 cut-off is due at the next day's close, later
// than a 1-day procedure received at the same moment (TestDueSameDayAfterCutoff).
func checkMonotone(t *testing.T, c *Calendar, received time.Time, later time.Duration, days int) {
	t.Helper()
	due := c.Due(received, days)
	if !due.After(received) {
		t.Fatalf("Due(%s, %d) = %s, not after reception", show(received), days, show(due))
	}
	start := c.opening(received)
	afterCutoff := start.Sub(midnight(start)) > c.hours.SameDayCutoff
	if next := c.Due(received, days+1); next.Before(due) && !(days == 0 && afterCutoff) {
		t.Fatalf("Due(%s, %d) = %s is before Due(…, %d) = %s", show(received), days+1, show(next), days, show(due))
	}
	r2 := received.Add(later)
	if due2 := c.Due(r2, days); due2.Before(due) {
		t.Fatalf("Due(%s, %d) = %s is before Due(%s, %d) = %s",
			show(r2), days, show(due2), show(received), days, show(due))
	}
}

func TestPropertiesOnRandomInstants(t *testing.T) {
	c := Default()
	rng := rand.New(rand.NewPCG(2026, 429))
	for range 3000 {
		from := instant(rng.Int64())
		checkRoundTrip(t, c, from, time.Duration(rng.Int64N(2*maxOffice)-maxOffice))
		checkRoundTrip(t, c, from, time.Duration(rng.Int64N(16))*30*time.Minute) // on office boundaries
		checkMonotone(t, c, from, time.Duration(rng.Int64N(int64(72*time.Hour))), rng.IntN(30))
	}
}

func FuzzAddWorkingTime(f *testing.F) {
	c := Default()
	f.Add(int64(0), int64(8*time.Hour))
	f.Add(int64(at(2026, 2, 13, 10, 0).Sub(propertyBase)), int64(8*time.Hour))
	f.Add(int64(at(2026, 3, 10, 11, 30).Sub(propertyBase)), int64(-8*time.Hour))
	f.Fuzz(func(t *testing.T, from, d int64) {
		checkRoundTrip(t, c, instant(from), time.Duration(mod(d, 2*maxOffice)-maxOffice))
	})
}

func FuzzDueMonotone(f *testing.F) {
	c := Default()
	f.Add(int64(at(2026, 3, 10, 14, 59).Sub(propertyBase)), int64(2*time.Minute), uint8(0))
	f.Add(int64(at(2026, 2, 13, 16, 0).Sub(propertyBase)), int64(time.Hour), uint8(1))
	f.Fuzz(func(t *testing.T, received, later int64, days uint8) {
		checkMonotone(t, c, instant(received), time.Duration(mod(later, int64(30*24*time.Hour))), int(days%60))
	})
}
