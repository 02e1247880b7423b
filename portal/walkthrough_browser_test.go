package main

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/catalog"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/workday"
)

// The walk-through: the five journeys of the portal, as people make them,
// in Vietnamese and in English, on one portal whose clock the test moves
// (the queue office is open at its 08:00 start; the dossier runs late when
// the clock jumps a week). Every page visited passes axe, carries a meta
// description and writes no error to the console.

// walkUnitAddress and walkUnitPhone are where the one-stop department of
// TB is, as its administrator recorded it.
const (
	walkUnitAddress = "Số 1 Nguyễn Huệ, thị trấn Hà Lam, Thăng Bình, Quảng Nam"
	walkUnitPhone   = "0235 3874 123"
	// walkOfficeAddress is the queue office's, where birth registrations
	// are filed (its service covers the field "Hộ tịch").
	walkOfficeAddress = "Số 5 Tiểu La, thị trấn Hà Lam, Thăng Bình, Quảng Nam"
)

// newWalkHarness is the satisfaction harness (units, staff, the queue
// office TB-HCC with counter 1) with a catalog whose birth registration
// has steps and forms, a clerk whose full name and title sign the papers,
// and the office's address and phone.
func newWalkHarness(t *testing.T) *deskHarness {
	t.Helper()
	h, _ := newSatisfactionHarness(t, "sqlite", nil)
	ctx := context.Background()
	procs := sample(t)
	for i := range procs {
		if procs[i].Code == "1.001193" {
			procs[i].Steps = []string{"Nộp tờ khai và giấy tờ tại bộ phận một cửa hoặc trực tuyến", "Nhận trích lục khai sinh"}
			procs[i].Forms = []catalog.Form{{Name: "Tờ khai đăng ký khai sinh", URL: "https://example.invalid/to-khai-khai-sinh.docx"}}
		}
	}
	if _, err := h.env.Catalog.Import(ctx, procs, nil, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := h.env.Catalog.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.env.Staff.AddUser(ctx, staff.User{Username: "thu.le", Role: staff.RoleClerk, UnitCode: "TB",
		FullName: "Lê Thị Thu", Title: "Công chức Bộ phận Một cửa"}, deskPassword); err != nil {
		t.Fatal(err)
	}
	o, err := h.env.Queue.Office(ctx, "TB-HCC")
	if err != nil {
		t.Fatal(err)
	}
	o.Address, o.Phone = walkOfficeAddress, "0235 3874 555"
	if _, err := h.env.Queue.UpdateOffice(ctx, staff.Operator(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := h.env.Queue.UpdateService(ctx, staff.Operator(), queue.Service{Code: "hotich", OfficeCode: "TB-HCC", NameVi: "Hộ tịch",
		NameEn: "Civil status", Prefix: "A", Fields: []string{"Hộ tịch"}}); err != nil {
		t.Fatal(err)
	}
	return h
}

// walk is one language's walk: its portal, and the tabs of the citizen
// and the clerk, who come back in later journeys.
type walk struct {
	h              *deskHarness
	base, lang     string
	tr             *i18n.Translator
	checked        map[string]bool // the pages axe has checked
	citizen, clerk *walker
}

// walker is one person's browser on the walk: it checks every page it
// lands on and keeps what the page wrote to the console.
type walker struct {
	t    *testing.T
	ctx  context.Context
	base string
	wk   *walk
	mu   sync.Mutex
	errs []string
}

// on makes the walker report to the journey that uses it now.
func (w *walker) on(t *testing.T) *walker { w.t = t; return w }

// newWalker opens a tab whose browser asks for the walk's language
// (Accept-Language).
func newWalker(t *testing.T, wk *walk) *walker {
	t.Helper()
	w := &walker{t: t, ctx: browsertest.Browser(t), base: wk.base, wk: wk}
	if wk.lang == "en" {
		if _, err := chromedp.Call(w.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": "en-GB,en"}}); err != nil {
			t.Fatal(err)
		}
	}
	console := chromedp.Console(w.ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				w.mu.Lock()
				w.errs = append(w.errs, m.String()+" ("+m.URL+")")
				w.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, e := range w.errs {
			t.Errorf("console: %s", e)
		}
	})
	return w
}

// check runs axe on the page shown, unless a page of that name was
// checked already in this walk (the sign-in form, the dossier after each
// move), and checks its meta description.
func (w *walker) check(page string) {
	w.t.Helper()
	if !w.wk.checked[page] {
		w.wk.checked[page] = true
		browsertest.AssertNoSerious(w.t, w.ctx, w.wk.lang+": "+page)
	}
	if d := eval[string](w.t, w.ctx, `(m => m ? m.content : "")(document.querySelector('meta[name="description"]'))`); len(d) < 20 {
		w.t.Errorf("%s: meta description %q", page, d)
	}
}

func (w *walker) open(path, page string) {
	w.t.Helper()
	navigate(w.t, w.ctx, w.base+path, http.StatusOK)
	w.check(page)
}

func (w *walker) submit(page string, actions ...chromedp.Action[chromedp.Void]) string {
	w.t.Helper()
	u := submit(w.t, w.ctx, actions...)
	w.check(page)
	return u
}

func (w *walker) text(sel string) string { w.t.Helper(); return text(w.t, w.ctx, sel) }

func (w *walker) body() string {
	w.t.Helper()
	return eval[string](w.t, w.ctx, "document.body.innerText")
}

func (w *walker) signIn(username, next string) {
	w.t.Helper()
	navigate(w.t, w.ctx, w.base+"/desk/login?next="+next, http.StatusOK)
	w.check("sign-in")
	u := submit(w.t, w.ctx, chromedp.SendKeys(chromedp.CSS("#username"), username), chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	if !strings.HasSuffix(u, next) {
		w.t.Fatalf("sign-in of %s led to %s, want %s", username, u, next)
	}
}

// move presses the button that moves the dossier to status on the desk
// page, after checking its label, and checks the confirmation.
func (w *walker) move(tr *i18n.Translator, code, status, label string) {
	w.t.Helper()
	got := eval[string](w.t, w.ctx, `(b => b ? b.textContent.trim() : "")(document.querySelector('form.desk-form button[name="status"][value="`+status+`"]'))`)
	if got != label {
		w.t.Errorf("the button to %s reads %q, want %q", status, got, label)
	}
	u := w.submit("dossier after "+status, chromedp.Click(chromedp.CSS(`form.desk-form button[name="status"][value="`+status+`"]`)))
	if !strings.Contains(u, "/desk/dossiers/"+code) {
		w.t.Fatalf("moving to %s led to %s", status, u)
	}
	if flash, want := w.text("#flash"), tr.T("desk.done.moved", "Status", tr.T("dossier.status."+status)); flash != want {
		w.t.Errorf("after moving to %s the page says %q, want %q", status, flash, want)
	}
}

var walkTicketURL = regexp.MustCompile(`/kiosk/TB-HCC/tickets/([a-z2-7]{26})(\?lang=en)?$`)

func TestBrowserWalkthrough(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			// Each language walks on a portal of its own, at the same
			// time: the clock that runs the dossier late is its own.
			t.Parallel()
			start := time.Now()
			h := newWalkHarness(t)
			wk := &walk{h: h, base: serveHarness(t, h), lang: lang, tr: h.s.text.For(lang), checked: map[string]bool{}}
			wk.citizen, wk.clerk = newWalker(t, wk), newWalker(t, wk)
			t.Run("citizen searches and reads a procedure", func(t *testing.T) { walkCitizen(t, wk) })
			t.Run("administrator records where the unit receives", func(t *testing.T) { walkUnitContact(t, wk) })
			code := ""
			t.Run("clerk receives and prints the receipt", func(t *testing.T) { code = walkClerk(t, wk) })
			if code == "" {
				t.Fatal("no dossier to follow")
			}
			t.Run("citizen tracks the dossier", func(t *testing.T) { walkTrack(t, wk, code) })
			t.Run("visitor takes a number and is served", func(t *testing.T) { walkVisitor(t, wk) })
			t.Run("officer handles the dossier late, with an apology", func(t *testing.T) { walkOfficer(t, wk, code) })
			t.Logf("the walk in %s took %v", lang, time.Since(start).Round(time.Millisecond))
		})
	}
}

