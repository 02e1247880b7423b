package workday

import (
	"testing"
	"time"
)

// The Labour Code's fixed holidays in years that have no table at all. The
// weekdays were checked by hand: 1 January 2028 is a Saturday, 30 April 2033 a
// Saturday, 2 September 2029 a Sunday, 2 September 2031 a Tuesday.
func TestFixedHolidaysWithoutTable(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		day  time.Time
		want bool
	}{
		{"2031 New Year's Day (Wednesday) is off", day(2031, 1, 1), false},
		{"2031 Thursday 2 January is worked", day(2031, 1, 2), true},
		{"2031 Reunification Day 30 April is off", day(2031, 4, 30), false},
		{"2031 Labour Day 1 May is off", day(2031, 5, 1), false},
		{"2031 Friday 2 May is worked", day(2031, 5, 2), true},
		{"2031 Monday 1 September, next to National Day, is off", day(2031, 9, 1), false},
		{"2031 National Day 2 September is off", day(2031, 9, 2), false},
		{"2031 Wednesday 3 September is worked", day(2031, 9, 3), true},
		{"2031 has no Tết: a weekday in February is worked", day(2031, 1, 23), true},

		{"2028 New Year's Day on Saturday is made up on Monday 3 January", day(2028, 1, 3), false},
		{"2028 Tuesday 4 January is worked", day(2028, 1, 4), true},

		{"2033 30 April on Saturday is made up on Monday 2 May", day(2033, 5, 2), false},
		{"2033 1 May on Sunday is made up on Tuesday 3 May", day(2033, 5, 3), false},
		{"2033 Wednesday 4 May is worked", day(2033, 5, 4), true},

		{"2029 Saturday 1 September is made up on Monday 3 September", day(2029, 9, 3), false},
		{"2029 Sunday 2 September is made up on Tuesday 4 September", day(2029, 9, 4), false},
		{"2029 Wednesday 5 September is worked", day(2029, 9, 5), true},

		{"2032 National Day on Thursday takes Friday 3 September", day(2032, 9, 3), false},
		{"2032 Wednesday 1 September is then worked", day(2032, 9, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.day); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", show(tt.day), got, tt.want)
			}
		})
	}
}

