package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/feedback"
	"motcua/internal/rating"
	"motcua/internal/workday"
)

// defaultPeriodDays is the period /satisfaction shows without from and to.
const defaultPeriodDays = 90

// maxPeriodDays bounds one request's period.
const maxPeriodDays = 3 * 366

func requiredField(name string) error {
	return apperr.Fields([]apperr.FieldError{{Field: name, MessageID: "error.field.required"}})
}

// period reads from and to (local dates, both included) into [from, to+1
// day); without them, the last defaultPeriodDays days up to today.
func (s *server) period(c *fiber.Ctx) (from, to time.Time, err error) {
	loc := workday.Location()
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	to, from = today, today.AddDate(0, 0, 1-defaultPeriodDays)
	var bad []apperr.FieldError
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		raw := strings.TrimSpace(c.Query(p.name))
		if raw == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, raw, loc)
		if err != nil {
			bad = append(bad, apperr.FieldError{Field: p.name, MessageID: "satisfaction.error.date"})
			continue
		}
		*p.dst = d
	}
	if len(bad) == 0 && to.Before(from) {
		bad = append(bad, apperr.FieldError{Field: "to", MessageID: "satisfaction.error.order"})
	}
	if len(bad) == 0 && to.Sub(from) > maxPeriodDays*24*time.Hour {
		bad = append(bad, apperr.FieldError{Field: "from", MessageID: "satisfaction.error.too_long",
			Params: map[string]any{"Max": maxPeriodDays}})
	}
	if len(bad) > 0 {
		return time.Time{}, time.Time{}, apperr.Fields(bad)
	}
	return from, to.AddDate(0, 0, 1), nil
}

// figureJSON is one satisfaction figure: percent is null without ratings.
type figureJSON struct {
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	Kind      string   `json:"kind,omitempty"`
	Ratings   int      `json:"ratings"`
	Satisfied int      `json:"satisfied"`
	Percent   *float64 `json:"percent"`
}

type feedbackStatsJSON struct {
	Received       int      `json:"received"`
	Answered       int      `json:"answered"`
	AnsweredOnTime int      `json:"answered_on_time"`
	OnTimePercent  *float64 `json:"on_time_percent"`
	Overdue        int      `json:"overdue"`
	Satisfied      int      `json:"satisfied"`
	Unsatisfied    int      `json:"unsatisfied"`
}

type satisfactionJSON struct {
	Unit     string            `json:"unit"`
	From     string            `json:"from"`
	To       string            `json:"to"`
	Total    figureJSON        `json:"total"`
	Units    []figureJSON      `json:"units"`
	Services []figureJSON      `json:"services"`
	Counters []figureJSON      `json:"counters"`
	Feedback feedbackStatsJSON `json:"feedback"`
}

func percentOf(ok bool, p float64) *float64 {
	if !ok {
		return nil
	}
	r := float64(int(p*10+0.5)) / 10
	return &r
}

