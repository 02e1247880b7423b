package main

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/staff"
)

// Who is calling: a signed-in staff member (session cookie) or a machine
// (Bearer token). The handlers below put them in the request's locals.
const (
	localStaff   = "staff.user"
	localSession = "staff.session"
	localToken   = "staff.token"
)

// staffOf returns the signed-in staff member, or nil.
func staffOf(c *fiber.Ctx) *staff.User {
	u, _ := c.Locals(localStaff).(*staff.User)
	return u
}

// sessionOf returns the request's staff session, or nil.
func sessionOf(c *fiber.Ctx) *staff.Session {
	s, _ := c.Locals(localSession).(*staff.Session)
	return s
}

// tokenOf returns the machine token the request came with, or nil.
func tokenOf(c *fiber.Ctx) *staff.Token {
	t, _ := c.Locals(localToken).(*staff.Token)
	return t
}

// actorOf is who makes the request, as the service layer sees them: the
// signed-in staff member, the machine of the Bearer token, or nobody.
func actorOf(c *fiber.Ctx) actor.Actor {
	if u := staffOf(c); u != nil {
		return u.Actor()
	}
	return tokenOf(c).Actor()
}

// secureCookies is true when the portal is served over HTTPS.
func (s *server) secureCookies() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }

// sessionCookie names the session cookie. Over HTTPS the __Host- prefix
// makes browsers refuse it unless it is Secure, host-only and for "/", so a
// neighbouring subdomain cannot plant one.
func (s *server) sessionCookie() string {
	if s.secureCookies() {
		return "__Host-motcua_session"
	}
	return "motcua_session"
}

// loadSession finds the staff session of the request's cookie and puts it
// and its user in the locals. It reports false when there is none; only a
// failing store is an error.
func (s *server) loadSession(c *fiber.Ctx) (bool, error) {
	if staffOf(c) != nil {
		return true, nil
	}
	id := c.Cookies(s.sessionCookie())
	if id == "" {
		return false, nil
	}
	sess, u, err := s.staff.Session(c.UserContext(), id)
	if apperr.CodeOf(err) == apperr.Unauthorized {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.Locals(localStaff, &u)
	c.Locals(localSession, &sess)
	return true, nil
}

// requireStaff lets a signed-in staff member with one of the roles through
// (any role when none is given). Without a session a page redirects to the
// sign-in form and an API call answers 401; a wrong role is 403. Every
// state-changing request must carry the session's CSRF token.
func (s *server) requireStaff(roles ...staff.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ok, err := s.loadSession(c)
		if err != nil {
			return err
		}
		if !ok {
			return s.signInFirst(c)
		}
		// Staff pages hold personal data: never keep them in a cache.
		c.Set(fiber.HeaderCacheControl, "no-store")
		if len(roles) > 0 && !staffOf(c).HasRole(roles...) {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if !s.csrfOK(c) {
			return errCSRF
		}
		return c.Next()
	}
}

// signInFirst sends a browser to the sign-in form, to come back here after;
// an API caller gets 401.
func (s *server) signInFirst(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return apperr.New(apperr.Unauthorized, "error.staff.signed_out")
	}
	next := "/desk"
	if c.Method() == fiber.MethodGet {
		next = c.OriginalURL()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect("/desk/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
}

// requireToken lets a request with a Bearer token of the scope through:
// 401 without a valid token, 403 when the token lacks the scope. Tokens are
// not sent by browsers on their own, so no CSRF check is needed.
func (s *server) requireToken(scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		secret, found := bearer(c)
		if !found {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="motcua"`)
			return apperr.New(apperr.Unauthorized, "error.staff.token_required")
		}
		t, err := s.staff.TokenFor(c.UserContext(), secret)
		if err != nil {
			if apperr.CodeOf(err) == apperr.Unauthorized {
				c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="motcua", error="invalid_token"`)
			}
			return err
		}
		if !t.HasScope(scope) {
			return apperr.New(apperr.Forbidden, "error.staff.scope_denied").With(map[string]any{"Scope": scope})
		}
		c.Locals(localToken, &t)
		return c.Next()
	}
}

// requireStaffOrToken accepts either a machine (an Authorization header
// decides it, and then the token must be good and have the scope) or a
// signed-in staff member with one of the roles and the CSRF token.
func (s *server) requireStaffOrToken(scope string, roles ...staff.Role) fiber.Handler {
	byToken, byStaff := s.requireToken(scope), s.requireStaff(roles...)
	return func(c *fiber.Ctx) error {
		if c.Get(fiber.HeaderAuthorization) != "" {
			return byToken(c)
		}
		return byStaff(c)
	}
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(c *fiber.Ctx) (string, bool) {
	h := strings.TrimSpace(c.Get(fiber.HeaderAuthorization))
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// safeMethod reports a method that must not change anything.
func safeMethod(m string) bool {
	return slices.Contains([]string{fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions}, m)
}
