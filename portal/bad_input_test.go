package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/dossier"
)

// badPayload is one kind of bad input, as a JSON body and as a form body.
type badPayload struct {
	name      string
	json      string
	form      string
	mustRefus bool // the request must be refused (4xx) on every route that reads a body
}

var scriptText = "<script>alert(1)</script>"

func badPayloads() []badPayload {
	big := strings.Repeat("x", 1<<20+10)
	return []badPayload{
		{"malformed JSON", `{"service": "a", `, "%zz=%%", true},
		{"wrong types", `{"service": 5, "priority": [], "answers": "x", "phone": {}, "satisfied": "yes", "procedure_code": 1}`, "", false},
		{"not an object", `[1, 2, 3]`, "", true},
		{"missing fields", `{}`, "", false},
		{"extra fields", `{"zzz": 1, "is_admin": true}`, "zzz=1&is_admin=1", false},
		{"oversized body", `{"service": "` + big + `"}`, "name=" + big, true},
		{"invalid UTF-8", "{\"service\": \"\xff\xfe\", \"name\": \"\xc3\x28\", \"comment\": \"\xed\xa0\x80\"}", "name=%FF%FE&service=%C3%28&comment=%ED%A0%80&note=%FF", false},
		{"script payload", `{"service": "` + scriptText + `", "name": "` + scriptText + `", "comment": "` + scriptText + `", "content": "` + scriptText + `"}`,
			"name=" + url.QueryEscape(scriptText) + "&note=" + url.QueryEscape(scriptText) + "&kiosk_name=" + url.QueryEscape(scriptText) + "&reason=" + url.QueryEscape(scriptText), false},
		{"SQL payload", `{"service": "' OR 1=1 --", "phone": "0912345678'; DROP TABLE dossiers; --"}`,
			"name=%27%3B+DROP+TABLE+dossiers%3B--&code=%27+OR+1%3D1+--&phone=0912345678%27--", false},
	}
}

// pathTricks replace a route's parameters.
var pathTricks = []string{"..%2f..%2fetc%2fpasswd", "%00", "%27%20OR%201%3D1--", strings.Repeat("A", 300), "%3Cscript%3E", "%FF%FE"}

