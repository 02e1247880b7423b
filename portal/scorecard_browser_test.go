package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
)

// The scorecard reads as a page without JavaScript problems, its charts are
// images with names and its tables pass axe; at the desk the what-if form
// works by a plain POST.
func TestBrowserScorecard(t *testing.T) {
	h := newScorecardHarness(t, "sqlite")
	base := serveHarness(t, h)
	ctx := browsertest.Browser(t)

	navigate(t, ctx, base+"/scorecard?unit=TB&from=2026-01-01&to=2026-03-31", 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("svg[role=img][aria-label]").length`); n != 3 {
		t.Errorf("%d named charts, want 3", n)
	}
	if got := text(t, ctx, ".sc-total-n"); got == "" {
		t.Errorf("no total shown")
	}
	browsertest.AssertNoSerious(t, ctx, "scorecard")
	shot(t, ctx, "scorecard.png")

	navigate(t, ctx, base+"/desk/login", 200)
	submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	navigate(t, ctx, base+"/desk/scorecard?unit=TB&from=2026-03-01&to=2026-03-31&lang=en", 200)
	browsertest.AssertNoSerious(t, ctx, "desk scorecard")
	submit(t, ctx, chromedp.Click(chromedp.CSS(`#fix-0`)), chromedp.Click(chromedp.CSS(`.sc-fixes + button[type="submit"]`)))
	if got := text(t, ctx, "#sc-whatif"); !strings.Contains(got, "from 58.74 to 63.84") {
		t.Errorf("what-if: %q", got)
	}
	browsertest.AssertNoSerious(t, ctx, "desk scorecard what-if")
	shot(t, ctx, "desk-scorecard.png")
}
