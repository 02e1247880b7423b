package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
)

// deskLoginData is the sign-in form's content.
type deskLoginData struct {
	Next      string
	Username  string
	Error     string // translated; empty when there is none
	SignedOut bool
}

// deskLoginForm shows the sign-in form, or goes on when already signed in.
func (s *server) deskLoginForm(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	ok, err := s.loadSession(c)
	if err != nil {
		return err
	}
	if ok {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return s.loginPage(c, deskLoginData{Next: next, SignedOut: c.Query("signed_out") == "1"})
}

func (s *server) loginPage(c *fiber.Ctx, d deskLoginData) error {
	return s.deskPage(c, "desk_login", s.tr(c).T("desk.login.title"), d)
}

// deskLogin checks the credentials (the route checks the pre-sign-in CSRF
// token first). Success starts a session under a new ID, ending any session
// the browser brought, and goes to the page asked for. A wrong password
// shows the form again with a message; a lockout says how long to wait.
func (s *server) deskLogin(c *fiber.Ctx) error {
	d := deskLoginData{Next: safeNext(c.FormValue("next")), Username: strings.TrimSpace(c.FormValue("username"))}
	u, err := s.staff.Authenticate(c.UserContext(), d.Username, c.FormValue("password"), c.IP())
	if code := apperr.CodeOf(err); code == apperr.Unauthorized || code == apperr.RateLimited {
		// No username here: people type their password into that field by
		// mistake. The staff service logs the account targeted, if it exists.
		s.log.Warn("staff sign-in refused", "request_id", requestIDOf(c), "ip", c.IP(), "code", code)
	}
	switch apperr.CodeOf(err) {
	case "":
	case apperr.Unauthorized, apperr.Invalid:
		d.Error = s.tr(c).T("error.staff.login_failed")
		return s.loginPage(c, d)
	case apperr.RateLimited:
		// Locked out (this address, at this account) or too many sign-ins
		// being checked: the error says how long to wait.
		ae := apperr.As(err)
		d.Error = s.tr(c).Map(ae.MessageID, ae.Params)
		wait, _ := ae.Params["Seconds"].(int)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, wait)))
		c.Status(fiber.StatusTooManyRequests)
		return s.loginPage(c, d)
	default:
		return err
	}
	sess, err := s.staff.StartSession(c.UserContext(), u.ID, c.Cookies(s.sessionCookie()))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, sess.ID)
	s.log.Info("staff signed in", "request_id", requestIDOf(c), "user", u.Username, "ip", c.IP())
	return c.Redirect(d.Next, fiber.StatusSeeOther)
}

// deskLogout ends the session (requireStaff has checked its CSRF token).
func (s *server) deskLogout(c *fiber.Ctx) error {
	if err := s.staff.EndSession(c.UserContext(), sessionOf(c).ID); err != nil {
		return err
	}
	s.setSessionCookie(c, "")
	return c.Redirect("/desk/login?signed_out=1", fiber.StatusSeeOther)
}

// setSessionCookie sets (or, with "", deletes) the session cookie. It is
// HttpOnly, so scripts cannot read it; Secure behind HTTPS; SameSite=Lax:
// with Strict, a link to a desk page from a chat or e-mail would arrive
// signed out, and Lax still withholds the cookie from cross-site POSTs,
// while the CSRF token guards every state change anyway. It has no max-age:
// it ends with the browser, and the server ends it after SessionIdle or
// SessionMaxAge.
func (s *server) setSessionCookie(c *fiber.Ctx, id string) {
	ck := &fiber.Cookie{Name: s.sessionCookie(), Value: id, Path: "/", HTTPOnly: true,
		Secure: s.secureCookies(), SameSite: fiber.CookieSameSiteLaxMode}
	if id == "" {
		ck.Expires = time.Unix(1, 0)
	}
	c.Cookie(ck)
}

// safeNext keeps a redirect target on this site: a local path, never
// "//host" or "/\host", which browsers read as another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t\\") || len(next) > 512 {
		return "/desk"
	}
	return next
}
