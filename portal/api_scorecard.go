package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/catalog"
	"motcua/internal/i18n"
	"motcua/internal/scorecard"
)

// The scorecard API (docs/scorecard.md): figures are rounded to four
// decimals, so that 20 × 3/7 reads 8.5714 in every client.

type indicatorJSON struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Value       *float64 `json:"value"`
	Score       float64  `json:"score"`
	Max         float64  `json:"max"`
	Kind        string   `json:"kind"`
	Threshold   float64  `json:"threshold,omitempty"`
	Confirmed   bool     `json:"confirmed"`
	NoData      bool     `json:"no_data"`
}

type componentJSON struct {
	Key        string          `json:"key"`
	Name       string          `json:"name"`
	Score      float64         `json:"score"`
	Max        float64         `json:"max"`
	Indicators []indicatorJSON `json:"indicators"`
}

type lateApologyJSON struct {
	Name        string   `json:"name"`
	Late        int64    `json:"late"`
	WithApology int64    `json:"with_apology"`
	Value       *float64 `json:"value"`
}

type cardJSON struct {
	Unit           string          `json:"unit"`
	UnitName       string          `json:"unit_name"`
	Level          catalog.Level   `json:"level"`
	From           string          `json:"from"`
	To             string          `json:"to"`
	Version        string          `json:"version"`
	Total          float64         `json:"total"`
	Grade          string          `json:"grade"`
	GradeName      string          `json:"grade_name"`
	GradeConfirmed bool            `json:"grade_confirmed"`
	NoData         int             `json:"no_data"`
	AsOf           string          `json:"as_of"`
	Components     []componentJSON `json:"components"`
	LateApology    lateApologyJSON `json:"late_with_apology"`
}

type rankJSON struct {
	Rank       int                 `json:"rank"`
	Unit       string              `json:"unit"`
	UnitName   string              `json:"unit_name"`
	Total      float64             `json:"total"`
	Grade      string              `json:"grade"`
	GradeName  string              `json:"grade_name"`
	NoData     int                 `json:"no_data"`
	Components []rankComponentJSON `json:"components"`
}

type rankComponentJSON struct {
	Key   string  `json:"key"`
	Score float64 `json:"score"`
	Max   float64 `json:"max"`
}

