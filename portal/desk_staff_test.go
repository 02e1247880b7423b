package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"motcua/internal/browsertest"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

// Administrators retire accounts and tokens at the desk as with the
// commands: the staff service checks the administrator, every form its CSRF
// token, and the change reaches every session and request at once.
func TestDeskStaffAndTokens(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDeskHarness(t, kind, nil)
			ctx := context.Background()
			if _, err := h.env.Staff.AddUser(ctx, staff.User{Username: "lan", Role: staff.RoleHead, UnitCode: "TB",
				FullName: "Trần Thị Lan", Title: "Trưởng phòng Tư pháp"}, deskPassword); err != nil {
				t.Fatal(err)
			}
			admin := h.browser(t)
			admin.login("admin")
			csrf := admin.deskCSRF()
			officer := h.browser(t)
			officer.login("officer")

			t.Run("the list shows every account with its full name, title and role", func(t *testing.T) {
				resp, body := admin.do("GET", "/desk/staff", nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET /desk/staff = %d", resp.StatusCode)
				}
				mustContain(t, "staff list", body, "Trần Thị Lan", "Trưởng phòng Tư pháp", "lãnh đạo đơn vị",
					`<a href="/desk/staff/officer" aria-label="Quản lý tài khoản officer">officer</a>`, "Huyện Thăng Bình (TB)")
			})
			t.Run("the desk greets with the name papers are signed with", func(t *testing.T) {
				lan := h.browser(t)
				lan.login("lan")
				_, body := lan.do("GET", "/desk", nil)
				mustContain(t, "head's desk", body, "Giấy tờ in ra mang tên của bạn: Trần Thị Lan, Trưởng phòng Tư pháp.")
				_, body = officer.do("GET", "/desk?lang=en", nil)
				mustContain(t, "officer's desk", body, "No full name is recorded for your account")
			})
			t.Run("others may not see or change accounts", func(t *testing.T) {
				for _, path := range []string{"/desk/staff", "/desk/staff/clerk", "/desk/tokens"} {
					if resp, _ := officer.do("GET", path, nil); resp.StatusCode != http.StatusForbidden {
						t.Errorf("an officer's GET %s = %d, want 403", path, resp.StatusCode)
					}
				}
				ocsrf := officer.deskCSRF()
				if resp, _ := officer.do("POST", "/desk/staff/clerk/disable", url.Values{"_csrf": {ocsrf}}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("an officer disabling = %d, want 403", resp.StatusCode)
				}
				if resp, _ := admin.do("POST", "/desk/staff/clerk/disable", url.Values{}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("without the CSRF token = %d, want 403", resp.StatusCode)
				}
			})
			t.Run("disable ends the account's sessions at once", func(t *testing.T) {
				resp, _ := admin.do("POST", "/desk/staff/officer/disable", url.Values{"_csrf": {csrf}})
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/staff/officer?saved=disabled" {
					t.Fatalf("disable: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
				}
				if resp, _ := officer.do("GET", "/desk", nil); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("the disabled officer's session opens /desk: %d", resp.StatusCode)
				}
				_, body := admin.do("GET", "/desk/staff/officer?saved=disabled", nil)
				mustContain(t, "account page", body, "Tài khoản đã bị khóa; các phiên của tài khoản đã kết thúc.", "Đã khóa từ", "Mở khóa tài khoản này")
				resp, _ = admin.do("POST", "/desk/staff/officer/enable", url.Values{"_csrf": {csrf}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("enable: %d", resp.StatusCode)
				}
				officer.login("officer")
			})
			t.Run("an administrator cannot disable themselves", func(t *testing.T) {
				resp, body := admin.do("POST", "/desk/staff/admin/disable", url.Values{"_csrf": {csrf}})
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("self-disable: %d", resp.StatusCode)
				}
				mustContain(t, "self-disable", body, "Bạn không thể tự khóa tài khoản của mình.")
			})
			t.Run("a new password is checked, set, and ends the sessions", func(t *testing.T) {
				resp, body := admin.do("POST", "/desk/staff/officer/password", url.Values{"_csrf": {csrf}, "password": {"short"}})
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("a short password: %d", resp.StatusCode)
				}
				mustContain(t, "short password", body, `<a href="#f-password">Mật khẩu mới</a>: Mật khẩu phải có ít nhất 10 ký tự.`)
				resp, _ = admin.do("POST", "/desk/staff/officer/password", url.Values{"_csrf": {csrf}, "password": {"mật khẩu mới của cán bộ"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("a good password: %d", resp.StatusCode)
				}
				if resp, _ := officer.do("GET", "/desk", nil); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("the session after a new password: %d, want 303", resp.StatusCode)
				}
				if _, err := h.env.Staff.Authenticate(ctx, "officer", "mật khẩu mới của cán bộ", "10.8.8.8"); err != nil {
					t.Errorf("the new password: %v", err)
				}
			})
			t.Run("an unknown account is 404", func(t *testing.T) {
				if resp, _ := admin.do("GET", "/desk/staff/ghost", nil); resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET = %d", resp.StatusCode)
				}
				if resp, _ := admin.do("POST", "/desk/staff/ghost/disable", url.Values{"_csrf": {csrf}}); resp.StatusCode != http.StatusNotFound {
					t.Errorf("POST = %d", resp.StatusCode)
				}
			})
			t.Run("tokens are listed and revoked", func(t *testing.T) {
				tok, secret, err := h.env.Staff.CreateToken(ctx, "TB", []string{staff.ScopeSync}, "hệ thống một cửa <cũ>")
				if err != nil {
					t.Fatal(err)
				}
				if got := syncStatus(t, h.app, secret); got == http.StatusUnauthorized {
					t.Fatal("the new token is refused")
				}
				_, body := admin.do("GET", "/desk/tokens?unit=TB", nil)
				mustContain(t, "token list", body, "hệ thống một cửa &lt;cũ&gt;", "Đang hiệu lực",
					`aria-label="Thu hồi mã số 1 (hệ thống một cửa &lt;cũ&gt;)"`)
				if strings.Contains(body, secret) {
					t.Error("the list shows the secret")
				}
				if _, body := admin.do("GET", "/desk/tokens?unit=BA", nil); !strings.Contains(body, "Chưa có mã truy cập nào.") {
					t.Error("another unit's list is not empty")
				}
				resp, _ := admin.do("POST", "/desk/tokens/1/revoke", url.Values{"_csrf": {csrf}})
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/tokens?revoked=1" {
					t.Fatalf("revoke: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
				}
				if got := syncStatus(t, h.app, secret); got != http.StatusUnauthorized {
					t.Errorf("the revoked token answers %d, want 401", got)
				}
				_, body = admin.do("GET", "/desk/tokens?revoked=1&lang=en", nil)
				mustContain(t, "after revoke", body, "Token 1 is revoked: it no longer works.", "Revoked at")
				if resp, _ := admin.do("POST", "/desk/tokens/99/revoke", url.Values{"_csrf": {csrf}}); resp.StatusCode != http.StatusNotFound {
					t.Errorf("an unknown token: %d", resp.StatusCode)
				}
				if resp, _ := admin.do("GET", "/desk/tokens?unit=NOPE", nil); resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("an unknown unit: %d", resp.StatusCode)
				}
				_ = tok
			})
		})
	}
}

