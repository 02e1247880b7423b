package kiosk

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
)

// sameOrigin refuses a state-changing request that a page of another site
// made the visitor's browser send. The kiosk is a public device with no
// session, so there is no CSRF token to tie to a person; the browser's own
// Sec-Fetch-Site, Origin or Referer says where the form came from. A request
// with none of them (not a browser form, or a very old browser) is refused
// too: the kiosk runs a current Chromium.
func sameOrigin(publicURL string) fiber.Handler {
	public := hostOf(publicURL)
	return func(c *fiber.Ctx) error {
		switch c.Get("Sec-Fetch-Site") {
		case "cross-site", "same-site":
			return errCrossSite
		}
		from := c.Get(fiber.HeaderOrigin)
		if from == "" || from == "null" {
			from = c.Get(fiber.HeaderReferer)
		}
		host := hostOf(from)
		if host == "" {
			return errCrossSite
		}
		if strings.EqualFold(host, string(c.Request().Host())) || strings.EqualFold(host, c.Hostname()) ||
			(public != "" && strings.EqualFold(host, public)) {
			return c.Next()
		}
		return errCrossSite
	}
}

var errCrossSite = apperr.New(apperr.Forbidden, "kiosk.error.cross_site")

// hostOf returns the host[:port] of an absolute URL, "" for anything else.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.Host
}
