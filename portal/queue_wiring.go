package main

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"motcua/internal/app"
	"motcua/internal/apperr"
)

// liveStreams counts the open event streams, per client and in all, so that
// one client cannot hold thousands of them (MOTCUA_STREAMS_PER_CLIENT) and
// the instance keeps memory for those it accepted (MOTCUA_STREAMS_MAX). It
// also lets open streams end when the server shuts down; otherwise a
// graceful shutdown would wait on them until its timeout.
type liveStreams struct {
	once      sync.Once
	done      chan struct{}
	heartbeat time.Duration

	perClient, max int

	mu       sync.Mutex
	total    int
	byClient map[string]int
}

// heartbeatEvery keeps proxies from closing a quiet stream. A client that
// has gone is found at once by the stream's read watcher, not by it.
const heartbeatEvery = 20 * time.Second

// streamRetryAfter is what a refused stream is told to wait, in seconds: the
// pages' own reconnection backs off further.
const streamRetryAfter = "10"

// initQueue gives the server the queue service, the bus and stream control.
func (s *server) initQueue(e *app.App) {
	s.queue, s.bus = e.Queue, e.Bus
	s.live = &liveStreams{done: make(chan struct{}), heartbeat: heartbeatEvery,
		perClient: e.Cfg.StreamsPerClient, max: e.Cfg.StreamsMax, byClient: map[string]int{}}
	s.metrics.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "motcua_event_streams", Help: "Open live event streams.",
	}, func() float64 { return float64(s.live.open()) }))
}

// acquire counts a new stream of client, or refuses it: 429 past the
// client's cap, 503 past the instance's. release is safe to call twice.
func (l *liveStreams) acquire(client string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		return nil, apperr.New(apperr.Unavailable, "error.streams.full")
	}
	if l.perClient > 0 && l.byClient[client] >= l.perClient {
		return nil, apperr.New(apperr.RateLimited, "error.streams.client").With(map[string]any{"Count": l.perClient})
	}
	l.total++
	l.byClient[client]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.total--
			if l.byClient[client]--; l.byClient[client] <= 0 {
				delete(l.byClient, client)
			}
		})
	}, nil
}

// open is the number of streams open now.
func (l *liveStreams) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// stopStreams ends every open event stream; call it before shutting down.
func (s *server) stopStreams() {
	if s.live != nil {
		s.live.once.Do(func() { close(s.live.done) })
	}
}