// dbDigest is the state of every table a refused request must not change.
func dbDigest(t *testing.T, h *deskHarness) string {
	t.Helper()
	db := h.env.DB.SQL()
	var parts []string
	for _, table := range sqliteTables(t, db) {
		switch table {
		case "sessions", "login_failures", "ticket_quota", "goose_db_version", "rate_limits":
			continue // what a refused request may legitimately count
		}
		parts = append(parts, table+":"+sqliteDigest(t, db, table))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

var routeParamAny = regexp.MustCompile(`:([a-z]+)\??`)

// TestBadInputOnEveryRoute walks every route that takes a body (the API's
// and every form) with malformed JSON, wrong types, missing and extra
// fields, an oversized body, invalid UTF-8, script and SQL payloads, and
// path tricks in its parameters. Nothing answers 5xx; malformed input is a
// 4xx (in the error shape under /api); a refused request stores nothing;
// and no page renders a payload unescaped.
func TestBadInputOnEveryRoute(t *testing.T) {
	h, ctr := kioskHarness(t, "sqlite")
	ctx := context.Background()
	if _, err := h.env.Catalog.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	h.env.Queue.TicketsPerHour = 0
	d, err := h.s.dossiers.Receive(ctx, actor.Actor{Kind: actor.Staff, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"},
		dossier.Reception{UnitCode: "TB", ProcedureCode: "1.001193", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := h.env.Queue.Issue(ctx, actor.Anon(), "KH", "a", "")
	if err != nil {
		t.Fatal(err)
	}
	syncToken, err := tokenSecret(h, "TB", "sync")
	if err != nil {
		t.Fatal(err)
	}
	counterToken, err := tokenSecret(h, "TB", "counter")
	if err != nil {
		t.Fatal(err)
	}
	admin := h.browser(t)
	admin.login("admin")
	csrf := admin.deskCSRF()

	value := func(route, param string) string {
		switch param {
		case "office":
			return "KH"
		case "code":
			return d.Code
		case "kind":
			return "services"
		case "key":
			return "a"
		case "action":
			return "next"
		case "username":
			return "clerk"
		case "id":
			if strings.Contains(route, "/tickets/") || strings.HasPrefix(route, "/t/") {
				return tk.Ticket.ID
			}
			return strconv.FormatInt(ctr.ID, 10)
		}
		return "x"
	}
	type attempt struct{ method, path, body, kind string }
	var attempts []attempt
	seen := map[string]bool{}
	for _, r := range h.app.GetRoutes(true) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch && r.Method != http.MethodDelete {
			continue
		}
		if seen[r.Method+r.Path] || r.Path == "/desk/logout" {
			continue
		}
		seen[r.Method+r.Path] = true
		path := routeParamAny.ReplaceAllStringFunc(r.Path, func(m string) string {
			return value(r.Path, strings.Trim(m, ":?"))
		})
		api := strings.HasPrefix(r.Path, "/api/")
		for _, p := range badPayloads() {
			body := p.form
			if api {
				body = p.json
			}
			attempts = append(attempts, attempt{r.Method, path, body, p.name})
		}
		if strings.Contains(r.Path, ":") {
			for _, trick := range pathTricks {
				tricked := routeParamAny.ReplaceAllString(r.Path, trick)
				attempts = append(attempts, attempt{r.Method, tricked, "", "path trick " + trick[:min(len(trick), 12)]})
			}
		}
	}
	if len(attempts) < 200 {
		t.Fatalf("only %d attempts: the route walk found too few routes", len(attempts))
	}
	mustRefuse := map[string]bool{}
	for _, p := range badPayloads() {
		mustRefuse[p.name] = p.mustRefus
	}

	// An oversized body is refused by the server before any handler, which
	// app.Test cannot show: those go to a real listener.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.app.Listener(ln) }()
	t.Cleanup(func() { _ = h.app.Shutdown() })
	listener := "http://" + ln.Addr().String()

	before := dbDigest(t, h)
	counts := map[string]int{}
	for _, a := range attempts {
		api := strings.HasPrefix(a.path, "/api/")
		headers := []string{"Origin", "http://motcua.test", "X-CSRF-Token", csrf}
		switch {
		case strings.HasPrefix(a.path, "/api/v1/sync/"):
			headers = append(headers, "Authorization", "Bearer "+syncToken)
		case strings.HasPrefix(a.path, "/api/v1/counters/"):
			headers = append(headers, "Authorization", "Bearer "+counterToken)
		}
		body := a.body
		if api {
			headers = append(headers, "Content-Type", "application/json")
		} else {
			headers = append(headers, "Content-Type", "application/x-www-form-urlencoded")
			if !strings.HasPrefix(a.kind, "path trick") && a.kind != "oversized body" {
				body += "&_csrf=" + url.QueryEscape(csrf)
			}
		}
		var resp *http.Response
		var out string
		if a.kind == "oversized body" {
			resp, out = overLimit(t, listener, admin, a.method, a.path, body, headers...)
		} else {
			resp, out = admin.doBody(a.method, a.path, body, headers...)
		}
		st := resp.StatusCode
		what := fmt.Sprintf("%s %s (%s)", a.method, a.path[:min(len(a.path), 60)], a.kind)
		switch {
		case st >= 500:
			t.Errorf("%s = %d\n%s", what, st, tail(out, 300))
		case st >= 400:
			counts["refused"]++
			if api {
				var e apiError
				if err := json.Unmarshal([]byte(out), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("%s = %d, not in the error shape: %s", what, st, tail(out, 200))
				}
			}
			if a.kind == "oversized body" && st != http.StatusRequestEntityTooLarge {
				t.Errorf("%s = %d, want 413", what, st)
			}
			if after := dbDigest(t, h); after != before {
				t.Errorf("%s = %d but changed the database", what, st)
				before = after
			}
		default:
			counts["accepted"]++
			if mustRefuse[a.kind] && api {
				t.Errorf("%s = %d, want a 4xx", what, st)
			}
			before = dbDigest(t, h)
		}
		if strings.Contains(out, scriptText) && !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			t.Errorf("%s rendered the script unescaped", what)
		}
	}
	t.Logf("%d attempts on %d routes: %v", len(attempts), len(seen), counts)

	t.Run("stored text is rendered escaped", func(t *testing.T) {
		form := receptionForm()
		form.Set("name", "Nguyễn "+scriptText)
		form.Set("papers", "' OR 1=1 -- "+scriptText)
		form.Set("unit", "TB")
		form.Set("_csrf", csrf)
		resp, body := admin.do("POST", "/desk/dossiers", form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reception with script text = %d\n%s", resp.StatusCode, tail(body, 300))
		}
		loc := resp.Header.Get("Location")
		if _, body := admin.do("GET", loc, nil); strings.Contains(body, scriptText) || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("GET %s does not show the stored script as text", loc)
		}
		for _, page := range []string{"/desk/dossiers", "/desk/dossiers/" + url.PathEscape(d.Code), "/desk/offices", "/desk/offices/KH",
			"/kiosk/KH", "/display/KH", "/desk/feedback", "/desk/staff", "/desk/tokens"} {
			resp, body := admin.do("GET", page, nil)
			if resp.StatusCode >= 500 || strings.Contains(body, scriptText) {
				t.Errorf("GET %s = %d, unescaped script: %v", page, resp.StatusCode, strings.Contains(body, scriptText))
			}
		}
	})
}

// overLimit sends one request to a real listener, with b's cookies, on a
// raw connection: the server answers before it has read the whole body, so
// a write error is expected and the answer is read all the same.
func overLimit(t *testing.T, base string, b *deskBrowser, method, path, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: motcua.test\r\nConnection: close\r\nContent-Length: %d\r\n", method, path, len(body))
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&req, "%s: %s\r\n", headers[i], headers[i+1])
	}
	for k, v := range b.cookies {
		fmt.Fprintf(&req, "Cookie: %s=%s\r\n", k, v)
	}
	req.WriteString("\r\n")
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _, _ = conn.Write([]byte(req.String() + body)) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}
