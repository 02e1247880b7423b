package events

import (
	"context"
	"sync"
)

// hub fans events out to the local subscribers of each topic. Both buses
// use it: Local publishes into it directly, Postgres from its listener.
type hub struct {
	mu     sync.Mutex
	topics map[string]map[*sub]struct{}
	closed bool
}

type sub struct {
	ch chan Event
	// lagged is set when an event could not be delivered; the subscriber
	// gets a Resync before its next event.
	lagged bool
	done   bool
}

func newHub() *hub { return &hub{topics: map[string]map[*sub]struct{}{}} }

func (h *hub) subscribe(ctx context.Context, topic string) (<-chan Event, func()) {
	s := &sub{ch: make(chan Event, bufferSize)}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		close(s.ch)
		return s.ch, func() {}
	}
	if h.topics[topic] == nil {
		h.topics[topic] = map[*sub]struct{}{}
	}
	h.topics[topic][s] = struct{}{}
	h.mu.Unlock()

	// No goroutine waits for ctx: thousands of subscribers to an office
	// would each hold one (README, "Performance").
	stop := context.AfterFunc(ctx, func() { h.remove(topic, s) })
	return s.ch, func() {
		stop()
		h.remove(topic, s)
	}
}

func (h *hub) remove(topic string, s *sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.done {
		return
	}
	s.done = true
	delete(h.topics[topic], s)
	if len(h.topics[topic]) == 0 {
		delete(h.topics, topic)
	}
	close(s.ch)
}

// deliver never blocks: a full subscriber is marked lagged and resyncs.
func (h *hub) deliver(topic string, e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.topics[topic] {
		s.send(e)
	}
}

// resyncAll tells every subscriber to reload: events may have been lost.
func (h *hub) resyncAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.topics {
		for s := range subs {
			s.lagged = true
			s.send(Event{})
		}
	}
}

// send delivers e (or only a pending resync when e is the zero Event).
func (s *sub) send(e Event) {
	if s.lagged {
		select {
		case s.ch <- Event{Type: Resync}:
			s.lagged = false
		default:
			return
		}
	}
	if e.Type == "" {
		return
	}
	select {
	case s.ch <- e:
	default:
		s.lagged = true
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for _, subs := range h.topics {
		for s := range subs {
			s.done = true
			close(s.ch)
		}
	}
	h.topics = map[string]map[*sub]struct{}{}
}

// Local is the in-process bus: enough for SQLite, where one instance owns
// the database.
type Local struct{ h *hub }

// NewLocal returns an in-process bus.
func NewLocal() *Local { return &Local{h: newHub()} }

// Publish delivers e to this process's subscribers of topic.
func (l *Local) Publish(_ context.Context, topic string, e Event) error {
	l.h.deliver(topic, e)
	return nil
}

// Subscribe implements Bus.
func (l *Local) Subscribe(ctx context.Context, topic string) (<-chan Event, func()) {
	return l.h.subscribe(ctx, topic)
}

// Close implements Bus.
func (l *Local) Close() error { l.h.close(); return nil }
