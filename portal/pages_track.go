package main

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// trackData is the tracking page: the form, and the citizen's view of the
// dossier once found.
type trackData struct {
	Code, Phone   string
	Error         string // translated; empty when there is none
	D             *dossier.View
	ProcedureName string
	UnitName      string
	Summary       string // the verdict in one sentence, translated
	NextStep      string
	RateURL       string // a signed link to rate the dossier, once finished and not yet rated
}

// trackCookie keeps the phone a citizen typed into the tracking form, so
// that the answer can be shown after a redirect (POST, redirect, GET)
// without the phone ever being in an address, the history or the language
// switch. It lives on the citizen's own browser, for /track only, a quarter
// of an hour; the server checks it against the dossier each time, as if it
// had been typed again.
const trackCookie = "motcua_track"

const trackCookieAge = 15 * 60

// pageTrack is /track. The form posts (trackSubmit); the answer then shows
// at /track?code=…, the phone coming from trackCookie. The link in the QR
// code opens the form with the code filled in, or the answer when the
// browser asked a moment ago. An older link that carries the phone in its
// address (?code=…&phone=…) is still answered. The answer for an unknown
// code and for a wrong phone is the same.
func (s *server) pageTrack(c *fiber.Ctx) error {
	t := s.tr(c)
	data := trackData{Code: strings.TrimSpace(c.Query("code")), Phone: strings.TrimSpace(c.Query("phone"))}
	c.Set(fiber.HeaderCacheControl, "no-store")
	fromCookie := false
	if data.Phone == "" && data.Code != "" {
		data.Phone, fromCookie = c.Cookies(trackCookie), true
	}
	if data.Code == "" || data.Phone == "" {
		// A link with a box left empty; a QR link brings the code alone.
		if c.Request().URI().QueryArgs().Has("phone") {
			c.Status(fiber.StatusUnprocessableEntity)
			data.Error = t.T("track.error.both")
		}
		return s.render(c, "track", t.T("track.title"), data)
	}
	v, err := s.dossiers.Track(c.UserContext(), actorOf(c), data.Code, data.Phone)
	if err != nil && fromCookie && (apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Invalid) {
		// The phone remembered was for another dossier: just ask.
		data.Phone = ""
		return s.render(c, "track", t.T("track.title"), data)
	}
	return s.trackAnswer(c, data, v, err)
}

// trackSubmit is the tracking form, posted so that the phone stays out of
// addresses. It is a look-up, not a change, so it needs no token, but a
// page of another site may not send it (sameSite). A found dossier is shown
// after a redirect to /track?code=…; a refusal is shown at once, with the
// code kept and the phone to type again.
func (s *server) trackSubmit(c *fiber.Ctx) error {
	t := s.tr(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := trackData{Code: strings.TrimSpace(c.FormValue("code")), Phone: strings.TrimSpace(c.FormValue("phone"))}
	if data.Code == "" || data.Phone == "" {
		c.Status(fiber.StatusUnprocessableEntity)
		data.Error = t.T("track.error.both")
		return s.render(c, "track", t.T("track.title"), data)
	}
	v, err := s.dossiers.Track(c.UserContext(), actorOf(c), data.Code, data.Phone)
	if err != nil {
		return s.trackAnswer(c, data, v, err)
	}
	phone, _ := dossier.NormalizePhone(data.Phone)
	c.Cookie(&fiber.Cookie{Name: trackCookie, Value: phone, Path: "/track", MaxAge: trackCookieAge,
		HTTPOnly: true, Secure: s.secureCookies(), SameSite: fiber.CookieSameSiteStrictMode})
	return c.Redirect("/track?code="+url.QueryEscape(v.Code), fiber.StatusSeeOther)
}

// sameSite refuses a form that a page of another site made the browser
// send (Sec-Fetch-Site, else Origin); a request with neither is let
// through, as a look-up changes nothing.
func (s *server) sameSite(c *fiber.Ctx) error {
	switch c.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return errCSRF
	case "same-origin", "none":
		return c.Next()
	}
	if o := c.Get(fiber.HeaderOrigin); o != "" && o != "null" {
		u, err := url.Parse(o)
		host := string(c.Request().Host())
		if err != nil || !(strings.EqualFold(u.Host, host) || (s.cfg.PublicURL != "" && strings.EqualFold(strings.TrimRight(o, "/"), strings.TrimRight(s.cfg.PublicURL, "/")))) {
			return errCSRF
		}
	}
	return c.Next()
}

// trackAnswer shows the dossier found, or the form with why not.
func (s *server) trackAnswer(c *fiber.Ctx, data trackData, v dossier.View, err error) error {
	t := s.tr(c)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		c.Status(fiber.StatusNotFound)
		data.Error = t.T("track.error.not_found")
		return s.render(c, "track", t.T("track.title"), data)
	case apperr.Invalid:
		c.Status(fiber.StatusUnprocessableEntity)
		data.Error = t.T("dossier.error.phone")
		return s.render(c, "track", t.T("track.title"), data)
	default:
		return err
	}
	data.D = &v
	if p, err := s.catalog.Get(v.ProcedureCode); err == nil {
		data.ProcedureName = p.LocalName(langOf(c))
	}
	data.UnitName = s.unitOf(c, v.UnitCode).Name
	data.Summary = t.Text(v.Summary.ID, v.Summary.Params)
	data.NextStep = t.Text(v.NextStep.ID, v.NextStep.Params)
	data.RateURL = s.rateURL(c, v.Code, v.CanRate)
	return s.render(c, "track", t.T("track.result_title", "Code", v.Code), data)
}
