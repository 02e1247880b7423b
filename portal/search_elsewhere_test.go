package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/catalog"
	"motcua/internal/store/storetest"
)

// elsewhereResponse is a search answer with where to go.
type elsewhereResponse struct {
	Items     []procedureSummary `json:"items"`
	Total     int                `json:"total"`
	Elsewhere *elsewhereJSON     `json:"elsewhere"`
}

// The portal's own page of the national portal for 1.001193 in the sample.
const birthPortalPage = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"

// startPortalWithForms imports the sample catalog with steps and forms
// added to birth registration, and a source that is not on the national
// portal for marriage registration, then starts a portal on it.
func startPortalWithForms(t *testing.T) string {
	t.Helper()
	procs := sample(t)
	for i := range procs {
		switch procs[i].Code {
		case "1.001193":
			procs[i].Steps = []string{"Nộp tờ khai và giấy tờ tại bộ phận một cửa hoặc trực tuyến", "Nhận trích lục khai sinh"}
			procs[i].Forms = []catalog.Form{
				{Name: "Tờ khai đăng ký khai sinh", URL: "https://example.invalid/to-khai-khai-sinh.docx"},
				{Name: "Giấy cam đoan về việc sinh", File: "cam-doan-viec-sinh.pdf"},
			}
		case "1.000894":
			procs[i].Source = "https://example.invalid/ket-hon"
		}
	}
	file := filepath.Join(t.TempDir(), "catalog.json")
	b, err := json.Marshal(procs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"import", file}, func(k string) string { return env[k] }, &stdout, &stderr); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr.String())
	}
	return startPortal(t, "sqlite", env)
}

// TestSearchElsewhereAndProcedureForms is the API and the plain pages: a
// query for what other offices handle answers where to go, with no items;
// a procedure's detail gives its steps, its forms and its own page on the
// national portal.
func TestSearchElsewhereAndProcedureForms(t *testing.T) {
	base := startPortalWithForms(t)

	t.Run("the API answers where to go, with no items", func(t *testing.T) {
		for _, tt := range []struct{ path, name, where string }{
			{"/api/v1/procedures?q=" + url.QueryEscape("làm hộ chiếu"), "Hộ chiếu", "Phòng Quản lý xuất nhập cảnh"},
			{"/api/v1/procedures?q=lam+ho+chieu&level=commune&limit=5&offset=10", "Hộ chiếu", "Phòng Quản lý xuất nhập cảnh"},
			{"/api/v1/procedures?q=lam+ho+chieu&lang=en", "Passport", "immigration office"},
			{"/api/v1/procedures?q=" + url.QueryEscape("đổi bằng lái xe"), "Giấy phép lái xe", "Phòng Cảnh sát giao thông"},
			{"/api/v1/procedures?q=driving+licence&lang=en", "Driving licences", "traffic police"},
		} {
			resp, got := fetchJSON[elsewhereResponse](t, base, tt.path)
			if resp.StatusCode != http.StatusOK || got.Items == nil || len(got.Items) != 0 || got.Total != 0 || got.Elsewhere == nil {
				t.Errorf("GET %s = %d %+v, want 200, no items, total 0 and elsewhere", tt.path, resp.StatusCode, got)
				continue
			}
			if got.Elsewhere.Name != tt.name || !strings.Contains(got.Elsewhere.Where, tt.where) {
				t.Errorf("GET %s: elsewhere = %+v, want %s, %s…", tt.path, got.Elsewhere, tt.name, tt.where)
			}
		}
		// A procedure of the catalog is no place elsewhere, and the member
		// is absent rather than null.
		for _, q := range []string{"đăng ký khai sinh", "lam so do", "cccd", "chứng thực hợp đồng mua bán xe máy"} {
			_, raw := fetch(t, base, "/api/v1/procedures?q="+url.QueryEscape(q))
			var got elsewhereResponse
			if err := json.Unmarshal([]byte(raw), &got); err != nil || got.Total == 0 || strings.Contains(raw, `"elsewhere"`) {
				t.Errorf("GET ?q=%s: %s, want procedures and no elsewhere", q, tail(raw, 300))
			}
		}
	})

	t.Run("the search page shows where to go", func(t *testing.T) {
		resp, body := fetch(t, base, "/procedures?q="+url.QueryEscape("làm hộ chiếu"))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `class="panel elsewhere"`) ||
			!strings.Contains(body, htmlEscape("Hộ chiếu: việc này không làm ở bộ phận một cửa")) || strings.Contains(body, `class="results"`) {
			t.Errorf("/procedures?q=làm hộ chiếu: %d, want the elsewhere box and no results", resp.StatusCode)
		}
	})

	t.Run("the detail has steps, forms and the national portal page", func(t *testing.T) {
		_, p := fetchJSON[procedureDetail](t, base, "/api/v1/procedures/1.001193")
		if len(p.Steps) != 2 || len(p.Forms) != 2 || p.Forms[0].URL == "" || p.Forms[1].File != "cam-doan-viec-sinh.pdf" {
			t.Errorf("steps %q, forms %+v; want 2 steps and 2 forms", p.Steps, p.Forms)
		}
		if p.PortalURL != birthPortalPage {
			t.Errorf("portal_url = %q, want the procedure's own page %s", p.PortalURL, birthPortalPage)
		}
		_, raw := fetch(t, base, "/api/v1/procedures/1.000656")
		if !strings.Contains(raw, `"forms":[]`) {
			t.Errorf("a procedure without forms: %s, want \"forms\":[]", tail(raw, 300))
		}
		// Without a page of the national portal as its source, the link is
		// the portal's search for the code.
		_, p = fetchJSON[procedureDetail](t, base, "/api/v1/procedures/1.000894")
		if want := "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=1.000894"; p.PortalURL != want {
			t.Errorf("portal_url = %q, want %q", p.PortalURL, want)
		}
		_, body := fetch(t, base, "/procedures/1.001193")
		for _, want := range []string{
			`<a href="` + birthPortalPage + `" id="apply-online"`,
			`<a href="https://example.invalid/to-khai-khai-sinh.docx" rel="external noopener" lang="vi">Tờ khai đăng ký khai sinh</a>`,
			htmlEscape("xin mẫu tại bộ phận một cửa, tệp cam-doan-viec-sinh.pdf"),
			htmlEscape("Nhận trích lục khai sinh"),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/procedures/1.001193 lacks %s", want)
			}
		}
		if strings.Contains(body, `href="https://dichvucong.gov.vn/"`) {
			t.Error("/procedures/1.001193 still links the national portal's home page")
		}
	})
}

