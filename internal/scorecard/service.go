// Package scorecard computes the 766 index (Decision 766/QĐ-TTg) of a unit,
// its children rolled up, for any period, from the unit's own data: every
// indicator with its numerator, denominator, value and points, the five
// groups, the total and its grade; the ranking of units of a level; the
// monthly trend; and, for the unit's head, the list of what cost points,
// ordered by what fixing each would win back, with a what-if computed by
// the same code (docs/scorecard.md).
package scorecard

import (
	"context"
	"sort"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// Store is what the scorecard reads; every aggregate is SQL in the store.
// A nil units slice means every unit.
type Store interface {
	ScoreDossiers(ctx context.Context, units []string, start, end, now time.Time) ([]DossierTally, error)
	ScoreRatings(ctx context.Context, units []string, start, end time.Time) ([]RatingTally, error)
	ScoreFeedback(ctx context.Context, units []string, start, end, now time.Time) ([]FeedbackTally, error)
	ScoreDossierItems(ctx context.Context, units []string, start, end, now time.Time) ([]DossierItem, error)
	ScoreRatingItems(ctx context.Context, units []string, start, end time.Time) ([]RatingItem, error)
	ScoreFeedbackItems(ctx context.Context, units []string, start, end, now time.Time) ([]FeedbackItem, error)
}

// Units lists the unit tree.
type Units interface {
	List(ctx context.Context) ([]unit.Unit, error)
}

// Catalog lists the procedures.
type Catalog interface {
	All() []catalog.Procedure
}

// Service computes scorecards.
type Service struct {
	store   Store
	units   Units
	catalog Catalog
	w       *Weights
	now     func() time.Time
	cards   cardCache // Card's answers, for cardTTL (cache.go)
}

// NewService returns the scorecard service over the bundled weights.
func NewService(s Store, units Units, cat Catalog, now func() time.Time) (*Service, error) {
	w, err := DefaultWeights()
	if err != nil {
		return nil, err
	}
	return &Service{store: s, units: units, catalog: cat, w: w, now: now}, nil
}

// Weights is the table in force.
func (s *Service) Weights() *Weights { return s.w }

// tree is the unit tree, read once per request.
type tree struct {
	byCode   map[string]unit.Unit
	children map[string][]string
	ordered  []unit.Unit
}

func (s *Service) tree(ctx context.Context) (*tree, error) {
	list, err := s.units.List(ctx)
	if err != nil {
		return nil, err
	}
	t := &tree{byCode: map[string]unit.Unit{}, children: map[string][]string{}, ordered: list}
	for _, u := range list {
		t.byCode[u.Code] = u
		if u.ParentCode != "" {
			t.children[u.ParentCode] = append(t.children[u.ParentCode], u.Code)
		}
	}
	return t, nil
}

// subtree is the unit and every unit below it.
func (t *tree) subtree(code string) []string {
	out := []string{code}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// ancestors is the chain above a unit, nearest first.
func (t *tree) ancestors(code string) []string {
	var out []string
	for u, ok := t.byCode[code]; ok && u.ParentCode != ""; u, ok = t.byCode[u.ParentCode] {
		out = append(out, u.ParentCode)
	}
	return out
}

func (s *Service) unitOf(t *tree, code string) (unit.Unit, error) {
	u, ok := t.byCode[code]
	if !ok {
		return unit.Unit{}, apperr.New(apperr.NotFound, "scorecard.error.unit")
	}
	return u, nil
}

// raw reads every tally of the units for the period.
func (s *Service) raw(ctx context.Context, units []string, p Period, now time.Time) (Raw, error) {
	var r Raw
	var err error
	if r.Dossiers, err = s.store.ScoreDossiers(ctx, units, p.Start(), p.End(), now); err != nil {
		return r, err
	}
	if r.Ratings, err = s.store.ScoreRatings(ctx, units, p.Start(), p.End()); err != nil {
		return r, err
	}
	if r.Feedback, err = s.store.ScoreFeedback(ctx, units, p.Start(), p.End(), now); err != nil {
		return r, err
	}
	return r, nil
}

// tally rolls up the raw figures of a unit's subtree.
func (s *Service) tally(t *tree, code string, r Raw) *Tally {
	in := map[string]bool{}
	levels := map[catalog.Level]bool{}
	for _, c := range t.subtree(code) {
		in[c] = true
		levels[t.byCode[c].Level] = true
	}
	tl := &Tally{ByProc: map[string]DossierTally{}, Catalog: map[string]catalog.Procedure{}}
	for _, d := range r.Dossiers {
		if in[d.Unit] {
			tl.D.add(d)
			pt := tl.ByProc[d.Procedure]
			pt.add(d)
			tl.ByProc[d.Procedure] = pt
		}
	}
	for _, x := range r.Ratings {
		if in[x.Unit] {
			tl.Ratings.Ratings += x.Ratings
			tl.Ratings.Satisfied += x.Satisfied
		}
	}
	for _, x := range r.Feedback {
		if in[x.Unit] {
			tl.Feedback.Counted += x.Counted
			tl.Feedback.OnTime += x.OnTime
			tl.Feedback.Fine += x.Fine
		}
	}
	for _, p := range s.catalog.All() {
		tl.Catalog[p.Code] = p
		if levels[p.Level] {
			tl.Procs = append(tl.Procs, p)
		}
	}
	return tl
}

// card scores a tally.
func (s *Service) card(u unit.Unit, p Period, tl *Tally, now time.Time) Card {
	total, comps, noData := s.w.Score(tl, p.End())
	c := Card{Unit: u.Code, UnitName: u.Name, Level: u.Level, From: p.FromDate(), To: p.ToDate(), Version: s.w.Version,
		Total: total, Grade: s.w.Grade(total).Key, Components: comps, NoData: noData, AsOf: now}
	c.Apology = Apology{Late: tl.D.Late, WithApology: tl.D.LateApology}
	if tl.D.Late > 0 {
		v := float64(tl.D.LateApology) / float64(tl.D.Late)
		c.Apology.Value = &v
	}
	return c
}

// Card is a unit's scorecard for a period, its children rolled up. It is
// public, as the national portal publishes it. A card computed less than
// cardTTL ago is given again, unless Forget was called since.
func (s *Service) Card(ctx context.Context, code string, p Period) (Card, error) {
	now := s.now().UTC()
	k := cardKey{unit: code, start: p.Start().UnixNano(), end: p.End().UnixNano()}
	card, ok, gen := s.cards.get(k, now)
	if ok {
		return card, nil
	}
	t, err := s.tree(ctx)
	if err != nil {
		return Card{}, err
	}
	u, err := s.unitOf(t, code)
	if err != nil {
		return Card{}, err
	}
	r, err := s.raw(ctx, t.subtree(code), p, now)
	if err != nil {
		return Card{}, err
	}
	card = s.card(u, p, s.tally(t, code, r), now)
	s.cards.put(k, gen, card, now)
	return card, nil
}

// Rank is a unit's place among the units of its level.
type Rank struct {
	Rank int `json:"rank"`
	Card
}

// Ranking scores every unit of a level, each with its children, best first;
// units of equal total share a rank.
func (s *Service) Ranking(ctx context.Context, level catalog.Level, p Period) ([]Rank, error) {
	if !level.Valid() {
		return nil, apperr.Fields([]apperr.FieldError{{Field: "level", MessageID: "error.field.level"}})
	}
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r, err := s.raw(ctx, nil, p, now)
	if err != nil {
		return nil, err
	}
	out := []Rank{}
	for _, u := range t.ordered {
		if u.Level == level {
			out = append(out, Rank{Card: s.card(u, p, s.tally(t, u.Code, r), now)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if d := out[i].Total - out[j].Total; d > 1e-9 || d < -1e-9 {
			return d > 0
		}
		return out[i].Unit < out[j].Unit
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i-1].Total-out[i].Total < 1e-9 {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out, nil
}

// Trend is a unit's scorecard month by month over the period.
func (s *Service) Trend(ctx context.Context, code string, p Period) ([]Card, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.unitOf(t, code)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	units := t.subtree(code)
	var out []Card
	for _, m := range p.Months() {
		r, err := s.raw(ctx, units, m, now)
		if err != nil {
			return nil, err
		}
		out = append(out, s.card(u, m, s.tally(t, code, r), now))
	}
	return out, nil
}
