package dossier_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// body is the example sync body of portal/openapi.json, as a map the tests edit.
func body() map[string]any {
	return map[string]any{
		"procedure_code": "P3", "unit": "TB",
		"applicant": map[string]any{"name": "Nguyễn Văn An", "phone": "0912345678"},
		"channel":   "counter", "received_at": "2026-05-04T01:00:00Z", "due_at": nil,
		"status": "in_progress", "digitized": true, "e_result": false, "reused_data": false,
		"has_fee": false, "paid_online": false, "synced_national": false,
		"events": []any{
			map[string]any{"at": "2026-05-04T01:00:00Z", "status": "received", "note": ""},
			map[string]any{"at": "2026-05-04T02:00:00Z", "status": "in_progress", "note": "Chuyển phòng Tư pháp"},
		},
		"apology": nil,
	}
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const syncCode = "H42.22-260504-0007"

func TestSyncIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		b := encode(t, body())
		d, created, err := f.svc.Sync(ctx, syncTB, syncCode, b)
		if err != nil || !created {
			t.Fatalf("first sync: created %v, %v", created, err)
		}
		// Received Mon 4 May 08:00 in Vietnam, three days: due Thu 7 May 08:00.
		if d.DueFixed || !d.DueAt.Equal(at(2026, 5, 7, 8, 0)) || d.Applicant.Phone != "+84912345678" || !d.Digitized {
			t.Errorf("created = %+v", d)
		}
		for i := 0; i < 2; i++ {
			again, created, err := f.svc.Sync(ctx, syncTB, syncCode, b)
			if err != nil || created || again.Version != d.Version || len(again.Events) != 2 {
				t.Errorf("repeat %d: created %v, version %d→%d, %d events, %v", i, created, d.Version, again.Version, len(again.Events), err)
			}
		}
		if msgs, _ := db.OutboxOf(ctx, syncCode); len(msgs) != 1 {
			t.Errorf("%d outbox messages after the same body three times, want 1", len(msgs))
		}

		t.Run("new events are appended, old ones are never removed", func(t *testing.T) {
			m := body()
			m["status"] = "done"
			m["events"] = []any{
				map[string]any{"at": "2026-05-04T02:00:00Z", "status": "in_progress", "note": "Chuyển phòng Tư pháp"},
				map[string]any{"at": "2026-05-05T01:00:00Z", "status": "done", "note": ""},
			}
			got, created, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m))
			if err != nil || created {
				t.Fatalf("created %v, %v", created, err)
			}
			stored, _ := f.svc.Get(ctx, admin, syncCode)
			if len(stored.Events) != 3 || stored.Events[2].Status != dossier.Done || stored.Events[2].Actor != "sync:legacy" {
				t.Errorf("events = %+v", stored.Events)
			}
			if got.FinishedAt == nil || !got.FinishedAt.Equal(at(2026, 5, 5, 8, 0)) || got.Standing.Late {
				t.Errorf("finished %v, standing %+v", got.FinishedAt, got.Standing)
			}
			if msgs, _ := db.OutboxOf(ctx, syncCode); len(msgs) != 2 {
				t.Errorf("%d outbox messages after a status change, want 2", len(msgs))
			}
		})
		t.Run("an apology is recorded once and its date cannot move again", func(t *testing.T) {
			m := body()
			m["status"] = "done"
			m["apology"] = map[string]any{"issued_at": "2026-05-05T00:00:00Z", "new_due_at": "2026-05-12T10:00:00Z", "reason": "Chờ xác minh"}
			got, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m))
			if err != nil || got.Apology == nil || got.Apology.Late {
				t.Fatalf("apology = %+v, %v", got.Apology, err)
			}
			if _, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m)); err != nil {
				t.Fatal(err)
			}
			m["apology"] = map[string]any{"issued_at": "2026-05-05T00:00:00Z", "new_due_at": "2026-05-14T10:00:00Z", "reason": "Chờ xác minh"}
			if _, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m)); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("moving the date again: err = %v, want invalid", err)
			}
			msgs, _ := db.OutboxOf(ctx, syncCode)
			if len(msgs) != 3 || msgs[2].Kind != dossier.KindApology {
				t.Errorf("outbox = %d messages, want the apology once", len(msgs))
			}
		})
	})
}

