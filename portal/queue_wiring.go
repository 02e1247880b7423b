package main

import (
	"log/slog"
	"sync"
	"time"

	"motcua/internal/config"
	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/store"
)

// openQueue builds the event bus that suits the store (in-process for
// SQLite, LISTEN/NOTIFY for PostgreSQL, where several instances may serve
// one office) and the queue service that publishes on it.
func openQueue(cfg config.Config, db *store.DB, log *slog.Logger, now func() time.Time) (events.Bus, *queue.Manager) {
	var bus events.Bus = events.NewLocal()
	if cfg.IsPostgres() {
		bus = events.NewPostgres(db.DSN(), db, log)
	}
	return bus, queue.NewManager(db, bus, now, log)
}

// liveStreams lets open event streams end when the server shuts down;
// otherwise a graceful shutdown would wait on them until its timeout.
type liveStreams struct {
	once      sync.Once
	done      chan struct{}
	heartbeat time.Duration
}

// heartbeatEvery keeps proxies from closing a quiet stream and reveals a
// client that has gone (a write fails).
const heartbeatEvery = 20 * time.Second

// initQueue gives the server the queue service, the bus and stream control.
func (s *server) initQueue(e *env) {
	s.queue, s.bus = e.queue, e.bus
	s.live = &liveStreams{done: make(chan struct{}), heartbeat: heartbeatEvery}
}

// stopStreams ends every open event stream; call it before shutting down.
func (s *server) stopStreams() {
	if s.live != nil {
		s.live.once.Do(func() { close(s.live.done) })
	}
}
