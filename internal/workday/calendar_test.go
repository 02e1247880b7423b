package workday

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// at is a wall-clock time in Vietnam, the way a counter officer reads it.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Location())
}

func day(y int, m time.Month, d int) time.Time { return at(y, m, d, 12, 0) }

// show prints an instant in Vietnamese time, so failures read like the slip.
func show(t time.Time) string {
	if t.IsZero() {
		return "zero time"
	}
	return t.In(Location()).Format("Mon 02/01/2006 15:04")
}

func TestIsWorkingDay(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		day  time.Time
		want bool
	}{
		{"ordinary Monday is worked", day(2026, 3, 9), true},
		{"ordinary Saturday is off", day(2026, 3, 7), false},
		{"ordinary Sunday is off", day(2026, 3, 8), false},

		{"2026 New Year's Day is off", day(2026, 1, 1), false},
		{"2026 Friday 2 January is off", day(2026, 1, 2), false},
		{"2026 Monday 5 January is worked", day(2026, 1, 5), true},
		{"2026 make-up Saturday 10 January is worked", day(2026, 1, 10), true},
		{"2026 the Saturday after the make-up one is off", day(2026, 1, 17), false},
		{"2026 Friday 13 February before Tết is worked", day(2026, 2, 13), true},
		{"2026 Tết Monday 16 February is off", day(2026, 2, 16), false},
		{"2026 Tết Tuesday 17 February (New Year's Day) is off", day(2026, 2, 17), false},
		{"2026 Tết Friday 20 February is off", day(2026, 2, 20), false},
		{"2026 Monday 23 February after Tết is worked", day(2026, 2, 23), true},
		{"2026 Hùng Kings' day made up on Monday 27 April is off", day(2026, 4, 27), false},
		{"2026 Tuesday 28 April is worked", day(2026, 4, 28), true},
		{"2026 Reunification Day 30 April is off", day(2026, 4, 30), false},
		{"2026 Labour Day 1 May is off", day(2026, 5, 1), false},
		{"2026 make-up Saturday 22 August is worked", day(2026, 8, 22), true},
		{"2026 Monday 31 August swapped is off", day(2026, 8, 31), false},
		{"2026 Tuesday 1 September is off", day(2026, 9, 1), false},
		{"2026 National Day 2 September is off", day(2026, 9, 2), false},
		{"2026 Thursday 3 September is worked", day(2026, 9, 3), true},
		{"2026 Vietnam Culture Day 24 November is off (unconfirmed)", day(2026, 11, 24), false},

		{"2025 New Year's Day is off", day(2025, 1, 1), false},
		{"2025 Friday 24 January before Tết is worked", day(2025, 1, 24), true},
		{"2025 Tết Monday 27 January is off", day(2025, 1, 27), false},
		{"2025 Tết Friday 31 January is off", day(2025, 1, 31), false},
		{"2025 Monday 3 February after Tết is worked", day(2025, 2, 3), true},
		{"2025 Hùng Kings' day 7 April is off", day(2025, 4, 7), false},
		{"2025 make-up Saturday 26 April is worked", day(2025, 4, 26), true},
		{"2025 Friday 2 May swapped is off", day(2025, 5, 2), false},
		{"2025 Monday 1 September is off", day(2025, 9, 1), false},
		{"2025 National Day 2 September is off", day(2025, 9, 2), false},

		{"2027 New Year's Day is off", day(2027, 1, 1), false},
		{"2027 Monday 4 January is worked", day(2027, 1, 4), true},
		{"2027 Thursday 4 February before Tết is worked", day(2027, 2, 4), true},
		{"2027 Tết New Year's Eve Friday 5 February is off", day(2027, 2, 5), false},
		{"2027 Tết Monday 8 February is off", day(2027, 2, 8), false},
		{"2027 Tết make-up Thursday 11 February is off", day(2027, 2, 11), false},
		{"2027 Friday 12 February after Tết is worked", day(2027, 2, 12), true},
		{"2027 Hùng Kings' day Friday 16 April is off", day(2027, 4, 16), false},
		{"2027 Labour Day on Saturday 1 May is made up on Monday 3 May", day(2027, 5, 3), false},
		{"2027 Tuesday 4 May is worked", day(2027, 5, 4), true},
		{"2027 Wednesday 1 September is worked", day(2027, 9, 1), true},
		{"2027 National Day's adjacent day Friday 3 September is off", day(2027, 9, 3), false},

		// 17:30 UTC on Sunday 4 January is 00:30 on Monday 5 January in Vietnam.
		{"the Vietnamese date counts, not the UTC one", time.Date(2026, 1, 4, 17, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.day); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", show(tt.day), got, tt.want)
			}
		})
	}
}

func TestUnconfirmed(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		day  time.Time
		want bool
	}{
		{"a listed unconfirmed day is unconfirmed", day(2026, 11, 24), true},
		{"an announced holiday is confirmed", day(2026, 9, 2), false},
		{"an ordinary day of a year with data is confirmed", day(2026, 3, 9), false},
		{"any day of a year not yet announced is unconfirmed", day(2027, 3, 9), true},
		{"any day of a year without data is unconfirmed", day(2031, 3, 11), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Unconfirmed(tt.day); got != tt.want {
				t.Errorf("Unconfirmed(%s) = %v, want %v", show(tt.day), got, tt.want)
			}
		})
	}
}

func TestProvisional(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		from, to time.Time
		want     bool
	}{
		{"a span of confirmed days is final", at(2026, 11, 16, 9, 0), at(2026, 11, 23, 17, 0), false},
		{"a span across 24 November 2026 is provisional", at(2026, 11, 20, 9, 0), at(2026, 11, 25, 9, 0), true},
		{"a span into 2027 is provisional", at(2026, 12, 28, 9, 0), at(2027, 1, 4, 9, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Provisional(tt.from, tt.to); got != tt.want {
				t.Errorf("Provisional(%s, %s) = %v, want %v", show(tt.from), show(tt.to), got, tt.want)
			}
		})
	}
}

// The embedded data is what ships: every year must say where it comes from.
func TestEmbeddedYearsNameTheirSource(t *testing.T) {
	var raw map[string]yearFile
	if _, err := toml.Decode(string(embedded), &raw); err != nil {
		t.Fatal(err)
	}
	for _, year := range []string{"2025", "2026", "2027"} {
		if y, ok := raw[year]; !ok || strings.TrimSpace(y.Source) == "" {
			t.Errorf("embedded year %s: missing or without source", year)
		}
	}
}
