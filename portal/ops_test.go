package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

func newJar(t *testing.T) *cookiejar.Jar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// assetURL finds the hashed URLs of static assets in a page.
var assetURL = regexp.MustCompile(`/static/[A-Za-z0-9_-]+\.[0-9a-f]{10}\.[a-z]+`)

func TestOperations(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			base := startPortal(t, kind, nil)
			t.Run("health", func(t *testing.T) { testHealth(t, base) })
			t.Run("metrics", func(t *testing.T) { testMetrics(t, base) })
			t.Run("static assets", func(t *testing.T) { testStatic(t, base) })
			t.Run("headers", func(t *testing.T) { testHeaders(t, base) })
			t.Run("home is light", func(t *testing.T) { testHomeWeight(t, base) })
		})
	}
}

func testHealth(t *testing.T, base string) {
	for path, want := range map[string]string{"/healthz": `"status":"ok"`, "/readyz": `"status":"ready"`} {
		resp, body := fetch(t, base, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d %s, want 200 with %s", path, resp.StatusCode, body, want)
		}
	}
}

func testMetrics(t *testing.T, base string) {
	fetch(t, base, "/api/v1/procedures?q=khai+sinh")
	fetch(t, base, "/procedures/9.999999")
	resp, body := fetch(t, base, "/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d", resp.StatusCode)
	}
	mustContain(t, "/metrics", body, "# TYPE motcua_http_requests_total counter",
		`motcua_http_requests_total{method="GET",route="/api/v1/procedures",status="200"}`,
		`motcua_http_requests_total{method="GET",route="/procedures/:code",status="404"}`,
		"motcua_http_request_duration_seconds_bucket", "motcua_catalog_procedures ",
		`motcua_calendar_year_info{status="unannounced",year="2027"} 1`)
}

func testStatic(t *testing.T, base string) {
	_, home := fetch(t, base, "/")
	_, detail := fetch(t, base, "/procedures/1.001193")
	urls := append(assetURL.FindAllString(home, -1), assetURL.FindAllString(detail, -1)...)
	wantTypes := map[string]string{".css": "text/css", ".js": "text/javascript"}
	found := map[string]bool{}
	for _, u := range urls {
		ext := u[strings.LastIndex(u, "."):]
		found[ext] = true
		resp, body := fetch(t, base, u)
		if resp.StatusCode != http.StatusOK || body == "" {
			t.Errorf("GET %s = %d with %d bytes", u, resp.StatusCode, len(body))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control %q, want a year and immutable", u, cc)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantTypes[ext]) {
			t.Errorf("GET %s: Content-Type %q, want %s", u, ct, wantTypes[ext])
		}
	}
	if !found[".css"] || !found[".js"] {
		t.Errorf("pages link assets %v, want the hashed stylesheet and print script", urls)
	}
	for _, path := range []string{"/static/app.css", "/static/app.0000000000.css", "/static/..%2Fgo.mod"} {
		if resp, _ := fetch(t, base, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
	t.Run("the stylesheet has a print layout", func(t *testing.T) {
		_, css := fetch(t, base, assetURL.FindString(home))
		mustContain(t, "app.css", css, "@media print", ":focus-visible", "min-height:44px")
	})
}

func testHeaders(t *testing.T, base string) {
	seen := map[string]bool{}
	for _, path := range []string{"/", "/procedures?q=x", "/api/v1/procedures", "/no-such-page", "/procedures?page=x"} {
		resp, _ := fetch(t, base, path)
		for name, want := range map[string]string{
			"Content-Security-Policy": "script-src 'self'",
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
		} {
			if got := resp.Header.Get(name); !strings.Contains(got, want) {
				t.Errorf("GET %s: %s = %q, want %q", path, name, got, want)
			}
		}
		id := resp.Header.Get("X-Request-ID")
		if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) || seen[id] {
			t.Errorf("GET %s: X-Request-ID %q, want a fresh 16-hex-digit ID", path, id)
		}
		seen[id] = true
		if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP allows inline code: %s", path, csp)
		}
	}
	t.Run("pages and API answers are compressed", func(t *testing.T) {
		for _, path := range []string{"/", "/procedures", "/api/v1/procedures?limit=100"} {
			resp, body := fetch(t, base, path, "Accept-Encoding", "gzip")
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("GET %s: Content-Encoding %q, want gzip", path, resp.Header.Get("Content-Encoding"))
				continue
			}
			if _, err := gunzip(body); err != nil {
				t.Errorf("GET %s: body is not gzip: %v", path, err)
			}
		}
	})
}

func gunzip(s string) ([]byte, error) {
	r, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// testHomeWeight checks the promise to a citizen on a slow phone: the home
// page and everything it loads is under 100 KB on the wire.
func testHomeWeight(t *testing.T, base string) {
	const budget = 100 * 1000
	resp, page := fetch(t, base, "/", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("home is not compressed")
	}
	html, err := gunzip(page)
	if err != nil {
		t.Fatal(err)
	}
	total := len(page)
	parts := []string{"/ " + itoa(len(page))}
	for _, u := range assetURL.FindAllString(string(html), -1) {
		_, body := fetch(t, base, u, "Accept-Encoding", "gzip")
		total += len(body)
		parts = append(parts, u+" "+itoa(len(body)))
	}
	if bytes.Contains(html, []byte("http://")) || bytes.Contains(html, []byte("https://")) {
		t.Errorf("home refers to another host; everything must come from the portal")
	}
	t.Logf("home on the wire: %d bytes (%s)", total, strings.Join(parts, ", "))
	if total >= budget {
		t.Errorf("home weighs %d bytes on the wire with its assets, want under %d", total, budget)
	}
}
