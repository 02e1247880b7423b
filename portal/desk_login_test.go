package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

func TestDeskSignIn(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDeskHarness(t, kind, nil)
			t.Run("a page needs a sign-in first", func(t *testing.T) { testDeskRedirect(t, h) })
			t.Run("sign-in gives a new session", func(t *testing.T) { testDeskLoginNewSession(t, h) })
			t.Run("a wrong password shows the form again", func(t *testing.T) { testDeskWrongPassword(t, h) })
			t.Run("forms without the CSRF token are refused", func(t *testing.T) { testDeskLoginCSRF(t, h) })
			t.Run("sign-out ends the session", func(t *testing.T) { testDeskLogout(t, h) })
			t.Run("the next page stays on this site", func(t *testing.T) { testDeskNext(t, h) })
			t.Run("five failures lock this address out of the account", func(t *testing.T) { testDeskLockout(t, h) })
		})
	}
}

func testDeskRedirect(t *testing.T, h *deskHarness) {
	b := h.browser(t)
	resp, _ := b.do("GET", "/desk?tab=1", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /desk = %d, want 303", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Location"), "/desk/login?next=%2Fdesk%3Ftab%3D1"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	resp, body := b.do("GET", "/desk/login?next=%2Fdesk%3Ftab%3D1", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk/login = %d", resp.StatusCode)
	}
	mustContain(t, "sign-in form", body, `<label for="username">Tên đăng nhập</label>`, `autocomplete="current-password"`,
		`name="next" value="/desk?tab=1"`, `<meta name="robots" content="noindex">`)
	if b.cookies["motcua_csrf"] == "" || csrfIn(t, body) != b.cookies["motcua_csrf"] {
		t.Errorf("the form's token %q does not match the cookie %q", csrfIn(t, body), b.cookies["motcua_csrf"])
	}
}

func testDeskLoginNewSession(t *testing.T, h *deskHarness) {
	b := h.browser(t)
	// An attacker plants a well-formed session ID before the sign-in.
	planted := strings.Repeat("x", 43)
	b.cookies["motcua_session"] = planted
	b.login("officer")
	first := b.cookies["motcua_session"]
	if first == planted || len(first) != 43 {
		t.Fatalf("session after sign-in = %q; want a new 43-character ID", first)
	}
	resp, body := b.do("GET", "/desk", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk = %d", resp.StatusCode)
	}
	mustContain(t, "desk", body, "officer", "cán bộ xử lý hồ sơ", "Huyện Thăng Bình", `action="/desk/logout"`)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}

	// Signing in again, as someone else, replaces the session.
	b.login("clerk")
	if second := b.cookies["motcua_session"]; second == first {
		t.Error("a second sign-in kept the session ID")
	}
	stale := h.browser(t)
	stale.cookies["motcua_session"] = first
	if resp, _ := stale.do("GET", "/desk", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the replaced session still opens /desk: %d", resp.StatusCode)
	}
}

func testDeskWrongPassword(t *testing.T, h *deskHarness) {
	for _, tc := range []struct{ lang, want string }{
		{"vi", "Tên đăng nhập hoặc mật khẩu không đúng."},
		{"en", "The username or password is not correct."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := h.browser(t)
			_, page := b.do("GET", "/desk/login?lang="+tc.lang, nil)
			resp, body := b.do("POST", "/desk/login", url.Values{"_csrf": {csrfIn(t, page)}, "username": {"admin"}, "password": {"not the password"}})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200 with the form", resp.StatusCode)
			}
			mustContain(t, "form after a failure", body, tc.want, `role="alert"`, `value="admin"`)
			if strings.Contains(body, "not the password") {
				t.Error("the page repeats the password")
			}
			if _, ok := b.cookies["motcua_session"]; ok {
				t.Error("a failed sign-in set a session cookie")
			}
		})
	}
	// A real account is never locked by these two failures of one language each.
	h.browser(t).login("admin")
}

