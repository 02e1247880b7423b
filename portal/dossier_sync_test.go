package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// syncBody is the example body of portal/openapi.json, received 08:00 on Wed 29 April in
// Vietnam (the harness's clock is then 08:00).
const syncBody = `{"procedure_code": "1.001193", "unit": "TB",
 "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"},
 "channel": "counter", "received_at": "2026-04-29T01:00:00Z", "due_at": null,
 "status": "in_progress", "digitized": true, "e_result": false, "reused_data": false,
 "has_fee": false, "paid_online": false, "synced_national": false,
 "events": [{"at": "2026-04-29T01:00:00Z", "status": "received", "note": ""},
            {"at": "2026-04-29T01:00:00Z", "status": "in_progress", "note": "Chuyển phòng Tư pháp"}],
 "apology": null}`

func fieldsOf(t *testing.T, body string) []string {
	t.Helper()
	var e struct {
		Error struct {
			Code   string `json:"code"`
			Fields []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, f := range e.Error.Fields {
		if f.Message == "" || f.Message == "error.invalid_fields" {
			t.Errorf("field %s has no translated message", f.Field)
		}
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

func TestSyncAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			h := newDossierHarness(t, kind, nil)
			tb, err := tokenSecret(h, "TB", "sync")
			if err != nil {
				t.Fatal(err)
			}
			ba, _ := tokenSecret(h, "BA", "sync")
			counter, _ := tokenSecret(h, "TB", "counter")
			put := func(token, code, body string) (int, string) {
				t.Helper()
				s, _, b := h.call(t, "PUT", "/api/v1/sync/dossiers/"+code, body, "Authorization", "Bearer "+token, "Content-Type", "application/json")
				return s, b
			}
			const code = "000.00.31.H42-260429-0042"

			s1, b1 := put(tb, code, syncBody)
			if s1 != http.StatusCreated || !strings.Contains(b1, `"due_at":"2026-05-04T01:00:00Z"`) {
				t.Fatalf("first PUT: %d %s", s1, b1)
			}
			s2, b2 := put(tb, code, syncBody)
			if s2 != http.StatusOK || b2 != b1 {
				t.Errorf("same body again: %d\n%s\nwant 200 and\n%s", s2, b2, b1)
			}
			d, _ := h.env.DB.Dossier(ctx, code)
			msgs, _ := h.env.DB.OutboxOf(ctx, code)
			if len(d.Events) != 2 || d.Version != 1 || len(msgs) != 1 {
				t.Errorf("after two identical PUTs: %d events, version %d, %d outbox rows; want 2, 1, 1", len(d.Events), d.Version, len(msgs))
			}

			for _, tc := range []struct {
				name, body string
				fields     []string
			}{
				{"missing and extra members are all listed",
					strings.Replace(strings.Replace(syncBody, `"channel": "counter", `, `"urgent": true, `, 1), `"status": "in_progress", `, "", 1),
					[]string{"channel", "status", "urgent"}},
				{"dates in the future, a bad status and an unknown procedure are refused",
					strings.NewReplacer(`"received_at": "2026-04-29T01:00:00Z"`, `"received_at": "2026-05-29T01:00:00Z"`,
						`"status": "in_progress", "digitized"`, `"status": "lost", "digitized"`, `"1.001193"`, `"9.999999"`).Replace(syncBody),
					[]string{"procedure_code", "received_at", "status"}},
				{"a phone that is not a phone is refused", strings.Replace(syncBody, "0912345678", "12", 1), []string{"applicant.phone"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					s, b := put(tb, "NEW-1", tc.body)
					if got := fieldsOf(t, b); s != http.StatusUnprocessableEntity || strings.Join(got, " ") != strings.Join(tc.fields, " ") {
						t.Errorf("%d, fields %v; want 422 with %v\n%s", s, got, tc.fields, b)
					}
					if _, err := h.env.DB.Dossier(ctx, "NEW-1"); err == nil {
						t.Errorf("a refused body was written")
					}
				})
			}
			t.Run("a token for another unit is forbidden", func(t *testing.T) {
				if s, b := put(ba, "NEW-2", syncBody); s != http.StatusForbidden {
					t.Errorf("%d %s", s, b)
				}
				if s, b := put(ba, code, strings.Replace(syncBody, `"unit": "TB"`, `"unit": "BA"`, 1)); s != http.StatusForbidden {
					t.Errorf("BA token over TB's dossier: %d %s", s, b)
				}
			})
			t.Run("no token, a bad token or the wrong scope is refused", func(t *testing.T) {
				if s, _ := put("", "NEW-3", syncBody); s != http.StatusUnauthorized {
					t.Errorf("no token: %d", s)
				}
				if s, _ := put(flipLast(tb), "NEW-3", syncBody); s != http.StatusUnauthorized {
					t.Errorf("bad token: %d", s)
				}
				if s, _ := put(counter, "NEW-3", syncBody); s != http.StatusForbidden {
					t.Errorf("counter scope: %d", s)
				}
			})
			t.Run("malformed JSON is 400", func(t *testing.T) {
				if s, b := put(tb, "NEW-4", `{"procedure_code":`); s != http.StatusBadRequest {
					t.Errorf("%d %s", s, b)
				}
			})
			t.Run("a code that is not a code is 422", func(t *testing.T) {
				if s, b := put(tb, "bad%20code", syncBody); s != http.StatusUnprocessableEntity {
					t.Errorf("%d %s", s, b)
				}
			})
		})
	}
}
