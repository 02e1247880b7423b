package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/staff"
)

// authApp mounts test routes behind the guards, with the portal's own
// error handler and language middleware, on the harness's server.
func authApp(h *deskHarness) *fiber.App {
	s := h.s
	app := fiber.New(fiber.Config{Immutable: true, ErrorHandler: s.handleError})
	app.Use(s.language)
	who := func(c *fiber.Ctx) error {
		if u := staffOf(c); u != nil {
			return c.SendString("staff " + u.Username)
		}
		return c.SendString("token " + tokenOf(c).Name)
	}
	// The unit check every handler of another unit's data does.
	unitGuard := func(c *fiber.Ctx) error {
		if !actorOf(c).InUnit(c.Params("unit")) {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		return who(c)
	}
	app.Get("/api/v1/t/staff", s.requireStaff(), who)
	app.Post("/api/v1/t/admin", s.requireStaff(staff.RoleAdmin), who)
	app.Put("/api/v1/t/sync/:unit", s.requireToken(staff.ScopeSync), unitGuard)
	app.Post("/api/v1/t/counter/:unit", s.requireStaffOrToken(staff.ScopeCounter, staff.RoleClerk, staff.RoleAdmin), unitGuard)
	app.Get("/desk/t/page", s.requireStaff(), who)
	return app
}

func TestAuthGuards(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	syncTB, err := tokenSecret(h, "TB", staff.ScopeSync)
	if err != nil {
		t.Fatal(err)
	}
	counterTB, err := tokenSecret(h, "TB", staff.ScopeCounter)
	if err != nil {
		t.Fatal(err)
	}
	api := &deskBrowser{t: t, app: authApp(h), cookies: map[string]string{}}

	clerk := h.browser(t)
	clerk.login("clerk")
	clerkCSRF := clerk.deskCSRF()
	clerk.app = api.app
	admin := h.browser(t)
	admin.login("admin")
	adminCSRF := admin.deskCSRF()
	admin.app = api.app

	bearer := func(s string) []string { return []string{"Authorization", "Bearer " + s} }
	for _, tc := range []struct {
		name    string
		b       *deskBrowser
		method  string
		path    string
		headers []string
		status  int
		code    apperr.Code
	}{
		{"an API call without a session is 401", api, "GET", "/api/v1/t/staff", nil, 401, apperr.Unauthorized},
		{"an API call with a session passes", clerk, "GET", "/api/v1/t/staff", nil, 200, ""},
		{"a clerk may not use an admin call", clerk, "POST", "/api/v1/t/admin", []string{"X-CSRF-Token", clerkCSRF}, 403, apperr.Forbidden},
		{"an admin call without the CSRF header is 403", admin, "POST", "/api/v1/t/admin", nil, 403, apperr.Forbidden},
		{"an admin call with another session's CSRF token is 403", admin, "POST", "/api/v1/t/admin", []string{"X-CSRF-Token", clerkCSRF}, 403, apperr.Forbidden},
		{"an admin call with the CSRF header passes", admin, "POST", "/api/v1/t/admin", []string{"X-CSRF-Token", adminCSRF}, 200, ""},
		{"a sync call without a token is 401", api, "PUT", "/api/v1/t/sync/TB", nil, 401, apperr.Unauthorized},
		{"a sync call with a session but no token is 401", admin, "PUT", "/api/v1/t/sync/TB", []string{"X-CSRF-Token", adminCSRF}, 401, apperr.Unauthorized},
		{"a sync call with a wrong token is 401", api, "PUT", "/api/v1/t/sync/TB", bearer(flipLast(syncTB)), 401, apperr.Unauthorized},
		{"a sync call with a Basic header is 401", api, "PUT", "/api/v1/t/sync/TB", []string{"Authorization", "Basic " + syncTB}, 401, apperr.Unauthorized},
		{"a sync call with a counter token is 403", api, "PUT", "/api/v1/t/sync/TB", bearer(counterTB), 403, apperr.Forbidden},
		{"a sync token acts on its unit", api, "PUT", "/api/v1/t/sync/TB", bearer(syncTB), 200, ""},
		{"a sync token for TB cannot act on BA", api, "PUT", "/api/v1/t/sync/BA", bearer(syncTB), 403, apperr.Forbidden},
		{"a counter call by token passes without CSRF", api, "POST", "/api/v1/t/counter/TB", bearer(counterTB), 200, ""},
		{"a counter call with a sync token is 403", api, "POST", "/api/v1/t/counter/TB", bearer(syncTB), 403, apperr.Forbidden},
		{"a counter call with a bad token is 401 even with a session", clerk, "POST", "/api/v1/t/counter/TB", bearer("nope"), 401, apperr.Unauthorized},
		{"a counter call by a clerk needs CSRF", clerk, "POST", "/api/v1/t/counter/TB", nil, 403, apperr.Forbidden},
		{"a counter call by a clerk with CSRF passes", clerk, "POST", "/api/v1/t/counter/TB", []string{"X-CSRF-Token", clerkCSRF}, 200, ""},
		{"a clerk of TB cannot act on BA", clerk, "POST", "/api/v1/t/counter/BA", []string{"X-CSRF-Token", clerkCSRF}, 403, apperr.Forbidden},
		{"an administrator acts on any unit", admin, "POST", "/api/v1/t/counter/BA", []string{"X-CSRF-Token", adminCSRF}, 200, ""},
		{"a counter call with neither is 401", api, "POST", "/api/v1/t/counter/TB", nil, 401, apperr.Unauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.b.do(tc.method, tc.path, nil, tc.headers...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.code == "" {
				return
			}
			var e apiError
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("body is not the API error shape: %v: %s", err, body)
			}
			if e.Error.Code != tc.code || e.Error.Message == "" || e.Error.Message == "error.staff.token_required" {
				t.Errorf("error = %+v, want code %s with a translated message", e.Error, tc.code)
			}
		})
	}

	t.Run("a 401 for a missing token names the Bearer scheme", func(t *testing.T) {
		resp, _ := api.do("PUT", "/api/v1/t/sync/TB", nil)
		if got := resp.Header.Get("WWW-Authenticate"); got != `Bearer realm="motcua"` {
			t.Errorf("WWW-Authenticate = %q", got)
		}
	})
	t.Run("the API error is translated", func(t *testing.T) {
		_, body := api.do("GET", "/api/v1/t/staff?lang=en", nil)
		var e apiError
		_ = json.Unmarshal([]byte(body), &e)
		if e.Error.Message != "Please sign in to continue." {
			t.Errorf("message = %q", e.Error.Message)
		}
	})
	t.Run("a page without a session redirects to sign-in", func(t *testing.T) {
		resp, _ := api.do("GET", "/desk/t/page?a=1", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/login?next="+url.QueryEscape("/desk/t/page?a=1") {
			t.Errorf("= %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func tokenSecret(h *deskHarness, unitCode, scope string) (string, error) {
	_, secret, err := h.env.Staff.CreateToken(context.Background(), unitCode, []string{scope}, scope+" "+unitCode)
	return secret, err
}

// flipLast changes a secret's last character, so it is surely wrong.
func flipLast(s string) string {
	if strings.HasSuffix(s, "A") {
		return s[:len(s)-1] + "B"
	}
	return s[:len(s)-1] + "A"
}
