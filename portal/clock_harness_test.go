package main

import (
	"context"
	"testing"
	"time"

	"motcua/internal/app"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/workday"
)

// inOpenHours is a key of a test portal's environment that only the test
// harness reads: the portal then runs on a clock that starts at 09:00 (or
// the HH:MM the key holds) on the next weekday that is not a holiday and
// moves on in real time, so that its queue offices (default hours) issue
// numbers whenever the tests run, or are closed at 21:01.
const inOpenHours = "TEST_CLOCK_IN_OPEN_HOURS"

func inOpenHoursClock(at string) func() time.Time {
	cal, loc := workday.Default(), workday.Location()
	now := time.Now().In(loc)
	hh, mm := 9, 0
	if t, err := time.Parse("15:04", at); err == nil {
		hh, mm = t.Hour(), t.Minute()
	}
	day := time.Date(now.Year(), now.Month(), now.Day()+1, hh, mm, 0, 0, loc)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday || cal.DayOff(day) {
		day = day.AddDate(0, 0, 1)
	}
	start := time.Now()
	return func() time.Time { return day.Add(time.Since(start)) }
}

// harnessContext is the context a test portal runs under.
func harnessContext(ctx context.Context, vars map[string]string) context.Context {
	if vars[inOpenHours] != "" {
		return withAppOptions(ctx, app.WithClock(inOpenHoursClock(vars[inOpenHours])))
	}
	return ctx
}

// openAllDay gives an office the hours "00:00-24:00" every day, for a test
// that runs a portal process on the real clock (the running portal reads
// offices from the store on every request). Public holidays still close
// it: such a test cannot run on one.
func openAllDay(t *testing.T, dbURL, office string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := queue.NewManager(db, nil, time.Now, nil)
	o, err := m.Office(ctx, office)
	if err != nil {
		t.Fatal(err)
	}
	o.Hours, o.LastTicketMinutes = queue.AlwaysOpen(), 0
	if _, err := m.UpdateOffice(ctx, staff.Operator(), o); err != nil {
		t.Fatal(err)
	}
}
