package scorecard

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// Fix is one thing that cost the unit points: a dossier, a procedure page,
// a rating or a feedback, or, for an indicator scored by a threshold, the
// number of them it takes to cross it.
//
// How points are attributed, so that the list adds up to 100 − total
// exactly (docs/scorecard.md):
//   - ratio indicator: its lost points (max − score) are shared equally by
//     the items that keep it from full marks, max ÷ denominator each;
//     fixing one adds one to the numerator;
//   - threshold indicator below its threshold: one item, worth max − low,
//     naming the Count items that must be fixed together to cross it;
//   - an indicator with no data: one item worth its max, fixed by the first
//     item that succeeds (one over one).
type Fix struct {
	ID        string `json:"id"`
	Indicator string `json:"indicator"`
	// Kind of thing: dossier, procedure, rating, feedback, bundle, no_data.
	Kind string `json:"kind"`
	Ref  string `json:"ref,omitempty"`
	Unit string `json:"unit,omitempty"`
	// Reason is the message key suffix that says what went wrong.
	Reason  string   `json:"reason"`
	Details []string `json:"details,omitempty"`
	// Count is, for a bundle, how many of Details must be fixed.
	Count  int     `json:"count,omitempty"`
	Points float64 `json:"points"`
	// bonus is what fixing it adds to the indicator's numerator and
	// denominator, for the what-if.
	bonus [2]float64
}

// FixList is the unit's card and what cost it points, most points first.
type FixList struct {
	Card  Card    `json:"card"`
	Lost  float64 `json:"lost"`
	Items []Fix   `json:"items"`
}

// mayFix reports whether the actor is the head of the unit or of a unit
// above it, or an administrator of one of them.
func mayFix(a actor.Actor, t *tree, code string) bool {
	if !a.Is(actor.RoleHead, actor.RoleAdmin) {
		return false
	}
	for _, c := range append([]string{code}, t.ancestors(code)...) {
		if a.InUnit(c) {
			return true
		}
	}
	return false
}

// Fixes lists what cost the unit points in the period, for its head.
func (s *Service) Fixes(ctx context.Context, a actor.Actor, code string, p Period) (FixList, error) {
	fl, _, err := s.fixes(ctx, a, code, p)
	return fl, err
}

func (s *Service) fixes(ctx context.Context, a actor.Actor, code string, p Period) (FixList, *Tally, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return FixList{}, nil, err
	}
	u, err := s.unitOf(t, code)
	if err != nil {
		if a.IsStaff() {
			return FixList{}, nil, err
		}
		return FixList{}, nil, a.Deny()
	}
	if !mayFix(a, t, code) {
		return FixList{}, nil, a.Deny()
	}
	now := s.now().UTC()
	units := t.subtree(code)
	r, err := s.raw(ctx, units, p, now)
	if err != nil {
		return FixList{}, nil, err
	}
	tl := s.tally(t, code, r)
	card := s.card(u, p, tl, now)
	var it itemSet
	if it.dossiers, err = s.store.ScoreDossierItems(ctx, units, p.Start(), p.End(), now); err != nil {
		return FixList{}, nil, err
	}
	if it.ratings, err = s.store.ScoreRatingItems(ctx, units, p.Start(), p.End()); err != nil {
		return FixList{}, nil, err
	}
	if it.feedback, err = s.store.ScoreFeedbackItems(ctx, units, p.Start(), p.End(), now); err != nil {
		return FixList{}, nil, err
	}
	fl := FixList{Card: card, Lost: 100 - card.Total, Items: s.attribute(card, tl, &it, p.End())}
	return fl, tl, nil
}

type itemSet struct {
	dossiers []DossierItem
	ratings  []RatingItem
	feedback []FeedbackItem
}

// candidate is something that keeps an indicator from full marks.
type candidate struct {
	kind, ref, unit, reason string
	details                 []string
}

