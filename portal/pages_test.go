package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// resultLink matches a procedure link in the results list.
var resultLink = regexp.MustCompile(`<h3><a href="/procedures/([^"]+)">([^<]+)</a></h3>`)

// results returns the codes and names listed on a search page, in order.
func results(body string) (codes, names []string) {
	for _, m := range resultLink.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
		names = append(names, m[2])
	}
	return codes, names
}

func TestCitizenPages(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			base := startPortal(t, kind, nil)
			t.Run("home", func(t *testing.T) { testHome(t, base) })
			t.Run("language", func(t *testing.T) { testLanguage(t, base) })
			t.Run("search", func(t *testing.T) { testSearchPage(t, base) })
			t.Run("paging", func(t *testing.T) { testPaging(t, base) })
			t.Run("bad input", func(t *testing.T) { testSearchBadInput(t, base) })
			t.Run("detail", func(t *testing.T) { testDetail(t, base) })
			t.Run("not found", func(t *testing.T) { testNotFoundPages(t, base) })
		})
	}
}

// mustContain fails the test for each piece of text the body lacks.
func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func testHome(t *testing.T, base string) {
	resp, body := fetch(t, base, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	mustContain(t, "home", body,
		`<html lang="vi">`, "<h1>Tra cứu thủ tục hành chính</h1>",
		`<form class="search search-big" action="/procedures" method="get" role="search">`,
		`<label for="q">`, `aria-describedby="q-hint"`, "khai sinh", "sổ đỏ",
		// a field to browse, with its count and a link that filters by it
		`href="/procedures?field=H%e1%bb%99%20t%e1%bb%8bch">Hộ tịch</a>`, "thủ tục)",
		"07:00 – 11:30", "13:30 – 17:00", "thứ Sáu",
		`href="/track"`, "Số thứ tự",
	)
}

func testLanguage(t *testing.T, base string) {
	tests := []struct {
		name    string
		path    string
		headers []string
		want    string
	}{
		{"Vietnamese by default", "/", nil, "Tra cứu thủ tục hành chính"},
		{"English by ?lang=en", "/?lang=en", nil, "Find an administrative procedure"},
		{"English by cookie", "/", []string{"Cookie", "lang=en"}, "Find an administrative procedure"},
		{"English by Accept-Language en-US", "/", []string{"Accept-Language", "en-US,en;q=0.9"}, "Find an administrative procedure"},
		{"Vietnamese by Accept-Language vi", "/", []string{"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5"}, "Tra cứu thủ tục hành chính"},
		{"Vietnamese for an unsupported language", "/", []string{"Accept-Language", "fr-FR,fr"}, "Tra cứu thủ tục hành chính"},
		{"?lang=vi beats an English cookie", "/?lang=vi", []string{"Cookie", "lang=en"}, "Tra cứu thủ tục hành chính"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := fetch(t, base, tt.path, tt.headers...)
			mustContain(t, tt.path, body, "<h1>"+tt.want+"</h1>")
		})
	}
	t.Run("?lang=en is remembered in a cookie", func(t *testing.T) {
		resp, _ := fetch(t, base, "/?lang=en")
		var got *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				got = c
			}
		}
		if got == nil || got.Value != "en" || got.MaxAge <= 0 || got.Path != "/" {
			t.Fatalf("cookie lang = %+v, want a lasting lang=en for /", got)
		}
	})
	t.Run("the switch links to the same page in the other language", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?q=khai+sinh")
		mustContain(t, "search page", body, `href="/procedures?q=khai&#43;sinh&amp;lang=en" lang="en" hreflang="en">English</a>`)
	})
}

