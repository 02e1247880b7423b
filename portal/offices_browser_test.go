package main

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
)

// TestBrowserClosedKioskAndVietnameseHall: at 21:01 the kiosk issues
// nothing and says when the office opens next; the kiosk and the hall
// display speak Vietnamese to a device set to English.
func TestBrowserClosedKioskAndVietnameseHall(t *testing.T) {
	base, _ := startQueuePortalAt(t, "21:01")
	for _, page := range []struct{ path, want, wrong string }{
		{"/kiosk/TB-MC", "Hiện không cấp số", "No numbers now"},
		{"/display/TB-MC", "Đang phục vụ", "Now serving"},
	} {
		ctx := browsertest.Browser(t)
		if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) motcua-test", AcceptLanguage: "en-US,en"}); err != nil {
			t.Fatal(err)
		}
		if lang := eval[string](t, ctx, `navigator.language`); !strings.HasPrefix(lang, "en") {
			t.Fatalf("the device's language is %q, want English", lang)
		}
		navigate(t, ctx, base+page.path, http.StatusOK)
		// textContent: the display's headings are upper case on screen.
		body := eval[string](t, ctx, `document.body.textContent`)
		if !strings.Contains(body, page.want) || strings.Contains(body, page.wrong) {
			t.Errorf("%s on an English device: want %q, not %q", page.path, page.want, page.wrong)
		}
		if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "vi" {
			t.Errorf("%s: html lang %q, want vi", page.path, lang)
		}
		browsertest.AssertNoSerious(t, ctx, page.path)
		shot(t, ctx, "closed"+strings.ReplaceAll(page.path, "/", "-")+".png")
		if page.path != "/kiosk/TB-MC" {
			continue
		}
		msg := text(t, ctx, "#k-closed")
		if !regexp.MustCompile(`lúc 07:00, thứ (Hai|Ba|Tư|Năm|Sáu) ngày \d{2}/\d{2}/\d{4}`).MatchString(msg) {
			t.Errorf("the closed kiosk says %q, want when it opens next", msg)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("a.k-choice, button.k-choice").length`); n != 0 {
			t.Errorf("a closed kiosk offers %d buttons to take a number", n)
		}
		if hours := text(t, ctx, ".k-hours"); !strings.Contains(hours, "07:00-11:30, 13:30-17:00") || !strings.Contains(hours, "Nghỉ") {
			t.Errorf("the closed kiosk's hours read %q", hours)
		}
		// The visitor's own switch to English shows the same in English.
		submit(t, ctx, chromedp.Click(chromedp.CSS("a.k-lang")))
		if msg := text(t, ctx, "#k-closed"); !regexp.MustCompile(`at 07:00 on (Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} \w+ \d{4}`).MatchString(msg) {
			t.Errorf("in English the closed kiosk says %q", msg)
		}
		browsertest.AssertNoSerious(t, ctx, "closed kiosk in English")
	}
	resp := sendJSON(t, "POST", base+"/api/v1/offices/TB-MC/tickets", map[string]string{"service": "hotich"}, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("a number asked of the API at 21:01: %d, want 409", resp.StatusCode)
	}
}

// TestBrowserCounterByNumberNoShowConfirmAndCallBack: the console is found
// at the number on the counter; "Vắng mặt" asks first (a dialog with
// JavaScript, a page without), the no-show stays on the console's list and
// is called back, and the visitor's phone says they can still be called and
// where the office is.
func TestBrowserCounterByNumberNoShowConfirmAndCallBack(t *testing.T) {
	base, counter1 := startQueuePortal(t)
	take := func() (id, number string) {
		var v struct{ ID, Number string }
		if resp := sendJSON(t, "POST", base+"/api/v1/offices/TB-MC/tickets", map[string]string{"service": "hotich"}, &v); resp.StatusCode != http.StatusCreated {
			t.Fatalf("take a number: %d", resp.StatusCode)
		}
		return v.ID, v.Number
	}
	id, number := take()

	phone := browsertest.Browser(t)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	navigate(t, phone, base+"/t/"+id, http.StatusOK)
	where := text(t, phone, ".where")
	if !strings.Contains(where, "Hà Lam") || !strings.Contains(where, "0235 3874 000") {
		t.Errorf("the phone page does not say where to go: %q", where)
	}
	if href := eval[string](t, phone, `document.querySelector(".where a").href`); !strings.HasPrefix(href, "https://www.openstreetmap.org/search?query=") {
		t.Errorf("map link %q", href)
	}

	counter := browsertest.Browser(t)
	consolePath := "/counter/TB-MC/1"
	navigate(t, counter, base+"/desk/login?next="+consolePath, http.StatusOK)
	url := submit(t, counter, chromedp.SendKeys(chromedp.CSS("#username"), "kiosk.clerk"),
		chromedp.SendKeys(chromedp.CSS("#password"), kioskClerkPassword), chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(url, consolePath) || !strings.HasPrefix(text(t, counter, "h1"), "Quầy 1") {
		t.Fatalf("sign-in led to %s (%q), want Quầy 1 at %s", url, text(t, counter, "h1"), consolePath)
	}
	// The old address by internal ID lands on the number; a number no
	// counter bears is not found.
	if got := submit(t, counter, chromedp.Navigate(base+"/counter/"+strconv.FormatInt(counter1, 10))); !strings.HasSuffix(got, consolePath) {
		t.Errorf("the old console address led to %s", got)
	}
	navigate(t, counter, base+"/counter/TB-MC/99", http.StatusNotFound)
	navigate(t, counter, base+consolePath, http.StatusOK)

	submit(t, counter, chromedp.Click(chromedp.CSS("button.c-next")))
	if got := text(t, counter, ".c-number"); got != number {
		t.Fatalf("the console holds %q, want %s", got, number)
	}
	waitFor[bool](t, phone, `document.querySelector("[data-status]").dataset.status === "called"`)
	// "Vắng mặt" is apart from "Hoàn thành" and asks first; "no" changes
	// nothing.
	if gap := eval[float64](t, counter, `document.querySelector(".c-skip button").getBoundingClientRect().top - document.querySelector('form[action$="/done"] button').getBoundingClientRect().bottom`); gap < 24 {
		t.Errorf("Vắng mặt sits %.0f px below Hoàn thành, want it set apart", gap)
	}
	eval[bool](t, counter, `window.__asked = []; window.confirm = m => { __asked.push(m); return false; }; true`)
	if err := chromedp.Do(counter, chromedp.Click(chromedp.CSS(".c-skip button"))); err != nil {
		t.Fatal(err)
	}
	if asked := eval[string](t, counter, `window.__asked.join("|")`); asked != "Xác nhận số "+number+" vắng mặt?" {
		t.Errorf("the console asked %q", asked)
	}
	if got := text(t, counter, ".c-number"); got != number {
		t.Fatalf("declining the confirmation changed the console: %q", got)
	}
	eval[bool](t, counter, `window.confirm = () => true; true`)
	submit(t, counter, chromedp.Click(chromedp.CSS(".c-skip button")))
	row := text(t, counter, ".c-noshows tbody tr")
	if !strings.Contains(row, number) {
		t.Fatalf("the no-show list lacks %s: %q", number, row)
	}
	browsertest.AssertNoSerious(t, counter, "console with a no-show")
	shot(t, counter, "counter-no-show.png")
	waitFor[bool](t, phone, `document.querySelector("[data-status]").dataset.status === "no_show"`)
	if state := text(t, phone, ".t-state"); !strings.Contains(state, "vẫn có thể được gọi lại") {
		t.Errorf("the no-show's phone says %q", state)
	}
	browsertest.AssertNoSerious(t, phone, "phone of a no-show")
	shot(t, phone, "ticket-no-show.png")

	submit(t, counter, chromedp.Click(chromedp.CSS(".c-noshows button")))
	if got := text(t, counter, ".c-number"); got != number {
		t.Errorf("after calling back the console holds %q, want %s", got, number)
	}
	waitFor[bool](t, phone, `document.querySelector("[data-status]").dataset.status === "called"`)

	// Without JavaScript: a confirmation page.
	plain := browsertest.Browser(t)
	if _, err := chromedp.Call(plain, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	_, second := take()
	navigate(t, plain, base+"/desk/login?next="+consolePath, http.StatusOK)
	submit(t, plain, chromedp.SendKeys(chromedp.CSS("#username"), "kiosk.clerk"),
		chromedp.SendKeys(chromedp.CSS("#password"), kioskClerkPassword), chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	submit(t, plain, chromedp.Click(chromedp.CSS("button.c-next"))) // finishes the first, calls the second
	if got := text(t, plain, ".c-number"); got != second {
		t.Fatalf("the console holds %q, want %s", got, second)
	}
	confirmURL := submit(t, plain, chromedp.Click(chromedp.CSS(".c-skip button")))
	if h := text(t, plain, "h1"); h != "Xác nhận số "+second+" vắng mặt?" {
		t.Fatalf("without JavaScript Vắng mặt led to %q, want the confirmation", h)
	}
	shot(t, plain, "counter-no-show-confirm.png")
	// axe runs in JavaScript: check the same page in the other tab.
	navigate(t, counter, confirmURL, http.StatusOK)
	browsertest.AssertNoSerious(t, counter, "no-show confirmation")
	submit(t, plain, chromedp.Click(chromedp.CSS(`.c-confirm button[type="submit"]`)))
	if row := text(t, plain, ".c-noshows"); !strings.Contains(row, second) {
		t.Errorf("after confirming, the no-show list lacks %s", second)
	}
}
