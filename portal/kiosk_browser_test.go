package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/demo"
	"motcua/internal/store/storetest"
)

const kioskClerkPassword = "quầy một mật khẩu"

// startQueuePortal starts the demo portal (office TB-MC) with a clerk of TB
// whose password the test knows, and returns the base URL and the ID of
// counter 1 (Quầy 1, service A "Hộ tịch – Chứng thực").
func startQueuePortal(t *testing.T) (base string, counter1 int64) {
	t.Helper()
	return startQueuePortalAt(t, "09:00")
}

// startQueuePortalAt is startQueuePortal on a weekday at the local time
// at (HH:MM), whenever the test runs.
func startQueuePortalAt(t *testing.T, at string) (base string, counter1 int64) {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir(), inOpenHours: at}
	for _, cmd := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"unit", "add", "-code", "QNA", "-name", "Tỉnh Quảng Nam", "-level", "province"}},
		{"", []string{"unit", "add", "-code", "TB", "-name", "Huyện Thăng Bình", "-level", "district", "-parent", "QNA", "-agency", "000.00.31.H42"}},
		{kioskClerkPassword + "\n", []string{"user", "add", "-username", "kiosk.clerk", "-role", "clerk", "-unit", "TB"}},
		{kioskClerkPassword + "\n", []string{"user", "add", "-username", "kiosk.head", "-role", "officer", "-unit", "TB"}},
		{kioskClerkPassword + "\n", []string{"user", "add", "-username", "kiosk.admin", "-role", "admin", "-unit", "TB"}},
	} {
		if r := runCmd(t, vars, cmd.stdin, cmd.args...); r.status != 0 {
			t.Fatalf("%v: %+v", cmd.args, r)
		}
	}
	base = startPortal(t, "sqlite", vars, "-demo")
	_, body := fetch(t, base, "/api/v1/offices")
	var offices struct {
		Items []struct {
			Code     string `json:"code"`
			Counters []struct {
				ID     int64 `json:"id"`
				Number int   `json:"number"`
			} `json:"counters"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &offices); err != nil {
		t.Fatalf("GET /api/v1/offices: %v\n%s", err, body)
	}
	for _, o := range offices.Items {
		for _, c := range o.Counters {
			if o.Code == demo.Office && c.Number == 1 {
				return base, c.ID
			}
		}
	}
	t.Fatalf("no counter 1 in the demo office: %s", body)
	return "", 0
}

var kioskTicketURL = regexp.MustCompile(`/kiosk/TB-MC/tickets/([a-z2-7]{26})$`)

func TestBrowserKioskTapDisplayCounterAndPhone(t *testing.T) {
	base, counter1 := startQueuePortal(t)

	// The kiosk: a portrait touchscreen, used by touch alone.
	kiosk := browsertest.Browser(t)
	if err := chromedp.Do(kiosk, chromedp.EmulateViewport(1080, 1920, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	navigate(t, kiosk, base+"/kiosk/TB-MC", http.StatusOK)
	if h := eval[float64](t, kiosk, `Math.min(...[...document.querySelectorAll(".k-choice")].map(e => e.getBoundingClientRect().height))`); h < 96 {
		t.Errorf("the smallest service button is %.0f px tall, want at least 96", h)
	}
	browsertest.AssertNoSerious(t, kiosk, "kiosk home")
	shot(t, kiosk, "kiosk-home.png")

	submit(t, kiosk, chromedp.Tap(chromedp.CSS(`a.k-choice[href*="/services/hotich"]`)))
	browsertest.AssertNoSerious(t, kiosk, "kiosk priority step")
	shot(t, kiosk, "kiosk-priority.png")

	url := submit(t, kiosk, chromedp.Tap(chromedp.CSS("button.k-default")))
	m := kioskTicketURL.FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("the tap led to %s, want the ticket page", url)
	}
	ticketID := m[1]
	number := text(t, kiosk, "#k-number")
	if !regexp.MustCompile(`^A\d{3}$`).MatchString(number) {
		t.Fatalf("ticket number = %q, want A and three digits", number)
	}
	if px := eval[float64](t, kiosk, `parseFloat(getComputedStyle(document.querySelector("#k-number")).fontSize)`); px < 96 {
		t.Errorf("the ticket number is %.0f px, want large type (≥ 96 px)", px)
	}
	if vis := eval[bool](t, kiosk, `(r => r.width > 0 && r.bottom <= innerHeight)(document.querySelector("#k-number").getBoundingClientRect())`); !vis {
		t.Errorf("the ticket number is not on the screen without scrolling")
	}
	if hidden := eval[bool](t, kiosk, `document.querySelector("[data-print]").hidden`); hidden {
		t.Errorf("with JavaScript the print button stays hidden")
	}
	browsertest.AssertNoSerious(t, kiosk, "kiosk ticket")
	shot(t, kiosk, "kiosk-ticket.png")
	// The receipt: an 80 mm print layout.
	if _, err := chromedp.Call(kiosk, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if w := eval[float64](t, kiosk, `document.querySelector(".k-ticket").getBoundingClientRect().width`); w > 80/25.4*96 {
		t.Errorf("printed, the ticket is %.0f px wide, want within 80 mm", w)
	}
	shot(t, kiosk, "kiosk-ticket-print.png")

	// The hall display and the visitor's phone follow the office's events.
	display := browsertest.Browser(t)
	if err := chromedp.Do(display, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}
	navigate(t, display, base+"/display/TB-MC", http.StatusOK)
	browsertest.AssertNoSerious(t, display, "display")
	phone := browsertest.Browser(t)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	navigate(t, phone, base+"/t/"+ticketID, http.StatusOK)
	if got := eval[string](t, phone, `document.querySelector("[data-status]").dataset.status`); got != "waiting" {
		t.Fatalf("the phone page says %q before the call, want waiting", got)
	}
	if n := eval[int](t, phone, `document.querySelectorAll("section.where ul.hours li").length`); n == 0 {
		t.Errorf("the phone page does not give the office's opening hours")
	}
	browsertest.AssertNoSerious(t, phone, "phone ticket")
	shot(t, phone, "ticket-phone-waiting.png")
	// A stand-in for the TV's Vietnamese voice records what the display says.
	eval[bool](t, display, `(() => {
		window.__said = [];
		speechSynthesis.getVoices = () => [{lang: "vi-VN", name: "test voice"}];
		speechSynthesis.speak = u => { window.__said.push(u.lang + "|" + u.text); setTimeout(() => u.onend && u.onend(), 0); };
		return true;
	})()`)
	// Both pages open their event stream before the call.
	waitFor[bool](t, display, `document.documentElement.dataset.stream === "open"`)
	waitFor[bool](t, phone, `document.documentElement.dataset.stream === "open"`)

	// The officer signs in and calls the next number at counter 1.
	counter := browsertest.Browser(t)
	counterPath := "/counter/TB-MC/1" // Quầy 1, by its number
	navigate(t, counter, base+"/desk/login?next="+counterPath, http.StatusOK)
	url = submit(t, counter, chromedp.SendKeys(chromedp.CSS("#username"), "kiosk.clerk"),
		chromedp.SendKeys(chromedp.CSS("#password"), kioskClerkPassword), chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(url, counterPath) {
		t.Fatalf("sign-in led to %s, want %s", url, counterPath)
	}
	browsertest.AssertNoSerious(t, counter, "counter console")
	submit(t, counter, chromedp.Click(chromedp.CSS("button.c-next")))
	if got := text(t, counter, ".c-number"); got != number {
		t.Fatalf("the console holds %q after calling next, want %s", got, number)
	}
	shot(t, counter, "counter-console.png")

	// Live: the display shows the number at Quầy 1, the phone says "called".
	shown := waitFor[string](t, display, `(e => e && e.textContent.trim())(document.querySelector('[data-counter="`+strconv.FormatInt(counter1, 10)+`"] .d-now'))`)
	if shown != number {
		t.Errorf("the display shows %q at counter 1, want %s", shown, number)
	}
	if recent := text(t, display, ".d-recent li:first-child .d-num"); recent != number {
		t.Errorf("the display's last call is %q, want %s", recent, number)
	}
	said := waitFor[string](t, display, `window.__said.length > 0 && window.__said[0]`)
	if want := "vi-VN|Mời số " + strings.Join(strings.Split(number, ""), " ") + " đến quầy số 1"; said != want {
		t.Errorf("the display says %q, want %q", said, want)
	}
	shot(t, display, "display.png")
	waitFor[bool](t, phone, `document.querySelector("[data-status]").dataset.status === "called"`)
	if state := text(t, phone, ".t-state"); !strings.Contains(state, "Quầy 1") {
		t.Errorf("the phone says %q, want the counter to go to", state)
	}
	browsertest.AssertNoSerious(t, phone, "phone ticket called")
	shot(t, phone, "ticket-phone-called.png")

	// A number taken now shows up in the console's waiting list by itself.
	waitFor[bool](t, counter, `document.documentElement.dataset.stream === "open"`)
	var issued struct {
		Number string `json:"number"`
	}
	if resp := sendJSON(t, "POST", base+"/api/v1/offices/TB-MC/tickets", map[string]string{"service": "hotich"}, &issued); resp.StatusCode != http.StatusCreated {
		t.Fatalf("issue a second ticket: %d", resp.StatusCode)
	}
	waitFor[bool](t, counter, `[...document.querySelectorAll(".c-waiting td.c-num")].some(td => td.textContent === `+strconv.Quote(issued.Number)+`)`)

	// The visit ends; the office head reads the day.
	submit(t, counter, chromedp.Click(chromedp.CSS(`form[action$="/done"] button`)))
	if href := eval[string](t, counter, `document.querySelector(".c-done a").getAttribute("href")`); href != "/desk/dossiers/new?ticket="+ticketID {
		t.Errorf("after finishing, the console links to %q, want the new dossier form for the ticket", href)
	}
	head := browsertest.Browser(t)
	navigate(t, head, base+"/desk/login?next=/desk/offices/TB-MC/summary", http.StatusOK)
	submit(t, head, chromedp.SendKeys(chromedp.CSS("#username"), "kiosk.head"),
		chromedp.SendKeys(chromedp.CSS("#password"), kioskClerkPassword), chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if n := eval[int](t, head, `document.querySelectorAll("svg.s-chart rect").length`); n == 0 {
		t.Errorf("the summary draws no bars")
	}
	browsertest.AssertNoSerious(t, head, "summary")
	shot(t, head, "summary.png")
}

// waitFor polls a JavaScript expression until it is truthy (at most 15 s)
// and returns its value.
func waitFor[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
	return v
}

// enrolKiosk makes the browser an enrolled kiosk of the demo office, as an
// administrator does at the desk, on the device itself; it ends on the
// kiosk's page.
func enrolKiosk(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	navigate(t, ctx, base+"/desk/login", http.StatusOK)
	submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), "kiosk.admin"), chromedp.SendKeys(chromedp.CSS("#password"), kioskClerkPassword),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	navigate(t, ctx, base+"/desk/offices/"+demo.Office, http.StatusOK)
	if u := submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#k-name"), "Máy lấy số sảnh"),
		chromedp.Click(chromedp.CSS(`form[action$="/kiosks"] button[type="submit"]`))); !strings.Contains(u, "/kiosk/"+demo.Office) {
		t.Fatalf("enrolment ended on %s, want the kiosk page", u)
	}
}

func TestBrowserKioskWithoutJavaScriptAndIdleReset(t *testing.T) {
	base, _ := startQueuePortal(t)

	t.Run("a number is taken with JavaScript turned off", func(t *testing.T) {
		ctx := browsertest.Browser(t)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		// Only an enrolled kiosk may give a priority number.
		enrolKiosk(t, ctx, base)
		navigate(t, ctx, base+"/kiosk/TB-MC", http.StatusOK)
		submit(t, ctx, chromedp.Click(chromedp.CSS(`a.k-choice[href*="/services/datdai"]`)))
		submit(t, ctx, chromedp.Click(chromedp.CSS(`button.k-group[value="elderly"]`)))
		if got := text(t, ctx, "#k-number"); !regexp.MustCompile(`^B\d{3}$`).MatchString(got) {
			t.Errorf("ticket number = %q, want B and three digits", got)
		}
		if hidden := eval[bool](t, ctx, `document.querySelector("[data-print]").hidden`); !hidden {
			t.Errorf("without JavaScript the print button shows, though it cannot work")
		}
	})

	t.Run("an idle ticket screen goes back to the start in Vietnamese", func(t *testing.T) {
		ctx := browsertest.Browser(t)
		navigate(t, ctx, base+"/kiosk/TB-MC?lang=en", http.StatusOK)
		submit(t, ctx, chromedp.Click(chromedp.CSS(`a.k-choice[href*="/services/hotich"]`)))
		submit(t, ctx, chromedp.Click(chromedp.CSS("button.k-default")))
		if got := text(t, ctx, "h1"); got != "Here is your number" {
			t.Fatalf("ticket heading = %q", got)
		}
		// Run the page's clock ahead instead of waiting half a minute.
		budget := 31000.0
		_, err := chromedp.Call(ctx, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{
			Policy: emulation.VirtualTimePolicyAdvance, Budget: &budget})
		if err != nil {
			t.Fatal(err)
		}
		// The page's own timers now run in virtual time, paused once the
		// budget is spent: wait in real time, and ask the page nothing more.
		want := base + "/kiosk/TB-MC?lang=vi"
		var loc string
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if loc, err = chromedp.Run(ctx, chromedp.Location()); err == nil && loc == want {
				break
			}
		}
		if loc != want {
			t.Fatalf("the idle ticket screen is still at %s, want %s", loc, want)
		}
	})
}
