package main

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

func TestDeskOffices(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDeskHarness(t, kind, nil)
			ctx := context.Background()
			clerk := h.browser(t)
			clerk.login("clerk")
			if resp, _ := clerk.do("GET", "/desk/offices", nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a clerk opening the office set-up: got %d, want 403", resp.StatusCode)
			}
			if _, body := clerk.do("GET", "/desk", nil); strings.Contains(body, `href="/desk/offices"`) {
				t.Error("a clerk's desk links to the office set-up")
			}

			admin := h.browser(t)
			admin.login("admin")
			if _, body := admin.do("GET", "/desk", nil); !strings.Contains(body, `href="/desk/offices"`) {
				t.Error("the administrator's desk has no link to the office set-up")
			}
			token := admin.deskCSRF()
			post := func(path string, form url.Values) (*http.Response, string) {
				form.Set("_csrf", token)
				return admin.do("POST", path, form)
			}

			resp, _ := admin.do("POST", "/desk/offices", url.Values{"code": {"TB-MC"}, "name": {"Một cửa"}, "unit": {"TB"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("create without the CSRF token: got %d, want 403", resp.StatusCode)
			}
			resp, body := post("/desk/offices", url.Values{"code": {"bad code!"}, "name": {""}, "unit": {"TB"}, "priority_run": {"3"}, "default_minutes": {"8"}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "error-summary") {
				t.Errorf("create with a bad code and no name: got %d, want 422 with the errors listed", resp.StatusCode)
			}
			if ls, _ := h.env.Queue.Offices(ctx); len(ls) != 0 {
				t.Fatalf("refused forms created %d offices", len(ls))
			}

			steps := []struct {
				name, path string
				form       url.Values
				status     int
			}{
				{"office is created", "/desk/offices", url.Values{"code": {"TB-MC"}, "name": {"Một cửa Thăng Bình"}, "unit": {"TB"}, "priority_run": {"3"}, "default_minutes": {"8"}}, 303},
				{"a taken code is refused", "/desk/offices", url.Values{"code": {"TB-MC"}, "name": {"Khác"}, "unit": {"TB"}, "priority_run": {"3"}, "default_minutes": {"8"}}, 422},
				{"service A is added", "/desk/offices/TB-MC/services", url.Values{"code": {"hotich"}, "prefix": {"a"}, "name_vi": {"Hộ tịch"}, "fields": {"Hộ tịch\nChứng thực\n"}}, 303},
				{"a second service with letter A is refused", "/desk/offices/TB-MC/services", url.Values{"code": {"datdai"}, "prefix": {"A"}, "name_vi": {"Đất đai"}}, 422},
				{"service B is added", "/desk/offices/TB-MC/services", url.Values{"code": {"datdai"}, "prefix": {"B"}, "name_vi": {"Đất đai"}, "name_en": {"Land"}, "position": {"1"}}, 303},
				{"a counter with an unknown service is refused", "/desk/offices/TB-MC/counters", url.Values{"number": {"1"}, "name": {"Quầy 1"}, "services": {"nope"}}, 422},
				{"a counter is added", "/desk/offices/TB-MC/counters", url.Values{"number": {"1"}, "name": {"Quầy 1"}, "services": {"hotich", "datdai"}}, 303},
				{"the office's policy is changed", "/desk/offices/TB-MC", url.Values{"name": {"Một cửa huyện Thăng Bình"}, "unit": {"TB"}, "priority_groups": {"elderly", "disabled"}, "priority_run": {"2"}, "default_minutes": {"10"}}, 303},
				{"a run of 0 is refused", "/desk/offices/TB-MC", url.Values{"name": {"X"}, "unit": {"TB"}, "priority_run": {"0"}, "default_minutes": {"10"}}, 422},
				{"an unknown office is not found", "/desk/offices/NOPE/services", url.Values{"code": {"x"}, "prefix": {"X"}, "name_vi": {"X"}}, 404},
			}
			for _, s := range steps {
				resp, body := post(s.path, s.form)
				if resp.StatusCode != s.status {
					t.Fatalf("%s: got %d, want %d\n%s", s.name, resp.StatusCode, s.status, tail(body, 1500))
				}
			}
			l, err := h.env.Queue.Layout(ctx, "TB-MC")
			if err != nil {
				t.Fatal(err)
			}
			o := l.Office
			if o.Name != "Một cửa huyện Thăng Bình" || o.PriorityRun != 2 || o.DefaultMinutes != 10 || !slices.Equal(o.PriorityGroups, []string{"disabled", "elderly"}) {
				t.Errorf("office after update: got %+v", o)
			}
			if len(l.Services) != 2 || l.Services[0].Prefix != "A" || !slices.Equal(l.Services[0].Fields, []string{"Hộ tịch", "Chứng thực"}) {
				t.Errorf("services: got %+v", l.Services)
			}
			if len(l.Counters) != 1 || len(l.Counters[0].Services) != 2 {
				t.Fatalf("counters: got %+v", l.Counters)
			}
			ctr := strconv.FormatInt(l.Counters[0].ID, 10)
			if resp, _ := post("/desk/offices/TB-MC/counters/"+ctr, url.Values{"number": {"2"}, "name": {"Quầy 2"}, "services": {"datdai"}}); resp.StatusCode != 303 {
				t.Errorf("counter update: got %d, want 303", resp.StatusCode)
			}
			if _, err := h.env.Queue.CreateOffice(ctx, staff.Operator(), o2()); err != nil {
				t.Fatal(err)
			}
			if resp, _ := post("/desk/offices/BA-MC/counters/"+ctr, url.Values{"number": {"3"}, "name": {"Quầy 3"}, "services": {"datdai"}}); resp.StatusCode != 404 {
				t.Errorf("counter update through another office's page: got %d, want 404", resp.StatusCode)
			}
			c, _, _ := h.env.Queue.Counter(ctx, l.Counters[0].ID)
			if c.Number != 2 || !slices.Equal(c.Services, []string{"datdai"}) {
				t.Errorf("counter after update: got %+v", c)
			}
			resp, body = admin.do("GET", "/desk/offices/TB-MC?saved=1", nil)
			if resp.StatusCode != 200 || !strings.Contains(body, "Quầy 2") || !strings.Contains(body, `href="/kiosk/TB-MC"`) {
				t.Errorf("office page: got %d\n%s", resp.StatusCode, tail(body, 1500))
			}
		})
	}
}

func o2() queue.Office {
	return queue.Office{Code: "BA-MC", Name: "Một cửa xã Bình An", UnitCode: "BA"}
}