// The account and token pages pass axe with no serious finding.
func TestDeskStaffPagesInBrowser(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	if _, _, err := h.env.Staff.CreateToken(context.Background(), "TB", []string{staff.ScopeSync}, "một cửa"); err != nil {
		t.Fatal(err)
	}
	base := serveHarness(t, h)
	ctx := browsertest.Browser(t)
	navigate(t, ctx, base+"/desk/login", 200)
	submit(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS(`form.desk-login button[type="submit"]`)))
	for _, page := range []string{"/desk/staff", "/desk/staff/officer", "/desk/tokens"} {
		navigate(t, ctx, base+page, 200)
		browsertest.AssertNoSerious(t, ctx, page)
	}
	// A bad password shows the error summary, linked to the field.
	navigate(t, ctx, base+"/desk/staff/officer", 200)
	resp, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS("#f-password"), "short"),
		chromedp.Click(chromedp.CSS(`form[action$="/password"] button[type="submit"]`)))
	if err != nil || resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a short password: %v, %+v; want 422", err, resp)
	}
	if got := text(t, ctx, ".error-summary li"); !strings.Contains(got, "Mật khẩu phải có ít nhất 10 ký tự") {
		t.Errorf("error summary = %q", got)
	}
	browsertest.AssertNoSerious(t, ctx, "account page with an error")
}
