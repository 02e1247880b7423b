package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"motcua/internal/feedback"
	"motcua/internal/rating"
	"motcua/internal/store/storetest"
)

var rateLink = regexp.MustCompile(`href="(/rate/D-RET\?k=[^"]+)"`)

// The pages of satisfaction, without JavaScript: rate a returned dossier
// from its tracking page, send feedback, answer it at the desk, judge the
// answer, follow up the low rating, and the public figures.
func TestSatisfactionPages(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, _ := newSatisfactionHarness(t, kind, nil)
			ctx := context.Background()
			citizen := h.browser(t)

			_, page := citizen.do("GET", "/track?code=D-RUN&phone=0912345678", nil)
			if strings.Contains(page, "/rate/") {
				t.Fatal("a dossier in progress offers a rating")
			}
			_, page = citizen.do("GET", "/track?code=D-RET&phone=0912345678", nil)
			m := rateLink.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("the tracking page of a returned dossier has no rating link")
			}
			link := html.UnescapeString(m[1])
			resp, form := citizen.do("GET", link, nil)
			if resp.StatusCode != 200 || strings.Contains(form, `name="phone"`) || !strings.Contains(form, `name="k"`) {
				t.Fatalf("the signed link's form: %d", resp.StatusCode)
			}
			k := regexp.MustCompile(`name="k" value="([^"]+)"`).FindStringSubmatch(form)[1]
			csrf := csrfIn(t, form)

			t.Run("a tampered link asks for the phone", func(t *testing.T) {
				resp, body := citizen.do("GET", "/rate/D-RET?k="+url.QueryEscape(html.UnescapeString(k)+"x"), nil)
				if resp.StatusCode != 403 || !strings.Contains(body, `name="phone"`) {
					t.Fatalf("%d", resp.StatusCode)
				}
			})
			t.Run("a bad level is refused, nothing stored", func(t *testing.T) {
				resp, body := citizen.do("POST", "/rate/D-RET", url.Values{"_csrf": {csrf}, "k": {html.UnescapeString(k)}, "overall": {"7"}})
				if resp.StatusCode != 422 || !strings.Contains(body, "error-summary") {
					t.Fatalf("%d", resp.StatusCode)
				}
			})
			t.Run("without the CSRF token", func(t *testing.T) {
				resp, _ := citizen.do("POST", "/rate/D-RET", url.Values{"k": {html.UnescapeString(k)}, "overall": {"2"}})
				if resp.StatusCode != 403 {
					t.Fatalf("%d", resp.StatusCode)
				}
			})
			resp, _ = citizen.do("POST", "/rate/D-RET", url.Values{"_csrf": {csrf}, "k": {html.UnescapeString(k)},
				"overall": {"0"}, "attitude": {"0"}, "comment": {"Cán bộ thiếu nhiệt tình"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/rate/D-RET?done=low" {
				t.Fatalf("rate: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			_, page = citizen.do("GET", "/track?code=D-RET&phone=0912345678", nil)
			if rateLink.MatchString(page) {
				t.Fatal("a rated dossier still offers a rating")
			}
			if _, page = citizen.do("GET", link, nil); !strings.Contains(page, `id="rate-already"`) || strings.Contains(page, `name="overall"`) {
				t.Fatal("the link of a rated dossier still shows the form")
			}
			t.Run("the phone form refuses a wrong phone", func(t *testing.T) {
				storeDossier(t, h, "D-TWO", "done")
				resp, body := citizen.do("POST", "/rate/D-TWO", url.Values{"_csrf": {csrf}, "phone": {"0987654321"}, "overall": {"2"}})
				if resp.StatusCode != 404 || !strings.Contains(body, "error-summary") {
					t.Fatalf("%d", resp.StatusCode)
				}
			})

			// Feedback from the web form.
			_, page = citizen.do("GET", "/feedback", nil)
			resp, body := citizen.do("POST", "/feedback", url.Values{"_csrf": {csrfIn(t, page)}, "about_kind": {"procedure"},
				"about_ref": {"1.001193"}, "name": {""}, "phone": {"0912345678"}, "content": {"x"}})
			if resp.StatusCode != 422 || !strings.Contains(body, "error-summary") {
				t.Fatalf("feedback without a name: %d", resp.StatusCode)
			}
			resp, _ = citizen.do("POST", "/feedback", url.Values{"_csrf": {csrfIn(t, page)}, "about_kind": {"procedure"},
				"about_ref": {"1.001193"}, "name": {"Trần Thị Bình"}, "phone": {"0912 345 678"}, "content": {"Xin giảm bớt giấy tờ."}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("feedback: %d", resp.StatusCode)
			}
			fbURL := resp.Header.Get("Location")
			_, page = citizen.do("GET", fbURL, nil)
			code := regexp.MustCompile(`id="feedback-code">([^<]+)<`).FindStringSubmatch(page)
			if code == nil || !feedback.ValidCode(code[1]) {
				t.Fatalf("no code on the confirmation")
			}

			// The head of TB at the desk.
			head := h.browser(t)
			head.login("head")
			_, desk := head.do("GET", "/desk", nil)
			if !strings.Contains(desk, "/desk/follow-ups") || !strings.Contains(desk, "/desk/feedback") {
				t.Fatal("the desk has no satisfaction section")
			}
			_, list := head.do("GET", "/desk/follow-ups", nil)
			id := regexp.MustCompile(`href="/desk/follow-ups/(\d+)"`).FindStringSubmatch(list)
			if id == nil {
				t.Fatal("the low rating has no follow-up")
			}
			_, fu := head.do("GET", "/desk/follow-ups/"+id[1], nil)
			if !strings.Contains(fu, "D-RET") || !strings.Contains(fu, "thiếu nhiệt tình") || !strings.Contains(fu, "officer") {
				t.Fatal("the follow-up does not show the dossier, the comment and the officer")
			}
			resp, _ = head.do("POST", "/desk/follow-ups/"+id[1], url.Values{"_csrf": {csrfIn(t, fu)}, "action": {""}, "reply": {""}})
			if resp.StatusCode != 422 {
				t.Fatalf("empty close: %d", resp.StatusCode)
			}
			resp, _ = head.do("POST", "/desk/follow-ups/"+id[1], url.Values{"_csrf": {csrfIn(t, fu)},
				"action": {"Đã nhắc nhở cán bộ"}, "reply": {"Xin lỗi anh, chúng tôi đã chấn chỉnh."}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("close: %d", resp.StatusCode)
			}
			if msgs, _ := h.env.DB.OutboxKind(ctx, rating.KindReply); len(msgs) != 1 {
				t.Fatalf("replies in the outbox: %d", len(msgs))
			}
			_, item := head.do("GET", "/desk/feedback/"+code[1], nil)
			resp, _ = head.do("POST", "/desk/feedback/"+code[1]+"/answer", url.Values{"_csrf": {csrfIn(t, item)},
				"answer": {"Đơn vị đã rút gọn thành phần hồ sơ."}, "publish": {"1"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("answer: %d", resp.StatusCode)
			}
			clerk := h.browser(t)
			clerk.login("clerk")
			if resp, _ := clerk.do("GET", "/desk/follow-ups", nil); resp.StatusCode != 403 {
				t.Fatalf("a clerk sees follow-ups: %d", resp.StatusCode)
			}
			if resp, _ := clerk.do("GET", "/desk/feedback/"+code[1], nil); resp.StatusCode != 403 {
				t.Fatalf("a clerk opens feedback: %d", resp.StatusCode)
			}
			t.Run("the result slip carries a signed rating link", func(t *testing.T) {
				resp, slip := clerk.do("GET", "/desk/dossiers/D-TWO/result-slip", nil)
				if resp.StatusCode != 200 || !strings.Contains(slip, "/rate/D-TWO?k=") || !strings.Contains(slip, "data:image/png;base64,") {
					t.Fatalf("%d", resp.StatusCode)
				}
				if resp, _ := clerk.do("GET", "/desk/dossiers/D-RUN/result-slip", nil); resp.StatusCode != 422 {
					t.Fatalf("a slip for a dossier in progress: %d", resp.StatusCode)
				}
			})

			// The citizen reads the answer and judges it.
			_, page = citizen.do("GET", strings.TrimSuffix(fbURL, "&sent=1"), nil)
			if !strings.Contains(page, "rút gọn thành phần") {
				t.Fatal("the answer is not on the feedback's page")
			}
			resp, _ = citizen.do("POST", "/feedback/"+code[1]+"/verdict", url.Values{"_csrf": {csrfIn(t, page)}, "phone": {"0912345678"}, "satisfied": {"yes"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("verdict: %d", resp.StatusCode)
			}
			_, page = citizen.do("GET", resp.Header.Get("Location"), nil)
			if !strings.Contains(page, `id="feedback-verdict"`) {
				t.Fatal("the verdict is not shown")
			}
			_, page = citizen.do("GET", "/feedback", nil)
			if !strings.Contains(page, "rút gọn thành phần") || strings.Contains(page, "Trần Thị Bình") {
				t.Fatal("the published answer is missing or shows the name")
			}

			resp, page = citizen.do("GET", "/satisfaction", nil)
			if resp.StatusCode != 200 || !strings.Contains(page, "<svg") || strings.Contains(page, "thiếu nhiệt tình") {
				t.Fatalf("satisfaction page: %d", resp.StatusCode)
			}
			if resp, _ := citizen.do("GET", "/satisfaction?from=nope", nil); resp.StatusCode != 422 {
				t.Fatalf("a bad date: %d", resp.StatusCode)
			}
		})
	}
}
