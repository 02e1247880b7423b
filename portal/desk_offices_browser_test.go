package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/demo"
	"motcua/internal/store/storetest"
)

// TestBrowserDeskOffices: the administrator's office set-up pages have no
// serious accessibility fault, and a service added through the form shows.
func TestBrowserDeskOffices(t *testing.T) {
	const password = "quản trị thử nghiệm"
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	if r := runCmd(t, vars, password+"\n", "user", "add", "-username", "queue.admin", "-role", "admin"); r.status != 0 {
		t.Fatalf("user add: %+v", r)
	}
	base := startPortal(t, "sqlite", vars, "-demo")
	ctx := browsertest.Browser(t)
	navigate(t, ctx, base+"/desk/login?next=/desk/offices", http.StatusOK)
	url := submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), "queue.admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), password), chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(url, "/desk/offices") {
		t.Fatalf("sign-in led to %s, want /desk/offices", url)
	}
	browsertest.AssertNoSerious(t, ctx, "office list")
	navigate(t, ctx, base+"/desk/offices/"+demo.Office, http.StatusOK)
	browsertest.AssertNoSerious(t, ctx, "office set-up")
	submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#s-new-code"), "thue"), chromedp.SendKeys(chromedp.CSS("#s-new-prefix"), "D"),
		chromedp.SendKeys(chromedp.CSS("#s-new-name_vi"), "Thuế – Phí"), chromedp.Click(chromedp.CSS(`#s-new-position ~ button, form[action$="/services"] button`)))
	if got := text(t, ctx, ".notice"); got == "" {
		t.Error("no confirmation after adding a service")
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, "Thuế – Phí") {
		t.Error("the new service is not listed")
	}
	shot(t, ctx, "desk-office.png")
}
