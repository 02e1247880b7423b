package workday

import (
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		received time.Time
		days     int
		want     time.Time
	}{
		// By hand: Tue 10:00–11:30 and 13:30–17:00 is 5 h; Wed and Thu add 8 h each
		// (21 h); the 3 h left of 24 h run Fri 07:00–10:00.
		{"received Tuesday 10:00 with 3 days is due Friday 10:00",
			at(2026, 3, 10, 10, 0), 3, at(2026, 3, 13, 10, 0)},
		// By hand: Wed 29 Apr gives 5 h; Thu 30 Apr and Fri 1 May are holidays,
		// then the weekend; Mon 4 and Tue 5 May add 16 h (21 h); 3 h more is
		// Wed 6 May 10:00.
		{"received the day before 30 April with 3 days skips the holidays",
			at(2026, 4, 29, 10, 0), 3, at(2026, 5, 6, 10, 0)},
		// By hand: lunch does not run, the clock starts at 13:30; 3.5 h that
		// afternoon and the 4.5 h of the next morning make 8 h at 11:30 sharp,
		// which is the close of the morning, not the reopening at 13:30.
		{"received at lunch starts at 13:30 and is due at the next day's 11:30",
			at(2026, 3, 10, 12, 0), 1, at(2026, 3, 11, 11, 30)},
		{"received at 18:00 starts the next morning",
			at(2026, 3, 10, 18, 0), 1, at(2026, 3, 11, 17, 0)},
		{"received on Saturday starts on Monday morning",
			at(2026, 3, 14, 9, 0), 1, at(2026, 3, 16, 17, 0)},
		{"received at the opening with 1 day is due at that day's close",
			at(2026, 3, 10, 7, 0), 1, at(2026, 3, 10, 17, 0)},
		{"received Friday before the make-up Saturday is due on that Saturday",
			at(2026, 1, 9, 10, 0), 1, at(2026, 1, 10, 10, 0)},
		{"received on New Year's Eve is due after the four days off",
			at(2025, 12, 31, 10, 0), 1, at(2026, 1, 5, 10, 0)},
		{"received the Friday before Tết with 1 day is due the Monday after",
			at(2026, 2, 13, 10, 0), 1, at(2026, 2, 23, 10, 0)},
		// Thu 14:00–17:00 is 3 h, Fri 8 h; 14–22 February are off; Mon, Tue and
		// Wed add 24 h (35 h); the last 5 h are Thu 07:00–11:30 and 13:30–14:00.
		{"5 days spanning Tết run to the Thursday after",
			at(2026, 2, 12, 14, 0), 5, at(2026, 2, 26, 14, 0)},
		{"received during Tết 2025 starts on Monday 3 February",
			at(2025, 1, 29, 9, 0), 2, at(2025, 2, 4, 17, 0)},
		{"New Year's Day 2027 is skipped",
			at(2026, 12, 31, 10, 0), 1, at(2027, 1, 4, 10, 0)},

		{"same-day received before 15:00 is due at the close",
			at(2026, 3, 10, 14, 59), 0, at(2026, 3, 10, 17, 0)},
		{"same-day received at 15:00 sharp is still due that day",
			at(2026, 3, 10, 15, 0), 0, at(2026, 3, 10, 17, 0)},
		{"same-day received after 15:00 is due at the next day's close",
			at(2026, 3, 10, 15, 1), 0, at(2026, 3, 11, 17, 0)},
		{"same-day received at lunch starts at 13:30 and is due that day",
			at(2026, 3, 10, 12, 0), 0, at(2026, 3, 10, 17, 0)},
		{"same-day received before opening is due that day",
			at(2026, 3, 10, 6, 30), 0, at(2026, 3, 10, 17, 0)},
		{"same-day received after closing is due at the next day's close",
			at(2026, 3, 10, 18, 0), 0, at(2026, 3, 11, 17, 0)},
		{"same-day received on Saturday is due Monday at the close",
			at(2026, 3, 14, 9, 0), 0, at(2026, 3, 16, 17, 0)},
		{"same-day received on a holiday is due at the next working day's close",
			at(2026, 4, 30, 9, 0), 0, at(2026, 5, 4, 17, 0)},
		{"same-day received the Friday before Tết after 15:00 is due after Tết",
			at(2026, 2, 13, 16, 0), 0, at(2026, 2, 23, 17, 0)},
		{"negative days count as same-day",
			at(2026, 3, 10, 10, 0), -2, at(2026, 3, 10, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(tt.received, tt.days)
			if !got.Equal(tt.want) {
				t.Errorf("Due(%s, %d) = %s, want %s", show(tt.received), tt.days, show(got), show(tt.want))
			}
			if got.Location() != time.UTC {
				t.Errorf("Due returned location %s, want UTC", got.Location())
			}
		})
	}
}

