package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestScorecardPageShowsChartsAndTables(t *testing.T) {
	h := newScorecardHarness(t, "sqlite")
	b := h.browser(t)
	resp, body := b.do("GET", "/scorecard?unit=TB&from=2026-01-01&to=2026-03-31&lang=vi", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /scorecard = %d", resp.StatusCode)
	}
	for _, want := range []string{
		"Huyện Thăng Bình", "Trung bình", // the unit and its grade
		`<svg class="sc-chart"`, `<svg class="sc-chart sc-line"`, "<polyline", // bars and trend
		"Hồ sơ giải quyết đúng hạn, trước hạn", "Giả định", "Đã xác nhận", // the indicators' table
		"03/2026", "01/2026", // months of the trend
		"/api/v1/scorecard?format=csv&amp;from=2026-01-01&amp;to=2026-03-31&amp;unit=TB",
		`<form class="sc-form no-print" action="/scorecard" method="get">`, // the period form (_scorecard_form.html)
		`<option value="TB" selected>`, `id="sc-from" name="from" value="2026-01-01"`, `id="sc-to" name="to" value="2026-03-31"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<svg"); n != 3 {
		t.Errorf("%d charts, want 3 (groups, ranking, trend)", n)
	}

	resp, body = b.do("GET", "/scorecard?unit=BA&from=2026-03-01&to=2026-03-31&lang=en", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Xã Bình Bb") || !strings.Contains(body, "75.5") ||
		!strings.Contains(body, `class="sc-current"`) || !strings.Contains(body, "Fair") {
		t.Errorf("BA's page: %d, ranking of communes missing", resp.StatusCode)
	}
	resp, body = b.do("GET", "/scorecard?unit=BB&from=2026-03-01&to=2026-03-31&lang=en", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "12 indicators have no data") {
		t.Errorf("BB's page does not flag its indicators without data: %d", resp.StatusCode)
	}
	resp, _ = b.do("GET", "/scorecard?unit=TB&from=2026-31-01", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad date: %d, want 400", resp.StatusCode)
	}
}

var totalOnPage = regexp.MustCompile(`id="sc-total">([0-9.]+)<`)

func TestDeskScorecardWhatIf(t *testing.T) {
	h := newScorecardHarness(t, "sqlite")
	officer := h.browser(t)
	officer.login("officer")
	if resp, _ := officer.do("GET", "/desk/scorecard?unit=TB&from=2026-03-01&to=2026-03-31", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer gets %d, want 403", resp.StatusCode)
	}
	if resp, _ := h.browser(t).do("GET", "/desk/scorecard", nil); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous gets %d", resp.StatusCode)
	}

	b := h.browser(t)
	b.login("admin")
	resp, body := b.do("GET", "/desk/scorecard?unit=TB&from=2026-03-01&to=2026-03-31&lang=en", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk/scorecard = %d", resp.StatusCode)
	}
	if m := totalOnPage.FindStringSubmatch(body); m == nil || m[1] != "58.74" {
		t.Fatalf("total on the page = %v", m)
	}
	for _, want := range []string{`<form class="sc-form" action="/desk/scorecard" method="get">`, `<option value="TB" selected>`,
		`id="sc-from" name="from" value="2026-03-01"`, `id="sc-to" name="to" value="2026-03-31"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the desk's period form lacks %q", want)
		}
	}
	if !strings.Contains(body, "Together: 41.26 points, exactly 100 minus the total (41.26).") {
		t.Errorf("the page does not add the list up")
	}
	ids := regexp.MustCompile(`name="fix" value="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) < 3 || ids[0][1] != "online.paid_online:bundle" || !strings.Contains(body, "late, without an apology letter") {
		t.Fatalf("fix list: %v", ids)
	}
	// Ticking the top two: 5.1 (paid online) + 20/6 (a late dossier) = 8.43.
	form := url.Values{"_csrf": {csrfIn(t, body)}, "unit": {"TB"}, "from": {"2026-03-01"}, "to": {"2026-03-31"},
		"fix": {ids[0][1], ids[1][1]}}
	resp, body = b.do("POST", "/desk/scorecard?lang=en", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST what-if = %d", resp.StatusCode)
	}
	if !strings.Contains(body, "With 2 items fixed, the score goes from 58.74 to 67.18 (Average).") ||
		!strings.Contains(body, "These items promise 8.43 points; computed again by the same formulas they win 8.43.") ||
		strings.Count(body, " checked>") != 2 {
		t.Errorf("the what-if does not show 58.74 → 67.18 with both ticks kept")
	}
	form.Del("_csrf")
	if resp, _ := b.do("POST", "/desk/scorecard", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a what-if without its CSRF token: %d, want 403", resp.StatusCode)
	}
}
