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
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// demoDossierCount dossiers are spread over the last 90 days.
const demoDossierCount = 300

var demoUnits = []string{"TB", "TB-HA", "TB-BA"}

// Dossiers adds a few hundred dossiers over the last 90 days to the
// demo units, in every state, on time and late, some with an apology
// letter, through the sync path (which checks them like any other system's).
// It does nothing when the demo units already hold dossiers, and prints a
// code and phone a citizen can track either way.
func Dossiers(ctx context.Context, e *app.App, stdout io.Writer) error {
	svc := e.Dossiers
	all := actor.Actor{Kind: actor.Staff, Name: "demo", Role: actor.RoleAdmin}
	existing, err := svc.List(ctx, all, dossier.Query{Limit: 1})
	if err != nil {
		return err
	}
	if existing.Total == 0 {
		n, err := demoSync(ctx, e, svc)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo: %d dossiers added\n", n)
	}
	sample, err := svc.List(ctx, all, dossier.Query{Status: dossier.InProgress, Limit: 1})
	if err != nil || len(sample.Items) == 0 {
		return err
	}
	d := sample.Items[0]
	fmt.Fprintf(stdout, "demo: track dossier %s with phone 0%s at %s/track?code=%s\n",
		d.Code, d.Applicant.Phone[3:], e.Cfg.PublicURL, d.Code)
	return nil
}

// demoSync adds the dossiers to the demo units that exist, for procedures
// of the catalog, and reports how many; with no catalog or no unit it adds
// none.
func demoSync(ctx context.Context, e *app.App, svc *dossier.Service) (int, error) {
	res, err := e.Catalog.Search(catalog.Query{Limit: catalog.MaxLimit})
	if err != nil {
		return 0, err
	}
	var units []unit.Unit
	for _, code := range demoUnits {
		if u, err := e.Units.Get(ctx, code); err == nil {
			units = append(units, u)
		}
	}
	if len(res.Items) == 0 || len(units) == 0 {
		return 0, nil
	}
	g := &demoGen{rng: rand.New(rand.NewPCG(3, 2026)), cal: svc.Calendar(), now: e.Now().UTC().Add(-time.Minute),
		procs: res.Items, seq: map[string]int{}}
	for i := range demoDossierCount {
		u := units[i%len(units)]
		code, body := g.dossier(u.Code, u.AgencyCode)
		b, err := json.Marshal(body)
		if err != nil {
			return i, err
		}
		if _, _, err := svc.Sync(ctx, actor.Actor{Kind: actor.Machine, Name: "demo", Unit: u.Code, Scopes: []string{actor.ScopeSync}}, code, b); err != nil {
			return i, fmt.Errorf("demo dossier %s: %w", code, err)
		}
	}
	return demoDossierCount, nil
}

// demoGen makes plausible dossiers, the same ones for the same day.
type demoGen struct {
	rng   *rand.Rand
	cal   *workday.Calendar
	now   time.Time
	procs []catalog.Procedure
	seq   map[string]int
}

var (
	demoFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"}
	demoMiddle = []string{"Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh", "Quốc", "Thu"}
	demoGiven  = []string{"An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hoa", "Khánh", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Trang", "Tuấn", "Yến"}
)

func (g *demoGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// after is t moved on by a random stretch of office time between lo and hi
// working hours.
func (g *demoGen) after(t time.Time, lo, hi int) time.Time {
	h := lo + g.rng.IntN(hi-lo+1)
	return g.cal.AddWorkingTime(t, time.Duration(h)*time.Hour+time.Duration(g.rng.IntN(60))*time.Minute)
}

func (g *demoGen) receivedAt() time.Time {
	vn := workday.Location()
	day := g.now.In(vn).AddDate(0, 0, -(1 + g.rng.IntN(90)))
	for !g.cal.IsWorkingDay(day) {
		day = day.AddDate(0, 0, -1)
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, 7, 30, 0, 0, vn).Add(time.Duration(g.rng.IntN(9*60)) * time.Minute).UTC()
}
