package queue

import (
	"context"
	"errors"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/events"
)

// Event types on an office's topic.
const (
	EventIssued      = "ticket.issued"
	EventCalled      = "ticket.called" // also on a recall, with Recall set
	EventServing     = "ticket.serving"
	EventDone        = "ticket.done"
	EventSkipped     = "ticket.skipped" // no-show
	EventTransferred = "ticket.transferred"
)

// TicketEvent is the data of every ticket event. It never carries the
// ticket's ID: the office's stream is public, the ID is its holder's.
type TicketEvent struct {
	Number      string    `json:"number"`
	Service     string    `json:"service"`
	Priority    bool      `json:"priority,omitempty"`
	Counter     int       `json:"counter,omitempty"` // the counter's number, as called out
	CounterID   int64     `json:"counter_id,omitempty"`
	CounterName string    `json:"counter_name,omitempty"`
	Recall      bool      `json:"recall,omitempty"`
	At          time.Time `json:"at"`
}

// ErrServiceRetired is the store's refusal of a number for a service that
// is not in use (retired, or unknown) when the number is taken.
var ErrServiceRetired = errors.New("queue: service not in use")

// TicketView is a ticket with what its holder wants to know.
type TicketView struct {
	Ticket  Ticket
	Service Service
	Office  Office
	// Ahead is how many will probably be called first: earlier tickets of
	// the service, and priority tickets before an ordinary one.
	Ahead int
	// EstWait is the estimated wait in minutes; 0 once called.
	EstWait int
	// Counter is the counter that holds or held the ticket, if any.
	Counter *Counter
	// Counters serve the ticket's service (the kiosk prints them).
	Counters []Counter
}

// Issue takes a number for a. An unknown office is not found; an unknown
// service or priority group is invalid. priority is a group key of the
// office or "": only an enrolled kiosk of the office or counter staff of its
// unit may claim one (forbidden otherwise), and anyone else is held to
// TicketsPerHour per client address (rate limited past it).
func (m *Manager) Issue(ctx context.Context, a actor.Actor, office, service, priority string) (TicketView, error) {
	// The layout may be up to LayoutTTL old: the store refuses a service
	// retired meanwhile as it takes the number.
	l, err := m.cachedLayout(ctx, office)
	if err != nil {
		return TicketView{}, err
	}
	service, priority = strings.TrimSpace(service), strings.TrimSpace(priority)
	var bad fieldErrs
	svc, ok := l.Service(service)
	switch {
	case service == "":
		bad.add("service", "error.field.required", nil)
	case !ok:
		bad.add("service", "queue.error.service_unknown", nil)
	}
	if priority != "" && !contains(l.Office.PriorityGroups, priority) {
		bad.add("priority", "queue.error.priority_unknown", nil)
	}
	if err := bad.err(); err != nil {
		return TicketView{}, err
	}
	// Outside the opening hours nobody gets a number, enrolled kiosk or not.
	if op := m.Opening(l.Office); !op.Issuing {
		return TicketView{}, ClosedError(op)
	}
	if !trustedIssuer(a, l.Office) {
		if priority != "" {
			return TicketView{}, apperr.New(apperr.Forbidden, "queue.error.priority_kiosk_only")
		}
		if err := m.takeQuota(ctx, a); err != nil {
			return TicketView{}, err
		}
	}
	t := Ticket{ID: newTicketID(), OfficeCode: l.Office.Code, Service: svc.Code, Day: Day(m.now()),
		Prefix: svc.Prefix, Priority: priority, Status: Waiting}
	notice := m.issueNotice()
	t, ahead, err := m.store.IssueTicket(ctx, t, m.now, notice)
	if errors.Is(err, ErrServiceRetired) {
		m.forgetLayout(l.Office.Code)
		return TicketView{}, apperr.Fields([]apperr.FieldError{{Field: "service", MessageID: "queue.error.service_unknown"}})
	}
	if err != nil {
		return TicketView{}, err
	}
	if notice == nil {
		m.publish(ctx, t.OfficeCode, EventIssued, m.eventOf(t, nil, false))
	}
	// Who is ahead of a new ticket is what the store read as it took the
	// number: every queued ticket of the service before it (the priority
	// ones for a priority ticket), none after it yet. Not counting the
	// queue again keeps issuing as fast with a thousand waiting as with ten.
	return m.viewAhead(ctx, l, t, &ahead)
}

// issueNotice is the notification of a new ticket that the store sends in
// the issuing transaction, when the bus is PostgreSQL's; nil otherwise (the
// event is published after the commit).
func (m *Manager) issueNotice() Notice {
	tp, ok := m.bus.(txPublisher)
	if !ok {
		return nil
	}
	return func(t Ticket) (string, string, bool) {
		e, err := events.New(EventIssued, m.eventOf(t, nil, false))
		var channel, payload string
		if err == nil {
			channel, payload, err = tp.Notification(Topic(t.OfficeCode), e)
		}
		if err != nil {
			m.log.Error("publish queue event", "office", t.OfficeCode, "type", EventIssued, "err", err)
			return "", "", false
		}
		return channel, payload, true
	}
}

