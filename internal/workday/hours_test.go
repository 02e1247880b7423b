package workday

import (
	"testing"
	"time"
)

func TestParseHours(t *testing.T) {
	t.Run("the default written out parses to the default", func(t *testing.T) {
		got, err := ParseHours("07:00-11:30, 13:30-17:00", "15:00")
		if err != nil {
			t.Fatal(err)
		}
		want := DefaultHours()
		if len(got.Periods) != len(want.Periods) || got.Periods[0] != want.Periods[0] ||
			got.Periods[1] != want.Periods[1] || got.SameDayCutoff != want.SameDayCutoff {
			t.Errorf("ParseHours = %+v, want %+v", got, want)
		}
	})
	bad := []struct {
		name, periods, cutoff string
	}{
		{"a period without a dash is refused", "07:00 11:30", "10:00"},
		{"a time that is not HH:MM is refused", "7h-11h30", "10:00"},
		{"a period closing before it opens is refused", "11:30-07:00", "10:00"},
		{"overlapping periods are refused", "07:00-12:00,11:00-17:00", "15:00"},
		{"a cut-off after closing is refused", "07:00-11:30,13:30-17:00", "18:00"},
		{"a cut-off before opening is refused", "07:00-11:30,13:30-17:00", "06:00"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseHours(tt.periods, tt.cutoff); err == nil {
				t.Errorf("ParseHours(%q, %q) succeeded, want an error", tt.periods, tt.cutoff)
			}
		})
	}
	t.Run("no period is refused", func(t *testing.T) {
		if err := (Hours{}).Validate(); err == nil {
			t.Error("Validate succeeded, want an error")
		}
	})
}

func TestWithHours(t *testing.T) {
	h, err := ParseHours("07:30-11:30,13:00-17:00", "16:00")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Default().WithHours(h)
	if err != nil {
		t.Fatal(err)
	}
	h.Periods[0].Open = 0 // the caller changing its value must not reach the calendar

	t.Run("a working day is the configured total", func(t *testing.T) {
		if got, want := c.DayLength(), 8*time.Hour; got != want {
			t.Errorf("DayLength = %v, want %v", got, want)
		}
	})
	t.Run("one day from 10:00 is 10:00 the next day", func(t *testing.T) {
		got, want := c.Due(at(2026, 3, 10, 10, 0), 1), at(2026, 3, 11, 10, 0)
		if !got.Equal(want) {
			t.Errorf("Due = %s, want %s", show(got), show(want))
		}
	})
	t.Run("same-day uses the configured cut-off", func(t *testing.T) {
		got, want := c.Due(at(2026, 3, 10, 15, 30), 0), at(2026, 3, 10, 17, 0)
		if !got.Equal(want) {
			t.Errorf("Due = %s, want %s", show(got), show(want))
		}
	})
	t.Run("time before the configured opening does not count", func(t *testing.T) {
		if got, want := c.WorkingTime(at(2026, 3, 10, 7, 0), at(2026, 3, 10, 8, 0)), 30*time.Minute; got != want {
			t.Errorf("WorkingTime = %v, want %v", got, want)
		}
	})
	t.Run("the original calendar keeps its hours", func(t *testing.T) {
		if got, want := Default().Due(at(2026, 3, 10, 15, 30), 0), at(2026, 3, 11, 17, 0); !got.Equal(want) {
			t.Errorf("Due = %s, want %s", show(got), show(want))
		}
	})
	t.Run("invalid hours are refused", func(t *testing.T) {
		if _, err := Default().WithHours(Hours{}); err == nil {
			t.Error("WithHours succeeded, want an error")
		}
	})
}
