package kiosk

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/queue"
)

// Idle times of the touchscreen, after which it goes back to the start in
// Vietnamese. The ticket page also has a meta refresh, for a kiosk whose
// script failed; it waits longer so that it never cuts a reader short.
const (
	idleHome     = 60 // seconds: only refreshes the waiting counts
	idleStep     = 30
	idleFallback = 90
)

// officeView is the office as the hall's pages show it, with where to go
// and whom to call (address, phone and a map link, when set).
type officeView struct {
	Code, Name, Address, Phone, MapURL string
	// Hours are the open days in runs of the same hours, Monday first.
	Hours []queue.DaySpan
}

func viewOffice(o queue.Office) officeView {
	return officeView{Code: o.Code, Name: o.Name, Address: o.Address, Phone: o.Phone, MapURL: o.MapURL(), Hours: o.Hours.Week()}
}

type serviceChoice struct {
	Code, Name, Prefix string
	Waiting, EstWait   int
	StepURL            string
}

type homeData struct {
	Office      officeView
	Services    []serviceChoice
	IdleURL     string
	IdleSeconds int
	// Closed, outside the opening hours: when the office opens next, and
	// its hours.
	Closed *closedNotice
}

type closedNotice struct {
	Message string
	Hours   []dayHours
}

type dayHours struct{ Day, Text string }

// closedOf says when the office next issues numbers, in the reader's
// language, with its opening hours.
func closedOf(t *i18n.Translator, o queue.Office, op queue.Opening) *closedNotice {
	n := &closedNotice{Message: t.T("kiosk.closed.no_hours")}
	if !op.Next.IsZero() {
		next := op.Next.In(queue.Zone())
		date := next.Format("02/01/2006")
		if t.Lang == "en" {
			date = next.Format("2 January 2006") // 05/11 reads two ways in English
		}
		n.Message = t.T("kiosk.closed.opens", "Time", next.Format("15:04"),
			"Weekday", t.T("weekday."+strconv.Itoa(int(next.Weekday()))), "Date", date)
	}
	if !o.Hours.IsZero() {
		n.Hours = hoursOf(t, o.Hours)
	}
	return n
}

// hoursOf lists the opening hours day by day, Monday first.
func hoursOf(t *i18n.Translator, h *queue.Hours) []dayHours {
	var out []dayHours
	for _, k := range queue.DayKeys {
		d, _ := queue.DayIndex(k)
		text := h.Text(k)
		if text == "" {
			text = t.T("kiosk.closed.day_closed")
		}
		day := []rune(t.T("weekday." + strconv.Itoa(int(d))))
		day[0] = unicode.ToUpper(day[0]) // a row's heading: "Thứ Hai"
		out = append(out, dayHours{Day: string(day), Text: text})
	}
	return out
}

// kioskURL is the kiosk's start page, in Vietnamese, keeping the printer
// setting: where an idle kiosk returns.
func kioskURL(office string, print bool) string {
	u := "/kiosk/" + url.PathEscape(office) + "?lang=vi"
	if print {
		u += "&print=1"
	}
	return u
}

// flowURL is a link within one visitor's turn at the kiosk: it keeps the
// printer setting and the visitor's English, never past the turn.
func flowURL(u string, print bool, lang string) string {
	var q []string
	if print {
		q = append(q, "print=1")
	}
	if lang == "en" {
		q = append(q, "lang=en")
	}
	if len(q) == 0 {
		return u
	}
	return u + "?" + strings.Join(q, "&")
}

// home is the start page: one large button per service, or, outside the
// opening hours, when the office opens next.
func (h *handlers) home(c *fiber.Ctx) error { return h.homeStatus(c, fiber.StatusOK) }

