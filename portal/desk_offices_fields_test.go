package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

// TestDeskOfficesFieldsHoursAndRetiring: a service's fields are chosen from
// the catalog's and may not overlap another service's (refused, translated);
// an empty code is "required"; the desk edits address, phone and hours;
// services and counters are retired (gone from the kiosk and the console,
// history kept) and brought back; a reload after a refused form is never a
// 404.
func TestDeskOfficesFieldsHoursAndRetiring(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDeskHarness(t, kind, nil)
			ctx := context.Background()
			if _, err := h.env.Catalog.Import(ctx, sample(t), nil, catalog.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			must(t, h.env.Catalog.Refresh(ctx))
			_, err := h.env.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "TB-MC", Name: "Một cửa Thăng Bình", UnitCode: "TB"})
			must(t, err)
			admin := h.browser(t)
			admin.login("admin")
			token := admin.deskCSRF()
			post := func(path string, form url.Values) (*http.Response, string) {
				form.Set("_csrf", token)
				return admin.do("POST", path, form)
			}

			_, page := admin.do("GET", "/desk/offices/TB-MC", nil)
			if !strings.Contains(page, `type="checkbox" id="s-new-f-0" name="fields" value="Hộ tịch"`) || strings.Contains(page, `<textarea id="s-new-fields"`) {
				t.Errorf("a service's fields should be the catalog's, as checkboxes")
			}
			resp, body := post("/desk/offices/TB-MC/services", url.Values{"code": {""}, "prefix": {"A"}, "name_vi": {"Hộ tịch"}})
			if resp.StatusCode != 422 || !strings.Contains(body, "Mã: Trường này là bắt buộc.") || strings.Contains(body, "Mã chỉ gồm") {
				t.Errorf("an empty code: got %d, want 422 saying it is required\n%s", resp.StatusCode, tail(body, 800))
			}
			// The address bar now shows the form's address: reloading it
			// shows the office again.
			if resp, _ := admin.do("GET", "/desk/offices/TB-MC/services", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/offices/TB-MC" {
				t.Errorf("reload after a refused form: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			resp, body = post("/desk/offices/TB-MC/services", url.Values{"code": {"x"}, "prefix": {"X"}, "name_vi": {"X"}, "fields": {"Không có"}})
			if resp.StatusCode != 422 || !strings.Contains(body, "không có trong danh mục thủ tục") {
				t.Errorf("a field not in the catalog: got %d", resp.StatusCode)
			}
			if resp, _ := post("/desk/offices/TB-MC/services", url.Values{"code": {"hotich"}, "prefix": {"A"}, "name_vi": {"Hộ tịch"}, "fields": {"Hộ tịch", "Chứng thực"}}); resp.StatusCode != 303 {
				t.Fatalf("service A: got %d", resp.StatusCode)
			}
			resp, body = post("/desk/offices/TB-MC/services", url.Values{"code": {"datdai"}, "prefix": {"B"}, "name_vi": {"Đất đai"}, "fields": {"Đất đai", "Chứng thực"}})
			if resp.StatusCode != 422 || !strings.Contains(body, "Lĩnh vực “Chứng thực” đã thuộc dịch vụ “Hộ tịch”") {
				t.Errorf("an overlapping field: got %d, want 422 naming the other service\n%s", resp.StatusCode, tail(body, 800))
			}
			if resp, _ := post("/desk/offices/TB-MC/services", url.Values{"code": {"datdai"}, "prefix": {"B"}, "name_vi": {"Đất đai"}, "fields": {"Đất đai"}}); resp.StatusCode != 303 {
				t.Fatalf("service B: got %d", resp.StatusCode)
			}
			_, page = admin.do("GET", "/desk/offices/TB-MC", nil)
			if !strings.Contains(page, "(đã thuộc A – Hộ tịch)") {
				t.Errorf("the form does not warn which fields another service has")
			}

			// Address, phone, hours.
			form := url.Values{"name": {"Một cửa Thăng Bình"}, "unit": {"TB"}, "priority_run": {"3"}, "default_minutes": {"8"},
				"address": {"Hà Lam, Thăng Bình"}, "phone": {"0235 3874 000"}, "last_ticket_minutes": {"15"},
				"hours_mon": {"07:00-11:30, 13:30-17:00"}, "hours_wed": {"07:00-11:30"}, "hours_sat": {"07:30-11:00"}}
			form.Set("hours_tue", "7h-11h")
			resp, body = post("/desk/offices/TB-MC", form)
			if resp.StatusCode != 422 || !strings.Contains(body, "Giờ cấp số thứ Ba: Khung giờ “7h-11h”") {
				t.Errorf("a bad period: got %d\n%s", resp.StatusCode, tail(body, 800))
			}
			form.Set("hours_tue", "07:00-11:30")
			if resp, _ := post("/desk/offices/TB-MC", form); resp.StatusCode != 303 {
				t.Fatalf("office settings: got %d", resp.StatusCode)
			}
			o, err := h.env.Queue.Office(ctx, "TB-MC")
			must(t, err)
			if o.Address != "Hà Lam, Thăng Bình" || o.Phone != "0235 3874 000" || o.LastTicketMinutes != 15 ||
				o.Hours.Text("mon") != "07:00-11:30, 13:30-17:00" || o.Hours.Text("sat") != "07:30-11:00" || o.Hours.Text("thu") != "" {
				t.Errorf("office after the form: %+v %v", o, o.Hours.Map())
			}

			// Retire service B and a counter; bring B back.
			if resp, _ := post("/desk/offices/TB-MC/counters", url.Values{"number": {"6"}, "name": {"Quầy 6"}, "services": {"hotich", "datdai"}}); resp.StatusCode != 303 {
				t.Fatalf("counter: got %d", resp.StatusCode)
			}
			l, err := h.env.Queue.Layout(ctx, "TB-MC")
			must(t, err)
			ctr := strconv.FormatInt(l.Counters[0].ID, 10)
			for _, p := range []string{"/desk/offices/TB-MC/services/datdai/retire", "/desk/offices/TB-MC/counters/" + ctr + "/retire"} {
				if resp, _ := post(p, url.Values{}); resp.StatusCode != 303 {
					t.Fatalf("%s: got %d", p, resp.StatusCode)
				}
			}
			_, kiosk := admin.do("GET", "/kiosk/TB-MC", nil) // 08:00 on a Wednesday: open
			if strings.Contains(kiosk, "/services/datdai") || !strings.Contains(kiosk, "/services/hotich") {
				t.Errorf("the kiosk still offers the retired service")
			}
			if resp, _ := admin.do("GET", "/counter/TB-MC/6", nil); resp.StatusCode != 404 {
				t.Errorf("a retired counter's console: got %d, want 404", resp.StatusCode)
			}
			_, page = admin.do("GET", "/desk/offices/TB-MC", nil)
			if !strings.Contains(page, "Dịch vụ đã ngừng dùng") || !strings.Contains(page, "Quầy đã ngừng dùng") {
				t.Errorf("the office page does not list what was retired")
			}
			if resp, _ := post("/desk/offices/TB-MC/services/datdai/restore", url.Values{}); resp.StatusCode != 303 {
				t.Errorf("bring back a service: got %d", resp.StatusCode)
			}
			if _, kiosk = admin.do("GET", "/kiosk/TB-MC", nil); !strings.Contains(kiosk, "/services/datdai") {
				t.Errorf("the service brought back is not on the kiosk")
			}
		})
	}
}
