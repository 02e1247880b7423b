package kiosk

import (
	"html/template"
	"net/url"
	"slices"

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

type officeView struct{ Code, Name string }

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

// withPrint adds the printer setting to a kiosk link.
func withPrint(u string, print bool) string {
	if print {
		return u + "?print=1"
	}
	return u
}

// home is the start page: one large button per service.
func (h *handlers) home(c *fiber.Ctx) error {
	b, err := h.q.Board(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	lang, print := h.d.Lang(c), c.Query("print") == "1"
	o := b.Layout.Office
	data := homeData{Office: officeView{o.Code, o.Name}, IdleURL: kioskURL(o.Code, print), IdleSeconds: idleHome}
	for _, s := range b.Services {
		data.Services = append(data.Services, serviceChoice{Code: s.Service.Code, Name: s.Service.Name(lang),
			Prefix: s.Service.Prefix, Waiting: s.Waiting, EstWait: s.EstWait,
			StepURL: withPrint("/kiosk/"+url.PathEscape(o.Code)+"/services/"+url.PathEscape(s.Service.Code), print)})
	}
	title := h.tr(c).T("kiosk.home.title", "Office", o.Name)
	return h.render(c, page{name: "kiosk_home", title: title, bodyClass: "fullscreen kiosk"}, data)
}

type groupChoice struct{ Code, Name string }

type priorityData struct {
	Office      officeView
	Service     serviceChoice
	Groups      []groupChoice
	Print       bool
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
	t, print := h.tr(c), c.Query("print") == "1"
	o := l.Office
	data := priorityData{Office: officeView{o.Code, o.Name},
		Service: serviceChoice{Code: svc.Code, Name: svc.Name(t.Lang), Prefix: svc.Prefix},
		Print:   print, Action: "/kiosk/" + url.PathEscape(o.Code) + "/tickets",
		BackURL: withPrint("/kiosk/"+url.PathEscape(o.Code), print),
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
	if err != nil {
		return err
	}
	to := "/kiosk/" + url.PathEscape(v.Office.Code) + "/tickets/" + url.PathEscape(v.Ticket.ID)
	return c.Redirect(withPrint(to, c.FormValue("print") == "1"), fiber.StatusSeeOther)
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
	data := ticketData{Office: officeView{v.Office.Code, v.Office.Name}, Ticket: cardOf(t, v), QR: qr, Print: print,
		DoneURL: home, IdleURL: home, IdleSeconds: idleStep, RefreshSeconds: idleFallback}
	title := t.T("kiosk.ticket.title", "Number", v.Ticket.Number)
	return h.render(c, page{name: "kiosk_ticket", title: title, bodyClass: "fullscreen kiosk"}, data)
}
