package main

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/staff"
)

// TestQueueEventHeartbeat serves the portal's app on a real listener with a
// short heartbeat and finds the comment lines that keep a quiet stream open.
func TestQueueEventHeartbeat(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	h.s.live.heartbeat = 50 * time.Millisecond
	ctx := context.Background()
	if _, err := h.env.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "TB-MC", Name: "Một cửa", UnitCode: "TB"}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.app.Listener(ln) }()
	t.Cleanup(func() {
		h.s.stopStreams()
		_ = h.app.ShutdownWithTimeout(5 * time.Second)
	})
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/v1/offices/TB-MC/events")
	if err != nil {
		t.Fatal(err)
	}
	stream := make(chan sseEvent, 16)
	go readSSE(resp, stream)
	if ev := nextEvent(t, stream, ":"); ev.data != "connected" {
		t.Fatalf("first comment: got %q, want connected", ev.data)
	}
	for range 2 {
		if ev := nextEvent(t, stream, ":"); ev.data != "ping" {
			t.Fatalf("heartbeat: got %q, want ping", ev.data)
		}
	}
}
