package rating

import (
	"context"
	"time"
)

// StatsQuery selects ratings by unit ("" for all) and creation time
// [From, To).
type StatsQuery struct {
	Unit     string
	From, To time.Time
}

// Stat is one figure: ratings and satisfied ratings of one group.
type Stat struct {
	// By is what the ratings are grouped by: "unit", "service" or
	// "counter"; Key the unit code, service code or counter id; Kind the
	// kind of ratings (a service is a procedure for dossiers, a queue
	// service for visits).
	By        string
	Key       string
	Kind      Kind
	Ratings   int
	Satisfied int
	Low       int
}

// Percent is the share of satisfied ratings, 0..100; ok is false when
// there are no ratings (no data is never full marks).
func (s Stat) Percent() (float64, bool) {
	if s.Ratings == 0 {
		return 0, false
	}
	return 100 * float64(s.Satisfied) / float64(s.Ratings), true
}

// Figures are the public satisfaction figures of a period.
type Figures struct {
	Query    StatsQuery
	Total    Stat
	Units    []Stat
	Services []Stat
	Counters []Stat
}

// Figures computes satisfaction per unit, service and counter. They are
// public: counts only, never a comment.
func (s *Service) Figures(ctx context.Context, q StatsQuery) (Figures, error) {
	stats, err := s.store.RatingStats(ctx, q)
	if err != nil {
		return Figures{}, err
	}
	f := Figures{Query: q, Total: Stat{By: "total"}}
	for _, st := range stats {
		switch st.By {
		case "unit":
			f.Units = append(f.Units, st)
			f.Total.Ratings += st.Ratings
			f.Total.Satisfied += st.Satisfied
			f.Total.Low += st.Low
		case "service":
			f.Services = append(f.Services, st)
		case "counter":
			f.Counters = append(f.Counters, st)
		}
	}
	return f, nil
}