func TestDueWithPauses(t *testing.T) {
	c := Default()
	received := at(2026, 3, 10, 10, 0) // 3 days: due Fri 13 March 10:00
	tests := []struct {
		name   string
		pauses []Pause
		want   time.Time
	}{
		{"no pause keeps the due date", nil, at(2026, 3, 13, 10, 0)},
		// By hand: waiting Wed 09:00 to Mon 09:00 is 6 h + 8 h + 8 h + 2 h = 24 h
		// of office time, 3 working days. Counted the other way: 7 h ran before the
		// pause (Tue 5 h, Wed 2 h); 17 h remain from Mon 09:00: Mon 6 h, Tue 8 h,
		// Wed 07:00–10:00.
		{"waiting three working days for a supplement moves the due date three days",
			[]Pause{{From: at(2026, 3, 11, 9, 0), To: at(2026, 3, 16, 9, 0)}}, at(2026, 3, 18, 10, 0)},
		{"waiting 2 office hours moves the due date 2 office hours",
			[]Pause{{From: at(2026, 3, 11, 14, 0), To: at(2026, 3, 11, 16, 0)}}, at(2026, 3, 13, 14, 0)},
		{"waiting only over the weekend does not move the due date",
			[]Pause{{From: at(2026, 3, 13, 17, 0), To: at(2026, 3, 16, 7, 0)}}, at(2026, 3, 13, 10, 0)},
		{"overlapping pauses count each moment once",
			[]Pause{
				{From: at(2026, 3, 11, 14, 0), To: at(2026, 3, 11, 16, 0)},
				{From: at(2026, 3, 11, 15, 0), To: at(2026, 3, 11, 16, 0)},
			}, at(2026, 3, 13, 14, 0)},
		{"a pause starting before reception counts from reception",
			[]Pause{{From: at(2026, 3, 9, 7, 0), To: at(2026, 3, 10, 11, 0)}}, at(2026, 3, 13, 11, 0)},
		{"a pause ending before it starts is ignored",
			[]Pause{{From: at(2026, 3, 11, 16, 0), To: at(2026, 3, 11, 14, 0)}}, at(2026, 3, 13, 10, 0)},
		{"a pause still open gives no due date",
			[]Pause{{From: at(2026, 3, 11, 9, 0)}}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.DueWithPauses(received, 3, tt.pauses)
			if !got.Equal(tt.want) {
				t.Errorf("DueWithPauses = %s, want %s", show(got), show(tt.want))
			}
		})
	}
}

func TestDueWithPausesSameDay(t *testing.T) {
	c := Default()
	// Same-day, received 10:00, due 17:00; it waited 16:00 to 08:00 the next
	// morning: 1 h that day, 1 h the next, so it is due at 09:00 the next day.
	got := c.DueWithPauses(at(2026, 3, 10, 10, 0), 0,
		[]Pause{{From: at(2026, 3, 10, 16, 0), To: at(2026, 3, 11, 8, 0)}})
	if want := at(2026, 3, 11, 9, 0); !got.Equal(want) {
		t.Errorf("DueWithPauses = %s, want %s", show(got), show(want))
	}
}

// The rules as written make a same-day procedure received after 15:00 due later
// than a 1-day one received at the same moment: the same-day rule gives the whole
// next working day, the 1-day rule exactly 8 office hours. Pinned so that a
// change of either rule is a decision, not an accident.
func TestDueSameDayAfterCutoff(t *testing.T) {
	c := Default()
	received := at(2026, 3, 10, 16, 0)
	sameDay, oneDay := c.Due(received, 0), c.Due(received, 1)
	if want := at(2026, 3, 11, 17, 0); !sameDay.Equal(want) {
		t.Errorf("same-day Due = %s, want %s", show(sameDay), show(want))
	}
	if want := at(2026, 3, 11, 16, 0); !oneDay.Equal(want) {
		t.Errorf("1-day Due = %s, want %s", show(oneDay), show(want))
	}
}
