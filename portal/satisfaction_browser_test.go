package main

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/feedback"
	"motcua/internal/rating"
)

// signIn signs a browser in at the desk and ends on next.
func signIn(t *testing.T, ctx context.Context, base, username, next string) {
	t.Helper()
	navigate(t, ctx, base+"/desk/login?next="+next, http.StatusOK)
	url := submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), username), chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(url, next) {
		t.Fatalf("sign-in led to %s, want %s", url, next)
	}
}

// A citizen rates a returned dossier from its tracking page and sends
// feedback; the head answers it and follows up the low rating at the desk;
// the citizen judges the answer; the public figures show it all. Every new
// page passes axe.
func TestBrowserRateDossierAndFeedback(t *testing.T) {
	h, _ := newSatisfactionHarness(t, "sqlite", nil)
	base := serveHarness(t, h)
	ctx := context.Background()

	citizen := browsertest.Browser(t)
	navigate(t, citizen, base+"/track?code=D-RET&phone=0912345678", http.StatusOK)
	url := submit(t, citizen, chromedp.Click(chromedp.CSS(`a.button[href^="/rate/D-RET?k="]`)))
	if !strings.Contains(url, "/rate/D-RET?k=") {
		t.Fatalf("the tracking page's rating link led to %s", url)
	}
	if n := eval[int](t, citizen, `document.querySelectorAll("#phone").length`); n != 0 {
		t.Error("the signed link's form asks for the phone")
	}
	browsertest.AssertNoSerious(t, citizen, "rating form")
	shot(t, citizen, "rate-form.png")
	submit(t, citizen, chromedp.Click(chromedp.CSS(`label[for="q-overall-0"]`)), chromedp.Click(chromedp.CSS(`label[for="q-attitude-0"]`)),
		chromedp.Click(chromedp.CSS(`label[for="q-timeliness-1"]`)), chromedp.SendKeys(chromedp.CSS("#comment"), "Cán bộ thiếu nhiệt tình"),
		chromedp.Click(chromedp.CSS(`form.rate-form button[type="submit"]`)))
	if got := text(t, citizen, "h1"); got != "Cảm ơn bạn đã đánh giá!" {
		t.Fatalf("after rating: %q", got)
	}
	browsertest.AssertNoSerious(t, citizen, "rating thanks")
	r, err := h.env.DB.RatingOf(ctx, rating.KindDossier, "D-RET")
	if err != nil || r.Overall != 0 || r.Answers["timeliness"] != 1 || r.Channel != rating.ChannelLink || !r.Low {
		t.Fatalf("stored %+v %v", r, err)
	}
	if msgs, _ := h.env.DB.OutboxKind(ctx, rating.KindLow); len(msgs) != 1 {
		t.Fatalf("%d low-rating messages in the outbox, want 1", len(msgs))
	}

	navigate(t, citizen, base+"/feedback", http.StatusOK)
	browsertest.AssertNoSerious(t, citizen, "feedback form")
	submit(t, citizen, chromedp.Click(chromedp.CSS(`label[for="about-dossier"]`)), chromedp.SendKeys(chromedp.CSS("#about_ref"), "D-RET"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Nguyễn Văn An"), chromedp.SendKeys(chromedp.CSS("#phone"), "0912 345 678"),
		chromedp.SendKeys(chromedp.CSS("#content"), "Tôi phải chờ hai tiếng mới được tiếp nhận."),
		chromedp.Click(chromedp.CSS(`form[action="/feedback"] button[type="submit"]`)))
	code := text(t, citizen, "#feedback-code")
	if !feedback.ValidCode(code) {
		t.Fatalf("feedback code %q", code)
	}
	browsertest.AssertNoSerious(t, citizen, "feedback sent")
	shot(t, citizen, "feedback-sent.png")
	feedbackPage := eval[string](t, citizen, `location.pathname + location.search.replace("&sent=1", "")`)

	head := browsertest.Browser(t)
	signIn(t, head, base, "head", "/desk")
	if n := eval[int](t, head, `document.querySelectorAll('a[href="/desk/follow-ups"], a[href="/desk/feedback"]').length`); n != 2 {
		t.Errorf("the desk links to %d of feedback and follow-ups, want both", n)
	}
	browsertest.AssertNoSerious(t, head, "desk home with satisfaction")
	navigate(t, head, base+"/desk/feedback", http.StatusOK)
	browsertest.AssertNoSerious(t, head, "desk feedback list")
	submit(t, head, chromedp.Click(chromedp.CSS(`a[href="/desk/feedback/`+code+`"]`)))
	browsertest.AssertNoSerious(t, head, "desk feedback item")
	submit(t, head, chromedp.SendKeys(chromedp.CSS("#answer"), "Đơn vị đã bố trí thêm một quầy vào buổi sáng."),
		chromedp.Click(chromedp.CSS(`label[for="publish"]`)), chromedp.Click(chromedp.CSS(`form[action$="/answer"] button`)))
	if got := text(t, head, "#desk-feedback-status"); got != "Đã trả lời" {
		t.Errorf("after answering: %q", got)
	}
	if msgs, _ := h.env.DB.OutboxKind(ctx, feedback.KindAnswer); len(msgs) != 1 {
		t.Fatalf("%d answers in the outbox, want 1", len(msgs))
	}

	navigate(t, head, base+"/desk/follow-ups", http.StatusOK)
	browsertest.AssertNoSerious(t, head, "desk follow-ups")
	submit(t, head, chromedp.Click(chromedp.CSS(`a[href^="/desk/follow-ups/"]`)))
	browsertest.AssertNoSerious(t, head, "desk follow-up")
	shot(t, head, "desk-follow-up.png")
	submit(t, head, chromedp.SendKeys(chromedp.CSS("#action"), "Đã nhắc nhở cán bộ tiếp nhận."),
		chromedp.SendKeys(chromedp.CSS("#reply"), "Chúng tôi xin lỗi anh và đã chấn chỉnh."),
		chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	if n := eval[int](t, head, `document.querySelectorAll("#followup-closed").length`); n != 1 {
		t.Fatal("the follow-up is not closed")
	}
	if msgs, _ := h.env.DB.OutboxKind(ctx, rating.KindReply); len(msgs) != 1 {
		t.Fatalf("%d replies in the outbox, want 1", len(msgs))
	}

	navigate(t, citizen, base+feedbackPage, http.StatusOK)
	if got := text(t, citizen, "#feedback-answer"); !strings.Contains(got, "thêm một quầy") {
		t.Fatalf("the answer shown: %q", got)
	}
	browsertest.AssertNoSerious(t, citizen, "feedback answered")
	submit(t, citizen, chromedp.Click(chromedp.CSS(`button[name="satisfied"][value="yes"]`)))
	if got := text(t, citizen, "#feedback-verdict"); !strings.Contains(got, "hài lòng") {
		t.Errorf("after the verdict: %q", got)
	}
	f, err := h.env.DB.Feedback(ctx, code)
	if err != nil || f.Satisfied == nil || !*f.Satisfied {
		t.Fatalf("verdict stored: %+v %v", f.Satisfied, err)
	}

	navigate(t, citizen, base+"/satisfaction", http.StatusOK)
	if n := eval[int](t, citizen, `document.querySelectorAll("svg.chart rect").length`); n == 0 {
		t.Error("no bars in the chart")
	}
	browsertest.AssertNoSerious(t, citizen, "satisfaction")
	shot(t, citizen, "satisfaction.png")
	navigate(t, citizen, base+"/satisfaction?lang=en", http.StatusOK)
	browsertest.AssertNoSerious(t, citizen, "satisfaction en")
}

var pairLink = regexp.MustCompile(`/counter/\d+/tablet\?k=[^"<\s]+`)

// Staff pair a tablet with counter 1 from the console; when the officer
// finishes a visit, the tablet shows its rating screen by itself, takes one
// tap, thanks, and goes back to idle.
func TestBrowserCounterTablet(t *testing.T) {
	h, ctr := newSatisfactionHarness(t, "sqlite", nil)
	base := serveHarness(t, h)
	// The console is at the counter's number; its tablet's links name the
	// counter's ID, which the pairing ties the tablet to.
	consolePath := "/counter/" + ctr.OfficeCode + "/" + strconv.Itoa(ctr.Number)
	counterPath := "/counter/" + strconv.FormatInt(ctr.ID, 10)

	officer := browsertest.Browser(t)
	signIn(t, officer, base, "clerk", consolePath)
	submit(t, officer, chromedp.Click(chromedp.CSS(`a[href="`+counterPath+`/pair"]`)))
	browsertest.AssertNoSerious(t, officer, "tablet pairing")
	link := pairLink.FindString(eval[string](t, officer, `document.body.innerHTML`))
	if link == "" {
		t.Fatal("no pairing link")
	}
	link = strings.ReplaceAll(link, "&amp;", "&")

	tablet := browsertest.Browser(t)
	if err := chromedp.Do(tablet, chromedp.EmulateViewport(1280, 800, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	navigate(t, tablet, base+link, http.StatusOK)
	if got := eval[string](t, tablet, "location.pathname"); got != counterPath+"/rate" {
		t.Fatalf("the pairing link led to %s", got)
	}
	browsertest.AssertNoSerious(t, tablet, "tablet idle")
	shot(t, tablet, "tablet-idle.png")
	waitFor[bool](t, tablet, `document.documentElement.dataset.stream === "open"`)

	var issued struct {
		ID     string `json:"id"`
		Number string `json:"number"`
	}
	if resp := sendJSON(t, "POST", base+"/api/v1/offices/TB-HCC/tickets", map[string]string{"service": "hotich"}, &issued); resp.StatusCode != http.StatusCreated {
		t.Fatalf("issue: %d", resp.StatusCode)
	}
	navigate(t, officer, base+consolePath, http.StatusOK)
	submit(t, officer, chromedp.Click(chromedp.CSS("button.c-next")))
	submit(t, officer, chromedp.Click(chromedp.CSS(`form[action$="/done"] button`)))

	waitFor[bool](t, tablet, `document.querySelectorAll("button.tap").length === 3`)
	// The visitor's phone offers the same one-tap rating.
	phone := browsertest.Browser(t)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	navigate(t, phone, base+"/t/"+issued.ID, http.StatusOK)
	if n := eval[int](t, phone, `document.querySelectorAll("#rate button.tap").length`); n != 3 {
		t.Errorf("the phone's ticket page offers %d levels, want 3", n)
	}
	browsertest.AssertNoSerious(t, phone, "phone ticket rating")
	if h := eval[float64](t, tablet, `Math.min(...[...document.querySelectorAll("button.tap")].map(e => e.getBoundingClientRect().height))`); h < 96 {
		t.Errorf("the smallest tap target is %.0f px tall, want at least 96", h)
	}
	if got := text(t, tablet, ".k-lead"); !strings.Contains(got, issued.Number) {
		t.Errorf("the tablet rates %q, want visit %s", got, issued.Number)
	}
	browsertest.AssertNoSerious(t, tablet, "tablet rating")
	shot(t, tablet, "tablet-rating.png")
	submit(t, tablet, chromedp.Tap(chromedp.CSS(`button.tap[value="2"]`)))
	if got := text(t, tablet, "h1"); got != "Cảm ơn bạn!" {
		t.Errorf("after the tap: %q", got)
	}
	browsertest.AssertNoSerious(t, tablet, "tablet thanks")
	r, err := h.env.DB.RatingOf(context.Background(), rating.KindTicket, issued.ID)
	if err != nil || r.Overall != 2 || r.Channel != rating.ChannelTablet || r.CounterID != ctr.ID {
		t.Fatalf("stored %+v %v", r, err)
	}
	navigate(t, phone, base+"/t/"+issued.ID, http.StatusOK)
	if n := eval[int](t, phone, `document.querySelectorAll("#rate button.tap").length`); n != 0 {
		t.Error("the phone still offers a rating of the visit rated on the tablet")
	}
	browsertest.AssertNoSerious(t, phone, "phone ticket rated")
	// Back to idle by itself, and the visit is not offered again.
	deadline := time.Now().Add(15 * time.Second)
	for {
		idle, err := chromedp.Run(tablet, chromedp.Evaluate[bool](`location.search === "" && document.readyState === "complete" && document.querySelectorAll("button.tap").length === 0 && !!document.querySelector("[data-live=tablet] h1")`))
		if err == nil && idle {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the tablet did not go back to idle (%v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