func testDeskLoginCSRF(t *testing.T, h *deskHarness) {
	good := url.Values{"username": {"admin"}, "password": {deskPassword}}
	for _, tc := range []struct {
		name    string
		token   string // "" none, "form" the page's
		headers []string
	}{
		{"no token", "", nil},
		{"a wrong token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil},
		{"the right token from another site", "form", []string{"Sec-Fetch-Site", "cross-site"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser(t)
			_, page := b.do("GET", "/desk/login", nil)
			form := url.Values{"username": good["username"], "password": good["password"]}
			switch tc.token {
			case "form":
				form.Set("_csrf", csrfIn(t, page))
			case "":
			default:
				form.Set("_csrf", tc.token)
			}
			resp, _ := b.do("POST", "/desk/login", form, tc.headers...)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status = %d, want 403", resp.StatusCode)
			}
			if _, ok := b.cookies["motcua_session"]; ok {
				t.Error("signed in without a valid CSRF token")
			}
		})
	}
}

func testDeskLogout(t *testing.T, h *deskHarness) {
	b := h.browser(t)
	b.login("clerk")
	session := b.cookies["motcua_session"]
	token := b.deskCSRF()

	if resp, _ := b.do("POST", "/desk/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without the token = %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.do("POST", "/desk/logout", url.Values{"_csrf": {b.cookies["motcua_csrf"]}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out with the pre-sign-in token = %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.do("GET", "/desk", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the refused sign-outs ended the session: GET /desk = %d", resp.StatusCode)
	}

	resp, _ := b.do("POST", "/desk/logout", url.Values{"_csrf": {token}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/login?signed_out=1" {
		t.Fatalf("sign-out = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, ok := b.cookies["motcua_session"]; ok {
		t.Error("the session cookie was not cleared")
	}
	// The server forgot it too: the old cookie, replayed, opens nothing.
	b.cookies["motcua_session"] = session
	if resp, _ := b.do("GET", "/desk", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a signed-out session still opens /desk: %d", resp.StatusCode)
	}
	_, body := b.do("GET", "/desk/login?signed_out=1", nil)
	mustContain(t, "after sign-out", body, "Bạn đã đăng xuất.")
}

func testDeskNext(t *testing.T, h *deskHarness) {
	for next, want := range map[string]string{
		"/desk?tab=late":       "/desk?tab=late",
		"//evil.example/":      "/desk",
		"/\\evil.example":      "/desk",
		"https://evil.example": "/desk",
		"":                     "/desk",
	} {
		b := h.browser(t)
		_, page := b.do("GET", "/desk/login", nil)
		resp, _ := b.do("POST", "/desk/login", url.Values{"_csrf": {csrfIn(t, page)}, "username": {"officer"}, "password": {deskPassword}, "next": {next}})
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next %q: Location = %q, want %q", next, got, want)
		}
	}
}

func testDeskLockout(t *testing.T, h *deskHarness) {
	b := h.browser(t)
	_, page := b.do("GET", "/desk/login", nil)
	token := csrfIn(t, page)
	post := func(password string) (*http.Response, string) {
		return b.do("POST", "/desk/login", url.Values{"_csrf": {token}, "username": {"officer"}, "password": {password}})
	}
	for i := 1; i < staff.MaxFailures; i++ {
		if resp, _ := post("wrong password"); resp.StatusCode != http.StatusOK {
			t.Fatalf("failure %d: status %d, want 200", i, resp.StatusCode)
		}
	}
	resp, body := post("wrong password")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("fifth failure: %d, Retry-After %q; want 429, 60", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	mustContain(t, "lockout", body, "Đăng nhập sai quá nhiều lần từ nơi này. Vì an toàn, vui lòng thử lại sau 1 phút hoặc đăng nhập từ thiết bị khác.")
	if resp, _ := post(deskPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password while locked: %d, want 429", resp.StatusCode)
	}
	if _, ok := b.cookies["motcua_session"]; ok {
		t.Fatal("signed in while locked")
	}
	h.advance(staff.LockBase)
	if resp, _ := post(deskPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after a minute: %d, want 303", resp.StatusCode)
	}
}

func TestDeskCookiesOverHTTPS(t *testing.T) {
	h := newDeskHarness(t, "sqlite", map[string]string{"MOTCUA_PUBLIC_URL": "https://motcua.example"})
	b := h.browser(t)
	_, page := b.do("GET", "/desk/login", nil)
	req := url.Values{"_csrf": {csrfIn(t, page)}, "username": {"admin"}, "password": {deskPassword}}
	resp, _ := b.do("POST", "/desk/login", req)
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name != "__Host-motcua_session" {
			continue
		}
		found = true
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
			t.Errorf("session cookie %+v; want Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", c)
		}
	}
	if !found {
		t.Fatalf("no __Host-motcua_session cookie in %v", resp.Header.Values("Set-Cookie"))
	}
}