// ClosedError is the conflict of a number asked for outside the opening
// hours, with when the office next issues numbers: Time "07:00", Date
// "04/05/2026" and Day "2026-05-04" (unambiguous in every language).
func ClosedError(op Opening) error {
	if op.Next.IsZero() {
		return apperr.New(apperr.Conflict, "queue.error.closed_no_hours")
	}
	next := op.Next.In(Zone())
	return apperr.New(apperr.Conflict, "queue.error.closed").With(map[string]any{
		"Time": next.Format("15:04"), "Date": next.Format("02/01/2006"), "Day": next.Format(time.DateOnly)})
}

// Ticket returns a ticket by its ID, with its place in the queue.
func (m *Manager) Ticket(ctx context.Context, id string) (TicketView, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !ValidTicketID(id) {
		return TicketView{}, apperr.ErrNotFound
	}
	t, err := m.store.Ticket(ctx, id)
	if err != nil {
		return TicketView{}, err
	}
	l, err := m.cachedLayout(ctx, t.OfficeCode)
	if err != nil {
		return TicketView{}, err
	}
	_, svcOK := l.AnyService(t.Service)
	_, ctrOK := l.AnyCounter(t.CounterID)
	if !svcOK || (t.CounterID != 0 && !ctrOK) {
		// Set up on another instance since: read it now.
		if l, err = m.Layout(ctx, t.OfficeCode); err != nil {
			return TicketView{}, err
		}
	}
	return m.viewOf(ctx, l, t)
}

func (m *Manager) viewOf(ctx context.Context, l Layout, t Ticket) (TicketView, error) {
	return m.viewAhead(ctx, l, t, nil)
}

// viewAhead is viewOf with the number ahead already known (not nil).
func (m *Manager) viewAhead(ctx context.Context, l Layout, t Ticket, known *int) (TicketView, error) {
	svc, _ := l.AnyService(t.Service)
	v := TicketView{Ticket: t, Service: svc, Office: l.Office, Counters: l.CountersFor(t.Service)}
	if c, ok := l.AnyCounter(t.CounterID); ok && t.CounterID != 0 {
		v.Counter = &c
	}
	if !t.Status.Queued() {
		return v, nil
	}
	var ahead int
	var err error
	if known != nil {
		ahead = *known
	} else if ahead, err = m.ahead(ctx, t); err != nil {
		return TicketView{}, err
	}
	// An estimate: the day's figures may be up to LayoutTTL old.
	stats, err := m.cachedStats(ctx, l.Office.Code, t.Day)
	if err != nil {
		return TicketView{}, err
	}
	v.Ahead = ahead
	v.EstWait = estimate(l, stats, t.Service, ahead)
	return v, nil
}

// ahead counts who will be called before t: earlier tickets of its service,
// and for an ordinary ticket also the priority ones issued after it.
func (m *Manager) ahead(ctx context.Context, t Ticket) (int, error) {
	prio := t.Priority != ""
	return m.store.CountQueued(ctx, QueuedFilter{Office: t.OfficeCode, Day: t.Day, Service: t.Service,
		Before: t, PriorityOnly: prio, LaterPriority: !prio})
}

// minSamples is how many visits a service must have finished today before
// their average replaces the office's default length of a visit.
const minSamples = 3

// estimate is the minutes until a ticket with ahead people in front of it
// is called: the average visit today (or the office's default) shared among
// the counters that serve the service today (or could).
func estimate(l Layout, stats []ServiceStat, service string, ahead int) int {
	if ahead <= 0 {
		return 0
	}
	perVisit := float64(l.Office.DefaultMinutes) * 60
	counters := 0
	for _, s := range stats {
		if s.Service != service {
			continue
		}
		if s.Finished >= minSamples {
			perVisit = float64(s.ServiceSeconds) / float64(s.Finished)
		}
		counters = s.Counters
	}
	if counters == 0 {
		counters = len(l.CountersFor(service))
	}
	if counters == 0 {
		counters = 1
	}
	secs := float64(ahead) * perVisit / float64(counters)
	return int((secs + 59) / 60)
}

func (m *Manager) eventOf(t Ticket, c *Counter, recall bool) TicketEvent {
	e := TicketEvent{Number: t.Number, Service: t.Service, Priority: t.Priority != "", Recall: recall, At: m.now().UTC()}
	if c != nil {
		e.Counter, e.CounterID, e.CounterName = c.Number, c.ID, c.Name
	}
	return e
}

// publish sends an event after the change was committed. The request may
// have ended meanwhile; the event must still go out.
func (m *Manager) publish(ctx context.Context, office, typ string, data TicketEvent) {
	if typ != EventIssued { // a call or a visit's end changes the estimates
		m.forgetStats(office)
	}
	if m.bus == nil {
		return
	}
	e, err := events.New(typ, data)
	if err == nil {
		err = m.bus.Publish(context.WithoutCancel(ctx), Topic(office), e)
	}
	if err != nil {
		m.log.Error("publish queue event", "office", office, "type", typ, "err", err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
