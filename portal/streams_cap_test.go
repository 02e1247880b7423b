package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/staff"
)

// streamHarness serves a harness portal on a real listener with the given
// stream caps; clients are told apart by X-Forwarded-For from loopback,
// which is a trusted proxy here.
func streamHarness(t *testing.T, perClient, max string) (h *deskHarness, base string) {
	t.Helper()
	h = newDeskHarness(t, "sqlite", map[string]string{"MOTCUA_STREAMS_PER_CLIENT": perClient,
		"MOTCUA_STREAMS_MAX": max, "MOTCUA_TRUSTED_PROXIES": "127.0.0.1"})
	if _, err := h.env.Queue.CreateOffice(context.Background(), staff.Operator(), queue.Office{Code: "TB-MC", Name: "Một cửa", UnitCode: "TB"}); err != nil {
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
	return h, "http://" + ln.Addr().String()
}

// openStream opens the office's event stream as client; a 200 stream is
// read up to its first comment.
func openStream(t *testing.T, base, client string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/offices/TB-MC/events", nil)
	req.Header.Set("X-Forwarded-For", client)
	tr := &http.Transport{DisableKeepAlives: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusOK {
		b := make([]byte, 64)
		if _, err := resp.Body.Read(b); err != nil {
			t.Fatalf("read the stream's first line: %v", err)
		}
	} else {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp
}

func refusal(t *testing.T, resp *http.Response) (code, retry string) {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	var e apiError
	if err := json.Unmarshal(b, &e); err != nil || e.Error.Message == "" {
		t.Errorf("refusal body %q is not the error shape", b)
	}
	return string(e.Error.Code), resp.Header.Get("Retry-After")
}

// Streams are capped per client and per instance, and a closed one is
// released at once, not at the next heartbeat.
func TestEventStreamCaps(t *testing.T) {
	h, base := streamHarness(t, "3", "5")
	var mine []*http.Response
	for range 3 {
		resp := openStream(t, base, "198.51.100.1")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("stream within the client's cap: %d", resp.StatusCode)
		}
		mine = append(mine, resp)
	}
	t.Run("past the client's cap is 429 with Retry-After", func(t *testing.T) {
		resp := openStream(t, base, "198.51.100.1")
		code, retry := refusal(t, resp)
		if resp.StatusCode != http.StatusTooManyRequests || code != "rate_limited" || retry == "" {
			t.Errorf("4th stream of one client: %d %s, Retry-After %q; want 429 rate_limited with Retry-After", resp.StatusCode, code, retry)
		}
	})
	for range 2 {
		if resp := openStream(t, base, "198.51.100.2"); resp.StatusCode != http.StatusOK {
			t.Fatalf("another client's stream: %d", resp.StatusCode)
		} else {
			defer resp.Body.Close()
		}
	}
	t.Run("past the instance's cap is 503 with Retry-After", func(t *testing.T) {
		resp := openStream(t, base, "198.51.100.3")
		code, retry := refusal(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable || code != "unavailable" || retry == "" {
			t.Errorf("6th stream on the instance: %d %s, Retry-After %q; want 503 unavailable with Retry-After", resp.StatusCode, code, retry)
		}
	})
	t.Run("a closed stream is released at once", func(t *testing.T) {
		mine[0].Body.Close()
		deadline := time.Now().Add(2 * time.Second)
		for h.s.live.open() != 4 {
			if time.Now().After(deadline) {
				t.Fatalf("%d streams counted 2 s after one closed, want 4 (the heartbeat is %s)", h.s.live.open(), heartbeatEvery)
			}
			time.Sleep(10 * time.Millisecond)
		}
		resp := openStream(t, base, "198.51.100.1")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("a new stream after closing one: %d, want 200", resp.StatusCode)
		}
		resp.Body.Close()
	})
	for _, r := range mine[1:] {
		r.Body.Close()
	}
	deadline := time.Now().Add(2 * time.Second)
	for h.s.live.open() != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := h.s.live.open(); n != 2 {
		t.Errorf("%d streams counted after the first client closed all of its own, want 2", n)
	}
}

// With 0 there is no cap.
func TestEventStreamsUncapped(t *testing.T) {
	_, base := streamHarness(t, "0", "0")
	for range 12 {
		resp := openStream(t, base, "198.51.100.9")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("uncapped stream: %d", resp.StatusCode)
		}
		defer resp.Body.Close()
	}
}
