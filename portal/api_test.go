package main

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/store/storetest"
)

type listResponse struct {
	Items []procedureSummary `json:"items"`
	Total int                `json:"total"`
}

func (l listResponse) codes() []string {
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.Code
	}
	return out
}

type errorResponse struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

// fetchJSON GETs path and decodes the JSON body into T, whatever the status.
func fetchJSON[T any](t *testing.T, base, path string, headers ...string) (*http.Response, T) {
	t.Helper()
	resp, body := fetch(t, base, path, headers...)
	var v T
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q, want JSON; body:\n%s", path, ct, tail(body, 2000))
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, tail(body, 2000))
	}
	return resp, v
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func itoa(n int) string { return strconv.Itoa(n) }

var escaper = template.Must(template.New("").Parse("{{.}}"))

// htmlEscape escapes text as html/template does in page text.
func htmlEscape(s string) string {
	var b strings.Builder
	_ = escaper.Execute(&b, s)
	return b.String()
}

// sample reads the procedures of testdata/procedures.sample.json.
func sample(t *testing.T) []catalog.Procedure {
	t.Helper()
	f, err := os.Open("testdata/procedures.sample.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	procs, bad, err := catalog.ParseJSON(f)
	if err != nil || len(bad) > 0 {
		t.Fatalf("testdata/procedures.sample.json: %v %v", err, bad)
	}
	return procs
}

// unverifiedCode is a procedure of the sample that is not verified.
func unverifiedCode(t *testing.T) string {
	t.Helper()
	for _, p := range sample(t) {
		if !p.Verified {
			return p.Code
		}
	}
	t.Skip("the sample has no unverified procedure")
	return ""
}

func TestProceduresAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			base := startPortal(t, kind, nil)
			t.Run("list and filters", func(t *testing.T) { testAPIList(t, base) })
			t.Run("bad input", func(t *testing.T) { testAPIBadInput(t, base) })
			t.Run("detail", func(t *testing.T) { testAPIDetail(t, base) })
			t.Run("language", func(t *testing.T) { testAPILanguage(t, base) })
		})
	}
}

func testAPIList(t *testing.T, base string) {
	resp, all := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=100")
	if resp.StatusCode != http.StatusOK || all.Total == 0 {
		t.Fatalf("GET /api/v1/procedures = %d with %d procedures, want 200 with the bundled catalog", resp.StatusCode, all.Total)
	}
	if _, def := fetchJSON[listResponse](t, base, "/api/v1/procedures"); len(def.Items) != min(catalog.DefaultLimit, all.Total) {
		t.Errorf("without limit: %d items, want %d", len(def.Items), min(catalog.DefaultLimit, all.Total))
	}
	t.Run("q finds the procedure first, with or without diacritics", func(t *testing.T) {
		for _, q := range []string{"đăng ký khai sinh", "dang ky khai sinh", "1.001193", "birth registration"} {
			_, got := fetchJSON[listResponse](t, base, "/api/v1/procedures?q="+url.QueryEscape(q))
			if first(got.codes()) != "1.001193" {
				t.Errorf("q=%q: first %q, want 1.001193", q, first(got.codes()))
			}
		}
	})
	t.Run("filters keep only matching procedures", func(t *testing.T) {
		tests := []struct {
			query string
			ok    func(procedureSummary) bool
		}{
			{"field=" + url.QueryEscape("Hộ tịch"), func(p procedureSummary) bool { return p.Field == "Hộ tịch" }},
			{"level=district", func(p procedureSummary) bool { return p.Level == catalog.LevelDistrict }},
			{"online=none", func(p procedureSummary) bool { return p.Online == catalog.OnlineNone }},
			{"q=dang+ky&level=commune&online=full", func(p procedureSummary) bool {
				return p.Level == catalog.LevelCommune && p.Online == catalog.OnlineFull
			}},
		}
		for _, tt := range tests {
			_, got := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=100&"+tt.query)
			if got.Total == 0 || got.Total != len(got.Items) {
				t.Errorf("%s: total %d with %d items, want some, all listed", tt.query, got.Total, len(got.Items))
			}
			for _, p := range got.Items {
				if !tt.ok(p) {
					t.Errorf("%s: %s (%s, %s, %s) does not match", tt.query, p.Code, p.Field, p.Level, p.Online)
				}
			}
		}
	})
	t.Run("limit and offset page through the list", func(t *testing.T) {
		_, page := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=5&offset=5")
		if got, want := strings.Join(page.codes(), " "), strings.Join(all.codes()[5:10], " "); got != want {
			t.Errorf("limit=5&offset=5 = %s, want %s", got, want)
		}
		if page.Total != all.Total {
			t.Errorf("total = %d on a page, want %d", page.Total, all.Total)
		}
	})
	t.Run("every summary carries its fields", func(t *testing.T) {
		for _, p := range all.Items {
			if p.Code == "" || p.Name == "" || p.Field == "" || p.Agency == "" || !p.Level.Valid() || !p.Online.Valid() {
				t.Errorf("incomplete summary %+v", p)
			}
		}
	})
}