func (h *handlers) homeStatus(c *fiber.Ctx, status int) error {
	b, err := h.q.Board(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	t, print := h.tr(c), c.Query("print") == "1" || c.FormValue("print") == "1"
	o := b.Layout.Office
	data := homeData{Office: viewOffice(o), IdleURL: kioskURL(o.Code, print), IdleSeconds: idleHome}
	if op := h.q.Opening(o); !op.Issuing {
		data.Closed = closedOf(t, o, op)
	} else {
		for _, s := range b.Services {
			data.Services = append(data.Services, serviceChoice{Code: s.Service.Code, Name: s.Service.Name(t.Lang),
				Prefix: s.Service.Prefix, Waiting: s.Waiting, EstWait: s.EstWait,
				StepURL: flowURL("/kiosk/"+url.PathEscape(o.Code)+"/services/"+url.PathEscape(s.Service.Code), print, t.Lang)})
		}
	}
	c.Status(status)
	title := t.T("kiosk.home.title", "Office", o.Name)
	return h.render(c, page{name: "kiosk_home", title: title, bodyClass: "fullscreen kiosk"}, data)
}

type groupChoice struct{ Code, Name string }

type priorityData struct {
	Office      officeView
	Service     serviceChoice
	Groups      []groupChoice
	Print       bool
	English     bool
	Action      string
	BackURL     string
	IdleURL     string
	IdleSeconds int
}

// priority is the second step: "none" as the large default, then the
// office's priority groups. Its buttons submit the form that takes the number.
func (h *handlers) priority(c *fiber.Ctx) error {
	l, err := h.q.Layout(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	svc, ok := l.Service(c.Params("service"))
	if !ok {
		return apperr.ErrNotFound
	}
	if !h.q.Opening(l.Office).Issuing {
		return h.home(c)
	}
	t, print := h.tr(c), c.Query("print") == "1"
	o := l.Office
	data := priorityData{Office: viewOffice(o),
		Service: serviceChoice{Code: svc.Code, Name: svc.Name(t.Lang), Prefix: svc.Prefix},
		Print:   print, English: t.Lang == "en", Action: "/kiosk/" + url.PathEscape(o.Code) + "/tickets",
		BackURL: flowURL("/kiosk/"+url.PathEscape(o.Code), print, t.Lang),
		IdleURL: kioskURL(o.Code, print), IdleSeconds: idleStep}
	// Always in the same order, whatever order the office lists them in:
	// a regular visitor finds their button where it was yesterday.
	for _, g := range queue.PriorityGroups {
		if slices.Contains(o.PriorityGroups, g.Key) {
			data.Groups = append(data.Groups, groupChoice{Code: g.Key, Name: t.T(g.LabelID)})
		}
	}
	return h.render(c, page{name: "kiosk_priority", title: t.T("kiosk.priority.title"), bodyClass: "fullscreen kiosk"}, data)
}

// issue takes the number and shows the ticket (post, redirect, get: a
// reload never takes a second number).
func (h *handlers) issue(c *fiber.Ctx) error {
	office := c.Params("office")
	a, err := h.d.Issuer(c)
	if err != nil {
		return err
	}
	v, err := h.q.Issue(c.UserContext(), a, office, c.FormValue("service"), c.FormValue("priority"))
	if ae := apperr.As(err); err != nil && ae.Code == apperr.Conflict && strings.HasPrefix(ae.MessageID, "queue.error.closed") {
		// Closed meanwhile: the start page says when it opens next.
		return h.homeStatus(c, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	to := "/kiosk/" + url.PathEscape(v.Office.Code) + "/tickets/" + url.PathEscape(v.Ticket.ID)
	return c.Redirect(flowURL(to, c.FormValue("print") == "1", h.lang(c)), fiber.StatusSeeOther)
}

type ticketCard struct {
	ID, Number, Service, Priority, Status string
	Queued                                bool
	WaitingAhead, EstWait                 int
	Counters                              []string
	Counter                               string // the counter that holds or held it
	Issued, Called                        string
}

type ticketData struct {
	Office         officeView
	Ticket         ticketCard
	QR             template.HTML
	Print          bool
	DoneURL        string
	IdleURL        string
	IdleSeconds    int
	RefreshSeconds int
}

// cardOf turns a ticket into what a page shows, in the reader's language.
func cardOf(t *i18n.Translator, v queue.TicketView) ticketCard {
	k := ticketCard{ID: v.Ticket.ID, Number: v.Ticket.Number, Service: v.Service.Name(t.Lang),
		Status: string(v.Ticket.Status), Queued: v.Ticket.Status.Queued(),
		WaitingAhead: v.Ahead, EstWait: v.EstWait, Issued: t.Time(v.Ticket.IssuedAt)}
	if g := v.Ticket.Priority; g != "" {
		k.Priority = groupLabel(t, g)
	}
	for _, ctr := range v.Counters {
		k.Counters = append(k.Counters, ctr.Name)
	}
	if v.Counter != nil {
		k.Counter = v.Counter.Name
	}
	if v.Ticket.CalledAt != nil {
		k.Called = t.Time(*v.Ticket.CalledAt)
	}
	return k
}

// ticket shows the number just taken, large, with a QR code to follow it on
// a phone; printed, it is an 80 mm receipt.
func (h *handlers) ticket(c *fiber.Ctx) error {
	v, err := h.q.Ticket(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if v.Office.Code != c.Params("office") {
		return apperr.ErrNotFound
	}
	t, print := h.tr(c), c.Query("print") == "1"
	qr, err := qrSVG(h.base+"/t/"+url.PathEscape(v.Ticket.ID), t.T("kiosk.ticket.qr_label", "Number", v.Ticket.Number))
	if err != nil {
		return err
	}
	home := kioskURL(v.Office.Code, print)
	data := ticketData{Office: viewOffice(v.Office), Ticket: cardOf(t, v), QR: qr, Print: print,
		DoneURL: home, IdleURL: home, IdleSeconds: idleStep, RefreshSeconds: idleFallback}
	title := t.T("kiosk.ticket.title", "Number", v.Ticket.Number)
	return h.render(c, page{name: "kiosk_ticket", title: title, bodyClass: "fullscreen kiosk"}, data)
}
