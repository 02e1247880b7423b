package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
)

// CSRF protection is a synchronizer token: a signed-in staff member's token
// lives in their server-side session row (so it works across instances
// sharing PostgreSQL, unlike a per-process token store); before sign-in a
// random token is kept in a cookie and repeated in the form (double submit).
// Forms carry it in the field "_csrf", scripts in the X-CSRF-Token header.
// On top, a request the browser marks as cross-site (Sec-Fetch-Site) is
// refused outright.
const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
	localCSRF  = "csrf"
)

var errCSRF = apperr.New(apperr.Forbidden, "error.staff.csrf")

// csrfCookie names the pre-sign-in token's cookie (see sessionCookie).
func (s *server) csrfCookie() string {
	if s.secureCookies() {
		return "__Host-motcua_csrf"
	}
	return "motcua_csrf"
}

// csrfToken is the token a form of this response must carry: the session's
// for staff, else the browser's pre-sign-in token, set now if missing.
func (s *server) csrfToken(c *fiber.Ctx) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRF
	}
	if tok, ok := c.Locals(localCSRF).(string); ok {
		return tok
	}
	tok := c.Cookies(s.csrfCookie())
	if len(tok) != 43 {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		tok = base64.RawURLEncoding.EncodeToString(b)
		c.Cookie(&fiber.Cookie{Name: s.csrfCookie(), Value: tok, Path: "/", HTTPOnly: true,
			Secure: s.secureCookies(), SameSite: fiber.CookieSameSiteLaxMode})
	}
	c.Locals(localCSRF, tok)
	return tok
}

// csrfOK checks a state-changing request: it must not be cross-site and
// must carry the expected token. Safe methods pass.
func (s *server) csrfOK(c *fiber.Ctx) bool {
	if safeMethod(c.Method()) {
		return true
	}
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	got := c.Get(csrfHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	if sess := sessionOf(c); sess != nil {
		return sess.CheckCSRF(got)
	}
	want := c.Cookies(s.csrfCookie())
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// verifyCSRF guards a state-changing route that needs no sign-in (the
// sign-in form itself, citizens' forms): 403 without the right token.
func (s *server) verifyCSRF(c *fiber.Ctx) error {
	if !s.csrfOK(c) {
		return errCSRF
	}
	return c.Next()
}
