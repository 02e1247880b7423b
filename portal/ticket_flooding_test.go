package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

var revokeForm = regexp.MustCompile(`action="/desk/offices/KH/kiosks/(\d+)/revoke"`)

// takeJSON posts a ticket request through the API as b and returns the
// status, the Retry-After header and the error code, if any.
func takeJSON(t *testing.T, b *deskBrowser, priority string, headers ...string) (int, string, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"service": "a", "priority": priority})
	req := append([]string{"Content-Type", "application/json"}, headers...)
	resp, out := b.doBody("POST", "/api/v1/offices/KH/tickets", string(body), req...)
	var e apiError
	if resp.StatusCode >= 400 {
		if err := json.Unmarshal([]byte(out), &e); err != nil || e.Error.Message == "" {
			t.Errorf("refusal %d is not in the error shape: %s", resp.StatusCode, out)
		}
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(e.Error.Code)
}

// Strangers are held to MOTCUA_TICKETS_PER_HOUR and may not claim a
// priority; a kiosk an administrator enrolled at the desk may, until it is
// revoked; counter staff may too.
func TestTicketFlooding(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, _ := kioskHarness(t, kind)
			phone := h.browser(t)
			if st, _, code := takeJSON(t, phone, "elderly"); st != http.StatusForbidden || code != "forbidden" {
				t.Errorf("a stranger's priority ticket: %d %s, want 403", st, code)
			}
			for i := range 6 {
				if st, _, _ := takeJSON(t, phone, ""); st != http.StatusCreated {
					t.Fatalf("stranger's ticket %d: %d, want 201", i+1, st)
				}
			}
			st, retry, code := takeJSON(t, phone, "")
			if n, _ := strconv.Atoi(retry); st != http.StatusTooManyRequests || code != "rate_limited" || n <= 0 || n > 3600 {
				t.Errorf("7th ticket in the hour: %d %s, Retry-After %q; want 429 with the seconds to wait", st, code, retry)
			}

			admin := h.browser(t)
			admin.login("admin")
			_, page := admin.do("GET", "/desk/offices/KH", nil)
			resp, _ := admin.do("POST", "/desk/offices/KH/kiosks", url.Values{"_csrf": {csrfIn(t, page)}, "kiosk_name": {"Máy sảnh <b>1</b>"}})
			secret := admin.cookies["motcua_kiosk"]
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/kiosk/KH") || len(secret) < 40 {
				t.Fatalf("enrol: %d to %q, kiosk cookie %q", resp.StatusCode, resp.Header.Get("Location"), secret)
			}
			if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") {
				t.Errorf("kiosk cookie %q, want HttpOnly and SameSite=Strict", c)
			}
			kiosk := h.browser(t)
			kiosk.cookies["motcua_kiosk"] = secret
			for i := range 8 {
				if st, _, _ := takeJSON(t, kiosk, []string{"", "elderly"}[i%2]); st != http.StatusCreated {
					t.Fatalf("enrolled kiosk's ticket %d: %d, want 201", i+1, st)
				}
			}
			if resp, _ := kiosk.do("POST", "/kiosk/KH/tickets", url.Values{"service": {"a"}, "priority": {"elderly"}}, "Origin", "http://motcua.test"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the kiosk's own form with a priority: %d, want 303", resp.StatusCode)
			}

			counterToken, err := tokenSecret(h, "TB", "counter")
			if err != nil {
				t.Fatal(err)
			}
			if st, _, _ := takeJSON(t, phone, "elderly", "Authorization", "Bearer "+counterToken); st != http.StatusCreated {
				t.Errorf("counter staff's priority ticket: %d, want 201", st)
			}
			if st, _, _ := takeJSON(t, phone, "", "Authorization", "Bearer nonsense"); st != http.StatusUnauthorized {
				t.Errorf("a bad token: %d, want 401", st)
			}

			_, page = admin.do("GET", "/desk/offices/KH", nil)
			m := revokeForm.FindStringSubmatch(page)
			if m == nil || !strings.Contains(page, "Máy sảnh &lt;b&gt;1&lt;/b&gt;") {
				t.Fatalf("the office page lists no kiosk to revoke, or not escaped")
			}
			resp, _ = admin.do("POST", "/desk/offices/KH/kiosks/"+m[1]+"/revoke", url.Values{"_csrf": {csrfIn(t, page)}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("revoke: %d", resp.StatusCode)
			}
			if st, _, _ := takeJSON(t, kiosk, "elderly"); st != http.StatusForbidden {
				t.Errorf("the revoked kiosk claims a priority: %d, want 403 at once", st)
			}
			if st, _, _ := takeJSON(t, kiosk, ""); st != http.StatusTooManyRequests {
				t.Errorf("the revoked kiosk, from the spent address: %d, want 429", st)
			}
			clerk := h.browser(t)
			clerk.login("clerk")
			if resp, _ := clerk.do("POST", "/desk/offices/KH/kiosks", url.Values{"_csrf": {clerk.deskCSRF()}, "kiosk_name": {"x"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a clerk enrols a kiosk: %d, want 403", resp.StatusCode)
			}
		})
	}
}

// doBody is do with a raw body.
func (b *deskBrowser) doBody(method, path, body string, headers ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, "http://motcua.test"+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(data)
}
