package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/dossier"
)

// deskFormRoutes are the desk's forms the fuzzer posts to, signed in as an
// administrator with the session's CSRF token.
var deskFormRoutes = []string{
	"/desk/dossiers",
	"/desk/dossiers/{code}/status",
	"/desk/dossiers/{code}/apology",
	"/desk/offices",
	"/desk/offices/KH",
	"/desk/offices/KH/services",
	"/desk/offices/KH/services/a",
	"/desk/offices/KH/counters",
	"/desk/offices/KH/kiosks",
	"/desk/login",
	"/kiosk/KH/tickets",
}

// FuzzDeskForms posts arbitrary url-encoded bodies to every desk form: the
// answer is never a server error.
func FuzzDeskForms(f *testing.F) {
	h, _ := kioskHarness(f, "sqlite")
	ctx := context.Background()
	if _, err := h.env.Catalog.SeedIfEmpty(ctx); err != nil {
		f.Fatal(err)
	}
	d, err := h.s.dossiers.Receive(ctx, actor.Actor{Kind: actor.Staff, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"},
		dossier.Reception{UnitCode: "TB", ProcedureCode: "1.001193", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"}})
	if err != nil {
		f.Fatal(err)
	}
	h.env.Queue.TicketsPerHour = 0
	b := h.browser(f)
	b.login("admin")
	token := b.deskCSRF()
	cookies := b.cookies

	for i, seed := range []string{
		receptionForm().Encode() + "&unit=TB",
		"status=in_progress&note=x", "reason=Thiếu+hồ+sơ&new_due=2026-05-20",
		"code=TB-X&name=Một+cửa&unit=TB&priority_run=3&default_minutes=8",
		"name=X&unit=TB&priority_groups=elderly&priority_groups=vip&priority_run=99999999999999999999",
		"code=b&prefix=B&name_vi=Đất&position=-1&fields=%0A%0A", "prefix=%FF&name_vi=%00",
		"number=1&name=Q&services=a&services=a", "kiosk_name=" + strings.Repeat("k", 300),
		"username=admin&password=x", "service=a&priority=elderly&print=1",
	} {
		f.Add(uint8(i), seed)
	}
	f.Add(uint8(0), "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&phone=0912345678&procedure=1.001193&unit=TB")
	f.Add(uint8(3), "code=%27%3B+DROP+TABLE+queue_offices%3B--&name=x&unit=TB")
	f.Add(uint8(1), "status=done&status=refused&note="+strings.Repeat("%C3%A1", 3000))
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		path := strings.ReplaceAll(deskFormRoutes[int(route)%len(deskFormRoutes)], "{code}", url.PathEscape(d.Code))
		req, err := http.NewRequest(http.MethodPost, "http://motcua.test"+path, strings.NewReader(body+"&_csrf="+url.QueryEscape(token)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://motcua.test")
		for k, v := range cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		resp, err := h.app.Test(req, -1)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("POST %s with %q = %d\n%s", path, body, resp.StatusCode, out)
		}
		if strings.Contains(string(out), "<script>alert(1)") {
			t.Fatalf("POST %s with %q echoed a script unescaped", path, body)
		}
	})
}
