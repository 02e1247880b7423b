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
	// The hall speaks Vietnamese whatever the device's language; the kiosk
	// switches to English for one visitor's ticket only.
	kiosk, display := hallLanguage(true), hallLanguage(false)
	r.Get("/kiosk/:office", kiosk, h.home)
	r.Get("/kiosk/:office/services/:service", kiosk, h.priority)
	r.Post("/kiosk/:office/tickets", kiosk, sameOrigin(d.PublicURL), h.issue)
	r.Get("/kiosk/:office/tickets/:id", kiosk, h.ticket)
	r.Get("/display/:office", display, h.display)
	r.Get("/t/:id", h.status)
	r.Post("/t/:id/rate", sameOrigin(d.PublicURL), h.rateVisit)

	// The queue service checks who may work a counter and see a summary;
	// the roles here only keep others from reaching the pages.
	atCounter := d.Staff(staff.RoleAdmin, staff.RoleClerk)
	// A console is found by its office and the number on the counter
	// (/counter/TB-MC/6 is "Quầy 6"), never by an internal ID that staff
	// could mistake for it; the old /counter/{id} addresses redirect.
	r.Get("/counter/:id", atCounter, h.counterByID)
	// The citizen-facing tablet beside the console: a staff session or the
	// counter's paired credential (registered before the console's actions).
	r.Get("/counter/:id/rate", h.tabletAuth(atCounter), h.tablet)
	r.Post("/counter/:id/rate", h.tabletAuth(atCounter), h.tabletRate)
	r.Get("/counter/:id/pair", atCounter, h.tabletPair)
	r.Get("/counter/:id/tablet", h.tabletJoin)
	r.Get("/counter/:office/:number", atCounter, h.counter)
	r.Get("/counter/:office/:number/:action", atCounter, h.counterStep)
	r.Post("/counter/:office/:number/:action", atCounter, h.counterAction)
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
	lang := h.lang(c)
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
func (h *handlers) tr(c *fiber.Ctx) *i18n.Translator { return h.d.Text.For(h.lang(c)) }

// hallLangKey holds the language the hall's pages chose for a request.
const hallLangKey = "kiosk.hall_lang"

// hallLanguage makes the kiosk and the hall display speak Vietnamese
// whatever the device's browser or cookie says (a TV set to English is
// still in a Vietnamese hall). With english, a visitor's explicit ?lang=en
// (carried along the kiosk's steps, never remembered) gives English.
func hallLanguage(english bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := "vi"
		if english && (c.Query("lang") == "en" || c.FormValue("lang") == "en") {
			lang = "en"
		}
		c.Locals(hallLangKey, lang)
		err := c.Next()
		c.Set(fiber.HeaderContentLanguage, lang)
		return err
	}
}

// lang is the reader's language: the hall's choice on its pages, the
// portal's elsewhere.
func (h *handlers) lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(hallLangKey).(string); ok {
		return l
	}
	return h.d.Lang(c)
}

// queryWithoutLang is the request's query minus lang, for the language
// switch.
func queryWithoutLang(c *fiber.Ctx) string {
	return web.QueryWithoutLang(c.Request().URI().QueryArgs().VisitAll)
}

// eventsURL is the office's event stream, which the live pages follow.
func eventsURL(office string) string {
	return "/api/v1/offices/" + url.PathEscape(office) + "/events"
}
