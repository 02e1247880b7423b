package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/browsertest"
	"motcua/internal/store/storetest"
)

// TestMain shares one headless browser between the page tests of the package.
func TestMain(m *testing.M) { browsertest.Main(m) }

// startPortal starts the portal exactly as a user does, through run with the
// given args (such as "-demo"), listening on 127.0.0.1:0 over a fresh database
// of the kind ("sqlite" or "postgres", see storetest.Kinds). env adds to or
// overrides the environment; a DATABASE_URL in env starts the portal on a
// database prepared beforehand. It returns once /readyz answers 200, with the
// base URL ("http://127.0.0.1:PORT"). At cleanup it cancels run's context and
// waits for the graceful shutdown, which must end without error; when the
// test has failed, the portal's log is printed.
func startPortal(t *testing.T, kind string, env map[string]string, args ...string) string {
	t.Helper()
	vars := map[string]string{"MOTCUA_ADDR": "127.0.0.1:0", "MOTCUA_DATA_DIR": t.TempDir()}
	if _, ok := env["DATABASE_URL"]; !ok {
		vars["DATABASE_URL"] = storetest.URL(t, kind)
	}
	maps.Copy(vars, env)

	ctx, cancel := context.WithCancel(harnessContext(context.Background(), vars))
	outR, outW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, func(k string) string { return vars[k] }, outW, stderr)
		outW.Close()
		done <- err
	}()
	addr := make(chan string, 1)
	stdout := &lockedBuffer{}
	go func() {
		// Drain stdout to the end: run must never block on a full pipe.
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			line := sc.Text()
			stdout.Write([]byte(line + "\n"))
			if a, ok := strings.CutPrefix(line, "listening on "); ok {
				addr <- a
			}
		}
		_, _ = io.Copy(io.Discard, outR)
	}()

	stopped := false
	t.Cleanup(func() {
		cancel()
		if !stopped {
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("portal shut down with an error: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Errorf("portal did not shut down within 20 s of its context ending")
			}
		}
		if t.Failed() {
			t.Logf("portal stdout:\n%s\nportal log (last 16 KB):\n%s", stdout.String(), tail(stderr.String(), 16<<10))
		}
	})

	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		stopped = true
		t.Fatalf("portal stopped before listening: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("portal did not say where it listens within 60 s\n%s", stderr.String())
	}
	waitReady(t, base)
	return base
}

// waitReady polls /readyz until it answers 200. The minute is for a loaded
// CI machine and for tests that restart a portal, which seeds before it
// listens; a healthy portal answers at once.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz did not answer 200 within a minute (last: %v)", base, errors.Join(err, statusErr(resp)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func statusErr(resp *http.Response) error {
	if resp == nil {
		return nil
	}
	return errors.New(resp.Status)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// lockedBuffer is a bytes.Buffer that the portal's goroutines may write
// while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fetch GETs base+path with the headers given as name, value pairs, and
// returns the response with its whole body. The default transport asks for
// gzip and unpacks it by itself unless the test sets Accept-Encoding.
func fetch(t *testing.T, base, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp, string(body)
}
