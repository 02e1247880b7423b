package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func testSearchBadInput(t *testing.T, base string) {
	long := strings.Repeat("ă", 201)
	tests := []struct {
		name, query string
		status      int
		want        string
	}{
		{"a query over 200 characters is refused", "q=" + url.QueryEscape(long), 422, "Nội dung dài quá 200 ký tự."},
		{"invalid UTF-8 is refused", "q=%FF%FE", 422, "Nội dung chứa ký tự không hợp lệ."},
		{"invalid UTF-8 in the field is refused", "field=%C3", 422, "Nội dung chứa ký tự không hợp lệ."},
		{"a page that is not a number is malformed", "page=abc", 400, "Số trang: Giá trị phải là một số nguyên."},
		{"page 0 is out of range", "page=0", 422, "Số trang: Phải là một số từ 1 trở lên."},
		{"a huge page is out of range", "page=99999999999999999999", 400, "Giá trị phải là một số nguyên."},
		{"an unknown level is refused", "level=city", 422, "Cấp giải quyết: Cấp phải là tỉnh"},
		{"an unknown online kind is refused", "online=maybe", 422, "Làm trực tuyến: Mức trực tuyến phải là"},
		{"every problem is listed at once", "level=city&page=-1&q=" + url.QueryEscape(long), 422, "Số trang: Phải là một số từ 1 trở lên."},
		{"the message is in English with ?lang=en", "lang=en&level=city", 422, "Level of government: The level must be province, district or commune."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, base, "/procedures?"+tt.query)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			mustContain(t, tt.query, body, `<div class="error-summary" role="alert"`, tt.want, `<form class="search"`)
			if strings.Contains(body, `class="results"`) {
				t.Errorf("bad input still lists results")
			}
		})
	}
	t.Run("the error page's title says there is an error", func(t *testing.T) {
		_, body := fetch(t, base, "/procedures?level=city")
		mustContain(t, "title", body, "<title>Lỗi: Tìm thủ tục – Một cửa</title>")
	})
}

func testNotFoundPages(t *testing.T, base string) {
	tests := []struct {
		name, path string
		headers    []string
		want       string
	}{
		{"unknown procedure in Vietnamese", "/procedures/9.999999", nil, "<h1>Không tìm thấy trang</h1>"},
		{"unknown procedure in English", "/procedures/9.999999?lang=en", nil, "<h1>Page not found</h1>"},
		{"unknown page in Vietnamese", "/no-such-page", nil, "<h1>Không tìm thấy trang</h1>"},
		{"unknown page in English by Accept-Language", "/no-such-page", []string{"Accept-Language", "en-US,en;q=0.9"}, "<h1>Page not found</h1>"},
		{"unknown page with invalid UTF-8 in the path", "/procedures/%FF%FE", nil, "<h1>Không tìm thấy trang</h1>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, base, tt.path, tt.headers...)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status = %d, want 404", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want a page", ct)
			}
			mustContain(t, tt.path, body, tt.want, `href="/procedures"`)
		})
	}
}
