package main

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/scorecard"
	"motcua/internal/unit"
)

// deskFixesShown bounds the rows of the fix list on the page; the rest are
// summed in one line so that the list still adds up to 100 − total.
const deskFixesShown = 300

// fixRow is one fix as the desk shows it.
type fixRow struct {
	ID        string
	Indicator string
	Points    float64
	Text      string
	Kind      string
	Ref       string
	Unit      string
	Details   []string
	More      int // details not shown
	Checked   bool
}

type deskScorecardView struct {
	Unit, From, To string
	Units          []unit.Unit
	Shown          string
	Card           cardJSON
	Rows           []fixRow
	RestCount      int
	RestPoints     float64
	Lost           float64
	Sum            float64
	WhatIf         *whatIfView
}

type whatIfView struct {
	Before, After, Promised, Gain float64
	Chosen                        int
	AfterGrade                    string
}

// scorecardActor is the signed-in staff member as the service layer sees
// them.
func scorecardActor(c *fiber.Ctx) actor.Actor {
	u := staffOf(c)
	if u == nil {
		return actor.Anon()
	}
	return actor.Actor{Kind: actor.Staff, ID: u.ID, Name: u.Username, FullName: u.FullName, Title: u.Title,
		Role: actor.Role(u.Role), Unit: u.UnitCode}
}

// deskScorecard is GET /desk/scorecard and, for the what-if, POST: what
// cost the unit points, most first, for its head.
func (s *server) deskScorecard(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), s.tr(c)
	a := scorecardActor(c)
	get := c.Query
	if c.Method() == fiber.MethodPost {
		get = func(k string, d ...string) string { return c.FormValue(k, d...) }
	}
	p, err := scorecard.ParsePeriod(get("from"), get("to"), s.now())
	if err != nil {
		return err
	}
	units, err := s.units.List(ctx)
	if err != nil {
		return err
	}
	code := get("unit")
	if code == "" {
		code = a.Unit
	}
	if code == "" {
		code = scorecardUnit(units, "")
	}
	var (
		fl     scorecard.FixList
		chosen map[string]bool
		view   deskScorecardView
	)
	if c.Method() == fiber.MethodPost {
		args := c.Request().PostArgs().PeekMulti("fix")
		ids := make([]string, 0, len(args))
		chosen = map[string]bool{}
		for _, b := range args {
			ids = append(ids, string(b))
			chosen[string(b)] = true
		}
		w, err := s.scorecard.WhatIf(ctx, a, code, p, ids)
		if err != nil {
			return err
		}
		fl = w.List
		view.WhatIf = &whatIfView{Before: w.Before.Total, After: w.After.Total, Promised: w.Promised,
			Gain: w.After.Total - w.Before.Total, Chosen: len(w.Chosen), AfterGrade: t.T("scorecard.grade." + w.After.Grade)}
	} else {
		if fl, err = s.scorecard.Fixes(ctx, a, code, p); err != nil {
			return err
		}
	}
	view.Unit, view.From, view.To, view.Units = code, p.FromDate(), p.ToDate(), units
	view.Shown = t.T("scorecard.page.period", "From", shownDate(view.From), "To", shownDate(view.To))
	view.Card = toCardJSON(fl.Card, s.scorecard.Weights(), t)
	view.Lost = fl.Lost
	for i, f := range fl.Items {
		view.Sum += f.Points
		if i >= deskFixesShown {
			view.RestCount++
			view.RestPoints += f.Points
			continue
		}
		view.Rows = append(view.Rows, s.fixRowOf(c, f, chosen[f.ID]))
	}
	return s.deskPage(c, "desk_scorecard", t.T("scorecard.desk.title"), view)
}

// fixRowOf says in words what one fix is about.
func (s *server) fixRowOf(c *fiber.Ctx, f scorecard.Fix, checked bool) fixRow {
	t := s.tr(c)
	r := fixRow{ID: f.ID, Indicator: t.T("scorecard.indicator." + f.Indicator), Points: f.Points, Kind: f.Kind, Ref: f.Ref,
		Unit: f.Unit, Checked: checked}
	switch f.Kind {
	case "bundle":
		r.Text = t.T("scorecard.fix.bundle."+f.Reason, "Count", f.Count, "Total", len(f.Details))
		r.Details = f.Details
		if len(r.Details) > 12 {
			r.More, r.Details = len(r.Details)-12, r.Details[:12]
		}
	case "procedure":
		parts := make([]string, 0, len(f.Details))
		for _, p := range f.Details {
			parts = append(parts, t.T("scorecard.part."+p))
		}
		r.Text = t.T("scorecard.fix."+f.Reason, "Ref", f.Ref, "Parts", strings.Join(parts, ", "))
	default:
		r.Text = t.T("scorecard.fix."+f.Reason, "Ref", f.Ref)
		r.Details = f.Details
	}
	return r
}
