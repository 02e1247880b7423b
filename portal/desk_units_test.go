package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// TestDeskUnits: an administrator sets where a unit's citizens go at
// /desk/units; the tracking page then says it. Others are refused, bad
// input is 422 with every field in the form's order, and a reload after it
// shows the form again.
func TestDeskUnits(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			d := h.receiveTB(t)
			admin := h.browser(t)
			admin.login("admin")

			t.Run("the desk links the page and the page lists every unit", func(t *testing.T) {
				if _, page := admin.do("GET", "/desk", nil); !strings.Contains(page, `href="/desk/units"`) {
					t.Errorf("the desk home does not link /desk/units")
				}
				resp, page := admin.do("GET", "/desk/units", nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				for _, want := range []string{"Tỉnh Quảng Nam", "Huyện Thăng Bình", "Xã Bình An", `href="/desk/units/TB"`} {
					if !strings.Contains(page, want) {
						t.Errorf("the list lacks %q", want)
					}
				}
			})
			t.Run("staff who are not administrators are refused", func(t *testing.T) {
				clerk := h.browser(t)
				clerk.login("clerk")
				for _, p := range []string{"/desk/units", "/desk/units/TB"} {
					if resp, _ := clerk.do("GET", p, nil); resp.StatusCode != http.StatusForbidden {
						t.Errorf("GET %s: %d, want 403", p, resp.StatusCode)
					}
				}
				resp, _ := clerk.do("POST", "/desk/units/TB", url.Values{"_csrf": {clerk.deskCSRF()}, "address": {"Nơi khác"}})
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST: %d, want 403", resp.StatusCode)
				}
			})
			t.Run("a form without its CSRF token is refused", func(t *testing.T) {
				if resp, _ := admin.do("POST", "/desk/units/TB", url.Values{"address": {"Nơi khác"}}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("status %d, want 403", resp.StatusCode)
				}
			})
			t.Run("bad input is 422 with every field in order, and a reload shows the form", func(t *testing.T) {
				resp, page := admin.do("POST", "/desk/units/TB", url.Values{"_csrf": {admin.deskCSRF()}, "address": {strings.Repeat("x", 301)}, "phone": {"gọi tôi"}})
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("status %d, want 422", resp.StatusCode)
				}
				a, p := strings.Index(page, `href="#f-address"`), strings.Index(page, `href="#f-phone"`)
				if a < 0 || p < 0 || a > p {
					t.Errorf("errors: address at %d, phone at %d", a, p)
				}
				if !strings.Contains(page, `value="gọi tôi"`) {
					t.Errorf("the form lost what was typed")
				}
				if resp, _ := admin.do("GET", "/desk/units/TB", nil); resp.StatusCode != http.StatusOK {
					t.Errorf("reload: %d", resp.StatusCode)
				}
				if resp, _ := admin.do("GET", "/desk/units/NOPE", nil); resp.StatusCode != http.StatusNotFound {
					t.Errorf("an unknown unit: %d, want 404", resp.StatusCode)
				}
			})
			t.Run("a saved address and phone reach the tracking page", func(t *testing.T) {
				form := url.Values{"_csrf": {admin.deskCSRF()}, "address": {"Số 1 Tiểu La, thị trấn Hà Lam"}, "phone": {"0235 3874 123"}}
				resp, _ := admin.do("POST", "/desk/units/TB", form)
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/desk/units?saved=TB") {
					t.Fatalf("status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
				}
				_, page := admin.do("GET", resp.Header.Get("Location"), nil)
				if !strings.Contains(page, "Đã lưu địa chỉ và số điện thoại của Huyện Thăng Bình.") || !strings.Contains(page, "Số 1 Tiểu La") {
					t.Errorf("the list does not confirm the change")
				}
				_, _, track := h.call(t, "GET", "/track?code="+d.Code+"&phone=0912345678", "")
				if !strings.Contains(track, "Số 1 Tiểu La, thị trấn Hà Lam") || !strings.Contains(track, `href="tel:02353874123"`) {
					t.Errorf("the tracking page does not say where to go")
				}
			})
		})
	}
}
