package workday

import (
	"testing"
	"time"
)

func TestWorkingTime(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"a whole working day is 8 hours", at(2026, 3, 10, 0, 0), at(2026, 3, 11, 0, 0), 8 * time.Hour},
		{"lunch does not count", at(2026, 3, 10, 11, 0), at(2026, 3, 10, 14, 0), time.Hour},
		{"a weekend counts nothing", at(2026, 3, 14, 0, 0), at(2026, 3, 16, 0, 0), 0},
		{"Tết 2026 counts nothing", at(2026, 2, 14, 0, 0), at(2026, 2, 23, 0, 0), 0},
		{"the make-up Saturday counts a full day", at(2026, 1, 10, 0, 0), at(2026, 1, 11, 0, 0), 8 * time.Hour},
		{"an ordinary week counts five days", at(2026, 3, 9, 0, 0), at(2026, 3, 16, 0, 0), 40 * time.Hour},
		{"backwards is negative", at(2026, 3, 10, 14, 0), at(2026, 3, 10, 11, 0), -time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingTime(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingTime(%s, %s) = %v, want %v", show(tt.from), show(tt.to), got, tt.want)
			}
		})
	}
}

func TestAddWorkingTime(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"zero leaves the instant alone, even outside hours", at(2026, 3, 14, 9, 0), 0, at(2026, 3, 14, 9, 0)},
		{"landing on the lunch break gives the morning close", at(2026, 3, 10, 10, 0), 90 * time.Minute, at(2026, 3, 10, 11, 30)},
		{"one minute past the morning close resumes after lunch", at(2026, 3, 10, 10, 0), 91 * time.Minute, at(2026, 3, 10, 13, 31)},
		// One working day before a due date of Tue 11:30: the 4.5 h of Tue morning
		// and the 3.5 h of Mon afternoon; the latest such instant is Mon 13:30.
		{"one working day back lands on the opening after lunch", at(2026, 3, 10, 11, 30), -8 * time.Hour, at(2026, 3, 9, 13, 30)},
		{"one working day back over a weekend", at(2026, 3, 16, 10, 0), -8 * time.Hour, at(2026, 3, 13, 10, 0)},
		{"one working day back over Tết", at(2026, 2, 23, 10, 0), -8 * time.Hour, at(2026, 2, 13, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.AddWorkingTime(tt.from, tt.d); !got.Equal(tt.want) {
				t.Errorf("AddWorkingTime(%s, %v) = %s, want %s", show(tt.from), tt.d, show(got), show(tt.want))
			}
		})
	}
}

// The dossier service's two checks read as below; pin them so that a change of
// boundary convention shows here first.
func TestOneWorkingDayChecks(t *testing.T) {
	c := Default()
	due := at(2026, 2, 23, 10, 0) // Monday after Tết
	t.Run("an apology on the Friday before Tết is one working day early", func(t *testing.T) {
		if got := c.WorkingTime(at(2026, 2, 13, 10, 0), due); got < c.DayLength() {
			t.Errorf("WorkingTime = %v, want at least %v", got, c.DayLength())
		}
	})
	t.Run("an apology at Friday noon before Tết is too late", func(t *testing.T) {
		if got := c.WorkingTime(at(2026, 2, 13, 12, 0), due); got >= c.DayLength() {
			t.Errorf("WorkingTime = %v, want less than %v", got, c.DayLength())
		}
	})
}
