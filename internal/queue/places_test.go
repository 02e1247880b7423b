package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

// TestPlaces: a procedure is filed at the offices whose services cover its
// field; failing that, at the units of its level that have an address or a
// phone. The answer comes from a cached directory that a change made
// through the services forgets, and that expires on its own.
func TestPlaces(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		units := unit.NewService(db, h.clock.Now)
		units.OnChange = h.m.ForgetPlaces
		_, err := units.Add(ctx, unit.Unit{Code: "BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB"})
		must(t, err)
		_, err = units.Add(ctx, unit.Unit{Code: "HA", Name: "Xã Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB"})
		must(t, err)

		t.Run("the office whose service covers the field", func(t *testing.T) {
			ps, err := h.m.Places(ctx, "Hộ tịch", catalog.LevelCommune)
			must(t, err)
			if len(ps) != 1 || ps[0].Office != "TB-HCC" || len(ps[0].Services) != 1 || ps[0].Services[0].Prefix != "A" || ps[0].Hours.IsZero() {
				t.Fatalf("places = %+v", ps)
			}
		})
		t.Run("no office covers it and no unit of its level has a contact: nothing", func(t *testing.T) {
			ps, err := h.m.Places(ctx, "Đất đai", catalog.LevelCommune)
			must(t, err)
			if len(ps) != 0 {
				t.Errorf("places = %+v", ps)
			}
		})
		t.Run("a unit's new address is seen at once", func(t *testing.T) {
			_, err := units.SetContact(ctx, operator, "BA", "Thôn 1, xã Bình An", "0235 3870 001")
			must(t, err)
			ps, err := h.m.Places(ctx, "Đất đai", catalog.LevelCommune)
			must(t, err)
			if len(ps) != 1 || ps[0].Office != "" || ps[0].UnitCode != "BA" || ps[0].Address != "Thôn 1, xã Bình An" || ps[0].MapURL() == "" {
				t.Errorf("places = %+v", ps)
			}
		})
		t.Run("a new service covering the field is seen at once", func(t *testing.T) {
			_, err := h.m.CreateService(ctx, operator, queue.Service{Code: "dd", OfficeCode: "OTHER", NameVi: "Đất đai", Prefix: "D", Fields: []string{"Đất đai"}})
			must(t, err)
			ps, err := h.m.Places(ctx, "Đất đai", catalog.LevelProvince)
			must(t, err)
			if len(ps) != 1 || ps[0].Office != "OTHER" {
				t.Errorf("places = %+v", ps)
			}
		})
		t.Run("offices of the procedure's level come first", func(t *testing.T) {
			_, err := h.m.UpdateService(ctx, operator, queue.Service{Code: "datdai", OfficeCode: "TB-HCC", NameVi: "Đất đai – Xây dựng", Prefix: "B", Position: 1, Fields: []string{"Xây dựng"}})
			must(t, err)
			_, err = h.m.CreateService(ctx, operator, queue.Service{Code: "xd", OfficeCode: "OTHER", NameVi: "Xây dựng", Prefix: "X", Fields: []string{"Xây dựng"}})
			must(t, err)
			for level, first := range map[catalog.Level]string{catalog.LevelProvince: "OTHER", catalog.LevelDistrict: "TB-HCC"} {
				ps, err := h.m.Places(ctx, "Xây dựng", level)
				must(t, err)
				if len(ps) != 2 || ps[0].Office != first {
					t.Errorf("%s: places = %+v, want %s first", level, ps, first)
				}
			}
		})
		t.Run("readers and forgetting at once all get an answer", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 40)
			for i := range 40 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if i%8 == 0 {
						h.m.ForgetPlaces()
					}
					ps, err := h.m.Places(ctx, "Hộ tịch", catalog.LevelCommune)
					if err == nil && len(ps) != 1 {
						err = fmt.Errorf("%d places", len(ps))
					}
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
		t.Run("a change the manager did not make is read after the cache expires", func(t *testing.T) {
			if err := db.SetUnitContact(ctx, "HA", "Khối 2, thị trấn Hà Lam", ""); err != nil {
				t.Fatal(err)
			}
			ps, _ := h.m.Places(ctx, "Tư pháp", catalog.LevelCommune)
			if len(ps) != 1 {
				t.Errorf("before expiry: %d places, want the cached 1", len(ps))
			}
			h.clock.Add(queue.PlacesTTL + time.Second)
			ps, _ = h.m.Places(ctx, "Tư pháp", catalog.LevelCommune)
			if len(ps) != 2 {
				t.Errorf("after expiry: %d places, want 2", len(ps))
			}
		})
	})
}
