package scorecard

import (
	"math"
	"time"

	"motcua/internal/catalog"
)

// Indicator is one indicator's figures. Value is nil when the denominator is
// 0: "no data", which scores 0 and is flagged, never full marks.
type Indicator struct {
	Key         string   `json:"key"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Value       *float64 `json:"value"`
	Score       float64  `json:"score"`
	Max         float64  `json:"max"`
	Kind        Kind     `json:"kind"`
	Threshold   float64  `json:"threshold,omitempty"`
	Confirmed   bool     `json:"confirmed"`
	NoData      bool     `json:"no_data"`
}

// Component is one of the five groups.
type Component struct {
	Key        string      `json:"key"`
	Score      float64     `json:"score"`
	Max        float64     `json:"max"`
	Indicators []Indicator `json:"indicators"`
}

// Apology is "late with an apology letter", shown beside the index: not a
// confirmed 766 indicator (docs/scorecard.md).
type Apology struct {
	Late        int64    `json:"late"`
	WithApology int64    `json:"with_apology"`
	Value       *float64 `json:"value"`
}

// Card is a unit's score for a period.
type Card struct {
	Unit       string        `json:"unit"`
	UnitName   string        `json:"unit_name"`
	Level      catalog.Level `json:"level"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Version    string        `json:"version"`
	Total      float64       `json:"total"`
	Grade      string        `json:"grade"`
	Components []Component   `json:"components"`
	// NoData counts the indicators without data; they score 0 and the total
	// stays out of 100 (docs/scorecard.md).
	NoData  int     `json:"no_data"`
	Apology Apology `json:"late_with_apology"`
	// AsOf is the moment "not yet due" was judged against.
	AsOf time.Time `json:"as_of"`
}

// Points turns a ratio into points by the indicator's kind.
func (s Spec) Points(num, den float64) (value *float64, score float64) {
	if den <= 0 {
		return nil, 0
	}
	v := num / den
	switch s.Kind {
	case Ratio:
		score = s.Max * math.Min(v, 1)
	case Threshold:
		score = s.Low
		if v >= s.Threshold-1e-12 {
			score = s.Max
		}
	}
	return &v, score
}

// Score computes every indicator, its group and the total from a tally. The
// period's end dates the "updated on time" check.
func (w *Weights) Score(t *Tally, end time.Time) (total float64, comps []Component, noData int) {
	byGroup := map[string]*Component{}
	for _, g := range w.Groups {
		comps = append(comps, Component{Key: g.Key, Max: g.Max, Indicators: []Indicator{}})
	}
	for i := range comps {
		byGroup[comps[i].Key] = &comps[i]
	}
	for _, s := range w.Indicators {
		num, den := compute[s.Key](t, w, end)
		if b, ok := t.Bonus[s.Key]; ok {
			num, den = num+b[0], den+b[1]
		}
		v, score := s.Points(num, den)
		in := Indicator{Key: s.Key, Numerator: num, Denominator: den, Value: v, Score: score, Max: s.Max,
			Kind: s.Kind, Confirmed: s.Confirmed, NoData: v == nil}
		if s.Kind == Threshold {
			in.Threshold = s.Threshold
		}
		if in.NoData && s.Kind != Shown {
			noData++
		}
		g := byGroup[s.Group()]
		g.Indicators = append(g.Indicators, in)
		g.Score += score
		total += score
	}
	return total, comps, noData
}
