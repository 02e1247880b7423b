package main

import (
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
)

// serveHarness serves the harness's app on 127.0.0.1 for a browser and
// returns its base URL.
func serveHarness(t *testing.T, h *deskHarness) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.app.Listener(ln) }()
	t.Cleanup(func() { _ = h.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestDeskSignInInBrowser(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	base := serveHarness(t, h)
	ctx := browsertest.Browser(t)

	// A desk page sends the browser to the form and, after sign-in, back.
	navigate(t, ctx, base+"/desk", 200)
	if got := eval[string](t, ctx, "location.pathname"); got != "/desk/login" {
		t.Fatalf("GET /desk shows %s, want the sign-in form", got)
	}
	browsertest.AssertNoSerious(t, ctx, "sign-in form")

	submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), "officer"),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong password"),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if msg := text(t, ctx, "#login-error"); msg != "Tên đăng nhập hoặc mật khẩu không đúng." {
		t.Errorf("error shown = %q", msg)
	}
	browsertest.AssertNoSerious(t, ctx, "sign-in form with an error")

	// The form keeps the username; only the password is typed again.
	url := submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(url, "/desk") {
		t.Fatalf("after sign-in the browser is at %s, want /desk", url)
	}
	if h1 := text(t, ctx, "h1"); h1 != "Bàn làm việc của cán bộ" {
		t.Errorf("h1 = %q", h1)
	}
	browsertest.AssertNoSerious(t, ctx, "desk")
	shot(t, ctx, "desk-home.png")

	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.desk-logout button`)))
	if got := text(t, ctx, `[role="status"]`); got != "Bạn đã đăng xuất." {
		t.Errorf("after sign-out: %q", got)
	}
	navigate(t, ctx, base+"/desk", 200)
	if got := eval[string](t, ctx, "location.pathname"); got != "/desk/login" {
		t.Errorf("after sign-out /desk shows %s, want the sign-in form", got)
	}
}