func testSearchPage(t *testing.T, base string) {
	t.Run("words without diacritics find the procedure first", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?q="+url.QueryEscape("dang ky khai sinh"))
		codes, names := results(body)
		if len(codes) == 0 || codes[0] != "1.001193" || names[0] != "Đăng ký khai sinh" {
			t.Fatalf("first result = %v %v, want 1.001193 Đăng ký khai sinh", first(codes), first(names))
		}
		mustContain(t, "results", body, "<h1>Kết quả tìm “dang ky khai sinh”</h1>", `value="dang ky khai sinh"`,
			"1 ngày làm việc", "Miễn lệ phí", `<strong class="tag ok">Trực tuyến toàn trình</strong>`, "Cấp xã")
	})
	t.Run("English names and plural forms in English", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?lang=en&q="+url.QueryEscape("birth registration"))
		_, names := results(body)
		if first(names) != "Birth registration" {
			t.Fatalf("first result = %q, want Birth registration", first(names))
		}
		mustContain(t, "English results", body, "1 working day", "procedures found", "Fully online", "Commune level")
	})
	t.Run("a field with one procedure says so in the singular", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?lang=en&field="+url.QueryEscape("Nuôi con nuôi"))
		mustContain(t, "one result", body, "1 procedure found")
		_, body = fetch(t, base, "/procedures?field="+url.QueryEscape("Nuôi con nuôi"))
		mustContain(t, "one result in Vietnamese", body, "Tìm thấy 1 thủ tục")
	})
	t.Run("several working days are counted in the plural", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?lang=en&q="+url.QueryEscape("giấy phép xây dựng"))
		if !regexp.MustCompile(`\b([2-9]|\d\d+) working days\b`).MatchString(body) {
			t.Errorf("no “N working days” on the building permit results")
		}
	})
	t.Run("filters match the API's filters", func(t *testing.T) {
		for _, f := range []string{"field=" + url.QueryEscape("Hộ tịch"), "level=district", "online=none", "field=" + url.QueryEscape("Hộ tịch") + "&level=commune&online=full"} {
			_, api := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=100&"+f)
			_, body := fetch(t, base, "/procedures?"+f)
			codes, _ := results(body)
			want := api.codes()
			if len(want) > searchPageSize {
				want = want[:searchPageSize]
			}
			if strings.Join(codes, " ") != strings.Join(want, " ") {
				t.Errorf("%s: page lists %v, API %v", f, codes, want)
			}
			mustContain(t, f, body, "Tìm thấy "+itoa(api.Total)+" thủ tục", "Bỏ mọi bộ lọc")
		}
	})
	t.Run("the filters keep what the reader chose", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?q=giay&level=district&online=partial&field="+url.QueryEscape("Đất đai"))
		mustContain(t, "filters", body, `<details class="filters" open>`, `<option value="district" selected>`, `<option value="partial" selected>`,
			`<option value="Đất đai" selected>`, `value="giay"`, `href="/procedures?q=giay">Bỏ mọi bộ lọc</a>`)
	})
	t.Run("no match suggests what to try", func(t *testing.T) {
		resp, body := fetch(t, base, "/procedures?q=qqqxxzzk&online=none")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status = %d, want 200", resp.StatusCode)
		}
		mustContain(t, "empty result", body, "Tìm thấy 0 thủ tục", "Không tìm thấy thủ tục phù hợp", "khai sinh",
			`<a href="/procedures?q=qqqxxzzk">bỏ các bộ lọc đang chọn</a>`, `<a href="/">`)
	})
	t.Run("the filters start folded when none is set", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?q=khai+sinh")
		mustContain(t, "unfiltered", body, `<details class="filters">`, `<summary>Lọc kết quả</summary>`)
	})
}

