package kiosk

import (
	"fmt"
	"html/template"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/i18n"
	"motcua/internal/queue"
)

type serviceRow struct {
	Name                          string
	Issued, Served, NoShows, Left int
	AvgWait, LongWait             string
}

type counterRow struct {
	Name            string
	Served, NoShows int
	AvgService      string
}

type hourRow struct {
	Hour  string
	Count int
}

type summaryData struct {
	Office    officeView
	Day       string // YYYY-MM-DD, for the date field
	DayText   string // dd/mm/yyyy
	Services  []serviceRow
	Total     serviceRow
	Counters  []counterRow
	Hours     []hourRow
	WaitChart template.HTML
	HourChart template.HTML
	Action    string
}

// summary is the office head's day: tickets per service, average and longest
// wait, service time per counter and no-shows, as tables and charts.
func (h *handlers) summary(c *fiber.Ctx) error {
	office := c.Params("office")
	day := c.Query("day")
	if day == "" {
		day = queue.Day(h.d.Now())
	}
	s, err := h.q.Summary(c.UserContext(), h.actorOf(c), office, day)
	if err != nil {
		return err
	}
	o := s.Layout.Office
	t := h.tr(c)
	data := summaryOf(t, s)
	data.Action = "/desk/offices/" + url.PathEscape(o.Code) + "/summary"
	title := t.T("kiosk.summary.title", "Office", o.Name, "Day", data.DayText)
	return h.render(c, page{name: "summary", title: title, staff: true}, data)
}

func summaryOf(t *i18n.Translator, s queue.Summary) summaryData {
	o := s.Layout.Office
	d := summaryData{Office: viewOffice(o), Day: s.Day}
	if start, err := queue.DayStart(s.Day); err == nil {
		d.DayText = t.Date(start)
	}
	var waits []barRow
	for _, sd := range s.Services {
		d.Services = append(d.Services, serviceRowOf(t, sd, sd.Service.Prefix+" · "+sd.Service.Name(t.Lang)))
		if sd.AvgWait == 0 && sd.LongWait == 0 {
			continue // nobody called yet: no bar, the table says "–"
		}
		waits = append(waits, barRow{Label: sd.Service.Prefix + " · " + sd.Service.Name(t.Lang),
			Values: []float64{sd.AvgWait.Minutes(), sd.LongWait.Minutes()}})
	}
	d.Total = serviceRowOf(t, s.Total, t.T("kiosk.summary.total"))
	for _, cd := range s.Counters {
		d.Counters = append(d.Counters, counterRow{Name: cd.Counter.Name, Served: cd.Served, NoShows: cd.NoShows,
			AvgService: duration(t, cd.AvgService, cd.Served > 0)})
	}
	var hours []barRow
	for hr, n := range s.Hourly {
		if n > 0 {
			label := fmt.Sprintf("%02d:00–%02d:00", hr, hr+1)
			d.Hours = append(d.Hours, hourRow{Hour: label, Count: n})
			hours = append(hours, barRow{Label: label, Values: []float64{float64(n)}})
		}
	}
	minutes := func(v float64) string {
		if v < 1 {
			return t.N("kiosk.summary.seconds", int(v*60+0.5))
		}
		return t.N("kiosk.summary.minutes", int(v+0.5))
	}
	d.WaitChart = barChart(t.T("kiosk.summary.chart.waits"), waits, []string{"s-bar", "s-bar-long"}, minutes)
	d.HourChart = barChart(t.T("kiosk.summary.chart.hours"), hours, []string{"s-bar"}, func(v float64) string { return fmt.Sprint(int(v)) })
	return d
}

func serviceRowOf(t *i18n.Translator, sd queue.ServiceDay, name string) serviceRow {
	waited := sd.Served+sd.NoShows > 0 || sd.AvgWait > 0
	return serviceRow{Name: name, Issued: sd.Issued, Served: sd.Served, NoShows: sd.NoShows, Left: sd.Left,
		AvgWait: duration(t, sd.AvgWait, waited), LongWait: duration(t, sd.LongWait, waited)}
}

// duration writes a wait or a visit as minutes and seconds; "–" when nothing
// was measured.
func duration(t *i18n.Translator, d time.Duration, measured bool) string {
	if !measured {
		return "–"
	}
	d = d.Round(time.Second)
	if d < time.Minute {
		return t.N("kiosk.summary.seconds", int(d/time.Second))
	}
	return t.T("kiosk.summary.duration", "Min", int(d/time.Minute), "Sec", int(d%time.Minute/time.Second))
}
