package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"
)

// Notifier sends a NOTIFY; the store implements it, so that no SQL lives
// here.
type Notifier interface {
	Notify(ctx context.Context, channel, payload string) error
}

// maxPayload is PostgreSQL's NOTIFY payload limit, less a margin.
const maxPayload = 7900

// readyWait bounds how long a new subscription waits for the listening
// connection; past it the subscriber gets a Resync once the connection is up.
const readyWait = 3 * time.Second

// Postgres is the bus of several instances sharing one PostgreSQL: Publish
// is a NOTIFY on one channel; each instance LISTENs on it with a dedicated
// connection (started with the first subscription) and fans events out to
// its own subscribers. After the connection is lost and re-established,
// every subscriber is sent a Resync, since notifications sent meanwhile are
// gone.
type Postgres struct {
	dsn      string
	channel  string
	notifier Notifier
	log      *slog.Logger
	h        *hub

	once     sync.Once
	ready    chan struct{} // closed once LISTEN is acknowledged
	mu       sync.Mutex
	listener *pq.Listener
	closed   bool
	done     chan struct{} // closed when the dispatcher exits
}

// envelope is what travels in a NOTIFY payload.
type envelope struct {
	Topic string `json:"t"`
	Event Event  `json:"e"`
}

// NewPostgres returns a bus over the database at dsn. Instances that share a
// schema (the search_path of dsn) share events; other schemas are apart.
func NewPostgres(dsn string, n Notifier, log *slog.Logger) *Postgres {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Postgres{dsn: dsn, channel: ChannelFor(dsn), notifier: n, log: log, h: newHub(),
		ready: make(chan struct{}), done: make(chan struct{})}
}

// ChannelFor names the NOTIFY channel of the schema that dsn selects.
func ChannelFor(dsn string) string {
	name := "motcua_events"
	u, err := url.Parse(dsn)
	if err != nil {
		return name
	}
	sp := u.Query().Get("search_path")
	var b strings.Builder
	for _, r := range strings.ToLower(sp) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		name += "_" + b.String()
	}
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

// Channel is the NOTIFY channel this bus uses.
func (p *Postgres) Channel() string { return p.channel }

// Publish sends e to every instance, this one included.
func (p *Postgres) Publish(ctx context.Context, topic string, e Event) error {
	channel, payload, err := p.Notification(topic, e)
	if err != nil {
		return err
	}
	return p.notifier.Notify(ctx, channel, payload)
}

// Notification is the channel and payload that publish e on topic: what a
// store sends with pg_notify in its own transaction, so that the event is
// delivered at the commit of the change it tells of, and never without it.
func (p *Postgres) Notification(topic string, e Event) (channel, payload string, err error) {
	b, err := json.Marshal(envelope{Topic: topic, Event: e})
	if err != nil {
		return "", "", fmt.Errorf("events: %w", err)
	}
	if len(b) > maxPayload {
		return "", "", fmt.Errorf("events: %s payload of %d bytes is over the NOTIFY limit", e.Type, len(b))
	}
	return p.channel, string(b), nil
}

// Subscribe implements Bus. The first subscription starts the listening
// connection and waits briefly for it.
func (p *Postgres) Subscribe(ctx context.Context, topic string) (<-chan Event, func()) {
	p.once.Do(p.start)
	ch, cancel := p.h.subscribe(ctx, topic)
	t := time.NewTimer(readyWait)
	defer t.Stop()
	select {
	case <-p.ready:
	case <-p.done:
	case <-ctx.Done():
	case <-t.C:
		p.log.Warn("event listener not ready; subscribers will resync when it is", "channel", p.channel)
	}
	return ch, cancel
}

func (p *Postgres) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		close(p.done)
		return
	}
	p.listener = pq.NewListener(p.dsn, 100*time.Millisecond, 10*time.Second, p.onState)
	l := p.listener
	go func() {
		err := l.Listen(p.channel)
		if err != nil && !errors.Is(err, pq.ErrChannelAlreadyOpen) {
			// Close was called before the connection came up.
			p.log.Warn("event listener stopped before listening", "err", err)
			return
		}
		close(p.ready)
		// Anything published before LISTEN took effect was not heard.
		p.h.resyncAll()
	}()
	go p.dispatch(l)
}

func (p *Postgres) onState(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventDisconnected:
		p.log.Warn("event listener disconnected", "err", err)
	case pq.ListenerEventReconnected:
		p.log.Info("event listener reconnected")
	case pq.ListenerEventConnectionAttemptFailed:
		p.log.Warn("event listener cannot connect", "err", err)
	}
}

// dispatch fans notifications out; a nil notification means the connection
// was re-established and anything in between was lost.
func (p *Postgres) dispatch(l *pq.Listener) {
	defer close(p.done)
	ping := time.NewTicker(90 * time.Second)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-l.Notify:
			if !ok {
				return
			}
			if n == nil {
				p.h.resyncAll()
				continue
			}
			var env envelope
			if err := json.Unmarshal([]byte(n.Extra), &env); err != nil || env.Event.Type == "" {
				p.log.Warn("event with a bad payload ignored", "err", err)
				continue
			}
			p.h.deliver(env.Topic, env.Event)
		case <-ping.C:
			// A quiet connection can die unnoticed behind a NAT; a ping
			// finds out, and the listener reconnects.
			go func() { _ = l.Ping() }()
		}
	}
}

// Close stops listening and closes every subscriber's channel.
func (p *Postgres) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	l := p.listener
	p.mu.Unlock()
	var err error
	if l != nil {
		err = l.Close()
		<-p.done
	}
	p.h.close()
	return err
}