func testAPIBadInput(t *testing.T, base string) {
	tests := []struct {
		name, query string
		status      int
		code, field string
	}{
		{"a limit that is not a number is malformed", "limit=abc", 400, "bad_request", "limit"},
		{"an offset that is not a number is malformed", "offset=1.5", 400, "bad_request", "offset"},
		{"a limit of 1000 is invalid", "limit=1000", 422, "invalid", "limit"},
		{"a negative offset is invalid", "offset=-1", 422, "invalid", "offset"},
		{"an unknown level is invalid", "level=city", 422, "invalid", "level"},
		{"an unknown online kind is invalid", "online=maybe", 422, "invalid", "online"},
		{"a query over 200 characters is invalid", "q=" + strings.Repeat("a", 201), 422, "invalid", "q"},
		{"invalid UTF-8 is invalid, not a crash", "q=%FF", 422, "invalid", "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, got := fetchJSON[errorResponse](t, base, "/api/v1/procedures?"+tt.query)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			e := got.Error
			if e.Code != tt.code || e.Message == "" || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Message == "" {
				t.Errorf("error = %+v, want code %s with a message and field %s explained", e, tt.code, tt.field)
			}
		})
	}
	t.Run("the message is in Vietnamese by default", func(t *testing.T) {
		_, got := fetchJSON[errorResponse](t, base, "/api/v1/procedures?limit=abc")
		if got.Error.Fields[0].Message != "Giá trị phải là một số nguyên." {
			t.Errorf("message = %q", got.Error.Fields[0].Message)
		}
	})
}

func testAPIDetail(t *testing.T, base string) {
	resp, p := fetchJSON[procedureDetail](t, base, "/api/v1/procedures/1.001193")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	if p.Name != "Đăng ký khai sinh" || len(p.Documents) == 0 || len(p.LegalBasis) == 0 || p.ProcessingNote == "" || p.Online != catalog.OnlineFull {
		t.Errorf("detail = %+v, want Đăng ký khai sinh with documents, legal basis and a note", p)
	}
	_, raw := fetch(t, base, "/api/v1/procedures/1.001193")
	for _, key := range []string{`"documents":`, `"legal_basis":`, `"processing_note":`, `"steps":`, `"processing_days":1`} {
		if !strings.Contains(raw, key) {
			t.Errorf("detail JSON lacks %s", key)
		}
	}
	for _, path := range []string{"/api/v1/procedures/9.999999", "/api/v1/procedures/%FF", "/api/v1/nothing-here"} {
		resp, got := fetchJSON[errorResponse](t, base, path)
		if resp.StatusCode != http.StatusNotFound || got.Error.Code != "not_found" || got.Error.Message != "Không tìm thấy nội dung bạn yêu cầu." {
			t.Errorf("GET %s = %d %+v, want 404 not_found in Vietnamese", path, resp.StatusCode, got.Error)
		}
	}
}

func testAPILanguage(t *testing.T, base string) {
	tests := []struct {
		name    string
		path    string
		headers []string
	}{
		{"?lang=en", "?lang=en", nil},
		{"Accept-Language en-US,en;q=0.9", "", []string{"Accept-Language", "en-US,en;q=0.9"}},
		{"the lang cookie", "", []string{"Cookie", "lang=en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" gives English", func(t *testing.T) {
			_, p := fetchJSON[procedureDetail](t, base, "/api/v1/procedures/1.001193"+tt.path, tt.headers...)
			if p.Name != "Birth registration" || p.Field != "Civil status" {
				t.Errorf("name, field = %q, %q; want Birth registration, Civil status", p.Name, p.Field)
			}
			_, e := fetchJSON[errorResponse](t, base, "/api/v1/procedures/9.999999"+tt.path, tt.headers...)
			if e.Error.Message != "We could not find what you asked for." {
				t.Errorf("not-found message = %q, want English", e.Error.Message)
			}
			sep := "?"
			if tt.path != "" {
				sep = "&"
			}
			_, bad := fetchJSON[errorResponse](t, base, "/api/v1/procedures"+tt.path+sep+"limit=x", tt.headers...)
			if len(bad.Error.Fields) != 1 || bad.Error.Fields[0].Message != "The value must be a whole number." {
				t.Errorf("field message = %+v, want English", bad.Error.Fields)
			}
		})
	}
	t.Run("a cookie set by ?lang=en is remembered by a client that keeps cookies", func(t *testing.T) {
		jar := newJar(t)
		c := &http.Client{Jar: jar}
		for i, path := range []string{"/api/v1/procedures/1.001193?lang=en", "/api/v1/procedures/1.001193"} {
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			var p procedureDetail
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || p.Name != "Birth registration" {
				t.Errorf("request %d (%s): name %q, %v; want English", i+1, path, p.Name, err)
			}
		}
	})
}
