package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/store/storetest"
)

var dossierPath = regexp.MustCompile(`^/desk/dossiers/([A-Za-z0-9._-]+)\?received=1$`)

// receiveAtDesk fills in the reception form and returns the new code.
func receiveAtDesk(t *testing.T, b *deskBrowser, form url.Values) string {
	t.Helper()
	resp, page := b.do("GET", "/desk/dossiers/new", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the form: %d", resp.StatusCode)
	}
	form.Set("_csrf", csrfIn(t, page))
	resp, page = b.do("POST", "/desk/dossiers", form)
	m := dossierPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("receive: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	return m[1]
}

func receptionForm() url.Values {
	return url.Values{"procedure": {"1.001193"}, "name": {"Trần Thị Bích"}, "phone": {"0905.123.456"},
		"channel": {"counter"}, "papers": {"Tờ khai đăng ký khai sinh\nGiấy chứng sinh (bản chính)"}}
}

func TestDeskDossiers(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			clerk := h.browser(t)
			clerk.login("clerk")
			code := receiveAtDesk(t, clerk, receptionForm())
			if code != "TB-260429-0001" {
				t.Errorf("code = %q", code)
			}

			t.Run("the receipt shows the code, the return date and a QR code to the tracking page", func(t *testing.T) {
				resp, page := clerk.do("GET", "/desk/dossiers/"+code+"/receipt", nil)
				for _, want := range []string{`id="receipt-code">` + code + `<`, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
					"lúc 08 giờ 00 ngày 04/05/2026", `src="data:image/png;base64,`, "http://localhost:8080/track?code=" + code, "Trần Thị Bích", "Giấy chứng sinh"} {
					if !strings.Contains(page, want) {
						t.Errorf("receipt (%d) lacks %q", resp.StatusCode, want)
					}
				}
			})
			t.Run("a form without its CSRF token is refused", func(t *testing.T) {
				resp, _ := clerk.do("POST", "/desk/dossiers", receptionForm())
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("status %d, want 403", resp.StatusCode)
				}
			})
			t.Run("bad input shows the form again with every error and receives nothing", func(t *testing.T) {
				form := url.Values{"_csrf": {clerk.deskCSRF()}, "procedure_code": {"NOPE"}, "name": {""}, "phone": {"123"}, "channel": {"counter"}}
				resp, page := clerk.do("POST", "/desk/dossiers", form)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("status %d, want 422", resp.StatusCode)
				}
				for _, want := range []string{`href="#f-procedure_code"`, `href="#f-applicant.name"`, `href="#f-applicant.phone"`, `value="123"`} {
					if !strings.Contains(page, want) {
						t.Errorf("the form lacks %q", want)
					}
				}
				if _, page := clerk.do("GET", "/desk/dossiers", nil); !strings.Contains(page, "1 hồ sơ") {
					t.Errorf("the list does not hold exactly the one dossier")
				}
			})
			t.Run("moves follow the table and need their note", func(t *testing.T) {
				move := func(status, note string) (int, string) {
					resp, page := clerk.do("POST", "/desk/dossiers/"+code+"/status", url.Values{"_csrf": {clerk.deskCSRF()}, "status": {status}, "note": {note}})
					return resp.StatusCode, page
				}
				if s, page := move("returned", ""); s != http.StatusConflict || !strings.Contains(page, "Chỉ trả được kết quả của hồ sơ đã xử lý xong.") {
					t.Errorf("received → returned: %d", s)
				}
				if s, page := move("supplement", ""); s != http.StatusUnprocessableEntity || !strings.Contains(page, "giấy tờ cần bổ sung") {
					t.Errorf("supplement without a note: %d", s)
				}
				if s, _ := move("in_progress", ""); s != http.StatusSeeOther {
					t.Errorf("received → in_progress: %d", s)
				}
			})
			t.Run("an officer of another unit can neither see nor change it", func(t *testing.T) {
				other := h.browser(t)
				other.login("officer.ba")
				if resp, _ := other.do("GET", "/desk/dossiers/"+code, nil); resp.StatusCode != http.StatusForbidden {
					t.Errorf("GET: %d", resp.StatusCode)
				}
				if resp, _ := other.do("GET", "/desk/dossiers/"+code+"/receipt", nil); resp.StatusCode != http.StatusForbidden {
					t.Errorf("receipt: %d", resp.StatusCode)
				}
				resp, _ := other.do("POST", "/desk/dossiers/"+code+"/status", url.Values{"_csrf": {other.deskCSRF()}, "status": {"done"}})
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST: %d", resp.StatusCode)
				}
				if _, page := other.do("GET", "/desk/dossiers?q="+code, nil); strings.Contains(page, `href="/desk/dossiers/`+code+`"`) {
					t.Errorf("the list of BA shows TB's dossier")
				}
				if _, page := clerk.do("GET", "/desk/dossiers/"+code, nil); !strings.Contains(page, "Đang xử lý") {
					t.Errorf("the dossier changed")
				}
			})
			t.Run("a late dossier gets one apology letter, from an officer", func(t *testing.T) {
				h.advance(5*24*time.Hour + 2*time.Hour) // Mon 4 May 10:00: two hours late
				clerk.login("clerk")                    // the session expired meanwhile
				if _, page := clerk.do("GET", "/desk/dossiers?view=late", nil); !strings.Contains(page, `href="/desk/dossiers/`+code+`"`) {
					t.Errorf("the late list lacks the dossier")
				}
				letter := url.Values{"new_due": {"2026-05-08"}, "reason": {"Chờ xác minh thông tin nơi cư trú"}}
				letter.Set("_csrf", clerk.deskCSRF())
				if resp, _ := clerk.do("POST", "/desk/dossiers/"+code+"/apology", letter); resp.StatusCode != http.StatusForbidden {
					t.Errorf("a clerk issued the letter: %d", resp.StatusCode)
				}
				officer := h.browser(t)
				officer.login("officer")
				letter.Set("_csrf", officer.deskCSRF())
				if resp, page := officer.do("POST", "/desk/dossiers/"+code+"/apology", letter); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("officer: %d\n%s", resp.StatusCode, page)
				}
				if resp, _ := officer.do("POST", "/desk/dossiers/"+code+"/apology", letter); resp.StatusCode != http.StatusConflict {
					t.Errorf("a second letter: %d, want 409", resp.StatusCode)
				}
				_, page := officer.do("GET", "/desk/dossiers/"+code+"/apology", nil)
				for _, want := range []string{"Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Chờ xác minh thông tin nơi cư trú", "lúc 17 giờ 00 ngày 08/05/2026"} {
					if !strings.Contains(page, want) {
						t.Errorf("the letter lacks %q", want)
					}
				}
				_, _, track := h.call(t, "GET", "/track?code="+code+"&phone=0905123456", "")
				if !strings.Contains(track, "Chờ xác minh thông tin nơi cư trú") || !strings.Contains(track, "17:00 08/05/2026") {
					t.Errorf("the tracking page does not show the letter")
				}
			})
		})
	}
}

func TestTrackPage(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	d := h.receiveTB(t)
	status, _, page := h.call(t, "GET", "/track?code="+d.Code+"&phone=0912+345+678", "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{d.Code, "N. V. A.", "******678", "Được tiếp nhận", "08:00 04/05/2026", "Bạn không cần làm gì thêm"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "Nguyễn Văn An") || strings.Contains(page, "912345678") {
		t.Errorf("the page shows personal data")
	}
	s1, _, wrong := h.call(t, "GET", "/track?code="+d.Code+"&phone=0987654321", "")
	s2, _, unknown := h.call(t, "GET", "/track?code=TB-260429-0999&phone=0912345678", "")
	msg := "Không tìm thấy hồ sơ với mã và số điện thoại này."
	if s1 != http.StatusNotFound || s2 != http.StatusNotFound || !strings.Contains(wrong, msg) || !strings.Contains(unknown, msg) {
		t.Errorf("wrong phone %d, unknown code %d", s1, s2)
	}
	if s, _, page := h.call(t, "GET", "/track?code="+d.Code, ""); s != http.StatusOK || !strings.Contains(page, `value="`+d.Code+`"`) {
		t.Errorf("the QR link does not fill in the code: %d", s)
	}
}