// candidates lists, for one indicator, what did not count in its numerator.
func (s *Service) candidates(key string, tl *Tally, it *itemSet, end time.Time) []candidate {
	var out []candidate
	dossiers := func(reason func(d DossierItem) string) {
		for _, d := range it.dossiers {
			if r := reason(d); r != "" {
				out = append(out, candidate{kind: "dossier", ref: d.Code, unit: d.Unit, reason: r})
			}
		}
	}
	procs := func(reason func(p catalog.Procedure) (string, []string)) {
		for _, p := range tl.Procs {
			if r, det := reason(p); r != "" {
				out = append(out, candidate{kind: "procedure", ref: p.Code, reason: r, details: det})
			}
		}
	}
	feeProcs := func(ok func(code string, pt DossierTally) bool, reason string) {
		codes := make([]string, 0, len(tl.ByProc))
		for code, pt := range tl.ByProc {
			if pt.Fee > 0 && !ok(code, pt) {
				codes = append(codes, code)
			}
		}
		sort.Strings(codes)
		for _, c := range codes {
			out = append(out, candidate{kind: "procedure", ref: c, reason: reason})
		}
	}
	switch key {
	case "publicity.published_on_time":
		procs(func(p catalog.Procedure) (string, []string) { return when(!p.Verified, "not_verified"), nil })
	case "publicity.updated_on_time":
		fresh := updatedBy(end, s.w.Procedures.MaxAgeDays)
		procs(func(p catalog.Procedure) (string, []string) { return when(!fresh(p), "stale"), nil })
	case "publicity.complete_info":
		procs(func(p catalog.Procedure) (string, []string) {
			m := missingParts(p, s.w.Procedures.Required)
			return when(len(m) > 0, "missing_parts"), m
		})
	case "publicity.synced":
		dossiers(func(d DossierItem) string { return when(!d.Synced, "not_synced") })
	case "progress.on_time":
		dossiers(func(d DossierItem) string {
			switch {
			case !d.Counted || d.OnTime:
				return ""
			case d.Apology:
				return "late_apology"
			}
			return "late_no_apology"
		})
	case "digitisation.e_result":
		dossiers(func(d DossierItem) string { return when(d.Finished && !d.EResult, "no_e_result") })
	case "digitisation.digitised":
		dossiers(func(d DossierItem) string { return when(!d.Digitised, "not_digitised") })
	case "digitisation.reused":
		dossiers(func(d DossierItem) string { return when(!d.Reused, "not_reused") })
	case "online.offered":
		procs(func(p catalog.Procedure) (string, []string) { return when(!offeredOnline(p), "not_online"), nil })
	case "online.used":
		procs(func(p catalog.Procedure) (string, []string) {
			return when(offeredOnline(p) && tl.ByProc[p.Code].Online == 0, "no_online_dossier"), nil
		})
	case "online.submitted_online":
		dossiers(func(d DossierItem) string { return when(!d.Online, "not_online_dossier") })
	case "online.payment_offered":
		feeProcs(func(_ string, pt DossierTally) bool { return pt.PaidOnline > 0 }, "no_online_payment")
	case "online.payment_ready":
		feeProcs(func(code string, _ DossierTally) bool {
			p, ok := tl.Catalog[code]
			return ok && offeredOnline(p)
		}, "not_payable_online")
	case "online.paid_online":
		dossiers(func(d DossierItem) string { return when(d.Fee && !d.PaidOnline, "not_paid_online") })
	case "satisfaction.satisfied":
		for _, r := range it.ratings {
			reason := "unsatisfied_rating"
			if r.FollowUp != "closed" {
				reason = "unsatisfied_rating_open"
			}
			out = append(out, candidate{kind: "rating", ref: strconv.FormatInt(r.ID, 10), unit: r.Unit, reason: reason,
				details: nonEmpty(r.DossierCode)})
		}
	case "satisfaction.feedback_on_time":
		for _, f := range it.feedback {
			if !f.OnTime {
				out = append(out, candidate{kind: "feedback", ref: f.Code, unit: f.Unit, reason: when(f.Answered, "feedback_late", "feedback_overdue")})
			}
		}
	case "satisfaction.feedback_satisfied":
		for _, f := range it.feedback {
			out = append(out, candidate{kind: "feedback", ref: f.Code, unit: f.Unit,
				reason: when(f.OnTime, "feedback_unsatisfied", when(f.Answered, "feedback_late", "feedback_overdue"))})
		}
	}
	return out
}

