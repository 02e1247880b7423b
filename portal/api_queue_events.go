package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/events"
	"motcua/internal/queue"
)

// apiOfficeEvents is GET /api/v1/offices/{office}/events: the office's
// server-sent events for displays, consoles and phones. A "resync" event
// means "reload from the API"; a comment line every 20 s keeps the stream
// open through proxies. Streams are counted per client and per instance
// (liveStreams), and one is released as soon as its client closes the
// connection (watchClosed), not at the next failed write.
func (s *server) apiOfficeEvents(c *fiber.Ctx) error {
	o, err := s.queue.Office(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	if c.Method() == fiber.MethodHead {
		// No body is written, so the stream writer would never run to
		// release a subscription.
		return nil
	}
	release, err := s.live.acquire(c.IP())
	if err != nil {
		c.Set(fiber.HeaderRetryAfter, streamRetryAfter)
		return err
	}
	// The connection serves this stream only: the read watcher below may
	// not share it with a next request.
	c.Context().SetConnectionClose()
	conn := c.Context().Conn()
	ctx, cancel := context.WithCancel(context.Background())
	ch, unsubscribe := s.bus.Subscribe(ctx, queue.Topic(o.Code))
	done, every := s.live.done, s.live.heartbeat
	// Nothing below may touch c: the handler has returned when this runs.
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer release()
		defer cancel()
		defer unsubscribe()
		gone, stopWatch := watchClosed(conn)
		defer stopWatch()
		tick := time.NewTicker(every)
		defer tick.Stop()
		// retry: how soon a browser reconnects after the server restarts.
		fmt.Fprint(w, "retry: 3000\n: connected\n\n")
		if w.Flush() != nil {
			return
		}
		for {
			select {
			case <-done:
				return
			case <-gone:
				return
			case e, ok := <-ch:
				if !ok {
					return
				}
				if err := writeEvent(w, e); err != nil {
					return
				}
			case <-tick.C:
				fmt.Fprint(w, ": ping\n\n")
				if w.Flush() != nil {
					return
				}
			}
		}
	})
	return nil
}

// writeEvent writes one event in the text/event-stream format and flushes.
func writeEvent(w *bufio.Writer, e events.Event) error {
	data := e.Data
	if len(data) == 0 {
		data = []byte("{}")
	}
	// Event data is compact JSON: it never holds a newline.
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data); err != nil {
		return err
	}
	return w.Flush()
}

// watchClosed reports on gone when the client closes conn. While a stream
// is written nothing else reads the connection (it carries no next
// request), so a read that fails means the client has gone; bytes a client
// sends are ignored. stop ends the watch.
func watchClosed(conn net.Conn) (gone <-chan struct{}, stop func()) {
	ch := make(chan struct{})
	quit := make(chan struct{})
	// The server's read timeout would end the read below as if the client
	// had gone: a stream has no read deadline.
	_ = conn.SetReadDeadline(time.Time{})
	go func() {
		defer close(ch)
		var b [512]byte
		for {
			if _, err := conn.Read(b[:]); err != nil {
				return
			}
			select {
			case <-quit:
				return
			default:
			}
		}
	}()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			close(quit)
			// Unblock the read; the connection is closed after the stream.
			_ = conn.SetReadDeadline(time.Now())
		})
	}
}
