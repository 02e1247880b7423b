package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/app"
	"motcua/internal/store/storetest"
)

// secondInstance is another portal over the harness's database, as a second
// replica behind a load balancer would be.
func secondInstance(t *testing.T, vars map[string]string, h *deskHarness) *fiber.App {
	t.Helper()
	e, err := open(context.Background(), func(k string) string { return vars[k] }, io.Discard, app.WithClock(h.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	_, a, err := newServer(e)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// syncStatus calls the sync API with the token on the app: 401 when the
// token is refused, something else (the body is empty) when it is let in.
func syncStatus(t *testing.T, a *fiber.App, token string) int {
	t.Helper()
	req, _ := http.NewRequest("PUT", "http://motcua.test/api/v1/sync/dossiers/TB-1", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// deskStatus opens /desk with the session cookie on the app: 200 signed
// in, 303 to the sign-in form when the session no longer works.
func deskStatus(t *testing.T, a *fiber.App, session string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://motcua.test/desk", nil)
	req.AddCookie(&http.Cookie{Name: "motcua_session", Value: session})
	resp, err := a.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Finding 11: accounts and tokens could not be retired. A disabled user's
// sessions and a revoked token now stop at once on every instance, since
// each request reads them from the database; the commands answer with the
// exit statuses of the README.
func TestRetireAccountsAndTokens(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			vars := map[string]string{"DATABASE_URL": storetest.URL(t, kind), "MOTCUA_DATA_DIR": t.TempDir()}
			h := newDeskHarness(t, kind, vars)
			other := secondInstance(t, vars, h)

			b := h.browser(t)
			b.login("officer")
			session := b.cookies["motcua_session"]
			r := runCmd(t, vars, "", "token", "create", "-unit", "TB", "-scope", "sync", "-name", "one-stop system")
			if r.status != 0 {
				t.Fatalf("token create: %+v", r)
			}
			token := strings.TrimSpace(r.stdout)
			for name, a := range map[string]*fiber.App{"this instance": h.app, "the other instance": other} {
				if got := deskStatus(t, a, session); got != http.StatusOK {
					t.Fatalf("%s: the session opens /desk with %d", name, got)
				}
				if got := syncStatus(t, a, token); got == http.StatusUnauthorized {
					t.Fatalf("%s: the new token is refused", name)
				}
			}

			t.Run("user disable ends the sessions everywhere and stops sign-in", func(t *testing.T) {
				if r := runCmd(t, vars, "", "user", "disable", "-username", "Officer"); r.status != 0 || r.stdout != "user officer disabled\n" {
					t.Fatalf("disable: %+v", r)
				}
				for name, a := range map[string]*fiber.App{"this instance": h.app, "the other instance": other} {
					if got := deskStatus(t, a, session); got != http.StatusSeeOther {
						t.Errorf("%s: a disabled user's session opens /desk with %d, want 303", name, got)
					}
				}
				nb := h.browser(t)
				_, page := nb.do("GET", "/desk/login", nil)
				resp, body := nb.do("POST", "/desk/login", map[string][]string{"_csrf": {csrfIn(t, page)}, "username": {"officer"}, "password": {deskPassword}})
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Tên đăng nhập hoặc mật khẩu không đúng") {
					t.Errorf("a disabled user signs in: %d", resp.StatusCode)
				}
			})
			t.Run("user enable lets them in again", func(t *testing.T) {
				if r := runCmd(t, vars, "", "user", "enable", "-username", "officer"); r.status != 0 || r.stdout != "user officer enabled\n" {
					t.Fatalf("enable: %+v", r)
				}
				h.browser(t).login("officer")
			})
			t.Run("user password sets a new one and ends the sessions", func(t *testing.T) {
				b := h.browser(t)
				b.login("clerk")
				r := runCmd(t, vars, "một mật khẩu mới dài\n", "user", "password", "-username", "clerk")
				if r.status != 0 || r.stdout != "password of clerk changed; its sessions are ended\n" {
					t.Fatalf("password: %+v", r)
				}
				if got := deskStatus(t, other, b.cookies["motcua_session"]); got != http.StatusSeeOther {
					t.Errorf("the old session after a new password: %d, want 303", got)
				}
				if _, err := h.env.Staff.Authenticate(context.Background(), "clerk", "một mật khẩu mới dài", "10.9.9.9"); err != nil {
					t.Errorf("the new password: %v", err)
				}
				if _, err := h.env.Staff.Authenticate(context.Background(), "clerk", deskPassword, "10.9.9.9"); err == nil {
					t.Error("the old password still works")
				}
			})
			t.Run("token list shows the tokens, never their secret", func(t *testing.T) {
				r := runCmd(t, vars, "", "token", "list", "-unit", "TB")
				if r.status != 0 || !regexp.MustCompile(`(?m)^ID\s+UNIT\s+SCOPES\s+CREATED\s+STATE\s+NAME\n1\s+TB\s+sync\s+\S+\s+active\s+one-stop system$`).MatchString(r.stdout) {
					t.Fatalf("list: %+v", r)
				}
				if strings.Contains(r.stdout, token) {
					t.Error("the list shows the secret")
				}
				if r := runCmd(t, vars, "", "token", "list", "-unit", "BA"); r.status != 0 || strings.Count(r.stdout, "\n") != 1 {
					t.Errorf("another unit's list: %+v", r)
				}
			})
			t.Run("token revoke stops the token everywhere", func(t *testing.T) {
				if r := runCmd(t, vars, "", "token", "revoke", "1"); r.status != 0 || r.stdout != "token 1 (one-stop system, unit TB) revoked\n" {
					t.Fatalf("revoke: %+v", r)
				}
				for name, a := range map[string]*fiber.App{"this instance": h.app, "the other instance": other} {
					if got := syncStatus(t, a, token); got != http.StatusUnauthorized {
						t.Errorf("%s: a revoked token answers %d, want 401", name, got)
					}
				}
				if r := runCmd(t, vars, "", "token", "list"); !regexp.MustCompile(`(?m)^1\s+TB\s+sync\s+\S+\s+revoked \S+\s+one-stop system$`).MatchString(r.stdout) {
					t.Errorf("list after revoke: %+v", r)
				}
			})
			for _, tc := range []struct {
				name   string
				stdin  string
				args   []string
				status int
				reason string
			}{
				{"disable an unknown user", "", []string{"user", "disable", "-username", "ghost"}, 1, "user ghost: We could not find"},
				{"disable without a username", "", []string{"user", "disable"}, 2, "want -username"},
				{"enable with an extra argument", "", []string{"user", "enable", "-username", "a", "b"}, 2, "want -username"},
				{"password without input", "", []string{"user", "password", "-username", "clerk"}, 1, "no password on standard input"},
				{"a short password", "short\n", []string{"user", "password", "-username", "clerk"}, 1, "at least 10 characters"},
				{"password of an unknown user", "long enough password\n", []string{"user", "password", "-username", "ghost"}, 1, "user ghost: We could not find"},
				{"an unknown user action", "", []string{"user", "delete", "-username", "clerk"}, 2, "unknown action"},
				{"revoke an unknown token", "", []string{"token", "revoke", "999"}, 1, "token 999: We could not find"},
				{"revoke without an ID", "", []string{"token", "revoke"}, 2, "want one token ID"},
				{"revoke a name", "", []string{"token", "revoke", "abc"}, 2, "not a token ID"},
				{"list an unknown unit", "", []string{"token", "list", "-unit", "NOPE"}, 1, "There is no unit with code NOPE."},
				{"list with an argument", "", []string{"token", "list", "x"}, 2, "want [-unit C]"},
				{"an unknown token action", "", []string{"token", "delete"}, 2, "unknown action"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := runCmd(t, vars, tc.stdin, tc.args...)
					if r.status != tc.status || !strings.Contains(r.stderr, tc.reason) || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
						t.Errorf("got %+v; want status %d, one line with %q", r, tc.status, tc.reason)
					}
				})
			}
		})
	}
}

// user add records the full name and title that printed papers carry, and
// knows the head of a unit.
func TestUserAddNameTitleAndHead(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	h := newDeskHarness(t, "sqlite", vars)
	r := runCmd(t, vars, "correct horse battery\n", "user", "add", "-username", "lan", "-role", "head", "-unit", "TB",
		"-name", "Trần Thị Lan", "-title", "Trưởng phòng Tư pháp")
	if r.status != 0 || r.stdout != "user lan added (head, unit TB)\n" {
		t.Fatalf("add head: %+v", r)
	}
	u, _, err := h.env.DB.UserByName(context.Background(), "lan")
	if err != nil || u.FullName != "Trần Thị Lan" || u.Title != "Trưởng phòng Tư pháp" || u.Role != "head" {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if r := runCmd(t, vars, "correct horse battery\n", "user", "add", "-username", "x", "-role", "clerk", "-unit", "TB", "-name", strings.Repeat("a", 101)); r.status != 1 || !strings.Contains(r.stderr, "full_name") {
		t.Errorf("a 101-character name: %+v", r)
	}
}