// satisfaction computes the public figures of a request's period and unit.
func (s *server) satisfaction(c *fiber.Ctx) (satisfactionJSON, error) {
	from, to, err := s.period(c)
	if err != nil {
		return satisfactionJSON{}, err
	}
	unitCode := strings.TrimSpace(c.Query("unit"))
	if unitCode != "" {
		if _, err := s.units.Get(c.UserContext(), unitCode); err != nil {
			if apperr.IsNotFound(err) {
				return satisfactionJSON{}, apperr.Fields([]apperr.FieldError{{Field: "unit", MessageID: "feedback.error.unit"}})
			}
			return satisfactionJSON{}, err
		}
	}
	ctx := c.UserContext()
	fig, err := s.ratings.Figures(ctx, rating.StatsQuery{Unit: unitCode, From: from, To: to})
	if err != nil {
		return satisfactionJSON{}, err
	}
	fs, err := s.feedback.Stats(ctx, feedback.StatsQuery{Unit: unitCode, From: from, To: to})
	if err != nil {
		return satisfactionJSON{}, err
	}
	names := s.figureNames(ctx, langOf(c))
	out := satisfactionJSON{Unit: unitCode, From: from.Format(time.DateOnly), To: to.AddDate(0, 0, -1).Format(time.DateOnly),
		Total: figureOut(fig.Total, "", s.tr(c).T("satisfaction.total")), Units: []figureJSON{}, Services: []figureJSON{}, Counters: []figureJSON{}}
	for _, st := range fig.Units {
		out.Units = append(out.Units, figureOut(st, st.Key, names.unit(st.Key)))
	}
	for _, st := range fig.Services {
		out.Services = append(out.Services, figureOut(st, st.Key, names.service(st)))
	}
	for _, st := range fig.Counters {
		out.Counters = append(out.Counters, figureOut(st, st.Key, names.counter(st.Key)))
	}
	p, ok := fs.OnTimePercent()
	out.Feedback = feedbackStatsJSON{Received: fs.Received, Answered: fs.Answered, AnsweredOnTime: fs.AnsweredOnTime,
		OnTimePercent: percentOf(ok, p), Overdue: fs.Overdue, Satisfied: fs.Satisfied, Unsatisfied: fs.Unsatisfied}
	return out, nil
}

func figureOut(st rating.Stat, key, name string) figureJSON {
	p, ok := st.Percent()
	return figureJSON{Key: key, Name: name, Kind: string(st.Kind), Ratings: st.Ratings, Satisfied: st.Satisfied, Percent: percentOf(ok, p)}
}

// figureNamer names the units, services and counters of the figures.
type figureNamer struct {
	units    map[string]string
	services map[string]string // queue service code → name
	counters map[string]string // counter id → "office · counter"
	proc     func(code string) string
}

func (n figureNamer) unit(code string) string {
	if v := n.units[code]; v != "" {
		return v
	}
	return code
}

func (n figureNamer) service(st rating.Stat) string {
	if st.Kind == rating.KindDossier {
		return n.proc(st.Key)
	}
	if v := n.services[st.Key]; v != "" {
		return v
	}
	return st.Key
}

func (n figureNamer) counter(id string) string {
	if v := n.counters[id]; v != "" {
		return v
	}
	return id
}

// figureNames loads the names once per request; a name that cannot be
// loaded is shown as its code.
func (s *server) figureNames(ctx context.Context, lang string) figureNamer {
	n := figureNamer{units: map[string]string{}, services: map[string]string{}, counters: map[string]string{},
		proc: func(code string) string {
			if p, err := s.catalog.Get(code); err == nil {
				return p.LocalName(lang)
			}
			return code
		}}
	if units, err := s.units.List(ctx); err == nil {
		for _, u := range units {
			n.units[u.Code] = u.Name
		}
	}
	if layouts, err := s.queue.Offices(ctx); err == nil {
		for _, l := range layouts {
			for _, sv := range l.Services {
				n.services[sv.Code] = sv.Name(lang)
			}
			for _, ct := range l.Counters {
				n.counters[strconv.FormatInt(ct.ID, 10)] = l.Office.Name + " · " + ct.Name
			}
		}
	}
	return n
}

// apiSatisfaction is GET /api/v1/satisfaction?unit=&from=&to=.
func (s *server) apiSatisfaction(c *fiber.Ctx) error {
	out, err := s.satisfaction(c)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// PercentText is the percentage for pages, "" without ratings.
func (f figureJSON) PercentText() string {
	if f.Percent == nil {
		return ""
	}
	return strconv.FormatFloat(*f.Percent, 'f', 1, 64)
}

// OnTimeText is the share answered on time for pages, "" without feedback.
func (f feedbackStatsJSON) OnTimeText() string {
	if f.OnTimePercent == nil {
		return ""
	}
	return strconv.FormatFloat(*f.OnTimePercent, 'f', 1, 64)
}
