package kiosk

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/web"
)

// consoleRefresh is the reload period of a console without JavaScript.
const consoleRefresh = 30

type option struct{ Value, Label string }

type counterHead struct {
	ID       int64
	Name     string
	Services []string
}

type waitingRow struct{ Number, Service, Priority, Issued string }

// noShowRow is a no-show the counter may call back today.
type noShowRow struct{ ID, Number, Service, Missed string }

type counterData struct {
	Office         officeView
	Counter        counterHead
	Current        *ticketCard
	Waiting        []waitingRow
	NoShows        []noShowRow
	Finished       *ticketCard
	DossierURL     string
	ToServices     []option
	ToCounters     []option
	Notice         string
	Base           string // the console: /counter/{office}/{number}
	TabletBase     string // the paired tablet's links, by the counter's ID
	EventsURL      string
	RefreshSeconds int
}

// counter is the console of one counter: the ticket it holds, the actions
// on it, and the queue it will call from, in calling order.
func (h *handlers) counter(c *fiber.Ctx) error {
	return h.console(c, "", fiber.StatusOK)
}

// counterByID is GET /counter/{id}, the console's old address: it
// redirects to /counter/{office}/{number}.
func (h *handlers) counterByID(c *fiber.Ctx) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	ctr, o, err := h.q.Counter(c.UserContext(), id)
	if err != nil {
		return err
	}
	if who := h.actorOf(c); !queue.MayWorkCounter(who, o) {
		return who.Deny()
	}
	to := consoleURL(ctr)
	if q := string(c.Request().URI().QueryString()); q != "" {
		to += "?" + q
	}
	return c.Redirect(to, fiber.StatusMovedPermanently)
}

// consoleURL is a counter's console: its office and its number.
func consoleURL(ctr queue.Counter) string {
	return "/counter/" + url.PathEscape(ctr.OfficeCode) + "/" + strconv.Itoa(ctr.Number)
}

// counterRef is the counter a console request names: /counter/{office}/
// {number}, or the old /counter/{id} form posts still use.
func (h *handlers) counterRef(c *fiber.Ctx) (int64, error) {
	if c.Params("number") == "" {
		return counterID(c)
	}
	n, err := strconv.Atoi(c.Params("number"))
	if err != nil || n <= 0 {
		return 0, apperr.ErrNotFound
	}
	ctr, err := h.q.CounterNumbered(c.UserContext(), c.Params("office"), n)
	if err != nil {
		return 0, err
	}
	return ctr.ID, nil
}

// console renders the console with a notice (an action's outcome, or why it
// was refused) and the given status.
func (h *handlers) console(c *fiber.Ctx, notice string, status int) error {
	id, err := h.counterRef(c)
	if err != nil {
		return err
	}
	con, err := h.q.Console(c.UserContext(), h.actorOf(c), id)
	if err != nil {
		return err
	}
	t := h.tr(c)
	data := consoleOf(t, con)
	data.Notice = notice
	if notice == "" {
		data.Notice = noticeOf(t, c.Query("msg"), c.Query("n"))
	}
	if done := c.Query("done"); done != "" {
		// The visit just finished here: offer to open a dossier for it.
		v, err := h.q.Ticket(c.UserContext(), done)
		switch {
		case err != nil && !apperr.IsNotFound(err):
			return err // a failing store, not a stale link: logged by the portal
		case err == nil && v.Ticket.Status == queue.Done && v.Ticket.CounterID == id:
			card := cardOf(t, v)
			data.Finished = &card
			data.DossierURL = "/desk/dossiers/new?ticket=" + url.QueryEscape(v.Ticket.ID)
		}
	}
	c.Status(status)
	title := t.T("counter.title", "Counter", con.Counter.Name)
	return h.render(c, page{name: "counter", title: title, staff: true}, data)
}

func consoleOf(t *i18n.Translator, con queue.Console) counterData {
	l, ctr := con.Layout, con.Counter
	svcName := map[string]string{}
	for _, s := range l.Services {
		svcName[s.Code] = s.Name(t.Lang)
	}
	d := counterData{Office: viewOffice(l.Office),
		Counter: counterHead{ID: ctr.ID, Name: ctr.Name}, Base: consoleURL(ctr), TabletBase: "/counter/" + strconv.FormatInt(ctr.ID, 10),
		EventsURL: eventsURL(l.Office.Code), RefreshSeconds: consoleRefresh}
	for _, code := range ctr.Services {
		d.Counter.Services = append(d.Counter.Services, svcName[code])
	}
	if con.Current != nil {
		card := cardOf(t, queue.TicketView{Ticket: *con.Current, Office: l.Office, Service: serviceOf(l, con.Current.Service)})
		d.Current = &card
	}
	for _, w := range con.Queue {
		d.Waiting = append(d.Waiting, waitingRow{Number: w.Number, Service: svcName[w.Service],
			Priority: groupLabel(t, w.Priority), Issued: t.Time(w.IssuedAt)})
	}
	for _, n := range con.NoShows {
		row := noShowRow{ID: n.ID, Number: n.Number, Service: svcName[n.Service]}
		if n.DoneAt != nil {
			row.Missed = t.Time(*n.DoneAt)
		}
		d.NoShows = append(d.NoShows, row)
	}
	for _, s := range l.Services {
		if con.Current == nil || s.Code != con.Current.Service {
			d.ToServices = append(d.ToServices, option{Value: "service:" + s.Code, Label: s.Prefix + " · " + s.Name(t.Lang)})
		}
	}
	for _, other := range l.Counters {
		if other.ID != ctr.ID {
			d.ToCounters = append(d.ToCounters, option{Value: "counter:" + strconv.FormatInt(other.ID, 10), Label: other.Name})
		}
	}
	return d
}

