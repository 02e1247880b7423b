package kiosk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	testclock "motcua/internal/clock"
	"motcua/internal/events"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
	"motcua/internal/web"
	"motcua/internal/workday"
)

// clock is the shared test clock.
type clock = testclock.Manual

// testCSRF is the token the fake staff middleware expects on every POST.
const testCSRF = "test-csrf-token"

// fixture is kiosk mode mounted on a bare Fiber app over a real store, with
// one office (services A and B, counters 1 and 2) of unit TB.
type fixture struct {
	app      *fiber.App
	q        *queue.Manager
	clock    *clock
	office   queue.Office
	a, b     queue.Service
	c1, c2   queue.Counter
	accounts map[string]*staff.User
	db       *store.DB
	ratings  *rating.Service
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	// 09:00 in Vietnam on a working day.
	clk := testclock.At(time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC))
	units := unit.NewService(db, clk.Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
		{Code: "HA", Name: "Huyện Hội An", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := units.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	bus := events.NewLocal()
	t.Cleanup(func() { bus.Close() })
	q := queue.NewManager(db, bus, clk.Now, nil)
	f := &fixture{q: q, clock: clk, db: db}
	f.ratings = rating.NewService(db, workday.Default(), rating.NewLinks(db, "", clk.Now), clk.Now)
	var err error
	if f.office, err = q.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "TB1", Name: "Bộ phận Một cửa Thăng Bình", UnitCode: "TB"}); err != nil {
		t.Fatal(err)
	}
	if f.a, err = q.CreateService(ctx, staff.Operator(), queue.Service{Code: "land", OfficeCode: "TB1", NameVi: "Đất đai", NameEn: "Land", Prefix: "A", Position: 1}); err != nil {
		t.Fatal(err)
	}
	if f.b, err = q.CreateService(ctx, staff.Operator(), queue.Service{Code: "civil", OfficeCode: "TB1", NameVi: "Hộ tịch", NameEn: "Civil status", Prefix: "B", Position: 2}); err != nil {
		t.Fatal(err)
	}
	if f.c1, err = q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "TB1", Number: 1, Name: "Quầy 1", Services: []string{"land"}}); err != nil {
		t.Fatal(err)
	}
	if f.c2, err = q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "TB1", Number: 2, Name: "Quầy 2", Services: []string{"land", "civil"}}); err != nil {
		t.Fatal(err)
	}
	f.accounts = map[string]*staff.User{
		"clerk":     {ID: 1, Username: "clerk", Role: staff.RoleClerk, UnitCode: "TB"},
		"officer":   {ID: 2, Username: "officer", Role: staff.RoleOfficer, UnitCode: "TB"},
		"other":     {ID: 3, Username: "other", Role: staff.RoleClerk, UnitCode: "HA"},
		"otherhead": {ID: 4, Username: "otherhead", Role: staff.RoleOfficer, UnitCode: "HA"},
	}
	f.app = f.newApp(t, q)
	return f
}

func (f *fixture) newApp(t *testing.T, q *queue.Manager) *fiber.App {
	t.Helper()
	text, err := i18n.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{Immutable: true, ErrorHandler: testErrors})
	Mount(app, Deps{
		Queue: q, Ratings: f.ratings, Assets: assets, Text: text, PublicURL: "https://motcua.example.vn/",
		Lang: func(c *fiber.Ctx) string {
			if c.Query("lang") == "en" {
				return "en"
			}
			return "vi"
		},
		Staff:       f.fakeStaff,
		StaffOf:     func(c *fiber.Ctx) *staff.User { u, _ := c.Locals("u").(*staff.User); return u },
		CSRF:        func(*fiber.Ctx) string { return testCSRF },
		Now:         f.clock.Now,
		BotUsername: f.db.BotUsername,
		Issuer:      testIssuer,
	})
	return app
}

// testIssuer stands in for the portal's kiosk credential: a request with
// X-Test-Kiosk comes from TB1's enrolled kiosk, any other from a stranger.
func testIssuer(c *fiber.Ctx) (actor.Actor, error) {
	if c.Get("X-Test-Kiosk") != "" {
		return actor.Actor{Kind: actor.Machine, ID: 1, Name: "kiosk:TB1", Unit: "TB", Office: "TB1",
			Scopes: []string{actor.ScopeKiosk}, Addr: c.IP()}, nil
	}
	return actor.Actor{Addr: c.IP()}, nil
}

// fakeStaff stands in for the portal's requireStaff: the account named by
// the X-Test-Staff header is signed in; a POST must carry testCSRF.
func (f *fixture) fakeStaff(roles ...staff.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := f.accounts[c.Get("X-Test-Staff")]
		if u == nil {
			return apperr.New(apperr.Unauthorized, "error.staff.signed_out")
		}
		if !u.HasRole(roles...) {
			return apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if c.Method() == fiber.MethodPost && c.FormValue("_csrf") != testCSRF {
			return apperr.New(apperr.Forbidden, "error.staff.csrf")
		}
		c.Locals("u", u)
		return c.Next()
	}
}

// testErrors maps errors to statuses as the portal does (portal/errors.go)
// and writes the code, so tests can tell a 404 page from a 404 route.
func testErrors(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return c.Status(fe.Code).SendString(fe.Message)
	}
	ae := apperr.As(err)
	status := map[apperr.Code]int{apperr.Invalid: 422, apperr.Malformed: 400, apperr.NotFound: 404,
		apperr.Conflict: 409, apperr.Unauthorized: 401, apperr.Forbidden: 403}[ae.Code]
	if status == 0 {
		status = 500
	}
	return c.Status(status).SendString(string(ae.Code) + ": " + ae.MessageID + ": " + ae.Error())
}

// do sends a request and returns the status, the Location header and the
// body. headers are name, value pairs.
func (f *fixture) do(t *testing.T, method, path string, form url.Values, headers ...string) (int, string, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// get is a GET that must answer 200.
func (f *fixture) get(t *testing.T, path string, headers ...string) string {
	t.Helper()
	status, _, body := f.do(t, http.MethodGet, path, nil, headers...)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200\n%s", path, status, body)
	}
	return body
}

// take issues a ticket at the kiosk as a browser on the same site does and
// returns its ID.
func (f *fixture) take(t *testing.T, service, priority string) string {
	t.Helper()
	status, loc, body := f.do(t, http.MethodPost, "/kiosk/TB1/tickets",
		url.Values{"service": {service}, "priority": {priority}}, "Origin", "http://example.com", "X-Test-Kiosk", "1")
	if status != http.StatusSeeOther {
		t.Fatalf("take %s = %d, want 303\n%s", service, status, body)
	}
	id, ok := strings.CutPrefix(loc, "/kiosk/TB1/tickets/")
	if !ok || !queue.ValidTicketID(id) {
		t.Fatalf("take %s redirected to %q, want /kiosk/TB1/tickets/{id}", service, loc)
	}
	return id
}

// act posts a console action as the named account with the CSRF token.
func (f *fixture) act(t *testing.T, who string, counter queue.Counter, action string, form url.Values) (int, string, string) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", testCSRF)
	return f.do(t, http.MethodPost, "/counter/TB1/"+strconv.Itoa(counter.Number)+"/"+action, form, "X-Test-Staff", who)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sqliteFixture is the fixture over a fresh SQLite file.
func sqliteFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixture(t, storetest.Open(t, "sqlite"))
}
