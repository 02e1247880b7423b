// Package kiosk is motcua's kiosk mode: the touchscreen where visitors take a
// queue number (and print it), the hall display that calls numbers, the
// counter console where officers call them, the ticket page on the visitor's
// phone, and the office head's daily summary.
//
// The pages are server-rendered and work without JavaScript; small scripts
// (internal/web/static) add live updates from the office's event stream,
// sound and the kiosk's idle reset. Mount puts the routes on the portal's
// app; everything the pages need comes in Deps, so this package never
// reaches into the portal.
package kiosk

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/staff"
	"motcua/internal/web"
)

// Deps is what kiosk mode needs from the portal.
type Deps struct {
	Queue     *queue.Manager
	Ratings   *rating.Service // the one-tap rating of a visit, the counter's tablet
	Assets    *web.Assets
	Text      *i18n.Catalog
	Lang      func(c *fiber.Ctx) string // the reader's language, chosen by the portal
	PublicURL string                    // base of the QR code's link
	// Staff returns the portal's middleware that lets a signed-in staff
	// member with one of the roles through and checks the CSRF token of
	// every POST.
	Staff   func(roles ...staff.Role) fiber.Handler
	StaffOf func(c *fiber.Ctx) *staff.User // the signed-in member, nil if none
	CSRF    func(c *fiber.Ctx) string      // the token forms of this response carry
	Now     func() time.Time
	// Issuer is who takes a number on this request: an enrolled kiosk,
	// counter staff or anyone (the queue service applies the limits).
	Issuer func(c *fiber.Ctx) (actor.Actor, error)
	// BotUsername is the Telegram bot's username as the bot recorded it
	// at its start ("" when no bot runs): the ticket page then offers to
	// follow the number in Telegram.
	BotUsername func(ctx context.Context) (string, error)
}

// Mount adds kiosk mode's routes. The templates are embedded, so a parse
// error is a bug in this package that every test catches: Mount panics.
func Mount(r fiber.Router, d Deps) {
	h, err := newHandlers(d)
	if err != nil {
		panic(err)
	}
	r.Get("/kiosk/:office", h.home)
	r.Get("/kiosk/:office/services/:service", h.priority)
	r.Post("/kiosk/:office/tickets", sameOrigin(d.PublicURL), h.issue)
	r.Get("/kiosk/:office/tickets/:id", h.ticket)
	r.Get("/display/:office", h.display)
	r.Get("/t/:id", h.status)
	r.Post("/t/:id/rate", sameOrigin(d.PublicURL), h.rateVisit)

	// The queue service checks who may work a counter and see a summary;
	// the roles here only keep others from reaching the pages.
	atCounter := d.Staff(staff.RoleAdmin, staff.RoleClerk)
	r.Get("/counter/:id", atCounter, h.counter)
	// The citizen-facing tablet beside the console: a staff session or the
	// counter's paired credential (registered before the console's actions).
	r.Get("/counter/:id/rate", h.tabletAuth(atCounter), h.tablet)
	r.Post("/counter/:id/rate", h.tabletAuth(atCounter), h.tabletRate)
	r.Get("/counter/:id/pair", atCounter, h.tabletPair)
	r.Get("/counter/:id/tablet", h.tabletJoin)
	r.Post("/counter/:id/:action", atCounter, h.counterAction)
	r.Get("/desk/offices/:office/summary", d.Staff(staff.RoleAdmin, staff.RoleHead, staff.RoleOfficer), h.summary)
}

type handlers struct {
	d     Deps
	q     *queue.Manager
	pages *web.Renderer
	base  string // PublicURL without a trailing slash
}

func newHandlers(d Deps) (*handlers, error) {
	pages, err := Pages()
	if err != nil {
		return nil, err
	}
	r, err := web.NewRenderer(d.Assets, pages)
	if err != nil {
		return nil, fmt.Errorf("kiosk: %w", err)
	}
	return &handlers{d: d, q: d.Queue, pages: r, base: strings.TrimRight(d.PublicURL, "/")}, nil
}

//go:embed templates/*.html
var templateFS embed.FS

// Pages returns the kiosk's page templates; files named _*.html are the
// partials its pages share.
func Pages() (fs.FS, error) { return fs.Sub(templateFS, "templates") }

// page is how a kiosk page is framed.
type page struct {
	name, title, bodyClass string
	staff                  bool // a staff page: CSRF token and the member
}

// render writes a page. Kiosk pages show live data, so nothing is cached.
func (h *handlers) render(c *fiber.Ctx, p page, data any) error {
	c.Type("html", "utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	lang := h.d.Lang(c)
	wp := web.Page{T: h.d.Text.For(lang), Lang: lang, Title: p.title, Path: c.Path(), Query: queryWithoutLang(c),
		NoIndex: true, BodyClass: p.bodyClass, Data: data}
	if p.staff {
		wp.CSRF = h.d.CSRF(c)
		// A nil *staff.User in the interface would look signed in.
		if u := h.d.StaffOf(c); u != nil {
			wp.Staff = u
		}
	}
	return h.pages.Render(c, p.name, wp)
}

// tr is the reader's translator.
func (h *handlers) tr(c *fiber.Ctx) *i18n.Translator { return h.d.Text.For(h.d.Lang(c)) }

// queryWithoutLang is the request's query minus lang, for the language
// switch.
func queryWithoutLang(c *fiber.Ctx) string {
	return web.QueryWithoutLang(c.Request().URI().QueryArgs().VisitAll)
}

// eventsURL is the office's event stream, which the live pages follow.
func eventsURL(office string) string {
	return "/api/v1/offices/" + url.PathEscape(office) + "/events"
}
