package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/store/storetest"
)

// The buffered log reaches its writer by itself within the interval, and
// every line written before Close is there after it.
func TestLogWriterFlushesPeriodicallyAndOnClose(t *testing.T) {
	out := &lockedBuffer{}
	l := newLogWriter(out, 20*time.Millisecond)
	_, _ = l.Write([]byte("first\n"))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "first\n") {
		if time.Now().After(deadline) {
			t.Fatalf("a buffered line did not reach the log within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	l2 := newLogWriter(out, time.Hour)
	for i := 0; i < 1000; i++ {
		_, _ = l2.Write([]byte("line\n"))
	}
	if err := l2.Close(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "line\n"); n != 1000 {
		t.Errorf("after Close the log holds %d of 1000 lines", n)
	}
	_, _ = l2.Write([]byte("late\n"))
	if !strings.Contains(out.String(), "late\n") {
		t.Errorf("a line written after Close was not written through")
	}
	_ = l.Close()
}

// Request IDs are 16 hex digits and never repeat within a process.
func TestRequestIDsAreUnique(t *testing.T) {
	ids := newRequestIDs()
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := formatRequestID(ids.Add(1))
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" || seen[id] {
			t.Fatalf("request ID %q: want a fresh 16-hex-digit ID", id)
		}
		seen[id] = true
	}
	if a, b := formatRequestID(newRequestIDs().Load()), formatRequestID(newRequestIDs().Load()); a[:8] == b[:8] {
		t.Errorf("two processes start their IDs at %s and %s: the prefix is not random", a, b)
	}
}

// Every request is in the log once the portal has stopped gracefully, even
// the last one, with its request ID, route and status.
func TestAccessLogKeepsEveryRequestAtShutdown(t *testing.T) {
	vars := map[string]string{"MOTCUA_ADDR": "127.0.0.1:0", "MOTCUA_DATA_DIR": t.TempDir(), "DATABASE_URL": storetest.URL(t, "sqlite")}
	ctx, cancel := context.WithCancel(harnessContext(context.Background(), vars))
	defer cancel()
	outR, outW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, nil, func(k string) string { return vars[k] }, outW, stderr)
		outW.Close()
		done <- err
	}()
	sc := bufio.NewScanner(outR)
	base := ""
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
			base = "http://" + a
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	if base == "" {
		t.Fatalf("portal did not listen: %v\n%s", <-done, stderr.String())
	}
	waitReady(t, base)
	var ids []string
	for i := 0; i < 50; i++ {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		ids = append(ids, resp.Header.Get("X-Request-ID"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("portal shut down with an error: %v", err)
	}
	log := stderr.String()
	for _, id := range ids {
		if !strings.Contains(log, `"msg":"request","request_id":"`+id+`","method":"GET","path":"/healthz","route":"/healthz","status":200`) {
			t.Fatalf("request %s is not in the log after a graceful stop:\n%s", id, tail(log, 4<<10))
		}
	}
}
