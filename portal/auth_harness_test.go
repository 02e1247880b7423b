package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

// deskHarness is a portal server built by open and newServer over a fresh
// store, with a clock the test moves and cheap bcrypt, driven through
// app.Test. It has units QNA, TB, BA and one account per role:
// "admin" (no unit), "officer" and "clerk" of TB, all with deskPassword.
type deskHarness struct {
	s     *server
	app   *fiber.App
	env   *app.App
	mu    sync.Mutex
	clock time.Time
}

const deskPassword = "mật khẩu thử nghiệm"

var deskT0 = time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC)

func newDeskHarness(t testing.TB, kind string, vars map[string]string) *deskHarness {
	t.Helper()
	ctx := context.Background()
	all := map[string]string{"DATABASE_URL": storetest.URL(t, kind), "MOTCUA_DATA_DIR": t.TempDir()}
	for k, v := range vars {
		all[k] = v
	}
	h := &deskHarness{clock: deskT0}
	e, err := open(ctx, func(k string) string { return all[k] }, io.Discard, app.WithClock(h.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	h.env = e
	e.Staff.BcryptCost = bcrypt.MinCost
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
		{Code: "BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []staff.User{
		{Username: "admin", Role: staff.RoleAdmin},
		{Username: "officer", Role: staff.RoleOfficer, UnitCode: "TB"},
		{Username: "clerk", Role: staff.RoleClerk, UnitCode: "TB"},
	} {
		if _, err := e.Staff.AddUser(ctx, u, deskPassword); err != nil {
			t.Fatal(err)
		}
	}
	h.s, h.app, err = newServer(e)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *deskHarness) now() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.clock }

func (h *deskHarness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clock = h.clock.Add(d)
}

// deskBrowser keeps cookies between requests to one app, as a browser does.
type deskBrowser struct {
	t       testing.TB
	app     *fiber.App
	cookies map[string]string
}

func (h *deskHarness) browser(t testing.TB) *deskBrowser {
	return &deskBrowser{t: t, app: h.app, cookies: map[string]string{}}
}

// do sends a request; form (may be nil) is sent url-encoded; headers come
// in name, value pairs. It returns the response and its body.
func (b *deskBrowser) do(method, path string, form url.Values, headers ...string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://motcua.test"+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return resp, string(data)
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfIn returns the CSRF token of the first form in a page.
func csrfIn(t testing.TB, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no _csrf field in the page:\n%s", body)
	}
	return m[1]
}

// login signs in through the form and fails the test unless it succeeds.
func (b *deskBrowser) login(username string) {
	b.t.Helper()
	resp, page := b.do("GET", "/desk/login", nil)
	token := b.cookies["motcua_csrf"] // already signed in: the form of an older tab
	if resp.StatusCode == http.StatusOK {
		token = csrfIn(b.t, page)
	}
	resp, body := b.do("POST", "/desk/login", url.Values{"_csrf": {token}, "username": {username}, "password": {deskPassword}})
	if resp.StatusCode != http.StatusSeeOther || b.cookies["motcua_session"] == "" {
		b.t.Fatalf("sign in as %s: %d, cookies %v\n%s", username, resp.StatusCode, b.cookies, body)
	}
}

// deskCSRF returns the signed-in browser's CSRF token, read from /desk.
func (b *deskBrowser) deskCSRF() string {
	b.t.Helper()
	resp, body := b.do("GET", "/desk", nil)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET /desk = %d", resp.StatusCode)
	}
	return csrfIn(b.t, body)
}
