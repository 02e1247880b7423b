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

type counterData struct {
	Office         officeView
	Counter        counterHead
	Current        *ticketCard
	Waiting        []waitingRow
	Finished       *ticketCard
	DossierURL     string
	ToServices     []option
	ToCounters     []option
	Notice         string
	Base           string
	EventsURL      string
	RefreshSeconds int
}

// counter is the console of one counter: the ticket it holds, the actions
// on it, and the queue it will call from, in calling order.
func (h *handlers) counter(c *fiber.Ctx) error {
	return h.console(c, "", fiber.StatusOK)
}

// console renders the console with a notice (an action's outcome, or why it
// was refused) and the given status.
func (h *handlers) console(c *fiber.Ctx, notice string, status int) error {
	id, err := counterID(c)
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
	d := counterData{Office: officeView{l.Office.Code, l.Office.Name},
		Counter: counterHead{ID: ctr.ID, Name: ctr.Name}, Base: "/counter/" + strconv.FormatInt(ctr.ID, 10),
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
	case "next", "recall", "skip", "done", "transfer":
		return true
	}
	return false
}

// counterAction runs one action of the console, then shows the console
// again (post, redirect, get). A refused action (a stale console, nobody
// waiting, a bad transfer) changes nothing and shows the console as it is
// now, with the reason, under a 4xx status.
func (h *handlers) counterAction(c *fiber.Ctx) error {
	id, err := counterID(c)
	if err != nil {
		return err
	}
	action := c.Params("action")
	if !consoleAction(action) {
		return apperr.ErrNotFound
	}
	a := queue.Action{Name: action, Ticket: c.FormValue("ticket")}
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
	to := "/counter/" + strconv.FormatInt(id, 10)
	switch action {
	case "done":
		to += "?done=" + url.QueryEscape(t.ID)
	case "recall", "skip", "transfer":
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
	case "recall", "skip", "transfer":
		return t.T("counter.notice."+msg, "Number", number)
	}
	return ""
}
