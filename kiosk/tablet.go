package kiosk

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/rating"
	"motcua/internal/web"
)

// The tablet facing the citizen at a counter: idle until the officer
// finishes a visit there, then, live, the one-tap rating of that visit; one
// tap, thanks, and back to idle by itself. Staff open it once: signed in on
// the tablet, or by pairing it from the console (a short-lived link whose
// QR code the tablet scans), which leaves a credential bound to that counter
// in a cookie, so that no staff session sits on a device citizens touch.

const (
	localTablet   = "tablet-actor"
	thanksSeconds = 6  // the thanks screen, before idle again
	tabletRefresh = 10 // reload period without JavaScript
)

func tabletCookie(id int64) string { return "motcua_tablet_" + strconv.FormatInt(id, 10) }

// tabletAuth lets a paired tablet through on its credential; anyone else
// goes through the staff check.
func (h *handlers) tabletAuth(staffOnly fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := counterID(c)
		if err != nil {
			return err
		}
		if cred := c.Cookies(tabletCookie(id)); cred != "" {
			a, err := h.d.Ratings.TabletActor(c.UserContext(), id, cred)
			if err == nil {
				c.Locals(localTablet, a)
				if c.Method() == fiber.MethodPost {
					// The cookie is SameSite=Strict; the origin is checked too.
					return sameOrigin(h.d.PublicURL)(c)
				}
				return c.Next()
			}
			if apperr.CodeOf(err) != apperr.Forbidden && !apperr.IsNotFound(err) {
				return err
			}
		}
		return staffOnly(c)
	}
}

// tabletActor is who uses the tablet: the paired tablet or the staff member.
func (h *handlers) tabletActor(c *fiber.Ctx) actor.Actor {
	if a, ok := c.Locals(localTablet).(actor.Actor); ok {
		return a
	}
	if u := h.d.StaffOf(c); u != nil {
		return u.Actor()
	}
	return actor.Anon()
}

type tabletData struct {
	CounterID  int64
	Counter    string
	Office     string
	Number     string // the visit to rate; empty when idle
	Service    string
	Tap        oneTap
	Thanks     bool
	LeftMs     int64 // how long until the rating screen goes idle by itself (ms)
	BackMs     int   // how long the thanks stays (ms)
	EventsURL  string
	Refresh    int
	SelfURL    string
	Paired     bool
	RetryError string
}

// tablet is GET /counter/{id}/rate.
func (h *handlers) tablet(c *fiber.Ctx) error {
	return h.tabletPage(c, "", fiber.StatusOK)
}

func (h *handlers) tabletPage(c *fiber.Ctx, errMsg string, status int) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	a := h.tabletActor(c)
	p, err := h.d.Ratings.Pending(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	t := h.tr(c)
	self := "/counter/" + strconv.FormatInt(id, 10) + "/rate"
	data := tabletData{CounterID: id, Counter: p.Counter.Name, Office: p.Office.Name, EventsURL: eventsURL(p.Office.Code),
		Refresh: tabletRefresh, SelfURL: self, Paired: a.Kind == actor.Machine, Thanks: c.Query("thanks") == "1" && errMsg == "",
		RetryError: errMsg}
	if data.Thanks {
		data.Refresh, data.BackMs = thanksSeconds, thanksSeconds*1000
	}
	if p.Ticket != nil && !data.Thanks {
		data.Number = p.Ticket.Number
		if l, err := h.q.Layout(c.UserContext(), p.Office.Code); err == nil {
			if s, ok := l.Service(p.Ticket.Service); ok {
				data.Service = s.Name(t.Lang)
			}
		}
		data.LeftMs = max(p.Until.Sub(h.d.Now()).Milliseconds(), 0)
		data.Tap = oneTap{Action: self, Ticket: p.Ticket.ID, Levels: tapLevels(t), Error: errMsg,
			Heading: t.T("tablet.heading", "Number", p.Ticket.Number)}
		if a.Kind == actor.Staff {
			data.Tap.CSRF = h.d.CSRF(c)
		}
	}
	c.Status(status)
	return h.render(c, page{name: "tablet", title: t.T("tablet.title", "Counter", p.Counter.Name), bodyClass: "fullscreen tablet",
		staff: a.Kind == actor.Staff}, data)
}

// tabletRate is the tablet's one tap: POST /counter/{id}/rate with the
// ticket and overall; then thanks, and idle again.
func (h *handlers) tabletRate(c *fiber.Ctx) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	in := rating.Input{Answers: map[string]int{}, Channel: rating.ChannelTablet}
	if v, ok := level(c.FormValue("overall")); ok {
		in.Answers[rating.Overall] = v
	}
	_, err = h.d.Ratings.RateAtCounter(c.UserContext(), h.tabletActor(c), id, c.FormValue("ticket"), in)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.Conflict, apperr.Invalid, apperr.NotFound:
		// Rated meanwhile, a visit that moved on, a bad tap: the screen as
		// it is now, with why.
		d := web.Describe(h.tr(c), err)
		return h.tabletPage(c, d.Line(), d.Status)
	default:
		return err
	}
	return c.Redirect("/counter/"+strconv.FormatInt(id, 10)+"/rate?thanks=1", fiber.StatusSeeOther)
}

type pairData struct {
	Counter, Office string
	URL             string
	QR              template.HTML
	Minutes         int
}

// tabletPair is GET /counter/{id}/pair: for staff at the console, a
// short-lived link (and its QR code) that pairs a tablet with the counter.
func (h *handlers) tabletPair(c *fiber.Ctx) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	u := h.d.StaffOf(c)
	tok, err := h.d.Ratings.PairTablet(c.UserContext(), u.Actor(), id)
	if err != nil {
		return err
	}
	con, err := h.q.Console(c.UserContext(), u.Actor(), id)
	if err != nil {
		return err
	}
	link := h.base + "/counter/" + strconv.FormatInt(id, 10) + "/tablet?k=" + url.QueryEscape(tok)
	t := h.tr(c)
	qr, err := qrSVG(link, t.T("tablet.pair.qr_alt"))
	if err != nil {
		return err
	}
	data := pairData{Counter: con.Counter.Name, Office: con.Layout.Office.Name, URL: link, QR: qr,
		Minutes: int(rating.TabletPairTTL / time.Minute)}
	return h.render(c, page{name: "tablet_pair", title: t.T("tablet.pair.title", "Counter", con.Counter.Name), staff: true}, data)
}

// tabletJoin is the pairing link opened on the tablet: it trades the
// pairing token for the counter's credential, kept in a cookie.
func (h *handlers) tabletJoin(c *fiber.Ctx) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	cred, err := h.d.Ratings.TabletCredential(c.UserContext(), id, c.Query("k"))
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: tabletCookie(id), Value: cred, Path: "/counter/" + strconv.FormatInt(id, 10) + "/",
		HTTPOnly: true, Secure: strings.HasPrefix(h.base, "https://"), SameSite: fiber.CookieSameSiteStrictMode,
		MaxAge: int(rating.TabletTTL / time.Second)})
	return c.Redirect("/counter/"+strconv.FormatInt(id, 10)+"/rate", fiber.StatusSeeOther)
}
