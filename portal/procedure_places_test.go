package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/queue"
	"motcua/internal/store/storetest"
)

// TestProcedurePlaces: the procedure page says where to file it: the
// office whose service covers the procedure's field, with its address,
// phone, map link, opening hours in the reader's language and the button
// to press at the kiosk; without such an office, the units of the
// procedure's level that have an address; without either, the general
// word it always had. The page stays under its 50 KB budget.
func TestProcedurePlaces(t *testing.T) {
	ctx := context.Background()
	admin := actor.Actor{Kind: actor.Staff, Name: "admin", Role: actor.RoleAdmin}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			page := func(t *testing.T, path string) string {
				t.Helper()
				status, _, body := h.call(t, "GET", path, "")
				if status != http.StatusOK {
					t.Fatalf("GET %s: %d", path, status)
				}
				if len(body) > 50_000 {
					t.Errorf("GET %s: %d bytes, over the page's budget", path, len(body))
				}
				return body
			}
			t.Run("nothing on record: the general word only", func(t *testing.T) {
				body := page(t, "/procedures/1.001193")
				if strings.Contains(body, `id="where-h"`) || !strings.Contains(body, "Buổi sáng: 07:00 – 11:30") {
					t.Errorf("the page lists places, or lost the general hours")
				}
			})
			t.Run("a commune with an address", func(t *testing.T) {
				if _, err := h.env.Units.SetContact(ctx, admin, "BA", "Thôn Bình An 1, xã Bình An", "0235 3870 001"); err != nil {
					t.Fatal(err)
				}
				body := page(t, "/procedures/1.001193")
				for _, want := range []string{`id="where-h"`, "Nơi nộp hồ sơ", "Xã Bình An", "Thôn Bình An 1, xã Bình An",
					`href="tel:02353870001"`, `href="https://www.openstreetmap.org/search?query=Th%C3%B4n`, "Buổi sáng: 07:00 – 11:30"} {
					if !strings.Contains(body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
			})
			t.Run("an office whose service covers the field comes instead, with its hours", func(t *testing.T) {
				if _, err := h.env.Queue.CreateOffice(ctx, admin, queue.Office{Code: "TB-MC", Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: "TB",
					Address: "Số 1 Tiểu La, thị trấn Hà Lam", Phone: "0235 3874 123", PriorityRun: 3, DefaultMinutes: 8}); err != nil {
					t.Fatal(err)
				}
				if _, err := h.env.Queue.CreateService(ctx, admin, queue.Service{Code: "hotich", OfficeCode: "TB-MC", NameVi: "Hộ tịch – Chứng thực",
					NameEn: "Civil status", Prefix: "A", Fields: []string{"Hộ tịch"}}); err != nil {
					t.Fatal(err)
				}
				body := page(t, "/procedures/1.001193")
				for _, want := range []string{"Bộ phận Một cửa huyện Thăng Bình", "Số 1 Tiểu La, thị trấn Hà Lam", `href="tel:02353874123"`,
					"Thứ Hai – Thứ Sáu: 07:00-11:30, 13:30-17:00", "A – Hộ tịch – Chứng thực", "lấy số tại máy lấy số"} {
					if !strings.Contains(body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				if strings.Contains(body, "Thôn Bình An 1") || strings.Contains(body, "Buổi sáng: 07:00 – 11:30") {
					t.Errorf("the page still lists the commune, or the general hours beside the office's")
				}
				en := page(t, "/procedures/1.001193?lang=en")
				for _, want := range []string{"Where to file it", "Monday – Friday: 07:00-11:30, 13:30-17:00", "A – Civil status"} {
					if !strings.Contains(en, want) {
						t.Errorf("the English page lacks %q", want)
					}
				}
			})
			t.Run("another field's procedure does not name the office", func(t *testing.T) {
				status, _, body := h.call(t, "GET", "/api/v1/procedures?field=%C4%90%E1%BA%A5t%20%C4%91ai&limit=1", "")
				if status != http.StatusOK {
					t.Fatalf("list: %d", status)
				}
				code := between(body, `"code":"`, `"`)
				if code == "" {
					t.Skip("the catalog has no land procedure")
				}
				if p := page(t, "/procedures/"+code); strings.Contains(p, "Bộ phận Một cửa huyện Thăng Bình") {
					t.Errorf("procedure %s names an office that does not cover its field", code)
				}
			})
		})
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
