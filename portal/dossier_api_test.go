package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

// newDossierHarness is the desk harness with the bundled catalog and an
// officer of BA, a unit other than TB.
func newDossierHarness(t *testing.T, kind string, vars map[string]string) *deskHarness {
	t.Helper()
	h := newDeskHarness(t, kind, vars)
	ctx := context.Background()
	if _, err := h.env.Catalog.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.env.Staff.AddUser(ctx, staff.User{Username: "officer.ba", Role: staff.RoleOfficer, UnitCode: "BA"}, deskPassword); err != nil {
		t.Fatal(err)
	}
	return h
}

// receiveTB receives a dossier for 1.001193 (one working day) at TB now:
// at deskT0, Wed 29 April 08:00, it is due Mon 4 May 08:00 (30 April, 1 May
// and the weekend are off), so at once due within a working day.
func (h *deskHarness) receiveTB(t *testing.T) dossier.Dossier {
	t.Helper()
	d, err := h.s.dossiers.Receive(context.Background(), actor.Actor{Kind: actor.Staff, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"},
		dossier.Reception{UnitCode: "TB", ProcedureCode: "1.001193", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// call sends a request to the harness's app and returns the status, the
// headers and the body.
func (h *deskHarness) call(t *testing.T, method, path, body string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://motcua.test"+path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestTrackDossierAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			d := h.receiveTB(t)
			path := "/api/v1/dossiers/" + d.Code + "?phone="
			status, _, body := h.call(t, "GET", path+url.QueryEscape("+84 912 345 678"), "")
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range got {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			want := "apology applicant can_rate code due_at due_provisional events finished_at late next_step office procedure_code procedure_name received_at returned_at standing status unit"
			if strings.Join(keys, " ") != want {
				t.Errorf("fields = %v, want %s", keys, want)
			}
			if got["code"] != d.Code || got["status"] != "received" || got["unit"] != "TB" || got["late"] != false ||
				got["received_at"] != "2026-04-29T01:00:00Z" || got["due_at"] != "2026-05-04T01:00:00Z" || got["apology"] != nil {
				t.Errorf("dossier = %v", got)
			}
			// A one-day dossier just received is on time, not "due soon".
			if got["standing"] != "on_time" || got["can_rate"] != false || got["next_step"] == "" {
				t.Errorf("citizen's view = standing %v, can_rate %v, next_step %q", got["standing"], got["can_rate"], got["next_step"])
			}
			if o := got["office"].(map[string]any); o["name"] == "" {
				t.Errorf("no office to contact: %v", o)
			}
			if a := got["applicant"].(map[string]any); a["name"] != "N. V. A." || a["phone"] != "******678" {
				t.Errorf("applicant not masked: %v", a)
			}
			if strings.Contains(body, "Nguyễn") || strings.Contains(body, "912345678") {
				t.Errorf("personal data leaked: %s", body)
			}

			t.Run("a wrong phone is the same 404 as an unknown code", func(t *testing.T) {
				s1, _, wrong := h.call(t, "GET", path+"0987654321", "")
				s2, _, unknown := h.call(t, "GET", "/api/v1/dossiers/TB-260429-0999?phone=0912345678", "")
				if s1 != http.StatusNotFound || s2 != http.StatusNotFound || wrong != unknown {
					t.Errorf("wrong phone %d %s; unknown code %d %s", s1, wrong, s2, unknown)
				}
			})
			t.Run("a phone that is not a phone is 422", func(t *testing.T) {
				if s, _, b := h.call(t, "GET", path+"hello", ""); s != http.StatusUnprocessableEntity {
					t.Errorf("status %d: %s", s, b)
				}
			})
		})
	}
}

func TestLookupRateLimit(t *testing.T) {
	t.Run("the limit answers 429 with Retry-After, whatever X-Forwarded-For says", func(t *testing.T) {
		h := newDossierHarness(t, "sqlite", map[string]string{"MOTCUA_LOOKUP_PER_MINUTE": "3"})
		d := h.receiveTB(t)
		for i := 0; i < 3; i++ {
			if s, _, _ := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", "", "X-Forwarded-For", "10.0.0."+itoa(i)); s != http.StatusOK {
				t.Fatalf("look-up %d: status %d", i, s)
			}
		}
		s, hdr, body := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", "", "X-Forwarded-For", "10.9.9.9")
		if s != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(body, `"code":"rate_limited"`) {
			t.Errorf("4th look-up: %d, Retry-After %q, %s", s, hdr.Get("Retry-After"), body)
		}
		if s, hdr, _ := h.call(t, "GET", "/track?code="+d.Code+"&phone=0912345678", ""); s != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" {
			t.Errorf("the tracking page shares the limit: %d", s)
		}
		if s, _, _ := h.call(t, "GET", "/track", ""); s != http.StatusOK {
			t.Errorf("the empty form is not a look-up, yet it answered %d", s)
		}
	})
	t.Run("behind a trusted proxy each client has its own count", func(t *testing.T) {
		// app.Test connects from 0.0.0.0: that is the proxy here.
		h := newDossierHarness(t, "sqlite", map[string]string{"MOTCUA_LOOKUP_PER_MINUTE": "2", "MOTCUA_TRUSTED_PROXIES": "0.0.0.0"})
		d := h.receiveTB(t)
		get := func(client string) int {
			s, _, _ := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", "", "X-Forwarded-For", client)
			return s
		}
		got := []int{get("203.0.113.1"), get("203.0.113.1"), get("203.0.113.1"), get("203.0.113.2")}
		if got[0] != 200 || got[1] != 200 || got[2] != 429 || got[3] != 200 {
			t.Errorf("statuses = %v, want [200 200 429 200]", got)
		}
	})
	t.Run("0 turns the limit off", func(t *testing.T) {
		h := newDossierHarness(t, "sqlite", map[string]string{"MOTCUA_LOOKUP_PER_MINUTE": "0"})
		d := h.receiveTB(t)
		for i := 0; i < 30; i++ {
			if s, _, _ := h.call(t, "GET", "/api/v1/dossiers/"+d.Code+"?phone=0912345678", ""); s != http.StatusOK {
				t.Fatalf("look-up %d: %d", i, s)
			}
		}
	})
}