func TestSyncRace(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		b := encode(t, body())
		var wg sync.WaitGroup
		var mu sync.Mutex
		createdN := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, created, err := f.svc.Sync(context.Background(), syncTB, syncCode, b)
				if err != nil {
					t.Errorf("sync: %v", err)
				}
				mu.Lock()
				if created {
					createdN++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		msgs, _ := db.OutboxOf(context.Background(), syncCode)
		if createdN != 1 || len(msgs) != 1 {
			t.Errorf("created %d times, %d outbox messages; want 1 and 1", createdN, len(msgs))
		}
	})
}

func TestSyncValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		for _, tc := range []struct {
			name   string
			edit   func(m map[string]any)
			fields []string
		}{
			{"missing members are listed", func(m map[string]any) {
				delete(m, "procedure_code")
				delete(m, "events")
				delete(m, "applicant")
			}, []string{"applicant", "events", "procedure_code"}},
			{"unknown members are listed at any depth", func(m map[string]any) {
				m["priority"] = 1
				m["applicant"].(map[string]any)["email"] = "a@b.vn"
				m["events"].([]any)[0].(map[string]any)["by"] = "x"
			}, []string{"applicant.email", "events[0].by", "priority"}},
			{"dates in the future are refused", func(m map[string]any) {
				m["received_at"] = "2026-05-06T01:00:00Z"
				m["events"].([]any)[1].(map[string]any)["at"] = "2027-01-01T00:00:00Z"
			}, []string{"events[1].at", "received_at"}},
			{"bad values are listed", func(m map[string]any) {
				m["status"] = "lost"
				m["channel"] = "fax"
				m["procedure_code"] = "NOPE"
				m["applicant"].(map[string]any)["phone"] = "12345"
				m["due_at"] = "tomorrow"
				m["digitized"] = "yes"
				m["events"].([]any)[0].(map[string]any)["status"] = "archived"
			}, []string{"applicant.phone", "channel", "digitized", "due_at", "events[0].status", "procedure_code", "status"}},
			{"a due date before reception is refused", func(m map[string]any) {
				m["due_at"] = "2026-05-01T00:00:00Z"
			}, []string{"due_at"}},
			{"an apology needs a reason", func(m map[string]any) {
				m["apology"] = map[string]any{"issued_at": "2026-05-05T00:00:00Z", "new_due_at": "2026-05-12T10:00:00Z", "reason": ""}
			}, []string{"apology.reason"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m := body()
				tc.edit(m)
				_, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, m))
				ae := apperr.As(err)
				var got []string
				for _, fe := range ae.Fields {
					got = append(got, fe.Field)
				}
				sort.Strings(got)
				if ae.Code != apperr.Invalid || strings.Join(got, " ") != strings.Join(tc.fields, " ") {
					t.Errorf("err = %v, fields %v; want invalid with %v", err, got, tc.fields)
				}
				if _, err := f.svc.Get(ctx, admin, syncCode); !apperr.IsNotFound(err) {
					t.Errorf("something was written: %v", err)
				}
			})
		}
		t.Run("a bad code is invalid", func(t *testing.T) {
			_, _, err := f.svc.Sync(ctx, syncTB, strings.Repeat("x", 65), encode(t, body()))
			if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields[0].Field != "code" {
				t.Errorf("err = %v", err)
			}
		})
		t.Run("a body that is not a JSON object is malformed", func(t *testing.T) {
			for _, b := range []string{"", "[]", "{", "null", `"x"`} {
				if _, _, err := f.svc.Sync(ctx, syncTB, syncCode, []byte(b)); apperr.CodeOf(err) != apperr.Malformed {
					t.Errorf("%q: err = %v, want malformed", b, err)
				}
			}
		})
		t.Run("a token for another unit is forbidden", func(t *testing.T) {
			ha := actor.Actor{Kind: actor.Machine, Name: "ha", Unit: "TB-HA", Scopes: []string{actor.ScopeSync}}
			if _, _, err := f.svc.Sync(ctx, ha, syncCode, encode(t, body())); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("body for TB with a TB-HA token: err = %v, want forbidden", err)
			}
			if _, _, err := f.svc.Sync(ctx, syncTB, syncCode, encode(t, body())); err != nil {
				t.Fatal(err)
			}
			m := body()
			m["unit"] = "TB-HA"
			if _, _, err := f.svc.Sync(ctx, ha, syncCode, encode(t, m)); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("taking over TB's dossier with a TB-HA token: err = %v, want forbidden", err)
			}
		})
	})
}
