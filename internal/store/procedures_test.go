package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

var t0 = time.Date(2026, 4, 29, 3, 0, 0, 0, time.UTC)

func sampleProcedure(code string) catalog.Procedure {
	return catalog.Procedure{
		Code: code, Name: "Đăng ký khai sinh", NameEn: "Birth registration", Field: "Hộ tịch", FieldEn: "Civil status",
		Level: catalog.LevelCommune, Agency: "UBND cấp xã", ProcessingDays: 1, Fee: "Miễn lệ phí", Online: catalog.OnlineFull,
		Documents: []string{"Tờ khai", "Giấy chứng sinh"}, LegalBasis: []string{"Luật Hộ tịch 2014"}, Steps: []string{},
		Verified: true, Source: "https://example.invalid/p",
	}
}

func TestSaveProcedures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v0, err := db.CatalogVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a, b := sampleProcedure("1.001193"), sampleProcedure("1.000894")
		b.Name = "Đăng ký kết hôn"
		var seen int
		res, err := db.SaveProcedures(ctx, []catalog.Procedure{a, b}, t0, func(n int) { seen = n })
		if err != nil {
			t.Fatal(err)
		}
		if want := (catalog.SaveResult{Created: 2}); res != want {
			t.Errorf("first save = %+v, want %+v", res, want)
		}
		if seen != 2 {
			t.Errorf("progress reached %d, want 2", seen)
		}

		t.Run("saving the same records again changes nothing", func(t *testing.T) {
			v1, _ := db.CatalogVersion(ctx)
			res, err := db.SaveProcedures(ctx, []catalog.Procedure{a, b}, t0.Add(time.Hour), nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := (catalog.SaveResult{Unchanged: 2}); res != want {
				t.Errorf("second save = %+v, want %+v", res, want)
			}
			if v2, _ := db.CatalogVersion(ctx); v2 != v1 || v1 <= v0 {
				t.Errorf("versions %d → %d → %d, want growth then no change", v0, v1, v2)
			}
		})

		t.Run("a changed record is updated, not duplicated", func(t *testing.T) {
			a2 := a
			a2.Documents = []string{"Tờ khai mới"}
			res, err := db.SaveProcedures(ctx, []catalog.Procedure{a2}, t0.Add(2*time.Hour), nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := (catalog.SaveResult{Updated: 1}); res != want {
				t.Errorf("save = %+v, want %+v", res, want)
			}
			all, err := db.Procedures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 2 {
				t.Fatalf("catalog has %d procedures, want 2", len(all))
			}
			got, err := db.Procedure(ctx, "1.001193")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Documents) != 1 || got.Documents[0] != "Tờ khai mới" || !got.UpdatedAt.Equal(t0.Add(2*time.Hour)) {
				t.Errorf("stored %+v", got)
			}
			if got.Name != a.Name || got.Online != catalog.OnlineFull || !got.Verified || got.Steps == nil {
				t.Errorf("round trip lost data: %+v", got)
			}
		})

		t.Run("an unknown code is not found", func(t *testing.T) {
			if _, err := db.Procedure(ctx, "9.999999"); !apperr.IsNotFound(err) {
				t.Errorf("err = %v, want not found", err)
			}
		})
	})
}

func TestProcedureStepsAndFormsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := sampleProcedure("1.001193")
		p.Steps = []string{"Nộp hồ sơ", "Nhận kết quả"}
		p.Forms = []catalog.Form{{Name: "Tờ khai đăng ký khai sinh", URL: "https://example.invalid/tk.docx"}, {Name: "Giấy cam đoan", File: "cam-doan.pdf"}}
		if _, err := db.SaveProcedures(ctx, []catalog.Procedure{p, sampleProcedure("1.000894")}, t0, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.Procedure(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Forms, p.Forms) || !reflect.DeepEqual(got.Steps, p.Steps) {
			t.Errorf("stored forms %+v, steps %q; want %+v, %q", got.Forms, got.Steps, p.Forms, p.Steps)
		}
		if other, _ := db.Procedure(ctx, "1.000894"); other.Forms == nil || len(other.Forms) != 0 {
			t.Errorf("a procedure without forms reads back %#v, want an empty list", other.Forms)
		}
		res, err := db.SaveProcedures(ctx, []catalog.Procedure{p}, t0.Add(time.Hour), nil)
		if err != nil || res != (catalog.SaveResult{Unchanged: 1}) {
			t.Errorf("saving the same forms again = %+v, %v; want unchanged", res, err)
		}
		p.Forms = p.Forms[:1]
		res, err = db.SaveProcedures(ctx, []catalog.Procedure{p}, t0.Add(2*time.Hour), nil)
		if err != nil || res != (catalog.SaveResult{Updated: 1}) {
			t.Errorf("saving fewer forms = %+v, %v; want updated", res, err)
		}
	})
}