// walkCitizen: home, a search typed without diacritics, the results, the
// procedure; a search for what another office handles; a page past the
// last.
func walkCitizen(t *testing.T, wk *walk) {
	h, base, lang, tr := wk.h, wk.base, wk.lang, wk.tr
	c := wk.citizen.on(t)
	c.open("/?lang="+lang, "home")
	if got := eval[string](t, c.ctx, "document.documentElement.lang"); got != lang {
		t.Errorf("the home page is in %q, want %s", got, lang)
	}
	query, name := "lam giay khai sinh", "Đăng ký khai sinh"
	if lang == "en" {
		query, name = "dang ky khai sinh", "Birth registration"
	}
	u := c.submit("results", chromedp.SendKeys(chromedp.CSS("#q"), query), chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
	if !strings.Contains(u, "/procedures?q=") {
		t.Errorf("the search went to %s", u)
	}
	if got := c.text(".results li:first-child h3 a"); got != name {
		t.Fatalf("%q: first result %q, want %q", query, got, name)
	}
	c.submit("procedure", chromedp.Click(chromedp.CSS(".results li:first-child h3 a")))
	if got := c.text("h1"); got != name {
		t.Errorf("procedure heading %q, want %q", got, name)
	}
	page := c.body()
	for _, want := range []string{tr.T("procedure.documents.heading"), tr.T("procedure.fee"), tr.T("procedure.time"),
		tr.N("procedures.days", 1), tr.T("procedure.steps.heading"), "Nhận trích lục khai sinh",
		tr.T("procedure.forms.heading"), "Tờ khai đăng ký khai sinh"} {
		if !strings.Contains(page, want) {
			t.Errorf("the procedure page does not say %q", want)
		}
	}
	if n := eval[int](t, c.ctx, `document.querySelectorAll(".checklist li").length`); n < 2 {
		t.Errorf("the procedure lists %d documents", n)
	}
	// Where to file it: the office whose service covers the field, and
	// the number to take there.
	if places := c.text(".places"); !strings.Contains(places, "Một cửa Thăng Bình") || !strings.Contains(places, walkOfficeAddress) || !strings.Contains(places, "A – ") {
		t.Errorf("the procedure page says where to go:\n%s", places)
	}
	// The national portal addresses a procedure by its own identifier,
	// which the catalog's source gives; without one, by a search for the
	// code (docs/domain.md).
	if href, want := eval[string](t, c.ctx, `document.querySelector("#apply-online").href`), h.env.Catalog.Get; href == "" || !strings.HasPrefix(href, catalog.NationalPortal+"/") {
		t.Errorf("the online link goes to %q, want the national portal", href)
	} else if p, err := want("1.001193"); err != nil || href != p.PortalURL() {
		t.Errorf("the online link goes to %q, want %q (%v)", href, p.PortalURL(), err)
	}

	// What another office handles: where to go, not unrelated procedures.
	navigate(t, c.ctx, base+"/procedures?q=lam+ho+chieu", http.StatusOK)
	c.check("handled elsewhere")
	if got := c.text(".elsewhere"); !strings.Contains(got, map[string]string{"vi": "Phòng Quản lý xuất nhập cảnh", "en": "immigration office"}[lang]) {
		t.Errorf("“lam ho chieu” says %q, want the immigration office", got)
	}
	if n := eval[int](t, c.ctx, `document.querySelectorAll(".results li").length`); n != 0 {
		t.Errorf("“lam ho chieu” lists %d procedures", n)
	}

	// A page past the last says so and leads back.
	navigate(t, c.ctx, base+"/procedures?q=khai+sinh&page=99", http.StatusOK)
	c.check("page out of range")
	if page := c.body(); !strings.Contains(page, tr.T("procedures.page_empty")) || !strings.Contains(page, tr.T("procedures.first_page")) {
		t.Errorf("page 99 of “khai sinh” says:\n%s", page)
	}

	// The icon every browser asks for.
	st, err := chromedp.Run(c.ctx, chromedp.Evaluate[int](`fetch("/favicon.ico").then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || st != http.StatusOK {
		t.Errorf("/favicon.ico answers %d (%v)", st, err)
	}
}

// walkUnitContact: the administrator records the address and phone of
// the unit's one-stop department at the desk, which the receipt and the
// tracking page then give.
func walkUnitContact(t *testing.T, wk *walk) {
	a := newWalker(t, wk)
	a.signIn("admin", "/desk/units/TB")
	a.check("unit")
	u := a.submit("units after saving", chromedp.SendKeys(chromedp.CSS("#f-address"), walkUnitAddress),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), walkUnitPhone), chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	if !strings.Contains(u, "/desk/units?saved=TB") {
		t.Fatalf("saving the unit led to %s", u)
	}
	if page := a.body(); !strings.Contains(page, walkUnitAddress) {
		t.Errorf("the list of units does not show the address saved")
	}
}

// walkClerk: the clerk signs in, picks the procedure from the list that
// narrows as they type, ticks the papers, receives, prints the receipt.
func walkClerk(t *testing.T, wk *walk) string {
	h, lang, tr := wk.h, wk.lang, wk.tr
	c := wk.clerk.on(t)
	c.signIn("thu.le", "/desk/dossiers/new?lang="+lang)
	c.check("reception")
	if err := chromedp.Do(c.ctx, chromedp.SendKeys(chromedp.CSS("#f-procedure_code"), "khai sinh")); err != nil {
		t.Fatal(err)
	}
	waitFor[bool](t, c.ctx, `[...document.querySelectorAll("#pick-list li")].some(li => li.hidden)`)
	if vis := eval[bool](t, c.ctx, `!document.querySelector('#pick-list a[href*="procedure=1.001193"]').closest("li").hidden`); !vis {
		t.Fatal("typing “khai sinh” hides birth registration")
	}
	c.submit("reception form", chromedp.Click(chromedp.CSS(`#pick-list a[href*="procedure=1.001193"]`)))
	if n := eval[int](t, c.ctx, `document.querySelectorAll('.checklist input[type=checkbox][name="paper"]').length`); n < 2 {
		t.Errorf("the reception form's checklist has %d papers", n)
	}
	c.submit("dossier received", chromedp.SendKeys(chromedp.CSS(`[id="f-applicant.name"]`), "Trần Thị Mai"),
		chromedp.SendKeys(chromedp.CSS(`[id="f-applicant.phone"]`), "0905 123 456"),
		chromedp.Click(chromedp.CSS("#paper-1")), chromedp.Click(chromedp.CSS("#paper-2")),
		chromedp.Click(chromedp.CSS(`form.desk-form button[type="submit"]`)))
	code := c.text("#dossier-code")
	// Received minutes ago: not yet due soon.
	if page := c.body(); strings.Contains(page, tr.T("desk.standing.at_risk")) {
		t.Errorf("a dossier received a moment ago is marked %q", tr.T("desk.standing.at_risk"))
	}

	c.submit("receipt", chromedp.Click(chromedp.CSS("#receipt-link")))
	if got := c.text("#receipt-code"); got != code {
		t.Errorf("the receipt's code %q, want %s", got, code)
	}
	if _, err := chromedp.Call(c.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	// Printed, the first line is the national heading beside the unit's:
	// nothing of the site above it.
	first := eval[string](t, c.ctx, `(() => {
		const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) {
			const e = n.parentElement, r = e.getBoundingClientRect();
			if (n.textContent.trim() && r.height > 0 && getComputedStyle(e).visibility !== "hidden") return e.closest(".paper-head") ? "paper-head: " + n.textContent.trim() : n.textContent.trim();
		}
		return "";
	})()`)
	if !strings.HasPrefix(first, "paper-head: ") {
		t.Errorf("the printed receipt starts with %q, want the heading of the paper", first)
	}
	paper := c.text("article.paper")
	vi := h.s.text.For("vi")
	for _, want := range []string{vi.T("desk.paper.nation"), vi.T("desk.paper.motto"), "Lê Thị Thu", "Công chức Bộ phận Một cửa"} {
		if !strings.Contains(paper, want) {
			t.Errorf("the printed receipt does not say %q", want)
		}
	}
	if got := c.text("#paper-where-address"); got != walkUnitAddress {
		t.Errorf("the receipt says to go to %q, want %q", got, walkUnitAddress)
	}
	if !regexp.MustCompile(`lúc \d{2} giờ \d{2} ngày \d{2}/\d{2}/\d{4}`).MatchString(c.text("#receipt-received")) {
		t.Errorf("received %q, want “lúc HH giờ MM ngày dd/mm/yyyy”", c.text("#receipt-received"))
	}
	if lang == "en" && !strings.Contains(c.text("#receipt-procedure"), "Birth registration") {
		t.Errorf("the English desk's receipt names the procedure %q, want its English name too", c.text("#receipt-procedure"))
	}
	if _, err := chromedp.Call(c.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	return code
}

// walkTrack: the citizen types the code as it comes, the phone as they
// write it; the phone stays out of the address.
func walkTrack(t *testing.T, wk *walk, code string) {
	lang, tr := wk.lang, wk.tr
	c := wk.citizen.on(t)
	c.open("/track?lang="+lang, "tracking form")
	typed := strings.ToLower(code[:6]) + " " + strings.ToLower(code[6:])
	u := c.submit("tracking", chromedp.SendKeys(chromedp.CSS("#code"), typed),
		chromedp.SendKeys(chromedp.CSS("#phone"), "(+84) 905-123-456"),
		chromedp.Click(chromedp.CSS(`form.track-form button[type="submit"]`)))
	if strings.Contains(u, "905") || strings.Contains(u, "phone") {
		t.Errorf("the phone is in the address: %s", u)
	}
	if h1, want := c.text("h1"), tr.T("track.result_heading", "Code", code); h1 != want {
		t.Fatalf("tracking %q says %q, want %q", typed, h1, want)
	}
	page := c.body()
	for _, want := range []string{tr.T("dossier.status.received"), tr.T("track.field.due"), walkUnitAddress, walkUnitPhone} {
		if !strings.Contains(page, want) {
			t.Errorf("the tracking page does not say %q", want)
		}
	}
	due := eval[string](t, c.ctx, `(() => { for (const dt of document.querySelectorAll("dl.summary dt")) if (dt.textContent.trim() === `+strconv.Quote(tr.T("track.field.due"))+`) return dt.nextElementSibling.textContent.trim(); return ""; })()`)
	numeric := regexp.MustCompile(`\d{2}/\d{2}/\d{4}`)
	if lang == "en" && (numeric.MatchString(due) || !regexp.MustCompile(`\d{1,2} [A-Z][a-z]{2} \d{4}`).MatchString(due)) {
		t.Errorf("the English due date is %q, want the month by name", due)
	}
	if lang == "vi" && !numeric.MatchString(due) {
		t.Errorf("the due date is %q", due)
	}
}

// walkOfficer: handed over, papers asked for and added, then a week late:
// the officer issues the apology, finishes, the clerk hands the result
// over; the citizen reads the apology.
func walkOfficer(t *testing.T, wk *walk, code string) {
	h, base, lang, tr := wk.h, wk.base, wk.lang, wk.tr
	clerk := wk.clerk.on(t)
	navigate(t, clerk.ctx, base+"/desk/dossiers/"+code, http.StatusOK)
	clerk.check("dossier at the desk")
	clerk.move(tr, code, "in_progress", tr.T("desk.move.in_progress"))

	officer := newWalker(t, wk)
	officer.signIn("officer", "/desk/dossiers/"+code+"?lang="+lang)
	officer.check("dossier, officer")
	if err := chromedp.Do(officer.ctx, chromedp.SendKeys(chromedp.CSS("#note"), "Bổ sung bản sao giấy chứng nhận kết hôn của cha mẹ")); err != nil {
		t.Fatal(err)
	}
	officer.move(tr, code, "supplement", tr.T("desk.move.supplement"))
	resume := tr.T("desk.move.resume_after_supplement")
	if resume == tr.T("desk.move.in_progress") {
		t.Errorf("resuming after a supplement reads as the first hand-off: %q", resume)
	}

	// The status note reads as information, not as a warning.
	citizen := wk.citizen.on(t)
	navigate(t, citizen.ctx, base+"/track?code="+code+"&phone=0905123456&lang="+lang, http.StatusOK)
	citizen.check("tracking, papers to add")
	if color := eval[string](t, citizen.ctx, `getComputedStyle(document.querySelector(".status-note")).borderColor + " " + getComputedStyle(document.querySelector(".status-note")).backgroundColor`); isReddish(color) {
		t.Errorf("the status note is drawn in red (%s)", color)
	}

	officer.move(tr, code, "in_progress", resume)

	// Stopping asks first; going back leaves the dossier as it was.
	officer.submit("stopping, asked to confirm", chromedp.SendKeys(chromedp.CSS("#note"), "Người dân đề nghị dừng"), chromedp.Click(chromedp.CSS(`form.desk-form button[name="status"][value="stopped"]`)))
	if n := eval[int](t, officer.ctx, `document.querySelectorAll("#confirm #confirm-yes").length`); n != 1 {
		t.Errorf("stopping the dossier does not ask first")
	}
	officer.submit("dossier", chromedp.Click(chromedp.CSS("#confirm-back")))
	if got := officer.text("strong.tag"); got != tr.T("dossier.status.in_progress") {
		t.Errorf("after going back the dossier is %q", got)
	}

	// A week on, the sessions have run out: both sign in again.
	h.advance(7 * 24 * time.Hour)
	officer.signIn("officer", "/desk/dossiers/"+code)
	officer.check("dossier late")
	if n := eval[int](t, officer.ctx, `document.querySelectorAll('form[action$="/apology"]').length`); n != 1 {
		t.Fatalf("the late dossier offers no apology letter:\n%s", officer.body())
	}
	newDue := h.now().In(workday.Location()).AddDate(0, 0, 2).Format("2006-01-02")
	officer.submit("apology issued", chromedp.SetValue(chromedp.CSS("#new_due"), newDue),
		chromedp.SendKeys(chromedp.CSS("#reason"), "Chờ xác minh thông tin với nơi đăng ký kết hôn của cha mẹ"),
		chromedp.Click(chromedp.CSS(`form[action$="/apology"] button[type="submit"]`)))
	if got, want := officer.text("#flash"), tr.T("desk.done.apology"); got != want {
		t.Errorf("after the apology the page says %q, want %q", got, want)
	}
	officer.submit("apology letter", chromedp.Click(chromedp.CSS(`a[href$="/apology"]`)))
	navigate(t, officer.ctx, base+"/desk/dossiers/"+code, http.StatusOK)
	officer.move(tr, code, "done", tr.T("desk.move.done"))

	clerk.signIn("thu.le", "/desk/dossiers/"+code)
	clerk.move(tr, code, "returned", tr.T("desk.move.returned"))

	navigate(t, citizen.ctx, base+"/track?code="+code+"&phone=0905123456", http.StatusOK)
	citizen.check("tracking, returned with an apology")
	if got := citizen.text("#apology-h"); got != tr.T("track.apology.heading") {
		t.Errorf("the tracking page's apology reads %q", got)
	}
	if page := citizen.body(); !strings.Contains(page, tr.T("dossier.status.returned")) {
		t.Errorf("the tracking page does not say the result was handed over")
	}
}

// isReddish reports whether a CSS colour list names a red.
func isReddish(css string) bool {
	for _, m := range regexp.MustCompile(`rgba?\((\d+), (\d+), (\d+)`).FindAllStringSubmatch(css, -1) {
		r, _ := strconv.Atoi(m[1])
		g, _ := strconv.Atoi(m[2])
		b, _ := strconv.Atoi(m[3])
		if r > 150 && r > 2*g && r > 2*b {
			return true
		}
	}
	return false
}

// walkVisitor: a number from the kiosk (in Vietnamese, whatever the
// browser asks; the visitor may switch), the hall display, the counter's
// call, a no-show confirmed, the call back; the phone's ticket page.
func walkVisitor(t *testing.T, wk *walk) {
	base, lang, tr := wk.base, wk.lang, wk.tr
	kiosk := newWalker(t, wk)
	if err := chromedp.Do(kiosk.ctx, chromedp.EmulateViewport(1080, 1920, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	kiosk.open("/kiosk/TB-HCC", "kiosk")
	if got := eval[string](t, kiosk.ctx, "document.documentElement.lang"); got != "vi" {
		t.Errorf("the kiosk is in %q for a browser asking %s, want vi", got, lang)
	}
	if lang == "en" {
		kiosk.submit("kiosk switched to English", chromedp.Tap(chromedp.CSS("a.k-lang")))
		if got := eval[string](t, kiosk.ctx, "document.documentElement.lang"); got != "en" {
			t.Errorf("after the switch the kiosk is in %q", got)
		}
	}
	kiosk.submit("kiosk priority", chromedp.Tap(chromedp.CSS(`a.k-choice[href*="/services/hotich"]`)))
	u := kiosk.submit("kiosk ticket", chromedp.Tap(chromedp.CSS("button.k-default")))
	m := walkTicketURL.FindStringSubmatch(u)
	if m == nil {
		t.Fatalf("the kiosk led to %s, want the ticket", u)
	}
	id, number := m[1], kiosk.text("#k-number")
	if lang == "en" && kiosk.text("h1") != "Here is your number" {
		t.Errorf("the switched kiosk's ticket says %q", kiosk.text("h1"))
	}

	display := newWalker(t, wk)
	display.open("/display/TB-HCC", "hall display")
	if got := eval[string](t, display.ctx, "document.documentElement.lang"); got != "vi" {
		t.Errorf("the hall display is in %q, want vi", got)
	}
	eval[bool](t, display.ctx, `(() => { speechSynthesis.speak = () => {}; return true; })()`)
	phone := newWalker(t, wk)
	if err := chromedp.Do(phone.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	phone.open("/t/"+id, "phone ticket")
	if where := phone.text(".where"); !strings.Contains(where, walkOfficeAddress) {
		t.Errorf("the phone's ticket page says where to go:\n%s", where)
	}
	waitFor[bool](t, display.ctx, `document.documentElement.dataset.stream === "open"`)
	waitFor[bool](t, phone.ctx, `document.documentElement.dataset.stream === "open"`)

	counter := newWalker(t, wk)
	counter.signIn("clerk", "/counter/TB-HCC/1")
	counter.check("counter")
	counter.submit("counter calling", chromedp.Click(chromedp.CSS("button.c-next")))
	if got := counter.text(".c-number"); got != number {
		t.Fatalf("the counter called %q, want %s", got, number)
	}
	shown := waitFor[string](t, display.ctx, `(e => e && e.textContent.trim())(document.querySelector(".d-recent li:first-child .d-num"))`)
	if shown != number {
		t.Errorf("the display shows %q, want %s", shown, number)
	}
	display.check("hall display with the call")
	waitFor[bool](t, phone.ctx, `document.querySelector("[data-status]").dataset.status === "called"`)
	alertOffered := `(b => !!b && !b.hidden && b.offsetParent !== null)(document.querySelector("#t-alert"))`
	if eval[bool](t, phone.ctx, alertOffered) {
		t.Errorf("the called ticket still offers %q", tr.T("ticket.alert"))
	}

	// No-show: asked first; a “no” keeps the visitor at the counter.
	eval[bool](t, counter.ctx, `(() => { window.__asked = ""; window.confirm = q => { window.__asked = q; return false; }; return true; })()`)
	if err := chromedp.Do(counter.ctx, chromedp.Click(chromedp.CSS("form.c-skip button"))); err != nil {
		t.Fatal(err)
	}
	if asked := eval[string](t, counter.ctx, "window.__asked"); !strings.Contains(asked, number) {
		t.Errorf("marking a no-show asks %q", asked)
	}
	if got := counter.text(".c-number"); got != number {
		t.Errorf("after answering no, the counter holds %q", got)
	}
	eval[bool](t, counter.ctx, `(() => { window.confirm = () => true; return true; })()`)
	counter.submit("counter after a no-show", chromedp.Click(chromedp.CSS("form.c-skip button")))
	if got := counter.text(".c-noshows td.c-num"); got != number {
		t.Fatalf("the no-show list holds %q, want %s", got, number)
	}
	counter.submit("counter calling back", chromedp.Click(chromedp.CSS(".c-noshows button")))
	if got := counter.text(".c-number"); got != number {
		t.Errorf("calling back holds %q, want %s", got, number)
	}
	counter.submit("counter done", chromedp.Click(chromedp.CSS(`form[action$="/done"] button`)))

	navigate(t, phone.ctx, base+"/t/"+id, http.StatusOK)
	phone.check("phone ticket finished")
	if eval[bool](t, phone.ctx, alertOffered) || strings.Contains(phone.body(), tr.T("ticket.alert")) {
		t.Errorf("the finished ticket still offers %q", tr.T("ticket.alert"))
	}
}
