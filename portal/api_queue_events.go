package main

import (
	"bufio"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/events"
	"motcua/internal/queue"
)

// apiOfficeEvents is GET /api/v1/offices/{office}/events: the office's
// server-sent events for displays, consoles and phones. A "resync" event
// means "reload from the API"; a comment line every 20 s keeps the stream
// open through proxies and finds clients that have gone.
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
	ctx, cancel := context.WithCancel(context.Background())
	ch, unsubscribe := s.bus.Subscribe(ctx, queue.Topic(o.Code))
	done, every := s.live.done, s.live.heartbeat
	// Nothing below may touch c: the handler has returned when this runs.
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		defer unsubscribe()
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