// TestBrowserElsewhereBoxAndForms: a citizen who types "làm hộ chiếu" sees
// where to go instead of a list; the procedure page shows the forms and
// links to the procedure on the national portal. Both languages, axe clean.
func TestBrowserElsewhereBoxAndForms(t *testing.T) {
	base := startPortalWithForms(t)
	for _, tt := range []struct{ lang, home, query, heading, where string }{
		{"vi", "/", "làm hộ chiếu", "Hộ chiếu: việc này không làm ở bộ phận một cửa", "Phòng Quản lý xuất nhập cảnh"},
		{"en", "/?lang=en", "lam ho chieu", "Passport: not done at the one-stop department", "immigration office"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			ctx := openPage(t, base, tt.home, http.StatusOK)
			submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), tt.query), chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
			if got := text(t, ctx, ".elsewhere h2"); got != tt.heading {
				t.Errorf("elsewhere heading = %q, want %q", got, tt.heading)
			}
			if got := text(t, ctx, ".elsewhere .where"); !strings.Contains(got, tt.where) {
				t.Errorf("where to go = %q, want it to name %s", got, tt.where)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll(".results li, .count").length`); n != 0 {
				t.Errorf("the page also shows %d results or counts", n)
			}
			browsertest.AssertNoSerious(t, ctx, tt.lang+" elsewhere")
			shot(t, ctx, "elsewhere-"+tt.lang+".png")

			navigate(t, ctx, base+"/procedures/1.001193?lang="+tt.lang, http.StatusOK)
			if got := eval[string](t, ctx, `document.querySelector("#apply-online").href`); got != birthPortalPage {
				t.Errorf("apply online links %q, want %s", got, birthPortalPage)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("ul.forms li").length`); n != 2 {
				t.Errorf("the page lists %d forms, want 2", n)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("ol.steps li").length`); n != 2 {
				t.Errorf("the page lists %d steps, want 2", n)
			}
			browsertest.AssertNoSerious(t, ctx, tt.lang+" detail with forms")
			shot(t, ctx, "detail-forms-"+tt.lang+".png")
		})
	}
}
