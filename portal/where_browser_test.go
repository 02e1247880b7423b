package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"motcua/internal/actor"
	"motcua/internal/browsertest"
	"motcua/internal/queue"
)

// submitStatus runs actions that load a new page and checks its status.
func submitStatus(t *testing.T, ctx context.Context, status int, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if int(resp.Status) != status {
		t.Fatalf("submit: %s answered %d, want %d", resp.URL, resp.Status, status)
	}
}

// TestBrowserWhereToGo: an administrator sets the district's address and
// phone at the desk (a mistake first), the citizen's tracking page then
// says where to go, and the procedure page names the office that receives
// it with its hours. Every page passes axe.
func TestBrowserWhereToGo(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	d := h.receiveTB(t)
	ctx := context.Background()
	base := serveHarness(t, h)

	admin := browsertest.Browser(t)
	signIn(t, admin, base, "admin", "/desk")
	submit(t, admin, chromedp.Click(chromedp.CSS("#desk-units-link")))
	browsertest.AssertNoSerious(t, admin, "units")
	submit(t, admin, chromedp.Click(chromedp.CSS(`a[href="/desk/units/TB"]`)))
	submitStatus(t, admin, http.StatusUnprocessableEntity,
		chromedp.SendKeys(chromedp.CSS("#f-address"), "Số 1 Tiểu La, thị trấn Hà Lam"),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "không rõ"),
		chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	if got := text(t, admin, ".error-summary li"); !strings.HasPrefix(got, "Số điện thoại:") {
		t.Errorf("the error says %q", got)
	}
	browsertest.AssertNoSerious(t, admin, "unit form with an error")
	if v := eval[string](t, admin, `document.querySelector("#f-address").value`); v != "Số 1 Tiểu La, thị trấn Hà Lam" {
		t.Errorf("the form lost the address typed: %q", v)
	}
	eval[bool](t, admin, `document.querySelector("#f-phone").value = ""; true`)
	url := submit(t, admin, chromedp.SendKeys(chromedp.CSS("#f-phone"), "0235 3874 123"),
		chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	if !strings.Contains(url, "/desk/units?saved=TB") {
		t.Fatalf("after saving the administrator is at %s", url)
	}
	if got := text(t, admin, "#flash"); !strings.Contains(got, "Huyện Thăng Bình") {
		t.Errorf("the flash says %q", got)
	}
	if got := text(t, admin, "#unit-TB"); !strings.Contains(got, "Số 1 Tiểu La, thị trấn Hà Lam") || !strings.Contains(got, "0235 3874 123") {
		t.Errorf("the list shows %q", got)
	}
	browsertest.AssertNoSerious(t, admin, "units after saving")

	citizen := browsertest.Browser(t)
	navigate(t, citizen, base+"/track?code="+d.Code+"&phone=0912345678", http.StatusOK)
	if got := text(t, citizen, ".office"); !strings.Contains(got, "Số 1 Tiểu La, thị trấn Hà Lam") || !strings.Contains(got, "0235 3874 123") {
		t.Errorf("the tracking page says %q", got)
	}
	if href := eval[string](t, citizen, `document.querySelector('.office a[href^="tel:"]').getAttribute("href")`); href != "tel:02353874123" {
		t.Errorf("the phone dials %q", href)
	}

	// The office that receives civil-status procedures.
	op := actor.Actor{Kind: actor.Staff, Name: "admin", Role: actor.RoleAdmin}
	if _, err := h.env.Queue.CreateOffice(ctx, op, queue.Office{Code: "TB-MC", Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: "TB",
		Address: "Số 1 Tiểu La, thị trấn Hà Lam", Phone: "0235 3874 123", PriorityRun: 3, DefaultMinutes: 8}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.env.Queue.CreateService(ctx, op, queue.Service{Code: "hotich", OfficeCode: "TB-MC", NameVi: "Hộ tịch – Chứng thực",
		NameEn: "Civil status", Prefix: "A", Fields: []string{"Hộ tịch"}}); err != nil {
		t.Fatal(err)
	}
	navigate(t, citizen, base+"/procedures/1.001193", http.StatusOK)
	where := text(t, citizen, "section.places")
	for _, want := range []string{"Nơi nộp hồ sơ", "Bộ phận Một cửa huyện Thăng Bình", "Số 1 Tiểu La, thị trấn Hà Lam", "0235 3874 123",
		"Thứ Hai – Thứ Sáu: 07:00-11:30, 13:30-17:00", "A – Hộ tịch – Chứng thực"} {
		if !strings.Contains(where, want) {
			t.Errorf("the procedure page's places lack %q:\n%s", want, where)
		}
	}
	browsertest.AssertNoSerious(t, citizen, "procedure page with its places")
	shot(t, citizen, "procedure-places.png")
	navigate(t, citizen, base+"/procedures/1.001193?lang=en", http.StatusOK)
	if where := text(t, citizen, "section.places"); !strings.Contains(where, "Monday – Friday: 07:00-11:30, 13:30-17:00") {
		t.Errorf("in English the places say:\n%s", where)
	}
	browsertest.AssertNoSerious(t, citizen, "procedure page with its places, in English")
}

// TestBrowserWithdrawAsksFirst: pressing "Công dân rút hồ sơ" asks for a
// confirmation stating what it does; "Quay lại", by keyboard, leaves the
// dossier as it was; "Xác nhận" withdraws it.
func TestBrowserWithdrawAsksFirst(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	d := h.receiveTB(t)
	base := serveHarness(t, h)
	clerk := browsertest.Browser(t)
	path := "/desk/dossiers/" + d.Code
	signIn(t, clerk, base, "clerk", path)

	withdraw := chromedp.Click(chromedp.CSS(`button[name="status"][value="withdrawn"]`))
	submit(t, clerk, chromedp.SendKeys(chromedp.CSS("#note"), "Công dân xin rút"), withdraw)
	if got := text(t, clerk, "#confirm-h"); got != "Ghi nhận công dân rút hồ sơ "+d.Code+"?" {
		t.Errorf("the question is %q", got)
	}
	if got := text(t, clerk, "#confirm"); !strings.Contains(got, "không thể hoàn tác") || !strings.Contains(got, "Công dân xin rút") {
		t.Errorf("the confirmation says %q", got)
	}
	browsertest.AssertNoSerious(t, clerk, "withdrawal confirmation")
	shot(t, clerk, "desk-withdraw-confirm.png")

	if err := chromedp.Do(clerk, chromedp.Focus(chromedp.CSS("#confirm-back"))); err != nil {
		t.Fatal(err)
	}
	url := submit(t, clerk, chromedp.KeyEvent(kb.Enter))
	if !strings.HasSuffix(url, path) {
		t.Errorf("Quay lại leads to %s", url)
	}
	if got := text(t, clerk, "strong.tag"); got != "Được tiếp nhận" {
		t.Errorf("after Quay lại the dossier is %q", got)
	}

	submit(t, clerk, withdraw)
	submit(t, clerk, chromedp.Click(chromedp.CSS("#confirm-yes")))
	if got := text(t, clerk, "strong.tag"); got != "Công dân đã rút hồ sơ" {
		t.Errorf("after Xác nhận the dossier is %q", got)
	}
	browsertest.AssertNoSerious(t, clerk, "dossier withdrawn")
}
