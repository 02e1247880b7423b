package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { Main(m) }

const cleanPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Tìm thủ tục</title></head>
<body><main>
<h1>Tìm thủ tục hành chính</h1>
<form action="/search" method="get">
  <label for="q">Tên thủ tục</label> <input id="q" name="q" type="search">
  <button type="submit">Tìm</button>
</form>
<p><button type="button" id="more">Xem thêm</button> <span id="count">0</span></p>
<script>
document.getElementById("more").addEventListener("click", () => {
  const c = document.getElementById("count");
  c.textContent = Number(c.textContent) + 1;
});
</script>
</main></body></html>`

// badPage has an image without alt text and a button without a name.
const badPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Trang lỗi</title></head>
<body><main>
<h1>Trang lỗi</h1>
<img src="/logo.png">
<button type="button"></button>
</main></body></html>`

var resultPage = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kết quả</title></head>
<body><main><h1>Kết quả</h1>
<p id="result">Kết quả cho: {{.Q}}</p>
<p id="lang">{{.Lang}}</p>
</main></body></html>`))

// serve starts the test site on 127.0.0.1.
func serve(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(html string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		}
	}
	mux.HandleFunc("GET /{$}", page(cleanPage))
	mux.HandleFunc("GET /bad", page(badPage))
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		resultPage.Execute(w, map[string]string{"Q": r.FormValue("q"), "Lang": r.Header.Get("Accept-Language")})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// open serves the test site, opens a tab and shows the page at path in it.
func open(t *testing.T, path string) context.Context {
	t.Helper()
	srv := serve(t)
	ctx := Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
		t.Fatalf("navigate to %s: %v", path, err)
	}
	return ctx
}

func TestAxeFindsImageWithoutAltAndButtonWithoutName(t *testing.T) {
	t.Parallel()
	c := open(t, "/bad")

	var got []string
	for _, v := range Axe(t, c) {
		got = append(got, v.ID+"/"+v.Impact)
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Nodes[0].HTML == "" {
			t.Errorf("violation %s has no element: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"image-alt/critical", "button-name/critical"} {
		if !slices.Contains(got, want) {
			t.Errorf("Axe found %v, want %s among them", got, want)
		}
	}

	rec := &recorder{TB: t}
	AssertNoSerious(rec, c, "/bad")
	if len(rec.errors) != 2 {
		t.Errorf("AssertNoSerious reported %d errors, want 2: %q", len(rec.errors), rec.errors)
	}
	for _, e := range rec.errors {
		if !strings.HasPrefix(e, "/bad: accessibility: ") {
			t.Errorf("AssertNoSerious error %q does not name the page", e)
		}
	}
}

func TestAxeFindsNothingOnCleanPage(t *testing.T) {
	t.Parallel()
	c := open(t, "/")
	AssertNoSerious(t, c, "/")
	if vs := Axe(t, c); len(vs) != 0 {
		t.Errorf("Axe found %d violations on the clean page, want none: %v", len(vs), vs)
	}
}

func TestClickAndTypeRoundTrip(t *testing.T) {
	t.Parallel()
	c := open(t, "/")

	if err := chromedp.Do(c, chromedp.Click(chromedp.ID("more")), chromedp.Click(chromedp.ID("more"))); err != nil {
		t.Fatal(err)
	}
	if got, err := Text(c, "#count"); err != nil || got != "2" {
		t.Errorf("after two clicks, #count = %q, %v; want 2", got, err)
	}

	if err := chromedp.Do(c, chromedp.SendKeys(chromedp.ID("q"), "đăng ký khai sinh")); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(c, chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusOK || !strings.Contains(resp.URL, "/search?q=") {
		t.Errorf("submit gave %d %s, want 200 /search?q=…", resp.Status, resp.URL)
	}
	if got, err := Text(c, "#result"); err != nil || got != "Kết quả cho: đăng ký khai sinh" {
		t.Errorf("#result = %q, %v; want the typed words back", got, err)
	}
	if got, err := Text(c, "#lang"); err != nil || !strings.HasPrefix(got, "vi") {
		t.Errorf("Accept-Language = %q, %v; want Vietnamese first", got, err)
	}
}

func TestNoRequestLeavesTheMachine(t *testing.T) {
	t.Parallel()
	srv := serve(t)
	ctx := Browser(t)
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	for _, url := range []string{
		"http://example.com/",
		"http://127.0.0.2:" + port + "/", // an address, not a name, outside the allowed ones
	} {
		err := chromedp.Do(ctx, chromedp.Navigate(url))
		if err == nil || !strings.Contains(err.Error(), "ERR_NAME_NOT_RESOLVED") {
			t.Errorf("navigate to %s: %v; want ERR_NAME_NOT_RESOLVED", url, err)
		}
	}
	allowed := []string{srv.URL + "/", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/"}
	if l, err := net.Listen("tcp", "[::1]:0"); err == nil {
		v6 := httptest.NewUnstartedServer(srv.Config.Handler)
		v6.Listener.Close()
		v6.Listener = l
		v6.Start()
		t.Cleanup(v6.Close)
		allowed = append(allowed, v6.URL+"/")
	}
	for _, url := range allowed {
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Errorf("navigate to %s: %v; want the page", url, err)
		}
	}
}

func TestScreenshotIsFullPagePNG(t *testing.T) {
	t.Parallel()
	c := open(t, "/")
	path := Screenshot(t, c, "clean.png")
	if dir := t.ArtifactDir(); !strings.HasPrefix(path, dir) {
		t.Errorf("Screenshot wrote %s, want it inside %s", path, dir)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if cfg.Width != 1280 || cfg.Height < 100 {
		t.Errorf("screenshot is %dx%d, want 1280 wide", cfg.Width, cfg.Height)
	}
}

func TestBrowserStartsAndStops(t *testing.T) {
	path, err := findChromium(os.Getenv)
	if err != nil {
		unavailable(t, err)
	}
	begin := time.Now()
	ctx, stop, err := start(path)
	if err != nil {
		t.Fatal(err)
	}
	started := time.Since(begin)
	stop()
	t.Logf("%s started in %v, stopped in %v", path, started.Round(time.Millisecond), (time.Since(begin) - started).Round(time.Millisecond))
	if ctx.Err() == nil {
		t.Error("the browser context is still alive after stop")
	}
}

func TestFindChromium(t *testing.T) {
	sh, err := filepath.Abs("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envChromium {
				return v
			}
			return ""
		}
	}
	t.Run("MOTCUA_CHROMIUM is used when executable", func(t *testing.T) {
		if got, err := findChromium(env(sh)); err != nil || got != sh {
			t.Errorf("findChromium = %q, %v; want %q", got, err, sh)
		}
	})
	t.Run("missing MOTCUA_CHROMIUM is an error naming it, with no fallback", func(t *testing.T) {
		_, err := findChromium(env("/nonexistent"))
		if err == nil || !strings.Contains(err.Error(), "MOTCUA_CHROMIUM=/nonexistent") {
			t.Errorf("findChromium error = %v; want one naming MOTCUA_CHROMIUM=/nonexistent", err)
		}
	})
}

func TestRequired(t *testing.T) {
	for env, want := range map[string]bool{
		"":                         false,
		"CI=false":                 false,
		"CI=true":                  true,
		"MOTCUA_REQUIRE_BROWSER=1": true,
	} {
		getenv := func(k string) string {
			name, value, _ := strings.Cut(env, "=")
			if k == name {
				return value
			}
			return ""
		}
		if got := required(getenv); got != want {
			t.Errorf("required with %q = %v, want %v", env, got, want)
		}
	}
}

func TestModuleRootHoldsTheAxePackage(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, axeDir, "package-lock.json")); err != nil {
		t.Errorf("the module root %s has no %s/package-lock.json: %v", root, axeDir, err)
	}
}

// recorder keeps the errors that a helper reports, and passes the rest on.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
