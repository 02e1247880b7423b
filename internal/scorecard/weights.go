package scorecard

import (
	_ "embed"
	"fmt"
	"math"
	"strings"

	"github.com/BurntSushi/toml"
)

// Kind is how an indicator turns its ratio into points.
type Kind string

const (
	// Ratio: points = max × numerator / denominator.
	Ratio Kind = "ratio"
	// Threshold: max points when the ratio reaches the threshold, else low.
	Threshold Kind = "threshold"
	// Shown: no points, the figure is shown beside its group.
	Shown Kind = "shown"
)

// Spec is one indicator of the weights table.
type Spec struct {
	Key       string  `toml:"key"`
	Kind      Kind    `toml:"kind"`
	Max       float64 `toml:"max"`
	Threshold float64 `toml:"threshold"`
	Low       float64 `toml:"low"`
	Confirmed bool    `toml:"confirmed"`
	Basis     string  `toml:"basis"`
}

// Group is the group's key, the part of the key before the dot.
func (s Spec) Group() string { g, _, _ := strings.Cut(s.Key, "."); return g }

// GroupSpec is one of the five groups.
type GroupSpec struct {
	Key string  `toml:"key"`
	Max float64 `toml:"max"`
}

// GradeSpec is a band of the total.
type GradeSpec struct {
	Key       string  `toml:"key"`
	Min       float64 `toml:"min"`
	Confirmed bool    `toml:"confirmed"`
}

// Weights is the versioned table the scores are computed with.
type Weights struct {
	Version    string      `toml:"version"`
	Groups     []GroupSpec `toml:"group"`
	Indicators []Spec      `toml:"indicator"`
	Grades     []GradeSpec `toml:"grade"`
	Procedures struct {
		MaxAgeDays int      `toml:"max_age_days"`
		Required   []string `toml:"required"`
	} `toml:"procedures"`
}

//go:embed weights.toml
var bundled []byte

// DefaultWeights is the table shipped with motcua (docs/scorecard.md).
func DefaultWeights() (*Weights, error) { return ParseWeights(bundled) }

// knownParts are the procedure parts [procedures].required may name.
var knownParts = map[string]bool{"documents": true, "legal_basis": true, "steps": true, "fee": true, "processing": true}

// ParseWeights reads and checks a weights table: every group's indicators
// add up to its maximum, and the groups to 100.
func ParseWeights(b []byte) (*Weights, error) {
	var w Weights
	md, err := toml.Decode(string(b), &w)
	if err != nil {
		return nil, fmt.Errorf("scorecard weights: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("scorecard weights: unknown key %s", un[0])
	}
	if w.Version == "" {
		return nil, fmt.Errorf("scorecard weights: no version")
	}
	sums := map[string]float64{}
	seen := map[string]bool{}
	for _, s := range w.Indicators {
		if seen[s.Key] {
			return nil, fmt.Errorf("scorecard weights: %s twice", s.Key)
		}
		seen[s.Key] = true
		switch s.Kind {
		case Ratio, Shown:
		case Threshold:
			if s.Threshold <= 0 || s.Threshold > 1 || s.Low < 0 || s.Low > s.Max {
				return nil, fmt.Errorf("scorecard weights: %s: threshold in (0, 1] and low in [0, max]", s.Key)
			}
		default:
			return nil, fmt.Errorf("scorecard weights: %s: unknown kind %q", s.Key, s.Kind)
		}
		if s.Kind == Shown && s.Max != 0 {
			return nil, fmt.Errorf("scorecard weights: %s: a shown indicator has no points", s.Key)
		}
		if _, ok := compute[s.Key]; !ok {
			return nil, fmt.Errorf("scorecard weights: %s: no formula of that key", s.Key)
		}
		sums[s.Group()] += s.Max
	}
	total := 0.0
	for _, g := range w.Groups {
		if math.Abs(sums[g.Key]-g.Max) > 1e-9 {
			return nil, fmt.Errorf("scorecard weights: group %s: indicators add up to %v, not %v", g.Key, sums[g.Key], g.Max)
		}
		delete(sums, g.Key)
		total += g.Max
	}
	for k := range sums {
		return nil, fmt.Errorf("scorecard weights: indicator of unknown group %s", k)
	}
	if math.Abs(total-100) > 1e-9 {
		return nil, fmt.Errorf("scorecard weights: groups add up to %v, not 100", total)
	}
	for i, g := range w.Grades {
		if i > 0 && g.Min >= w.Grades[i-1].Min {
			return nil, fmt.Errorf("scorecard weights: grades must go down")
		}
	}
	if len(w.Grades) == 0 || w.Grades[len(w.Grades)-1].Min != 0 {
		return nil, fmt.Errorf("scorecard weights: the last grade starts at 0")
	}
	for _, p := range w.Procedures.Required {
		if !knownParts[p] {
			return nil, fmt.Errorf("scorecard weights: unknown procedure part %q", p)
		}
	}
	return &w, nil
}

// Grade returns the band of a total.
func (w *Weights) Grade(total float64) GradeSpec {
	for _, g := range w.Grades {
		if total >= g.Min-1e-9 {
			return g
		}
	}
	return w.Grades[len(w.Grades)-1]
}

// Spec returns the indicator of a key.
func (w *Weights) Spec(key string) (Spec, bool) {
	for _, s := range w.Indicators {
		if s.Key == key {
			return s, true
		}
	}
	return Spec{}, false
}
