package main

import (
	"context"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
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
//
// The stream takes the connection over from the HTTP server once the
// handlers have run (a hijack): the server's worker, its buffers and the
// pipe a streamed body would need are given back, and one goroutine writes
// the events while another watches for the client leaving. An office's
// displays and phones hold thousands of streams for hours (README,
// "Performance").
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
	// The connection serves this stream only, in chunks, until one end
	// closes it.
	fc := c.Context()
	fc.SetConnectionClose()
	fc.Response.Header.SetContentLength(-1)
	ctx, cancel := context.WithCancel(context.Background())
	ch, unsubscribe := s.bus.Subscribe(ctx, queue.Topic(o.Code))
	st := &eventStream{events: ch, done: s.live.done, every: s.live.heartbeat,
		end: func() { unsubscribe(); cancel(); release() }}
	// Should the server never hand the connection over (it failed first),
	// the subscription and the stream's count are given back all the same.
	st.abandon = time.AfterFunc(streamStartTimeout, func() {
		if st.state.CompareAndSwap(streamWaiting, streamAbandoned) {
			st.end()
		}
	})
	// Nothing below may touch c: the handler has returned when this runs.
	// The server writes no answer of its own; the stream writes the head
	// the handlers built.
	fc.HijackSetNoResponse(true)
	fc.Hijack(func(hc net.Conn) {
		st.abandon.Stop()
		if !st.state.CompareAndSwap(streamWaiting, streamRunning) {
			_ = hc.Close()
			return
		}
		st.head = fc.Response.Header.AppendBytes(nil)
		// The server gives its read buffer back when this returns, so the
		// stream reads the bare connection; a connection that cannot give
		// it is streamed here, the buffer kept.
		if u, ok := hc.(interface{ UnsafeConn() net.Conn }); ok {
			go st.run(u.UnsafeConn())
			return
		}
		st.run(hc)
	})
	return nil
}

// streamWriteTimeout bounds one write of a stream: a client that reads
// nothing for this long is dropped.
const streamWriteTimeout = 30 * time.Second

// streamStartTimeout is how long a stream waits for the server to hand it
// the connection, which takes microseconds, before it is given up.
const streamStartTimeout = 30 * time.Second

// The states of a stream: waiting for its connection, running on it, or
// given up before it came.
const (
	streamWaiting int32 = iota
	streamRunning
	streamAbandoned
)

// eventStream is one client's live stream on a connection taken over from
// the HTTP server (the server keeps hijacked connections open: newServer).
type eventStream struct {
	head    []byte
	events  <-chan events.Event
	done    <-chan struct{}
	every   time.Duration
	end     func()
	buf     []byte
	state   atomic.Int32
	abandon *time.Timer
}

// run writes the stream on conn until the client leaves, the bus closes the
// subscription or the portal stops, then ends the chunked body and closes
// the connection.
func (st *eventStream) run(conn net.Conn) {
	defer conn.Close()
	defer st.end()
	gone, stopWatch := watchClosed(conn)
	defer stopWatch()
	tick := time.NewTicker(st.every)
	defer tick.Stop()
	// retry: how soon a browser reconnects after the server restarts.
	st.buf = append(st.buf[:0], st.head...)
	if st.write(conn, []byte("retry: 3000\n: connected\n\n")) != nil {
		return
	}
	for {
		select {
		case <-st.done:
			_ = st.write(conn, nil)
			return
		case <-gone:
			return
		case e, ok := <-st.events:
			if !ok {
				_ = st.write(conn, nil)
				return
			}
			if st.write(conn, appendEvent(nil, e)) != nil {
				return
			}
		case <-tick.C:
			if st.write(conn, []byte(": ping\n\n")) != nil {
				return
			}
		}
	}
}

// write sends data as one chunk of the body after what st.buf already
// holds; no data is the last chunk.
func (st *eventStream) write(conn net.Conn, data []byte) error {
	b := strconv.AppendInt(st.buf, int64(len(data)), 16)
	b = append(b, "\r\n"...)
	b = append(b, data...)
	b = append(b, "\r\n"...) // after the last chunk: no trailer
	st.buf = b[:0]
	if err := conn.SetWriteDeadline(time.Now().Add(streamWriteTimeout)); err != nil {
		return err
	}
	_, err := conn.Write(b)
	return err
}

// appendEvent appends one event in the text/event-stream format.
func appendEvent(b []byte, e events.Event) []byte {
	data := e.Data
	if len(data) == 0 {
		data = []byte("{}")
	}
	// Event data is compact JSON: it never holds a newline.
	b = append(b, "event: "...)
	b = append(b, e.Type...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	return append(b, "\n\n"...)
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
