package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"motcua/internal/browsertest"
	"motcua/internal/store/storetest"
)

// servePortal runs the portal with vars until stop is called (or the test
// ends), so that a test can restart it on the same address.
func servePortal(t *testing.T, vars map[string]string, args ...string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(harnessContext(context.Background(), vars))
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return vars[k] }, io.Discard, io.Discard) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("portal shut down with an error: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("portal did not shut down within 20 s")
		}
	}
	t.Cleanup(stop)
	waitReady(t, "http://"+vars["MOTCUA_ADDR"])
	return stop
}

func TestBrowserDisplayReconnectsAfterARestart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir(), "MOTCUA_ADDR": addr, inOpenHours: "1"}
	base := "http://" + addr
	stop := servePortal(t, vars, "-demo")
	p := &queuePortal{base: base, vars: vars}
	token := p.token(t, "TB", "counter")
	_, body := fetch(t, base, "/api/v1/offices")
	var offices officesResponse
	if err := json.Unmarshal([]byte(body), &offices); err != nil || len(offices.Items) == 0 {
		t.Fatalf("offices: %v %s", err, body)
	}
	counter := offices.Items[0].Counters[0]

	display := browsertest.Browser(t)
	navigate(t, display, base+"/display/TB-MC", http.StatusOK)
	waitFor[bool](t, display, `document.documentElement.dataset.stream === "open"`)

	stop()
	waitFor[bool](t, display, `document.documentElement.dataset.stream === "closed"`)
	if visible := eval[bool](t, display, `!document.getElementById("d-status").hidden`); !visible {
		t.Errorf("while the server is down the display does not say it is reconnecting")
	}
	servePortal(t, vars)
	// Act at once, before the display is back: it must find the call by
	// reloading the state when its stream reopens.
	sendJSON(t, "POST", base+"/api/v1/offices/TB-MC/tickets", map[string]string{"service": counter.Services[0]}, nil)
	if resp := p.act(t, token, counter.ID, "next", nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("next after the restart: %d", resp.StatusCode)
	}
	sel := `document.querySelector('[data-counter="` + strconv.FormatInt(counter.ID, 10) + `"] .d-now')`
	if got := waitFor[string](t, display, `(e => e && e.textContent.trim())(`+sel+`)`); !regexp.MustCompile(`^[A-Z]\d{3}$`).MatchString(got) {
		t.Errorf("after the restart the display shows %q at the counter, want the called number", got)
	}
	waitFor[bool](t, display, `document.documentElement.dataset.stream === "open" && document.getElementById("d-status").hidden`)
}