func serviceOf(l queue.Layout, code string) queue.Service {
	s, _ := l.Service(code)
	return s
}

// groupLabel names a priority group in the reader's language.
func groupLabel(t *i18n.Translator, key string) string {
	for _, g := range queue.PriorityGroups {
		if g.Key == key {
			return t.T(g.LabelID)
		}
	}
	return key
}

// consoleAction reports one of the console's buttons (the API also has
// "serve", which the console does not offer).
func consoleAction(name string) bool {
	switch name {
	case "next", "recall", "skip", "callback", "done", "transfer":
		return true
	}
	return false
}

// counterAction runs one action of the console, then shows the console
// again (post, redirect, get). A refused action (a stale console, nobody
// waiting, a bad transfer) changes nothing and shows the console as it is
// now, with the reason, under a 4xx status.
func (h *handlers) counterAction(c *fiber.Ctx) error {
	id, err := h.counterRef(c)
	if err != nil {
		return err
	}
	action := c.Params("action")
	if !consoleAction(action) {
		return apperr.ErrNotFound
	}
	a := queue.Action{Name: action, Ticket: c.FormValue("ticket")}
	if action == "skip" && c.FormValue("confirm") != "1" {
		// A no-show ends the visit: confirm first (a page, or counter.js's
		// dialog that sends confirm=1 at once).
		ctr, _, err := h.q.Counter(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.Redirect(consoleURL(ctr)+"/skip?ticket="+url.QueryEscape(a.Ticket), fiber.StatusSeeOther)
	}
	if action == "transfer" {
		a.To, err = parseTarget(c.FormValue("to"))
	}
	var t queue.Ticket
	if err == nil {
		t, err = h.q.Act(c.UserContext(), h.actorOf(c), id, a)
	}
	if err != nil {
		ae := apperr.As(err)
		if ae.Code == apperr.Conflict || ae.Code == apperr.Invalid {
			d := web.Describe(h.tr(c), ae)
			return h.console(c, d.Line(), d.Status)
		}
		return err
	}
	ctr, _, err := h.q.Counter(c.UserContext(), id)
	if err != nil {
		return err
	}
	to := consoleURL(ctr)
	switch action {
	case "done":
		to += "?done=" + url.QueryEscape(t.ID)
	case "recall", "skip", "transfer", "callback":
		to += "?msg=" + action + "&n=" + url.QueryEscape(t.Number)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// parseTarget reads the transfer form's "service:CODE" or "counter:ID".
func parseTarget(v string) (queue.Target, error) {
	kind, val, _ := strings.Cut(v, ":")
	switch kind {
	case "service":
		return queue.Target{Service: val}, nil
	case "counter":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil && n > 0 {
			return queue.Target{Counter: n}, nil
		}
		return queue.Target{}, apperr.Fields([]apperr.FieldError{{Field: "to", MessageID: "queue.error.counter_unknown"}})
	case "":
		return queue.Target{}, nil // the service layer says a target is needed
	}
	return queue.Target{}, apperr.Fields([]apperr.FieldError{{Field: "to", MessageID: "counter.error.target"}})
}

func counterID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// actorOf is the signed-in staff member as the service layer sees them.
func (h *handlers) actorOf(c *fiber.Ctx) actor.Actor { return h.d.StaffOf(c).Actor() }

var ticketNumber = regexp.MustCompile(`^[A-Z][0-9]{3,6}$`)

// noticeOf is the line that confirms an action after the redirect.
func noticeOf(t *i18n.Translator, msg, number string) string {
	if !ticketNumber.MatchString(number) {
		return ""
	}
	switch msg {
	case "recall", "skip", "transfer", "callback":
		return t.T("counter.notice."+msg, "Number", number)
	}
	return ""
}

type confirmData struct {
	Office      officeView
	Counter     counterHead
	Number      string
	Ticket      string
	Action      string
	BackURL     string
	Question    string
	Consequence string
}

// counterStep is GET on a console action's address. For a no-show it is
// the confirmation step (the console's button leads here without
// JavaScript); for any other, or a reload after a refused post, it shows
// the console again.
func (h *handlers) counterStep(c *fiber.Ctx) error {
	id, err := h.counterRef(c)
	if err != nil {
		return err
	}
	con, err := h.q.Console(c.UserContext(), h.actorOf(c), id)
	if err != nil {
		return err
	}
	base := consoleURL(con.Counter)
	if c.Params("action") != "skip" || con.Current == nil || con.Current.ID != c.Query("ticket") {
		return c.Redirect(base, fiber.StatusSeeOther)
	}
	t := h.tr(c)
	n := con.Current.Number
	data := confirmData{Office: viewOffice(con.Layout.Office), Counter: counterHead{ID: con.Counter.ID, Name: con.Counter.Name},
		Number: n, Ticket: con.Current.ID, Action: base + "/skip", BackURL: base,
		Question: t.T("counter.skip_confirm.question", "Number", n), Consequence: t.T("counter.skip_confirm.consequence", "Number", n)}
	return h.render(c, page{name: "counter_confirm", title: t.T("counter.skip_confirm.title", "Number", n), staff: true}, data)
}
