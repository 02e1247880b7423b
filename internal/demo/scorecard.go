package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/scorecard"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// The demo's 766 year (docs/scorecard.md): the seed's district, Thăng
// Bình, scored 31 of 100 and ranked 11th of the province's 18 districts,
// towns and cities. The demo adds the other seventeen and a year of
// dossiers to every one of them, made up with a level of care per unit, so
// that the ranking and the fix list have something true to show: Thăng
// Bình's year scores about 31 and ranks 11th, Hà Lam does better and Bình
// An worse.

// demoDistrict is a district of Quảng Nam with how carefully the demo's
// year treats its dossiers (0 to 1) and how many it receives.
type demoDistrict struct {
	code, name string
	care       float64
	dossiers   int
}

var demoDistricts = []demoDistrict{
	{"QNA-TK", "Thành phố Tam Kỳ", 0.95, 12},
	{"QNA-HAN", "Thành phố Hội An", 0.92, 12},
	{"QNA-DB", "Thị xã Điện Bàn", 0.86, 12},
	{"QNA-NT", "Huyện Núi Thành", 0.8, 10},
	{"QNA-DX", "Huyện Duy Xuyên", 0.76, 10},
	{"QNA-PN", "Huyện Phú Ninh", 0.7, 10},
	{"QNA-DL", "Huyện Đại Lộc", 0.66, 10},
	{"QNA-QS", "Huyện Quế Sơn", 0.6, 10},
	{"QNA-TP", "Huyện Tiên Phước", 0.55, 9},
	{"QNA-HD", "Huyện Hiệp Đức", 0.5, 9},
	{"QNA-NS", "Huyện Nông Sơn", 0.1, 8},
	{"QNA-DG", "Huyện Đông Giang", 0.16, 8},
	{"QNA-BTM", "Huyện Bắc Trà My", 0.12, 8},
	{"QNA-PS", "Huyện Phước Sơn", 0.08, 8},
	{"QNA-NG", "Huyện Nam Giang", 0.05, 8},
	{"QNA-NTM", "Huyện Nam Trà My", 0.02, 8},
	{"QNA-TG", "Huyện Tây Giang", 0, 8},
}

// demoYearUnits are Thăng Bình and its two communes, with their care.
var demoYearUnits = []demoDistrict{
	{"TB", "", 0.12, 160},
	{"TB-HA", "", 0.4, 70},
	{"TB-BA", "", 0, 70},
}

// Scorecard adds the other districts, once, and then a year of
// dossiers to every district and to Thăng Bình's communes. It does nothing
// when the districts exist already.
func Scorecard(ctx context.Context, e *app.App, stdout io.Writer) error {
	added := 0
	for _, d := range demoDistricts {
		_, err := e.Units.Add(ctx, unit.Unit{Code: d.code, Name: d.name, Level: catalog.LevelDistrict, ParentCode: "QNA"})
		switch {
		case apperr.CodeOf(err) == apperr.Conflict:
			continue
		case err != nil:
			return err
		}
		added++
	}
	if added == 0 {
		return nil
	}
	procs := e.Catalog.All()
	if len(procs) == 0 {
		return nil
	}
	g := &demoYear{rng: rand.New(rand.NewPCG(766, 31)), cal: e.Dossiers.Calendar(), now: e.Now().UTC().Add(-time.Minute), procs: procs}
	n := 0
	for i, u := range append(append([]demoDistrict{}, demoYearUnits...), demoDistricts...) {
		for j := range u.dossiers {
			code, body := g.dossier(u, i, j)
			b, err := json.Marshal(body)
			if err != nil {
				return err
			}
			if _, _, err := e.Dossiers.Sync(ctx, actor.Actor{Kind: actor.Machine, Name: "demo", Unit: u.code, Scopes: []string{actor.ScopeSync}}, code, b); err != nil {
				return fmt.Errorf("demo year dossier %s: %w", code, err)
			}
			n++
		}
	}
	year := e.Now().In(workday.Location()).Year() - 1
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	p, err := scorecard.ParsePeriod(from, to, e.Now())
	if err != nil {
		return err
	}
	card, err := e.Scorecard.Card(ctx, "TB", p)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo: %d districts and %d dossiers of %d added; Thăng Bình scores %.1f that year (%s/scorecard?unit=TB&from=%s&to=%s)\n",
		added, n, year, card.Total, e.Cfg.PublicURL, from, to)
	return nil
}

