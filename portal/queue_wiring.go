package main

import (
	"motcua/internal/app"
	"sync"
	"time"
)

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
func (s *server) initQueue(e *app.App) {
	s.queue, s.bus = e.Queue, e.Bus
	s.live = &liveStreams{done: make(chan struct{}), heartbeat: heartbeatEvery}
}

// stopStreams ends every open event stream; call it before shutting down.
func (s *server) stopStreams() {
	if s.live != nil {
		s.live.once.Do(func() { close(s.live.done) })
	}
}