type rankingJSON struct {
	Level   catalog.Level `json:"level"`
	From    string        `json:"from"`
	To      string        `json:"to"`
	Version string        `json:"version"`
	Items   []rankJSON    `json:"items"`
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func round4p(x *float64) *float64 {
	if x == nil {
		return nil
	}
	v := round4(*x)
	return &v
}

// toCardJSON names a card's parts in the reader's language.
func toCardJSON(c scorecard.Card, w *scorecard.Weights, t *i18n.Translator) cardJSON {
	g := w.Grade(c.Total)
	out := cardJSON{Unit: c.Unit, UnitName: c.UnitName, Level: c.Level, From: c.From, To: c.To, Version: c.Version,
		Total: round4(c.Total), Grade: c.Grade, GradeName: t.T("scorecard.grade." + c.Grade), GradeConfirmed: g.Confirmed,
		NoData: c.NoData, AsOf: c.AsOf.UTC().Format("2006-01-02T15:04:05Z"), Components: []componentJSON{},
		LateApology: lateApologyJSON{Name: t.T("scorecard.apology.name"), Late: c.Apology.Late, WithApology: c.Apology.WithApology,
			Value: round4p(c.Apology.Value)}}
	for _, comp := range c.Components {
		cj := componentJSON{Key: comp.Key, Name: t.T("scorecard.group." + comp.Key), Score: round4(comp.Score), Max: comp.Max,
			Indicators: []indicatorJSON{}}
		for _, in := range comp.Indicators {
			cj.Indicators = append(cj.Indicators, indicatorJSON{Key: in.Key, Name: t.T("scorecard.indicator." + in.Key),
				Numerator: round4(in.Numerator), Denominator: round4(in.Denominator), Value: round4p(in.Value),
				Score: round4(in.Score), Max: in.Max, Kind: string(in.Kind), Threshold: in.Threshold,
				Confirmed: in.Confirmed, NoData: in.NoData})
		}
		out.Components = append(out.Components, cj)
	}
	return out
}

// apiScorecard is GET /api/v1/scorecard?unit=&from=&to=[&format=csv].
func (s *server) apiScorecard(c *fiber.Ctx) error {
	p, err := scorecard.ParsePeriod(c.Query("from"), c.Query("to"), s.now())
	if err != nil {
		return err
	}
	card, err := s.scorecard.Card(c.UserContext(), c.Query("unit"), p)
	if err != nil {
		return err
	}
	cj := toCardJSON(card, s.scorecard.Weights(), s.tr(c))
	if isCSV(c) {
		return sendCSV(c, "scorecard-"+card.Unit+"-"+card.From+"-"+card.To+".csv", cardCSV(cj))
	}
	return c.JSON(cj)
}

// apiScorecardRanking is GET /api/v1/scorecard/ranking?level=&from=&to=[&format=csv].
func (s *server) apiScorecardRanking(c *fiber.Ctx) error {
	p, err := scorecard.ParsePeriod(c.Query("from"), c.Query("to"), s.now())
	if err != nil {
		return err
	}
	level := catalog.Level(c.Query("level", string(catalog.LevelDistrict)))
	ranks, err := s.scorecard.Ranking(c.UserContext(), level, p)
	if err != nil {
		return err
	}
	out := rankingJSON{Level: level, From: p.FromDate(), To: p.ToDate(), Version: s.scorecard.Weights().Version,
		Items: toRanksJSON(ranks, s.tr(c))}
	if isCSV(c) {
		return sendCSV(c, "scorecard-ranking-"+string(level)+"-"+out.From+"-"+out.To+".csv", rankingCSV(out, s.tr(c)))
	}
	return c.JSON(out)
}

func toRanksJSON(ranks []scorecard.Rank, t *i18n.Translator) []rankJSON {
	items := []rankJSON{}
	for _, r := range ranks {
		rj := rankJSON{Rank: r.Rank, Unit: r.Unit, UnitName: r.UnitName, Total: round4(r.Total), Grade: r.Grade,
			GradeName: t.T("scorecard.grade." + r.Grade), NoData: r.NoData}
		for _, comp := range r.Components {
			rj.Components = append(rj.Components, rankComponentJSON{Key: comp.Key, Score: round4(comp.Score), Max: comp.Max})
		}
		items = append(items, rj)
	}
	return items
}

func isCSV(c *fiber.Ctx) bool { return c.Query("format") == "csv" }

func sendCSV(c *fiber.Ctx, name string, rows [][]string) error {
	var b bytes.Buffer
	b.WriteString("\ufeff") // a spreadsheet opens Vietnamese text as UTF-8
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(b.Bytes())
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func nump(x *float64) string {
	if x == nil {
		return ""
	}
	return num(*x)
}

// cardCSV is one row per indicator, then one per group and the total.
func cardCSV(c cardJSON) [][]string {
	rows := [][]string{{"unit", "from", "to", "group", "indicator", "name", "numerator", "denominator", "value", "score", "max", "confirmed", "no_data"}}
	for _, comp := range c.Components {
		for _, in := range comp.Indicators {
			rows = append(rows, []string{c.Unit, c.From, c.To, comp.Key, in.Key, in.Name, num(in.Numerator), num(in.Denominator),
				nump(in.Value), num(in.Score), num(in.Max), strconv.FormatBool(in.Confirmed), strconv.FormatBool(in.NoData)})
		}
	}
	for _, comp := range c.Components {
		rows = append(rows, []string{c.Unit, c.From, c.To, comp.Key, "", comp.Name, "", "", "", num(comp.Score), num(comp.Max), "", ""})
	}
	rows = append(rows, []string{c.Unit, c.From, c.To, "", "total", c.GradeName, "", "", "", num(c.Total), "100", "", strconv.Itoa(c.NoData)})
	return rows
}

func rankingCSV(r rankingJSON, t *i18n.Translator) [][]string {
	head := []string{"rank", "unit", "name", "total", "grade"}
	if len(r.Items) > 0 {
		for _, comp := range r.Items[0].Components {
			head = append(head, comp.Key)
		}
	}
	rows := [][]string{head}
	for _, it := range r.Items {
		row := []string{strconv.Itoa(it.Rank), it.Unit, it.UnitName, num(it.Total), it.GradeName}
		for _, comp := range it.Components {
			row = append(row, num(comp.Score))
		}
		rows = append(rows, row)
	}
	return rows
}