// demoYear makes up the year's dossiers, the same ones for the same day.
type demoYear struct {
	rng   *rand.Rand
	cal   *workday.Calendar
	now   time.Time
	procs []catalog.Procedure
}

func (g *demoYear) chance(p float64) bool { return g.rng.Float64() < p }

// dossier makes up the j-th dossier of the year of unit u (the i-th unit):
// received on a working day of last year (the demo's other dossiers,
// ratings and feedback fill the last 90 days), ended, on time or late by
// the unit's care.
func (g *demoYear) dossier(u demoDistrict, i, j int) (string, map[string]any) {
	vn := workday.Location()
	p := g.procs[g.rng.IntN(len(g.procs))]
	day := time.Date(g.now.In(vn).Year()-1, 1, 1, 0, 0, 0, 0, vn).AddDate(0, 0, g.rng.IntN(365))
	for !g.cal.IsWorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	y, m, d := day.Date()
	rec := time.Date(y, m, d, 7, 30, 0, 0, vn).Add(time.Duration(g.rng.IntN(8*60)) * time.Minute).UTC()
	due := g.cal.Due(rec, max(p.ProcessingDays, 1))
	code := fmt.Sprintf("DEMO766-%02d-%s-%04d", i, rec.In(vn).Format("060102"), j)
	q := u.care
	events := []map[string]any{{"at": rec.Format(time.RFC3339), "status": "received", "note": ""}}
	step := func(at time.Time, st dossier.Status, note string) {
		events = append(events, map[string]any{"at": at.Format(time.RFC3339), "status": st, "note": note})
	}
	start := g.cal.AddWorkingTime(rec, time.Hour)
	step(start, dossier.InProgress, "Chuyển cơ quan chuyên môn xử lý")
	status := dossier.Returned
	var apology map[string]any
	switch {
	case g.chance(0.03):
		status = dossier.Withdrawn
		step(g.cal.AddWorkingTime(start, 4*time.Hour), dossier.Withdrawn, "Công dân đề nghị rút hồ sơ")
	case g.chance(0.25 + 0.7*q): // on time
		fin := g.cal.AddWorkingTime(start, time.Duration(float64(g.cal.WorkingTime(start, due))*g.rng.Float64()))
		step(fin, dossier.Done, "")
		step(g.cal.AddWorkingTime(fin, 2*time.Hour), dossier.Returned, "")
	default: // late, with an apology letter before the due date by care
		fin := g.cal.AddWorkingTime(due, time.Duration(1+g.rng.IntN(40))*time.Hour)
		step(fin, dossier.Done, "")
		step(g.cal.AddWorkingTime(fin, 2*time.Hour), dossier.Returned, "")
		if g.chance(0.2 + 0.7*q) {
			apology = map[string]any{"issued_at": g.cal.AddWorkingTime(due, -4*time.Hour).Format(time.RFC3339),
				"new_due_at": g.cal.AddWorkingTime(due, 5*g.cal.DayLength()).Format(time.RFC3339),
				"reason":     "Chờ ý kiến của cơ quan chuyên môn cấp tỉnh"}
		}
	}
	online := p.Online != catalog.OnlineNone && g.chance(0.04+0.6*q)
	channel := []string{"counter", "counter", "post"}[g.rng.IntN(3)]
	if online {
		channel = "online"
	}
	fee := g.chance(0.3)
	return code, map[string]any{
		"procedure_code": p.Code, "unit": u.code,
		"applicant": map[string]any{"name": "Người dân " + code[len(code)-4:], "phone": fmt.Sprintf("09%08d", g.rng.IntN(100000000))},
		"channel":   channel, "received_at": rec.Format(time.RFC3339), "due_at": due.Format(time.RFC3339), "status": status,
		"digitized": g.chance(0.05 + 0.9*q), "e_result": status == dossier.Returned && g.chance(0.02+0.9*q),
		"reused_data": g.chance(0.6 * q), "has_fee": fee, "paid_online": fee && online && g.chance(0.2+0.8*q),
		"synced_national": g.chance(0.1 + 0.9*q), "events": events, "apology": apology,
	}
}
