package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/catalog"
	"motcua/internal/demo"
	"motcua/internal/dossier"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

func TestDemoDossiers(t *testing.T) {
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
	if err := demo.Dossiers(ctx, e, &first); err != nil {
		t.Fatal(err)
	}
	if err := demo.Dossiers(ctx, e, &second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "demo: 300 dossiers added") || strings.Contains(second.String(), "added") {
		t.Errorf("first run:\n%s\nsecond run:\n%s", first.String(), second.String())
	}

	svc := e.Dossiers
	all := actor.Actor{Kind: actor.Staff, Name: "t", Role: actor.RoleAdmin}
	page, err := svc.List(ctx, all, dossier.Query{Limit: dossier.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	more, _ := svc.List(ctx, all, dossier.Query{Limit: dossier.MaxLimit, Offset: dossier.MaxLimit})
	items := append(page.Items, more.Items...)
	if page.Total != 300 || len(items) != 300 {
		t.Fatalf("%d dossiers, want 300", page.Total)
	}
	statuses, units := map[dossier.Status]int{}, map[string]int{}
	var lateOpen, lateFinished, onTime, apologies, lateLetters int
	for _, d := range items {
		statuses[d.Status]++
		units[d.UnitCode]++
		switch {
		case d.Status.Finished() && d.Standing.Late:
			lateFinished++
		case d.Status.Finished():
			onTime++
		case !d.Standing.Ended && d.Standing.Late:
			lateOpen++
		}
		if d.Apology != nil {
			apologies++
			if d.Apology.Late {
				lateLetters++
			}
		}
	}
	for _, st := range dossier.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no demo dossier is %s (%v)", st, statuses)
		}
	}
	if len(units) != 3 || lateOpen == 0 || lateFinished == 0 || onTime < 100 || apologies == 0 || lateLetters == 0 {
		t.Errorf("units %v, late open %d, finished late %d, on time %d, apologies %d (%d late)",
			units, lateOpen, lateFinished, onTime, apologies, lateLetters)
	}

	m := regexp.MustCompile(`demo: track dossier (\S+) with phone (\d+) at \S+/track\?code=(\S+)\n`).FindStringSubmatch(second.String())
	if m == nil || m[1] != m[3] {
		t.Fatalf("no sample to track in:\n%s", second.String())
	}
	if _, err := svc.Track(ctx, actor.Anon(), m[1], m[2]); err != nil {
		t.Errorf("the printed sample %s / %s cannot be tracked: %v", m[1], m[2], err)
	}
}
