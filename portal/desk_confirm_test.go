package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// TestDeskIrreversibleMovesAskFirst: refusing, withdrawing or stopping a
// dossier cannot be undone, so the desk asks first, without JavaScript;
// only the post that carries confirm=1 acts, whatever the client sends.
func TestDeskIrreversibleMovesAskFirst(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			clerk := h.browser(t)
			clerk.login("clerk")
			code := receiveAtDesk(t, clerk, receptionForm())
			move := func(form url.Values) (int, string) {
				form.Set("_csrf", clerk.deskCSRF())
				resp, page := clerk.do("POST", "/desk/dossiers/"+code+"/status", form)
				return resp.StatusCode, page
			}
			unchanged := func(t *testing.T) {
				t.Helper()
				_, page := clerk.do("GET", "/desk/dossiers/"+code, nil)
				if !strings.Contains(page, `<strong class="tag">Được tiếp nhận</strong>`) {
					t.Errorf("the dossier changed")
				}
			}

			t.Run("a withdrawal without confirmation asks and changes nothing", func(t *testing.T) {
				s, page := move(url.Values{"status": {"withdrawn"}, "note": {"Công dân xin rút"}})
				if s != http.StatusOK {
					t.Errorf("status %d, want 200", s)
				}
				for _, want := range []string{"Ghi nhận công dân rút hồ sơ " + code + "?", "không thể hoàn tác",
					`name="confirm" value="1"`, `name="status" value="withdrawn"`, `name="note" value="Công dân xin rút"`,
					"Xác nhận rút hồ sơ", `id="confirm-back"`, "Quay lại, không thay đổi hồ sơ"} {
					if !strings.Contains(page, want) {
						t.Errorf("the confirmation lacks %q", want)
					}
				}
				if strings.Contains(page, `id="move-h"`) {
					t.Errorf("the move buttons stay beside the question")
				}
				unchanged(t)
			})
			t.Run("a crafted post with another confirm value acts no more", func(t *testing.T) {
				for _, v := range []string{"", "0", "yes", "true"} {
					if s, _ := move(url.Values{"status": {"refused"}, "note": {"Thiếu giấy chứng sinh"}, "confirm": {v}}); s != http.StatusOK {
						t.Errorf("confirm=%q: status %d, want 200 (the question)", v, s)
					}
				}
				unchanged(t)
			})
			t.Run("a refusal without its reason is refused at once, without the question", func(t *testing.T) {
				s, page := move(url.Values{"status": {"refused"}})
				if s != http.StatusUnprocessableEntity || strings.Contains(page, `id="confirm"`) {
					t.Errorf("status %d, want 422 without the question", s)
				}
				unchanged(t)
			})
			t.Run("an ordinary move does not ask", func(t *testing.T) {
				other := receiveAtDesk(t, clerk, receptionForm())
				resp, _ := clerk.do("POST", "/desk/dossiers/"+other+"/status", url.Values{"_csrf": {clerk.deskCSRF()}, "status": {"in_progress"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("status %d, want 303", resp.StatusCode)
				}
			})
			t.Run("the confirmed withdrawal acts", func(t *testing.T) {
				s, _ := move(url.Values{"status": {"withdrawn"}, "note": {"Công dân xin rút"}, "confirm": {"1"}})
				if s != http.StatusSeeOther {
					t.Fatalf("status %d, want 303", s)
				}
				if _, page := clerk.do("GET", "/desk/dossiers/"+code, nil); !strings.Contains(page, `<strong class="tag">Công dân đã rút hồ sơ</strong>`) {
					t.Errorf("the dossier is not withdrawn")
				}
			})
		})
	}
}
