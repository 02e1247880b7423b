package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/store/storetest"
)

// TestPapersSayWhereToCollect: the receipt and the result slip say where
// the result is collected and whom to ask, as the tracking page does: the
// unit's address and phone, with its office's opening hours.
func TestPapersSayWhereToCollect(t *testing.T) {
	ctx := context.Background()
	admin := actor.Actor{Kind: actor.Staff, Name: "admin", Role: actor.RoleAdmin}
	officer := actor.Actor{Kind: actor.Staff, Name: "officer", Role: actor.RoleOfficer, Unit: "TB"}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newDossierHarness(t, kind, nil)
			d := h.receiveTB(t)
			clerk := h.browser(t)
			clerk.login("clerk")
			receipt := "/desk/dossiers/" + d.Code + "/receipt"

			if _, page := clerk.do("GET", receipt, nil); strings.Contains(page, "paper-where") {
				t.Errorf("with no address on record the receipt has an empty where-to-go")
			}
			if _, err := h.env.Units.SetContact(ctx, admin, "TB", "Số 1 Tiểu La, thị trấn Hà Lam", "0235 3874 123"); err != nil {
				t.Fatal(err)
			}
			if _, err := h.env.Queue.CreateOffice(ctx, admin, queue.Office{Code: "TB-MC", Name: "Bộ phận Một cửa", UnitCode: "TB", PriorityRun: 3, DefaultMinutes: 8}); err != nil {
				t.Fatal(err)
			}
			want := []string{"Nơi trả kết quả và liên hệ", `id="paper-where-address">Số 1 Tiểu La, thị trấn Hà Lam<`,
				`id="paper-where-phone">0235 3874 123<`, "Thứ Hai – Thứ Sáu: 07:00-11:30, 13:30-17:00"}
			resp, page := clerk.do("GET", receipt, nil)
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("the receipt (%d) lacks %q", resp.StatusCode, w)
				}
			}
			for _, to := range []dossier.Status{dossier.InProgress, dossier.Done} {
				if _, err := h.s.dossiers.Transition(ctx, officer, d.Code, to, ""); err != nil {
					t.Fatal(err)
				}
			}
			resp, page = clerk.do("GET", "/desk/dossiers/"+d.Code+"/result-slip", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("result slip: %d", resp.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("the result slip lacks %q", w)
				}
			}
		})
	}
}
