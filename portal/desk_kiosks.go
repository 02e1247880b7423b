package main

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Enrolled kiosks: an administrator, signed in on the kiosk device itself,
// enrols it for an office at /desk/offices/{office}; the device keeps the
// kiosk's secret in an HttpOnly cookie for years and is known by it from
// then on. Revoking it at the same page stops it at once, on every
// instance: the secret is looked up on every ticket.

// kioskCookieAge is how long a kiosk keeps its credential: the life of the
// device, in practice.
const kioskCookieAge = 5 * 365 * 24 * time.Hour

// kioskCookie names the kiosk's cookie; over HTTPS the __Host- prefix keeps
// it Secure, host-only and for "/".
func (s *server) kioskCookie() string {
	if s.secureCookies() {
		return "__Host-motcua_kiosk"
	}
	return "motcua_kiosk"
}

// staffActor is the signed-in staff member as the service layer sees them,
// with the client's address.
func staffActor(c *fiber.Ctx) actor.Actor {
	a := staffOf(c).Actor()
	a.Addr = c.IP()
	return a
}

// issuerOf is who takes a ticket: a machine token (Bearer; a bad one is
// 401), an enrolled kiosk (its cookie; a revoked or unknown one counts for
// nothing), a signed-in staff member whose request carries the CSRF token,
// or else anyone, known by address.
func (s *server) issuerOf(c *fiber.Ctx) (actor.Actor, error) {
	ctx, addr := c.UserContext(), c.IP()
	if secret, found := bearer(c); found {
		t, err := s.staff.TokenFor(ctx, secret)
		if err != nil {
			return actor.Actor{}, err
		}
		a := t.Actor()
		a.Addr = addr
		return a, nil
	}
	if secret := c.Cookies(s.kioskCookie()); secret != "" {
		a, err := s.queue.KioskActor(ctx, secret)
		switch {
		case err == nil:
			a.Addr = addr
			return a, nil
		case apperr.CodeOf(err) != apperr.Unauthorized:
			return actor.Actor{}, err
		}
	}
	ok, err := s.loadSession(c)
	if err != nil {
		return actor.Actor{}, err
	}
	if ok && s.csrfOK(c) {
		return staffActor(c), nil
	}
	return actor.Actor{Addr: addr}, nil
}

// deskEnrolKiosk is POST /desk/offices/{office}/kiosks: this device becomes
// a kiosk of the office, and goes to the kiosk's page.
func (s *server) deskEnrolKiosk(c *fiber.Ctx) error {
	code := c.Params("office")
	k, secret, err := s.queue.EnrolKiosk(c.UserContext(), staffActor(c), code, c.FormValue("kiosk_name"))
	if err != nil {
		errs, ok := s.deskErrors(c, err)
		if !ok {
			return err
		}
		for i := range errs {
			if errs[i].Field == "name" {
				errs[i].Field = "kiosk_name"
			}
		}
		return s.renderOffice(c, code, deskOfficeData{Errors: errs, KioskName: c.FormValue("kiosk_name")})
	}
	c.Cookie(&fiber.Cookie{Name: s.kioskCookie(), Value: secret, Path: "/", MaxAge: int(kioskCookieAge.Seconds()),
		HTTPOnly: true, Secure: s.secureCookies(), SameSite: fiber.CookieSameSiteStrictMode})
	return c.Redirect("/kiosk/"+url.PathEscape(k.OfficeCode)+"?lang=vi", fiber.StatusSeeOther)
}

// deskRevokeKiosk is POST /desk/offices/{office}/kiosks/{id}/revoke.
func (s *server) deskRevokeKiosk(c *fiber.Ctx) error {
	code := c.Params("office")
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	if err := s.queue.RevokeKiosk(c.UserContext(), staffActor(c), code, id); err != nil {
		return err
	}
	return c.Redirect("/desk/offices/"+url.PathEscape(code)+"?saved=1#kiosks", fiber.StatusSeeOther)
}
