package store_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

func TestUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := unit.NewService(db, func() time.Time { return t0 })
		mustAdd := func(u unit.Unit) {
			t.Helper()
			if _, err := svc.Add(ctx, u); err != nil {
				t.Fatalf("add %s: %v", u.Code, err)
			}
		}
		mustAdd(unit.Unit{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince})
		mustAdd(unit.Unit{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"})
		mustAdd(unit.Unit{Code: "BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB"})
		mustAdd(unit.Unit{Code: "HA", Name: "Phường Hội An", Level: catalog.LevelCommune, ParentCode: "QNA"})

		for name, tc := range map[string]struct {
			u    unit.Unit
			code apperr.Code
		}{
			"a taken code is a conflict":            {unit.Unit{Code: "TB", Name: "X", Level: catalog.LevelDistrict, ParentCode: "QNA"}, apperr.Conflict},
			"an unknown parent is invalid":          {unit.Unit{Code: "X1", Name: "X", Level: catalog.LevelCommune, ParentCode: "NOPE"}, apperr.Invalid},
			"a parent at the same level is invalid": {unit.Unit{Code: "X2", Name: "X", Level: catalog.LevelCommune, ParentCode: "BA"}, apperr.Invalid},
			"a commune without a parent is invalid": {unit.Unit{Code: "X3", Name: "X", Level: catalog.LevelCommune}, apperr.Invalid},
			"a bad level is invalid":                {unit.Unit{Code: "X4", Name: "X", Level: "county"}, apperr.Invalid},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := svc.Add(ctx, tc.u); apperr.CodeOf(err) != tc.code {
					t.Errorf("err = %v, want code %s", err, tc.code)
				}
			})
		}

		got, err := svc.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range got {
			codes = append(codes, u.Code)
		}
		if want := []string{"QNA", "TB", "BA", "HA"}; len(codes) != len(want) || codes[0] != "QNA" || codes[1] != "TB" {
			t.Errorf("units = %v, want %v (top level first)", codes, want)
		}
		tb, err := svc.Get(ctx, "TB")
		if err != nil || tb.ParentCode != "QNA" || tb.AgencyCode != "000.00.31.H42" || tb.Level != catalog.LevelDistrict {
			t.Errorf("get TB = %+v, %v", tb, err)
		}
		if _, err := svc.Get(ctx, "NOPE"); !apperr.IsNotFound(err) {
			t.Errorf("get unknown: err = %v, want not found", err)
		}
	})
}
