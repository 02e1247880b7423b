package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/store/storetest"
)

// TestBrowserReceiveAndTrack is the whole journey on a portal started as a
// user starts it: a clerk signs in at the desk, receives a dossier, opens
// the receipt and reads the code on it; then a citizen, in another browser,
// tracks the dossier with that code and their phone.
func TestBrowserReceiveAndTrack(t *testing.T) {
	ctx := context.Background()
	dbURL := storetest.URL(t, "sqlite")
	getenv := func(k string) string {
		return map[string]string{"DATABASE_URL": dbURL, "MOTCUA_DATA_DIR": t.TempDir()}[k]
	}
	for _, args := range [][]string{
		{"unit", "add", "-code", "QNA", "-name", "Tỉnh Quảng Nam", "-level", "province"},
		{"unit", "add", "-code", "TB", "-name", "Huyện Thăng Bình", "-level", "district", "-parent", "QNA", "-agency", "000.00.31.H42"},
		{"user", "add", "-username", "clerk.tb", "-role", "clerk", "-unit", "TB"},
	} {
		if err := runWithInput(ctx, args, getenv, strings.NewReader(deskPassword+"\n"), io.Discard, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	base := startPortal(t, "sqlite", map[string]string{"DATABASE_URL": dbURL})

	clerk := browsertest.Browser(t)
	navigate(t, clerk, base+"/desk/dossiers/new", http.StatusOK)
	submit(t, clerk, chromedp.SendKeys(chromedp.CSS("#username"), "clerk.tb"),
		chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if got := eval[string](t, clerk, "location.pathname"); got != "/desk/dossiers/new" {
		t.Fatalf("after sign-in the clerk is at %s, want the reception form", got)
	}
	browsertest.AssertNoSerious(t, clerk, "reception form")
	shot(t, clerk, "dossier-new.png")

	// The procedure is found by a few words, then picked; its papers are a
	// checklist.
	submit(t, clerk, chromedp.SendKeys(chromedp.CSS("#f-procedure_code"), "dang ky khai sinh"),
		chromedp.Click(chromedp.CSS(`#pick-form button[type="submit"]`)))
	submit(t, clerk, chromedp.Click(chromedp.CSS(`a[href*="procedure=1.001193"]`)))
	submit(t, clerk, chromedp.SendKeys(chromedp.CSS(`[id="f-applicant.name"]`), "Nguyễn Văn An"),
		chromedp.SendKeys(chromedp.CSS(`[id="f-applicant.phone"]`), "0912 345 678"),
		chromedp.Click(chromedp.CSS("#paper-1")),
		chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	if got := eval[string](t, clerk, "location.search"); got != "?received=1" {
		t.Fatalf("after receiving the clerk is at %s%s", eval[string](t, clerk, "location.pathname"), got)
	}
	browsertest.AssertNoSerious(t, clerk, "dossier")
	shot(t, clerk, "dossier-desk.png")

	submit(t, clerk, chromedp.Click(chromedp.CSS("#receipt-link")))
	code := text(t, clerk, "#receipt-code")
	if !strings.HasPrefix(code, "000.00.31.H42-") || len(code) != len("000.00.31.H42-260429-0001") {
		t.Fatalf("the receipt shows code %q", code)
	}
	if w := eval[int](t, clerk, `document.querySelector(".paper-track img").naturalWidth`); w == 0 {
		t.Errorf("the QR code did not load")
	}
	if hidden := eval[bool](t, clerk, `document.querySelector("[data-print]").hidden`); hidden {
		t.Errorf("with JavaScript the print button stays hidden")
	}
	browsertest.AssertNoSerious(t, clerk, "receipt")
	shot(t, clerk, "dossier-receipt.png")
	navigate(t, clerk, base+"/desk/dossiers?q="+code, http.StatusOK)
	if got := text(t, clerk, "table.dossiers tbody td a"); got != code {
		t.Errorf("searching the list by code finds %q", got)
	}
	browsertest.AssertNoSerious(t, clerk, "dossier list")

	citizen := browsertest.Browser(t)
	navigate(t, citizen, base+"/track", http.StatusOK)
	browsertest.AssertNoSerious(t, citizen, "tracking form")
	submit(t, citizen, chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.SendKeys(chromedp.CSS("#phone"), "+84 912 345 678"),
		chromedp.Click(chromedp.CSS(`form.track-form button[type="submit"]`)))
	if h1 := text(t, citizen, "h1"); h1 != "Hồ sơ "+code {
		t.Errorf("the tracking page says %q", h1)
	}
	if got := text(t, citizen, ".tag"); got != "Được tiếp nhận" {
		t.Errorf("status shown = %q", got)
	}
	if page := eval[string](t, citizen, "document.body.innerText"); strings.Contains(page, "Nguyễn Văn An") || !strings.Contains(page, "N. V. A.") {
		t.Errorf("the citizen's page does not mask the name")
	}
	browsertest.AssertNoSerious(t, citizen, "tracking result")
	shot(t, citizen, "dossier-track.png")
	navigate(t, citizen, base+"/track?code="+code+"&phone=0912345678&lang=en", http.StatusOK)
	if h1 := text(t, citizen, "h1"); h1 != "Dossier "+code {
		t.Errorf("in English the tracking page says %q", h1)
	}
	browsertest.AssertNoSerious(t, citizen, "tracking result in English")
}
