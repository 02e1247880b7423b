package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/catalog"
	"motcua/internal/demo"
	"motcua/internal/scorecard"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// The demo's year tells the seed's story: Thăng Bình scores about 31 and
// ranks about 11th of 18, Hà Lam above it and Bình An below, and the head's
// fix list adds up.
func TestDemoScorecardYear(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	e, err := open(ctx, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Catalog.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"},
		{Code: "TB-HA", Name: "Thị trấn Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB", AgencyCode: "000.31.31.H42"},
		{Code: "TB-BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB", AgencyCode: "000.32.31.H42"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var first, second bytes.Buffer
	if err := demo.Scorecard(ctx, e, &first); err != nil {
		t.Fatal(err)
	}
	if err := demo.Scorecard(ctx, e, &second); err != nil || second.Len() != 0 {
		t.Fatalf("a second run: %v %q, want nothing added", err, second.String())
	}
	if !strings.Contains(first.String(), "17 districts") {
		t.Errorf("output: %q", first.String())
	}
	year := e.Now().In(workday.Location()).Year() - 1
	p, err := scorecard.ParsePeriod(fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year), e.Now())
	if err != nil {
		t.Fatal(err)
	}
	score := func(code string) float64 {
		c, err := e.Scorecard.Card(ctx, code, p)
		if err != nil {
			t.Fatal(err)
		}
		return c.Total
	}
	tb, ha, ba := score("TB"), score("TB-HA"), score("TB-BA")
	if math.Abs(tb-31) > 4 || ha <= tb || ba >= tb {
		t.Errorf("Thăng Bình %.1f (want about 31), Hà Lam %.1f above it, Bình An %.1f below", tb, ha, ba)
	}
	ranks, err := e.Scorecard.Ranking(ctx, catalog.LevelDistrict, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ranks {
		if r.Unit == "TB" && (len(ranks) != 18 || r.Rank < 10 || r.Rank > 12) {
			t.Errorf("Thăng Bình ranks %d of %d, want about 11 of 18", r.Rank, len(ranks))
		}
	}
	fl, err := e.Scorecard.Fixes(ctx, actor.Actor{Kind: actor.Staff, Role: actor.RoleHead, Unit: "TB"}, "TB", p)
	if err != nil {
		t.Fatal(err)
	}
	if got := sumPoints(fl.Items); math.Abs(got-(100-tb)) > 1e-6 || len(fl.Items) < 100 {
		t.Errorf("the fix list: %d items adding up to %v, want 100 − %v", len(fl.Items), got, tb)
	}
}
