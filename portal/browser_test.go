package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"motcua/internal/browsertest"
)

// The browser tests run on SQLite: the HTTP tests already cover both stores,
// and what a browser sees does not depend on the store.

// openPage shows base+path in a new tab and checks the status of the page.
func openPage(t *testing.T, base, path string, status int) context.Context {
	t.Helper()
	ctx := browsertest.Browser(t)
	navigate(t, ctx, base+path, status)
	return ctx
}

func navigate(t *testing.T, ctx context.Context, url string, status int) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	if int(resp.Status) != status {
		t.Fatalf("navigate to %s: status %d, want %d", url, resp.Status, status)
	}
}

// submit runs actions that load a new page and checks it loaded with 200.
func submit(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("submit: %s answered %d, want 200", resp.URL, resp.Status)
	}
	return resp.URL
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := browsertest.Text(ctx, sel)
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// shot saves a screenshot: into $MOTCUA_SHOTS when set (for a person to look
// at), else into the test's artifact directory.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("MOTCUA_SHOTS"); dir != "" {
		name = filepath.Join(dir, name)
	}
	browsertest.Screenshot(t, ctx, name)
}

func TestBrowserCitizenPages(t *testing.T) {
	base := startPortal(t, "sqlite", nil)
	tests := []struct {
		name, lang, home, query, firstResult, docsHeading string
	}{
		{"search without diacritics in Vietnamese", "vi", "/", "dang ky khai sinh", "Đăng ký khai sinh", "Giấy tờ cần chuẩn bị"},
		{"search in English", "en", "/?lang=en", "birth registration", "Birth registration", "What to bring"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" leads to the procedure and its documents", func(t *testing.T) {
			t.Parallel()
			ctx := openPage(t, base, tt.home, http.StatusOK)
			browsertest.AssertNoSerious(t, ctx, tt.lang+" home")
			shot(t, ctx, "home-"+tt.lang+".png")

			url := submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), tt.query), chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
			if !strings.Contains(url, "/procedures?q=") {
				t.Errorf("the search form went to %s, want /procedures?q=…", url)
			}
			if got := text(t, ctx, ".results li:first-child h3 a"); got != tt.firstResult {
				t.Fatalf("first result = %q, want %q", got, tt.firstResult)
			}
			browsertest.AssertNoSerious(t, ctx, tt.lang+" results")

			url = submit(t, ctx, chromedp.Click(chromedp.CSS(".results li:first-child h3 a")))
			if !strings.HasSuffix(url, "/procedures/1.001193") {
				t.Errorf("the first result leads to %s, want /procedures/1.001193", url)
			}
			if got := text(t, ctx, "h1"); got != tt.firstResult {
				t.Errorf("detail heading = %q, want %q", got, tt.firstResult)
			}
			if got := text(t, ctx, "#documents"); got != tt.docsHeading {
				t.Errorf("documents heading = %q, want %q", got, tt.docsHeading)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll(".checklist li input[type=checkbox] + label").length`); n < 2 {
				t.Errorf("the checklist shows %d documents, want the procedure's documents", n)
			}
			if hidden := eval[bool](t, ctx, `document.querySelector("[data-print]").hidden`); hidden {
				t.Errorf("with JavaScript the print button stays hidden")
			}
			browsertest.AssertNoSerious(t, ctx, tt.lang+" detail")
			shot(t, ctx, "detail-"+tt.lang+".png")
		})
	}

	t.Run("keyboard only: Tab to the search box, type, Enter", func(t *testing.T) {
		t.Parallel()
		ctx := openPage(t, base, "/", http.StatusOK)
		tabs := 0
		for ; tabs < 15 && eval[string](t, ctx, `document.activeElement.id`) != "q"; tabs++ {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if tabs == 0 {
				// The first Tab reaches the skip link, which must be visible when focused.
				if got := eval[string](t, ctx, `document.activeElement.className`); got != "skip" {
					t.Errorf("the first Tab focuses %q, want the skip link", got)
				}
				if left := eval[float64](t, ctx, `document.activeElement.getBoundingClientRect().left`); left < 0 {
					t.Errorf("the focused skip link is off screen (left %v)", left)
				}
			}
		}
		if eval[string](t, ctx, `document.activeElement.id`) != "q" {
			t.Fatalf("15 Tabs did not reach the search box")
		}
		if style := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
			t.Errorf("the focused search box shows no outline")
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("ket hon")); err != nil {
			t.Fatal(err)
		}
		url := submit(t, ctx, chromedp.KeyEvent(kb.Enter))
		if !strings.Contains(url, "q=ket+hon") {
			t.Errorf("Enter went to %s, want the results for “ket hon”", url)
		}
		if got := text(t, ctx, ".results li:first-child h3 a"); got != "Đăng ký kết hôn" {
			t.Errorf("first result = %q, want Đăng ký kết hôn", got)
		}
		t.Logf("the search box is Tab number %d", tabs)
	})

	t.Run("the search works with JavaScript turned off", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.Browser(t)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, base+"/procedures/1.001193", http.StatusOK)
		if hidden := eval[bool](t, ctx, `document.querySelector("[data-print]").hidden`); !hidden {
			t.Errorf("without JavaScript the print button shows, though it cannot work")
		}
		navigate(t, ctx, base+"/", http.StatusOK)
		submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "so do"), chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
		// The filters start folded when none is set; a <details> opens without JavaScript.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".filters summary"))); err != nil {
			t.Fatal(err)
		}
		submit(t, ctx, chromedp.SetValue(chromedp.CSS("#level"), "district"), chromedp.Click(chromedp.CSS(`.filters button[type="submit"]`)))
		if got := eval[string](t, ctx, `location.search`); got != "?q=so+do&field=&level=district&online=" {
			t.Errorf("the filter form sent %s", got)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".results li").length`); n == 0 {
			t.Errorf("no results for “so do” at district level")
		}
	})

	t.Run("the print layout keeps the content and drops the page furniture", func(t *testing.T) {
		t.Parallel()
		ctx := openPage(t, base, "/procedures/1.001193", http.StatusOK)
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		for sel, want := range map[string]string{
			"header.site nav": "none", ".breadcrumbs": "none", ".print-box": "none", "footer.site": "none",
			"h1": "block", ".checklist": "block", ".print-only": "block",
		} {
			if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(`+strconv.Quote(sel)+`)).display`); got != want {
				t.Errorf("printed, %s has display %q, want %q", sel, got, want)
			}
		}
		shot(t, ctx, "detail-print.png")
	})

	t.Run("pages fit a 390 px phone screen", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.Browser(t)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct{ path, name string }{
			{"/", "home-390.png"}, {"/procedures?q=so+do", "results-390.png"}, {"/procedures/1.001193", "detail-390.png"},
		} {
			navigate(t, ctx, base+p.path, http.StatusOK)
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide on a 390 px screen: it scrolls sideways", p.path, w)
			}
			shot(t, ctx, p.name)
		}
	})

	t.Run("no serious accessibility problems", func(t *testing.T) {
		t.Parallel()
		for _, p := range []struct {
			path   string
			status int
		}{
			{"/procedures", 200}, {"/procedures?q=qqqxxzzk", 200}, {"/procedures?level=city", 422},
			{"/procedures/1.001193", 200}, {"/procedures/9.999999", 404}, {"/no-such-page", 404},
		} {
			for _, lang := range []string{"vi", "en"} {
				path := p.path + map[bool]string{true: "&", false: "?"}[strings.Contains(p.path, "?")] + "lang=" + lang
				ctx := openPage(t, base, path, p.status)
				browsertest.AssertNoSerious(t, ctx, path)
			}
		}
	})
}
