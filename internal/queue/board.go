package queue

import (
	"context"
	"slices"

	"motcua/internal/actor"
)

// Board is the hall's live picture: what the display shows and what
// GET /api/v1/offices/{office}/queue returns.
type Board struct {
	Layout   Layout
	Services []ServiceQueue
	Counters []CounterNow
	// Recent are the last calls, newest first (the display's history).
	Recent []Ticket
}

// ServiceQueue is one service's queue now.
type ServiceQueue struct {
	Service Service
	Waiting int
	// EstWait is the minutes a ticket taken now would probably wait.
	EstWait  int
	Counters []Counter
}

// CounterNow is a counter and the ticket it holds (nil: free).
type CounterNow struct {
	Counter Counter
	Ticket  *Ticket
}

// recentCalls is how many past calls the display lists.
const recentCalls = 8

// Board returns the office's queue now.
func (m *Manager) Board(ctx context.Context, office string) (Board, error) {
	l, err := m.Layout(ctx, office)
	if err != nil {
		return Board{}, err
	}
	day := Day(m.now())
	active, err := m.store.ActiveTickets(ctx, l.Office.Code, day)
	if err != nil {
		return Board{}, err
	}
	stats, err := m.store.ServiceStats(ctx, l.Office.Code, day)
	if err != nil {
		return Board{}, err
	}
	recent, err := m.store.RecentCalls(ctx, l.Office.Code, day, recentCalls)
	if err != nil {
		return Board{}, err
	}
	b := Board{Layout: l, Recent: recent}
	waiting := map[string]int{}
	for _, t := range active {
		if t.Status.Queued() {
			waiting[t.Service]++
		}
	}
	for _, s := range l.Services {
		b.Services = append(b.Services, ServiceQueue{Service: s, Waiting: waiting[s.Code],
			EstWait: estimate(l, stats, s.Code, waiting[s.Code]), Counters: l.CountersFor(s.Code)})
	}
	for _, c := range l.Counters {
		cn := CounterNow{Counter: c}
		for i := range active {
			if active[i].CounterID == c.ID && active[i].Status.AtCounter() {
				cn.Ticket = &active[i]
			}
		}
		b.Counters = append(b.Counters, cn)
	}
	return b, nil
}

// Console is what a counter's officer sees.
type Console struct {
	Layout  Layout
	Counter Counter
	// Current is the ticket the counter holds, if any.
	Current *Ticket
	// Queue is what this counter may call, in the order it would call it.
	Queue []Ticket
	// NoShows are the day's no-shows it may call back, latest first.
	NoShows []Ticket
}

// Console returns the counter's current ticket and its queue, to those who
// may work it.
func (m *Manager) Console(ctx context.Context, who actor.Actor, counterID int64) (Console, error) {
	c, o, err := m.Counter(ctx, counterID)
	if err != nil {
		return Console{}, err
	}
	if !MayWorkCounter(who, o) {
		return Console{}, who.Deny()
	}
	l, err := m.Layout(ctx, c.OfficeCode)
	if err != nil {
		return Console{}, err
	}
	active, err := m.store.ActiveTickets(ctx, c.OfficeCode, Day(m.now()))
	if err != nil {
		return Console{}, err
	}
	con := Console{Layout: l, Counter: c}
	var prio, plain []Ticket
	for i, t := range active {
		switch {
		case t.Status.AtCounter() && t.CounterID == c.ID:
			con.Current = &active[i]
		case !t.Status.Queued() || !callable(c, t):
		case t.Priority != "":
			prio = append(prio, t)
		default:
			plain = append(plain, t)
		}
	}
	con.Queue = callOrder(prio, plain, c.PriorityStreak, l.Office.PriorityRun)
	if con.NoShows, err = m.noShows(ctx, c, Day(m.now())); err != nil {
		return Console{}, err
	}
	return con, nil
}

// callable mirrors NextQuery: the counter's services, or a transfer to it.
func callable(c Counter, t Ticket) bool {
	if t.TargetCounter != 0 {
		return t.TargetCounter == c.ID
	}
	return slices.Contains(c.Services, t.Service)
}

// callOrder merges priority and ordinary tickets (each oldest first) the way
// successive CallNext calls would take them.
func callOrder(prio, plain []Ticket, streak, run int) []Ticket {
	out := make([]Ticket, 0, len(prio)+len(plain))
	for len(prio) > 0 || len(plain) > 0 {
		if len(prio) > 0 && (streak < run || len(plain) == 0) {
			out, prio, streak = append(out, prio[0]), prio[1:], streak+1
			continue
		}
		out, plain, streak = append(out, plain[0]), plain[1:], 0
	}
	return out
}
