package scorecard

import (
	"strings"
	"testing"
	"time"
)

func TestBundledWeightsAddUp(t *testing.T) {
	w, err := DefaultWeights()
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Indicators) != len(compute) {
		t.Errorf("%d indicators in the table, %d formulas", len(w.Indicators), len(compute))
	}
	for _, c := range []struct {
		total float64
		grade string
	}{{100, "excellent"}, {90, "excellent"}, {89.99, "good"}, {80, "good"}, {79.9, "fair"}, {70, "fair"}, {69, "average"}, {50, "average"}, {49.9, "weak"}, {31, "weak"}, {0, "weak"}} {
		if got := w.Grade(c.total).Key; got != c.grade {
			t.Errorf("grade of %v = %s, want %s", c.total, got, c.grade)
		}
	}
}

func TestWeightsTableIsChecked(t *testing.T) {
	good := string(bundled)
	for _, c := range []struct {
		name, from, to, want string
	}{
		{"a group that does not add up", `key = "publicity.synced"
kind = "ratio"
max = 6`, `key = "publicity.synced"
kind = "ratio"
max = 5`, "group publicity"},
		{"an unknown formula", `key = "digitisation.reused"`, `key = "digitisation.reused_twice"`, "no formula"},
		{"no version", `version = "766-2022.motcua-1"`, ``, "no version"},
		{"an unknown kind", `kind = "shown"`, `kind = "guess"`, "unknown kind"},
		{"an unknown key", `max_age_days = 365`, `max_age_days = 365
colour = "red"`, "unknown key"},
		{"a threshold out of range", `threshold = 0.8`, `threshold = 1.8`, "threshold"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(good, c.from, c.to, 1)
			if bad == good && c.from != "" {
				t.Fatalf("the test's text %q is not in the table", c.from)
			}
			if _, err := ParseWeights([]byte(bad)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one about %q", err, c.want)
			}
		})
	}
}

func TestPointsByKind(t *testing.T) {
	ratio := Spec{Kind: Ratio, Max: 8}
	thr := Spec{Kind: Threshold, Max: 6, Threshold: 0.5, Low: 3}
	for _, c := range []struct {
		s        Spec
		num, den float64
		want     float64
		noData   bool
	}{
		{ratio, 5, 7, 40.0 / 7, false},
		{ratio, 0, 0, 0, true},
		{thr, 1, 2, 6, false},
		{thr, 49, 100, 3, false},
		{thr, 0, 0, 0, true},
		{Spec{Kind: Shown}, 216, 192, 0, false},
	} {
		v, got := c.s.Points(c.num, c.den)
		if (v == nil) != c.noData || got != c.want {
			t.Errorf("%v %v/%v = %v (value %v), want %v", c.s.Kind, c.num, c.den, got, v, c.want)
		}
	}
}

func TestPeriodMonths(t *testing.T) {
	p, err := ParsePeriod("2026-01-15", "2026-03-10", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range p.Months() {
		got = append(got, m.FromDate()+".."+m.ToDate())
	}
	if want := "2026-01-15..2026-01-31 2026-02-01..2026-02-28 2026-03-01..2026-03-10"; strings.Join(got, " ") != want {
		t.Errorf("months = %v, want %s", got, want)
	}
	if p, _ := ParsePeriod("", "2025-06-30", time.Now()); p.FromDate() != "2025-01-01" {
		t.Errorf("default from = %s", p.FromDate())
	}
}
