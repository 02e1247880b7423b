package main

import (
	"context"
	"math"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/scorecard"
	"motcua/internal/store/storetest"
)

var (
	headTB    = actor.Actor{Kind: actor.Staff, ID: 1, Name: "head", Role: actor.RoleHead, Unit: "TB"}
	headBA    = actor.Actor{Kind: actor.Staff, ID: 2, Name: "head.ba", Role: actor.RoleHead, Unit: "BA"}
	officerTB = actor.Actor{Kind: actor.Staff, ID: 3, Name: "officer", Role: actor.RoleOfficer, Unit: "TB"}
	adminAll  = actor.Actor{Kind: actor.Staff, ID: 4, Name: "admin", Role: actor.RoleAdmin}
)

func march(t *testing.T) scorecard.Period {
	t.Helper()
	p, err := scorecard.ParsePeriod("2026-03-01", "2026-03-31", scNow)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func sumPoints(items []scorecard.Fix) float64 {
	s := 0.0
	for _, f := range items {
		s += f.Points
	}
	return s
}

func TestScorecardFixesAreForTheUnitsHead(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newScorecardHarness(t, kind)
			ctx, sc, p := context.Background(), h.env.Scorecard, march(t)
			for _, c := range []struct {
				name string
				a    actor.Actor
				unit string
				code apperr.Code
			}{
				{"anonymous is asked to sign in", actor.Anon(), "TB", apperr.Unauthorized},
				{"an officer may not", officerTB, "TB", apperr.Forbidden},
				{"the head of a commune may not see the district", headBA, "TB", apperr.Forbidden},
				{"a machine may not", actor.Actor{Kind: actor.Machine, Unit: "TB", Scopes: []string{"sync"}}, "TB", apperr.Forbidden},
				{"the head of the district sees it", headTB, "TB", ""},
				{"the head of the district sees a commune below", headTB, "BA", ""},
				{"the head of the commune sees it", headBA, "BA", ""},
				{"an administrator sees any unit", adminAll, "BB", ""},
			} {
				_, err := sc.Fixes(ctx, c.a, c.unit, p)
				if apperr.CodeOf(err) != c.code {
					t.Errorf("%s: err = %v, want code %q", c.name, err, c.code)
				}
				_, err = sc.WhatIf(ctx, c.a, c.unit, p, nil)
				if apperr.CodeOf(err) != c.code {
					t.Errorf("%s (what-if): err = %v, want code %q", c.name, err, c.code)
				}
			}
		})
	}
}

// The fix list adds up to 100 − total; a what-if of its top items promises
// what the same code then computes; and fixing them for real, through the
// sync API's flags, raises the score by exactly what they promised.
func TestScorecardFixListAddsUpAndKeepsItsPromise(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, bodies := newScorecardDistrict(t, kind)
			ctx, sc, p := context.Background(), h.env.Scorecard, march(t)
			for _, u := range []string{"TB", "BA", "BB"} {
				fl, err := sc.Fixes(ctx, headTB, u, p)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := sumPoints(fl.Items), 100-fl.Card.Total; math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: the list adds up to %v, want 100 − %v = %v", u, got, fl.Card.Total, want)
				}
				for i := 1; i < len(fl.Items); i++ {
					if fl.Items[i].Points > fl.Items[i-1].Points+1e-12 {
						t.Fatalf("%s: item %d (%v) after one of %v", u, i, fl.Items[i].Points, fl.Items[i-1].Points)
					}
				}
			}
			fl, err := sc.Fixes(ctx, headTB, "TB", p)
			if err != nil {
				t.Fatal(err)
			}
			// On paper: paid online 1/4 is under 30 %: one more paid dossier
			// wins 6 − 0.9 = 5.1; then each late dossier (D2, D4) 20/6.
			if top := fl.Items[0]; top.Indicator != "online.paid_online" || top.Kind != "bundle" || top.Count != 1 || !near(top.Points, 5.1) {
				t.Fatalf("top item = %+v", top)
			}
			if second := fl.Items[1]; second.Indicator != "progress.on_time" || !near(second.Points, 20.0/6) {
				t.Fatalf("second item = %+v", second)
			}
			for n := 1; n <= 8; n++ {
				var ids []string
				for _, f := range fl.Items[:n] {
					ids = append(ids, f.ID)
				}
				w, err := sc.WhatIf(ctx, headTB, "TB", p, ids)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(w.After.Total-w.Before.Total-w.Promised) > 1e-9 || len(w.Chosen) != n {
					t.Errorf("top %d: %v → %v, promised %v", n, w.Before.Total, w.After.Total, w.Promised)
				}
			}
			all := make([]string, len(fl.Items))
			for i, f := range fl.Items {
				all[i] = f.ID
			}
			if w, err := sc.WhatIf(ctx, headTB, "TB", p, all); err != nil || math.Abs(w.After.Total-100) > 1e-9 {
				t.Errorf("every fix made: %v (%v), want 100", w.After.Total, err)
			}

			// Fix for real: the bundle's first dossier paid online, and a
			// dossier of the digitisation list digitised.
			var digitise scorecard.Fix
			for _, f := range fl.Items {
				if f.Indicator == "digitisation.digitised" {
					digitise = f
					break
				}
			}
			paid := fl.Items[0].Details[0]
			bodies[paid]["paid_online"] = true
			syncDossier(t, h, paid, bodies[paid])
			bodies[digitise.Ref]["digitized"] = true
			syncDossier(t, h, digitise.Ref, bodies[digitise.Ref])
			after, err := sc.Card(ctx, "TB", p)
			if err != nil {
				t.Fatal(err)
			}
			promised := fl.Items[0].Points + digitise.Points
			if math.Abs(after.Total-fl.Card.Total-promised) > 1e-9 {
				t.Errorf("fixing %s and %s: %v → %v, promised +%v", paid, digitise.Ref, fl.Card.Total, after.Total, promised)
			}
		})
	}
}
