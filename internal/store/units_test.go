package store_test

import (
	"context"
	"strings"
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

func TestUnitsAddAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := unit.NewService(db, func() time.Time { return t0 })
		file := []unit.Unit{
			{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
			{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
			{Code: "BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB"},
		}

		t.Run("a file with any bad unit adds nothing and names each problem", func(t *testing.T) {
			bad := append(append([]unit.Unit{}, file...),
				unit.Unit{Code: "X", Name: "Xã X", Level: catalog.LevelCommune, ParentCode: "NOPE"},
				unit.Unit{Code: "Y", Name: "", Level: "county"})
			_, _, err := svc.AddAll(ctx, bad)
			ae := apperr.As(err)
			if ae.Code != apperr.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var fields []string
			for _, f := range ae.Fields {
				fields = append(fields, f.Field)
			}
			if got, want := strings.Join(fields, " "), "units[4].parent units[5].name units[5].level"; got != want {
				t.Errorf("fields = %q, want %q", got, want)
			}
			if all, _ := svc.List(ctx); len(all) != 0 {
				t.Errorf("%d units stored after a refused file, want 0", len(all))
			}
		})

		t.Run("a good file adds all, and again adds nothing", func(t *testing.T) {
			added, kept, err := svc.AddAll(ctx, file)
			if err != nil || added != 3 || kept != 0 {
				t.Fatalf("first: added %d kept %d err %v", added, kept, err)
			}
			added, kept, err = svc.AddAll(ctx, file)
			if err != nil || added != 0 || kept != 3 {
				t.Errorf("second: added %d kept %d err %v", added, kept, err)
			}
		})

		t.Run("a stored code with other data is a conflict", func(t *testing.T) {
			_, _, err := svc.AddAll(ctx, []unit.Unit{{Code: "TB", Name: "Huyện khác", Level: catalog.LevelDistrict, ParentCode: "QNA"}})
			if ae := apperr.As(err); ae.Code != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].MessageID != "error.unit.exists" {
				t.Errorf("err = %v, want units[1].code exists", err)
			}
		})
	})
}