func testPaging(t *testing.T, base string) {
	_, all := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=1")
	pages := (all.Total + searchPageSize - 1) / searchPageSize
	if pages < 2 {
		t.Fatalf("the catalog has %d procedures, too few to test paging", all.Total)
	}
	seen := map[string]bool{}
	for p := 1; p <= pages; p++ {
		resp, body := fetch(t, base, "/procedures?page="+itoa(p))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: status %d", p, resp.StatusCode)
		}
		codes, _ := results(body)
		wantLen := min(searchPageSize, all.Total-(p-1)*searchPageSize)
		if len(codes) != wantLen {
			t.Errorf("page %d lists %d procedures, want %d", p, len(codes), wantLen)
		}
		for _, c := range codes {
			if seen[c] {
				t.Errorf("page %d repeats %s", p, c)
			}
			seen[c] = true
		}
		mustContain(t, "page "+itoa(p), body, "Trang "+itoa(p)+" / "+itoa(pages))
		if hasPrev := strings.Contains(body, `rel="prev"`); hasPrev != (p > 1) {
			t.Errorf("page %d: previous link present = %v", p, hasPrev)
		}
		if hasNext := strings.Contains(body, `<a href="/procedures?page=`+itoa(p+1)+`" rel="next">`); hasNext != (p < pages) {
			t.Errorf("page %d: next link to page %d present = %v", p, p+1, hasNext)
		}
	}
	if len(seen) != all.Total {
		t.Errorf("the pages list %d procedures, the catalog has %d", len(seen), all.Total)
	}
	t.Run("a page past the end says so", func(t *testing.T) {
		resp, body := fetch(t, base, "/procedures?page="+itoa(pages+1))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status = %d, want 200", resp.StatusCode)
		}
		mustContain(t, "page past the end", body, "Trang này không có kết quả.", `<a href="/procedures">Về trang đầu</a>`)
	})
	t.Run("paging keeps the query and filters", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?level=commune")
		mustContain(t, "filtered page", body, `href="/procedures?level=commune&amp;page=2" rel="next"`)
	})
}

func testDetail(t *testing.T, base string) {
	_, want := fetchJSON[procedureDetail](t, base, "/api/v1/procedures/1.001193")
	resp, body := fetch(t, base, "/procedures/1.001193")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	mustContain(t, "detail", body, "<h1>Đăng ký khai sinh</h1>", `<p class="caption">Hộ tịch</p>`,
		"Cơ quan giải quyết", want.Agency, "Cấp xã", "Nộp hồ sơ tại", "1 ngày làm việc", want.ProcessingNote,
		"Phí, lệ phí", want.Fee, "Trực tuyến toàn trình", "Bạn có thể làm toàn bộ thủ tục qua mạng",
		"Giấy tờ cần chuẩn bị", "Căn cứ pháp lý", "07:00 – 11:30",
		`rel="external noopener"`, "(trang web bên ngoài)", `data-print hidden>In trang này</button>`, "Ctrl&#43;P",
		`<nav class="breadcrumbs" aria-label="Vị trí trang">`)
	for i, doc := range want.Documents {
		mustContain(t, "checklist", body, `<input type="checkbox" id="doc-`+itoa(i)+`"><label for="doc-`+itoa(i)+`">`+htmlEscape(doc)+`</label>`)
	}
	for _, l := range want.LegalBasis {
		mustContain(t, "legal basis", body, "<li>"+htmlEscape(l)+"</li>")
	}
	if !regexp.MustCompile(`<script src="/static/print\.[0-9a-f]{10}\.js" defer></script>`).MatchString(body) {
		t.Errorf("detail page does not load the hashed print.js")
	}
	t.Run("in English", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures/1.001193?lang=en")
		mustContain(t, "English detail", body, `<html lang="en">`, "<h1>Birth registration</h1>", "What to bring",
			"What it costs", "How long it takes", "1 working day", "published in Vietnamese only", `<ul class="checklist" lang="vi">`,
			"Fully online", "(external website)", "Print this page")
	})
	t.Run("an unverified procedure carries a warning", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures/1.001193")
		if strings.Contains(body, `class="notice"`) {
			t.Errorf("a verified procedure shows the unverified notice")
		}
		// Find an unverified one through the sample file the catalog ships.
		code := unverifiedCode(t)
		_, body = fetch(t, base, "/procedures/"+code)
		mustContain(t, code, body, `<div class="notice" role="note">`)
	})
}
