package main

import (
	"context"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"motcua/internal/app"
	"motcua/internal/workday"
)

// recountDue moves the due dates that the calendar loaded at start-up counts
// differently from the stored ones: an administrator entered or confirmed a
// year's schedule in $MOTCUA_DATA_DIR/calendar.toml and restarted the portal
// (docs/domain.md, "Working days"). It counts them only when the calendar
// (its fingerprint: the tables, the office hours and the counting rules)
// differs from the one the store last counted every running dossier with,
// so a restart with the same calendar is ready at once however many
// dossiers run. The event note is in Vietnamese, the language of the
// dossier's record. A failure is logged, never fatal: the next start-up
// tries again, as the fingerprint is recorded only after a whole pass.
func recountDue(ctx context.Context, e *app.App) {
	fp := e.Calendar.Fingerprint()
	last, err := e.DB.RecountedCalendar(ctx)
	if err != nil {
		e.Log.Error("read the calendar the due dates were counted with", "err", err)
	}
	if err == nil && last == fp {
		return
	}
	vi := e.Text.For("vi")
	note := func(previous, due time.Time) string {
		return vi.T("dossier.event.due_moved", "Previous", vi.DateTime(previous), "Due", vi.DateTime(due))
	}
	r, err := e.Dossiers.RecountDue(ctx, note)
	if err != nil {
		e.Log.Error("recount due dates with the working-day calendar", "err", err, "moved", r.Moved)
		return
	}
	if r.Moved > 0 {
		e.Log.Info("due dates moved by the working-day calendar", "checked", r.Checked, "moved", r.Moved)
	}
	if err := e.DB.SetRecountedCalendar(ctx, fp); err != nil {
		e.Log.Error("record the calendar the due dates were counted with", "err", err)
	}
}

// calendarNotice is what the desk tells administrators: the years whose
// schedule is still to enter or confirm, and the file to edit.
type calendarNotice struct {
	Years []workday.YearInfo
	File  string // the override to edit, absolute
}

// calendarNoticeAt returns the notice due at now, or nil. From 1 October it
// names next year unless it is entered and confirmed; all year long it names
// the current year while it has no table or only a forecast (a forecast that
// nobody confirmed before New Year).
func calendarNoticeAt(cal *workday.Calendar, dataDir string, now time.Time) *calendarNotice {
	local := now.In(workday.Location())
	var years []workday.YearInfo
	if this := cal.Year(local.Year()); this.Status == workday.Missing || this.Status == workday.Unannounced {
		years = append(years, this)
	}
	if next := cal.Year(local.Year() + 1); local.Month() >= time.October && next.Status.NeedsAttention() {
		years = append(years, next)
	}
	if len(years) == 0 {
		return nil
	}
	file, err := filepath.Abs(filepath.Join(dataDir, "calendar.toml"))
	if err != nil {
		file = filepath.Join(dataDir, "calendar.toml")
	}
	return &calendarNotice{Years: years, File: file}
}

// calendarCollector exposes, at each scrape, the years the calendar covers:
// motcua_calendar_year_info{year, status} is 1 for every year with a table
// and for the current and next years, whatever their status.
type calendarCollector struct {
	cal  *workday.Calendar
	now  func() time.Time
	desc *prometheus.Desc
}

func newCalendarCollector(cal *workday.Calendar, now func() time.Time) *calendarCollector {
	return &calendarCollector{cal: cal, now: now, desc: prometheus.NewDesc("motcua_calendar_year_info",
		"Working-day schedule of a year: confirmed, partly_unconfirmed, unannounced or missing (fixed holidays only).",
		[]string{"year", "status"}, nil)}
}

func (c *calendarCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *calendarCollector) Collect(ch chan<- prometheus.Metric) {
	this := c.now().In(workday.Location()).Year()
	years := map[int]bool{this: true, this + 1: true}
	for _, y := range c.cal.Tables() {
		years[y] = true
	}
	for y := range years {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, 1,
			strconv.Itoa(y), string(c.cal.Year(y).Status))
	}
}
