// Package browsertest drives headless Chromium for the page tests of motcua.
//
// A page test serves the portal on 127.0.0.1, asks Browser for a tab, and uses
// chromedp actions on it:
//
//	srv := httptest.NewServer(handler)  // before Browser, so the tab closes first
//	t.Cleanup(srv.Close)
//	ctx := browsertest.Browser(t)
//	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/procedures")); err != nil {
//		t.Fatal(err)
//	}
//	browsertest.AssertNoSerious(t, ctx, "/procedures")
//
// Without Chromium the test is skipped with a message that says so; with
// CI=true or MOTCUA_REQUIRE_BROWSER=1 it fails instead. A package whose
// TestMain calls Main shares one browser between its tests; otherwise each
// test starts its own.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// envChromium names the browser to use, as a path or a name on PATH. When it
// is set, nothing else is tried.
const envChromium = "MOTCUA_CHROMIUM"

// candidates are tried in order when MOTCUA_CHROMIUM is not set.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// shared is the browser of a test binary whose TestMain calls Main.
var shared struct {
	enabled bool // set by Main before any test runs
	once    sync.Once
	ctx     context.Context
	stop    func()
	err     error
}

// Main runs the tests of a package with one browser for all of them, and
// stops that browser and removes its profile before the binary exits:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// The browser starts with the first test that calls Browser, so a run that
// needs none starts none.
func Main(m *testing.M) {
	shared.enabled = true
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

// Browser returns the context of a new tab for the test, in a browser context
// of its own (no cookies or storage shared with other tests), closed at
// cleanup. The context ends shortly before the test binary's -timeout, so that
// a wait for an element that never comes fails the test instead of the binary.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browsertest: -short skips the browser tests (CI runs them)")
	}
	path, err := findChromium(os.Getenv)
	if err != nil {
		unavailable(t, err)
	}

	var browserCtx context.Context
	if shared.enabled {
		shared.once.Do(func() {
			shared.ctx, shared.stop, shared.err = start(path)
		})
		browserCtx, err = shared.ctx, shared.err
		if err == nil && shared.ctx.Err() != nil {
			err = fmt.Errorf("the shared browser has stopped: %w", context.Cause(shared.ctx))
		}
	} else {
		var stop func()
		browserCtx, stop, err = start(path)
		if stop != nil {
			t.Cleanup(stop)
		}
	}
	if err != nil {
		t.Fatalf("browsertest: start %s: %v", path, err)
	}

	tab, closeTab := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(closeTab)
	// The first run binds the tab to the context it gets: give it one with no
	// deadline, then hand out a child with the deadline.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	ctx, cancel := withTestDeadline(t, tab)
	t.Cleanup(cancel)
	return ctx
}

// start starts a browser and returns the context that holds it, with no
// timeout: the first run binds the browser's life to its context. The parent
// is Background, not t.Context(), which ends before the tab's cleanup runs.
func start(path string) (context.Context, func(), error) {
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc() // waits until the profile directory is removed
	}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// allocatorOptions are chromedp's defaults (headless, no first run, no
// background networking, no sync, no extensions, …) with the flags below.
// chromedp gives every browser a fresh temporary profile (user-data-dir) and
// removes it when the browser stops.
func allocatorOptions(path string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		// No request leaves the machine: every host name and address but
		// the loopback ones fails to resolve, without a DNS query.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1"),
		// A citizen's browser asks for Vietnamese; tests of English pass ?lang=en.
		chromedp.Flag("accept-lang", "vi-VN,vi"),
		chromedp.WindowSize(1280, 800),
	)
}

// findChromium returns the browser to start, or an error that says where it
// looked.
func findChromium(getenv func(string) string) (string, error) {
	if p := getenv(envChromium); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("no Chromium: %s=%s is not an executable file", envChromium, p)
		}
		return path, nil
	}
	for _, c := range candidates {
		if path, err := exec.LookPath(c); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no Chromium found (tried %v; install Debian's chromium or set %s)", candidates, envChromium)
}

// required reports whether a missing browser or tool fails the test instead
// of skipping it.
func required(getenv func(string) string) bool {
	return getenv("CI") == "true" || getenv("MOTCUA_REQUIRE_BROWSER") == "1"
}

// unavailable skips the test, or fails it where the browser is required.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if required(os.Getenv) {
		t.Fatalf("browsertest: %v (required, as CI=true or MOTCUA_REQUIRE_BROWSER=1)", err)
	}
	t.Skipf("browsertest: skipped: %v", err)
}

// withTestDeadline gives ctx a deadline a little before the test binary's own,
// when there is one.
func withTestDeadline(t testing.TB, ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			grace := min(time.Until(deadline)/10, 5*time.Second)
			return context.WithDeadline(ctx, deadline.Add(-grace))
		}
	}
	return context.WithCancel(ctx)
}
