package main

import (
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/catalog"
	"motcua/internal/scorecard"
	"motcua/internal/unit"
)

// scorecardView is what /scorecard shows: the unit's card, the ranking of
// the units of its level and the monthly trend, each as an SVG chart with
// its numbers in a table.
type scorecardView struct {
	Units      []unit.Unit
	Unit       string
	From, To   string
	Shown      string // the period as people read it
	Card       cardJSON
	Bars       template.HTML
	Ranking    []rankJSON
	RankingSVG template.HTML
	Trend      []trendRow
	TrendSVG   template.HTML
	CSV        template.URL // the card and the ranking as CSV
	RankingCSV template.URL
}

type trendRow struct {
	Month     string
	Total     float64
	GradeName string
	NoData    int
}

// scorecardUnit is the unit asked for, else the first district, else the
// first unit.
func scorecardUnit(units []unit.Unit, asked string) string {
	if asked != "" {
		return asked
	}
	for _, u := range units {
		if u.Level == catalog.LevelDistrict {
			return u.Code
		}
	}
	if len(units) > 0 {
		return units[0].Code
	}
	return ""
}

// pageScorecard is GET /scorecard?unit=&from=&to=.
func (s *server) pageScorecard(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), s.tr(c)
	p, err := scorecard.ParsePeriod(c.Query("from"), c.Query("to"), s.now())
	if err != nil {
		return err
	}
	units, err := s.units.List(ctx)
	if err != nil {
		return err
	}
	v := scorecardView{Units: units, Unit: scorecardUnit(units, c.Query("unit")), From: p.FromDate(), To: p.ToDate()}
	if v.Unit == "" {
		return s.render(c, "scorecard", t.T("scorecard.page.title"), v)
	}
	card, err := s.scorecard.Card(ctx, v.Unit, p)
	if err != nil {
		return err
	}
	w := s.scorecard.Weights()
	v.Card = toCardJSON(card, w, t)
	v.Shown = t.T("scorecard.page.period", "From", shownDate(v.From), "To", shownDate(v.To))
	bars := []scoreBar{{Label: t.T("scorecard.page.total"), Score: card.Total, Max: 100, Mark: true}}
	for _, comp := range v.Card.Components {
		bars = append(bars, scoreBar{Label: comp.Name, Score: comp.Score, Max: comp.Max})
	}
	v.Bars = barsSVG(t.T("scorecard.page.chart.groups", "Unit", card.UnitName), bars)

	ranks, err := s.scorecard.Ranking(ctx, card.Level, p)
	if err != nil {
		return err
	}
	v.Ranking = toRanksJSON(ranks, t)
	var rankBars []scoreBar
	for _, r := range v.Ranking {
		rankBars = append(rankBars, scoreBar{Label: r.UnitName, Score: r.Total, Max: 100, Mark: r.Unit == card.Unit})
	}
	v.RankingSVG = barsSVG(t.T("scorecard.page.chart.ranking"), rankBars)

	trend, err := s.scorecard.Trend(ctx, v.Unit, p)
	if err != nil {
		return err
	}
	var pts []linePoint
	for _, m := range trend {
		label := m.From[5:7] + "/" + m.From[:4]
		v.Trend = append(v.Trend, trendRow{Month: label, Total: round4(m.Total), GradeName: t.T("scorecard.grade." + m.Grade), NoData: m.NoData})
		pts = append(pts, linePoint{Label: label, Value: m.Total})
	}
	v.TrendSVG = lineSVG(t.T("scorecard.page.chart.trend", "Unit", card.UnitName), pts)
	q := url.Values{"unit": {v.Unit}, "from": {v.From}, "to": {v.To}}
	q.Set("format", "csv")
	v.CSV = template.URL("/api/v1/scorecard?" + q.Encode())
	v.RankingCSV = template.URL("/api/v1/scorecard/ranking?" + url.Values{"level": {string(card.Level)}, "from": {v.From},
		"to": {v.To}, "format": {"csv"}}.Encode())
	return s.render(c, "scorecard", t.T("scorecard.page.title"), v)
}

// shownDate writes a YYYY-MM-DD date as dd/mm/yyyy (docs/domain.md).
func shownDate(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[:4]
}