// A table that already lists its make-up days gets no second one, a table
// that chooses the other day next to 2 September keeps its choice, and a
// table that forgets a fixed holiday still has it.
func TestFixedHolidaysWithTable(t *testing.T) {
	c, err := Load(writeOverride(t, `
[2022]
source = "30 Apr and 1 May on the weekend, made up on Mon 2 and Tue 3 May"
announced = true
off = ["2022-01-01", "2022-01-03", "2022-04-30", "2022-05-01", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02"]

[2021]
source = "National Day on Thu 2 Sep with Fri 3 Sep"
announced = true
off = ["2021-09-02", "2021-09-03"]

[2023]
source = "Sat 2 Sep with Fri 1 Sep, made up on Mon 4 Sep; New Year forgotten"
announced = true
off = ["2023-09-01", "2023-09-02", "2023-09-03", "2023-09-04"]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		day  time.Time
		want bool
	}{
		{"2022 the listed make-up Tuesday 3 May is off", day(2022, 5, 3), false},
		{"2022 Wednesday 4 May gets no second make-up", day(2022, 5, 4), true},
		{"2022 the listed make-up Monday 3 January is off", day(2022, 1, 3), false},
		{"2022 Tuesday 4 January is worked", day(2022, 1, 4), true},
		{"2021 Friday 3 September, chosen by the table, is off", day(2021, 9, 3), false},
		{"2021 Wednesday 1 September is then worked", day(2021, 9, 1), true},
		{"2023 the listed make-up Monday 4 September is off", day(2023, 9, 4), false},
		{"2023 Tuesday 5 September gets no second make-up", day(2023, 9, 5), true},
		{"2023 New Year's Day, forgotten by the table, is made up on Monday 2 January", day(2023, 1, 2), false},
		{"2023 Reunification Day, forgotten by the table, is off anyway", day(2023, 5, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.day); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", show(tt.day), got, tt.want)
			}
		})
	}
}

func TestYearStatus(t *testing.T) {
	c := Default()
	for _, tt := range []struct {
		year int
		want YearStatus
	}{
		{2025, Confirmed},
		{2026, PartlyUnconfirmed},
		{2027, Unannounced},
		{2031, Missing},
	} {
		if got := c.Year(tt.year).Status; got != tt.want {
			t.Errorf("Year(%d).Status = %s, want %s", tt.year, got, tt.want)
		}
	}
	if got := c.Year(2026).Unconfirmed; len(got) != 1 || !got[0].Equal(at(2026, 11, 24, 0, 0)) {
		t.Errorf("Year(2026).Unconfirmed = %v, want [24/11/2026]", got)
	}
	if got, want := c.Tables(), []int{2025, 2026, 2027}; len(got) != len(want) || got[0] != 2025 || got[2] != 2027 {
		t.Errorf("Tables() = %v, want %v", got, want)
	}
}

// Deadlines into 2027 as entered, and in 2031, which has no table.
func TestDueAcrossYears(t *testing.T) {
	c := Default()
	tests := []struct {
		name        string
		received    time.Time
		days        int
		want        time.Time
		provisional bool
	}{
		// By hand: Tue 1 Dec 08:00 gives 7 h; the 22 other working days of
		// December 176 h (183 h); Fri 1 Jan is off; Mon 4 and Tue 5 Jan add
		// 16 h (199 h); the last hour is Wed 6 Jan 07:00–08:00.
		{"25 days from 1 December 2026 skip New Year's Day 2027",
			at(2026, 12, 1, 8, 0), 25, at(2027, 1, 6, 8, 0), true},
		// Thu 4 Feb 10:00 gives 5 h; Fri 5 to Thu 11 Feb are off; 3 h more is
		// Fri 12 Feb 10:00.
		{"1 day from the day before Tết 2027 ends after it",
			at(2027, 2, 4, 10, 0), 1, at(2027, 2, 12, 10, 0), true},
		// Wed 3 and Thu 4 Feb give 16 h; the last 8 h are Fri 12 Feb.
		{"3 days across Tết 2027 end on the Friday after",
			at(2027, 2, 3, 7, 0), 3, at(2027, 2, 12, 17, 0), true},
		// Thu 15 Apr 07:00 gives 8 h, Fri 16 Apr is Hùng Kings' day, Mon 19 Apr 8 h.
		{"2 days across Hùng Kings' day 2027 end on Monday",
			at(2027, 4, 15, 7, 0), 2, at(2027, 4, 19, 17, 0), true},
		// Tue 29 Apr 2031 8 h; 30 Apr and 1 May off; Fri 2 May 8 h; Mon 5 May 8 h.
		{"3 days in 2031 skip 30 April and 1 May",
			at(2031, 4, 29, 7, 0), 3, at(2031, 5, 5, 17, 0), true},
		// Fri 29 Aug 2031 8 h; Mon 1 and Tue 2 Sep off; Wed 3 Sep 8 h.
		{"2 days in 2031 skip National Day and the day before it",
			at(2031, 8, 29, 7, 0), 2, at(2031, 9, 3, 17, 0), true},
		{"a deadline within confirmed 2025 is final",
			at(2025, 3, 3, 7, 0), 3, at(2025, 3, 5, 17, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(tt.received, tt.days)
			if !got.Equal(tt.want) {
				t.Errorf("Due(%s, %d) = %s, want %s", show(tt.received), tt.days, show(got), show(tt.want))
			}
			if p := c.Provisional(tt.received, got); p != tt.provisional {
				t.Errorf("Provisional = %v, want %v", p, tt.provisional)
			}
		})
	}
}