// when returns yes if cond, else the optional no (or "").
func when(cond bool, yes string, no ...string) string {
	if cond {
		return yes
	}
	if len(no) > 0 {
		return no[0]
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// attribute shares each indicator's lost points among its candidates.
func (s *Service) attribute(card Card, tl *Tally, it *itemSet, end time.Time) []Fix {
	items := []Fix{}
	order := map[string]int{}
	for _, comp := range card.Components {
		for _, in := range comp.Indicators {
			order[in.Key] = len(order)
			spec, _ := s.w.Spec(in.Key)
			lost := in.Max - in.Score
			if spec.Kind == Shown || lost <= 1e-12 {
				continue
			}
			if in.NoData {
				items = append(items, Fix{ID: in.Key + ":no_data", Indicator: in.Key, Kind: "no_data", Reason: "no_data",
					Points: lost, bonus: [2]float64{1, 1}})
				continue
			}
			cands := s.candidates(in.Key, tl, it, end)
			if len(cands) == 0 {
				continue // the data changed between two reads: nothing to name
			}
			if spec.Kind == Threshold {
				k := int(math.Ceil(spec.Threshold*in.Denominator - in.Numerator - 1e-9))
				k = max(1, min(k, len(cands)))
				f := Fix{ID: in.Key + ":bundle", Indicator: in.Key, Kind: "bundle", Reason: cands[0].reason,
					Count: k, Points: lost, bonus: [2]float64{float64(k), 0}}
				for _, c := range cands {
					f.Details = append(f.Details, c.ref)
				}
				items = append(items, f)
				continue
			}
			each := lost / float64(len(cands))
			for _, c := range cands {
				items = append(items, Fix{ID: in.Key + ":" + c.ref, Indicator: in.Key, Kind: c.kind, Ref: c.ref, Unit: c.unit,
					Reason: c.reason, Details: c.details, Points: each, bonus: [2]float64{1, 0}})
			}
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if d := items[i].Points - items[j].Points; math.Abs(d) > 1e-12 {
			return d > 0
		}
		return order[items[i].Indicator] < order[items[j].Indicator]
	})
	return items
}

// WhatIf is the score the unit would have with the chosen fixes made.
type WhatIf struct {
	Before   Card    `json:"before"`
	After    Card    `json:"after"`
	Promised float64 `json:"promised"`
	Chosen   []Fix   `json:"chosen"`
	List     FixList `json:"-"`
}

// MaxChosen bounds a what-if's list of fixes.
const MaxChosen = 10000

// WhatIf scores the unit again, by the same code, as if the fixes of the
// given ids were made; unknown ids are left out.
func (s *Service) WhatIf(ctx context.Context, a actor.Actor, code string, p Period, ids []string) (WhatIf, error) {
	fl, tl, err := s.fixes(ctx, a, code, p)
	if err != nil {
		return WhatIf{}, err
	}
	want := map[string]bool{}
	for i, id := range ids {
		if i >= MaxChosen {
			break
		}
		want[strings.TrimSpace(id)] = true
	}
	w := WhatIf{Before: fl.Card, List: fl, Chosen: []Fix{}}
	tl.Bonus = map[string][2]float64{}
	for _, f := range fl.Items {
		if !want[f.ID] {
			continue
		}
		b := tl.Bonus[f.Indicator]
		tl.Bonus[f.Indicator] = [2]float64{b[0] + f.bonus[0], b[1] + f.bonus[1]}
		w.Promised += f.Points
		w.Chosen = append(w.Chosen, f)
	}
	u := unit.Unit{Code: fl.Card.Unit, Name: fl.Card.UnitName, Level: fl.Card.Level}
	w.After = s.card(u, p, tl, fl.Card.AsOf)
	return w, nil
}
