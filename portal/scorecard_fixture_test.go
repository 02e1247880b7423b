package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// The scorecard's hand-made district. Units: TB (district) with communes BA
// and BB (BB has no data at all). Period: March 2026; the clock stands at
// Wed 15 April 2026 10:00, Vietnamese time.
//
// Procedures (levels district and commune, so all four count for TB; only
// P4 for BA and BB):
//
//	P1 district  online full     verified  complete                  updated 2026
//	P2 district  online partial  not verif no steps                  updated 2026
//	P3 district  online none     verified  complete                  updated Dec 2024 (stale)
//	P4 commune   online full     verified  fee "không có thông tin"  updated 2026
//
// Dossiers (received in March unless said; times local):
//
//	D1 TB P1 online  returned, done 04/03 08:00, due 06/03 08:00 (on time), received 02/03 08:00
//	   digitized, e_result, synced, fee, paid online
//	D2 TB P1 counter done 09/03 08:00, due 05/03 08:00 (late), received 03/03 08:00, apology 04/03
//	   (before due), digitized, synced, fee
//	D3 TB P3 counter in_progress, due 20/04 (not yet due: on time), synced, fee
//	D4 TB P3 counter in_progress, due 01/04 (late, no apology), digitized, reused
//	D5 TB P2 counter withdrawn (received, not counted), digitized, synced
//	D6 TB P2 counter refused (not received)
//	D7 BA P4 online  returned, done 11/03 08:00, due 12/03 08:00, received 10/03 08:00,
//	   digitized, e_result, synced, reused
//	D8 BA P4 counter supplement (clock stopped: on time), fee
//	D9 TB P1 counter received 27/02: outside the period
//
// Ratings (dossier kind, March): TB satisfied, TB unsatisfied (follow-up
// open), BA satisfied; a ticket rating (unsatisfied) does not count.
// Feedback (received in March): f1 TB due 10/03 answered 08/03, satisfied;
// f2 TB due 12/03 answered 15/03 (late); f3 BA due 20/03 answered 18/03,
// unsatisfied; f4 TB due 30/04 open (not yet due: not counted); f5 TB due
// 25/03 open (overdue).
var (
	scNow    = time.Date(2026, 4, 15, 10, 0, 0, 0, workday.Location())
	scPeriod = "from=2026-03-01&to=2026-03-31"
)

func vnAt(m time.Month, d, h int) time.Time {
	return time.Date(2026, m, d, h, 0, 0, 0, workday.Location())
}

// newScorecardHarness is the desk harness holding the hand-made district.
func newScorecardHarness(t *testing.T, kind string) *deskHarness {
	h, _ := newScorecardDistrict(t, kind)
	return h
}

// newScorecardDistrict also returns the sync bodies of the dossiers, by code.
func newScorecardDistrict(t *testing.T, kind string) (*deskHarness, map[string]map[string]any) {
	t.Helper()
	h := newDeskHarness(t, kind, nil)
	ctx := context.Background()
	e := h.env
	if _, err := e.Units.Add(ctx, unit.Unit{Code: "BB", Name: "Xã Bình Bb", Level: catalog.LevelCommune, ParentCode: "TB"}); err != nil {
		t.Fatal(err)
	}
	proc := func(code string, level catalog.Level, online catalog.Online, verified bool) catalog.Procedure {
		return catalog.Procedure{Code: code, Name: "Thủ tục " + code, Field: "Hộ tịch", Level: level, Agency: "UBND",
			ProcessingDays: 3, Fee: "Không thu phí, lệ phí", Online: online, Documents: []string{"Tờ khai"},
			LegalBasis: []string{"Luật Hộ tịch 2014"}, Steps: []string{"Nộp hồ sơ", "Nhận kết quả"}, Verified: verified}
	}
	h.mu.Lock()
	h.clock = time.Date(2024, 12, 1, 3, 0, 0, 0, time.UTC)
	h.mu.Unlock()
	if _, err := e.Catalog.Import(ctx, []catalog.Procedure{proc("P3", catalog.LevelDistrict, catalog.OnlineNone, true)}, nil, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	h.clock = time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC)
	h.mu.Unlock()
	p2 := proc("P2", catalog.LevelDistrict, catalog.OnlinePartial, false)
	p2.Steps = nil
	p4 := proc("P4", catalog.LevelCommune, catalog.OnlineFull, true)
	p4.Fee = "Không có thông tin về phí, lệ phí trên CSDL quốc gia"
	if _, err := e.Catalog.Import(ctx, []catalog.Procedure{proc("P1", catalog.LevelDistrict, catalog.OnlineFull, true), p2, p4}, nil, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	h.clock = scNow
	h.mu.Unlock()

	type ev struct {
		at time.Time
		st dossier.Status
	}
	type dos struct {
		code, unit, proc, channel string
		status                    dossier.Status
		received, due             time.Time
		events                    []ev
		flags                     string // d=digitized e=e_result r=reused f=fee p=paid_online s=synced
		apology                   *time.Time
	}
	apology := vnAt(3, 4, 9)
	list := []dos{
		{"D1", "TB", "P1", "online", dossier.Returned, vnAt(3, 2, 8), vnAt(3, 6, 8),
			[]ev{{vnAt(3, 3, 8), dossier.InProgress}, {vnAt(3, 4, 8), dossier.Done}, {vnAt(3, 5, 9), dossier.Returned}}, "defps", nil},
		{"D2", "TB", "P1", "counter", dossier.Done, vnAt(3, 3, 8), vnAt(3, 5, 8),
			[]ev{{vnAt(3, 3, 9), dossier.InProgress}, {vnAt(3, 9, 8), dossier.Done}}, "dfs", &apology},
		{"D3", "TB", "P3", "counter", dossier.InProgress, vnAt(3, 20, 8), vnAt(4, 20, 8),
			[]ev{{vnAt(3, 20, 9), dossier.InProgress}}, "fs", nil},
		{"D4", "TB", "P3", "counter", dossier.InProgress, vnAt(3, 23, 8), vnAt(4, 1, 8),
			[]ev{{vnAt(3, 23, 9), dossier.InProgress}}, "dr", nil},
		{"D5", "TB", "P2", "counter", dossier.Withdrawn, vnAt(3, 24, 8), vnAt(3, 27, 8),
			[]ev{{vnAt(3, 25, 8), dossier.Withdrawn}}, "ds", nil},
		{"D6", "TB", "P2", "counter", dossier.Refused, vnAt(3, 24, 9), vnAt(3, 27, 9),
			[]ev{{vnAt(3, 24, 10), dossier.Refused}}, "", nil},
		{"D7", "BA", "P4", "online", dossier.Returned, vnAt(3, 10, 8), vnAt(3, 12, 8),
			[]ev{{vnAt(3, 10, 9), dossier.InProgress}, {vnAt(3, 11, 8), dossier.Done}, {vnAt(3, 11, 9), dossier.Returned}}, "ders", nil},
		{"D8", "BA", "P4", "counter", dossier.Supplement, vnAt(3, 16, 8), vnAt(3, 19, 8),
			[]ev{{vnAt(3, 16, 9), dossier.Supplement}}, "f", nil},
		{"D9", "TB", "P1", "counter", dossier.InProgress, vnAt(2, 27, 8), vnAt(3, 4, 8),
			[]ev{{vnAt(2, 27, 9), dossier.InProgress}}, "", nil},
	}
	bodies := map[string]map[string]any{}
	for _, d := range list {
		events := []map[string]any{{"at": d.received.UTC(), "status": "received", "note": ""}}
		for _, e := range d.events {
			note := ""
			if e.st == dossier.Refused || e.st == dossier.Supplement || e.st == dossier.Stopped {
				note = "Ghi chú"
			}
			events = append(events, map[string]any{"at": e.at.UTC(), "status": e.st, "note": note})
		}
		body := map[string]any{"procedure_code": d.proc, "unit": d.unit,
			"applicant": map[string]any{"name": "Nguyễn Văn An", "phone": "0912345678"},
			"channel":   d.channel, "received_at": d.received.UTC(), "due_at": d.due.UTC(), "status": d.status,
			"digitized": strings.Contains(d.flags, "d"), "e_result": strings.Contains(d.flags, "e"),
			"reused_data": strings.Contains(d.flags, "r"), "has_fee": strings.Contains(d.flags, "f"),
			"paid_online": strings.Contains(d.flags, "p"), "synced_national": strings.Contains(d.flags, "s"),
			"events": events, "apology": nil}
		if d.apology != nil {
			body["apology"] = map[string]any{"issued_at": d.apology.UTC(), "new_due_at": vnAt(3, 10, 8).UTC(), "reason": "Cần xác minh thêm"}
		}
		syncDossier(t, h, d.code, body)
		bodies[d.code] = body
	}
	seedRatingsAndFeedback(t, e.DB)
	return h, bodies
}

// syncDossier upserts a dossier as the district's one-stop system would.
func syncDossier(t *testing.T, h *deskHarness, code string, body map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.env.Dossiers.Sync(context.Background(), actor.Actor{Kind: actor.Machine, Name: "legacy", Unit: body["unit"].(string), Scopes: []string{actor.ScopeSync}}, code, b); err != nil {
		t.Fatalf("sync %s: %v", code, err)
	}
}

// seedRatingsAndFeedback writes the ratings, follow-ups and feedback rows
// of the hand-made district, as the ratings and feedback services store
// them (the shared schema of migration 00005).
func seedRatingsAndFeedback(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if db.Dialect() == store.Postgres {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", "$"+itoa(i), 1)
			}
		}
		if _, err := db.SQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rating := func(id int, kind, dossierCode, ticket, unitCode string, overall int, satisfied bool, at time.Time) {
		var dc, tk any
		if dossierCode != "" {
			dc = dossierCode
		}
		if ticket != "" {
			tk = ticket
		}
		exec(`INSERT INTO ratings (id, kind, dossier_code, ticket_id, unit_code, channel, overall, answers, comment, satisfied, low, created_at)
			VALUES (?, ?, ?, ?, ?, 'web', ?, '{}', '', ?, ?, ?)`, id, kind, dc, tk, unitCode, overall, satisfied, !satisfied, at.UTC())
	}
	rating(901, "dossier", "D1", "", "TB", 2, true, vnAt(3, 6, 10))
	rating(902, "dossier", "D2", "", "TB", 0, false, vnAt(3, 10, 10))
	rating(903, "dossier", "D7", "", "BA", 1, true, vnAt(3, 12, 10))
	rating(904, "ticket", "", "T1", "TB", 0, false, vnAt(3, 12, 11))
	exec(`INSERT INTO follow_ups (rating_id, unit_code, status, due_at, action, reply, created_at) VALUES (?, 'TB', 'open', ?, '', '', ?)`,
		902, vnAt(3, 17, 10).UTC(), vnAt(3, 10, 10).UTC())
	fb := func(code, unitCode string, received, due time.Time, answered *time.Time, satisfied any) {
		var ans any
		status := "received"
		if answered != nil {
			ans, status = answered.UTC(), "answered"
		}
		exec(`INSERT INTO feedback (code, unit_code, about_kind, about_ref, name, phone, content, received_at, due_at, status, answer, answered_at, answered_by, satisfied, published)
			VALUES (?, ?, 'office', '', 'Lê Thị Hoa', '+84912345678', 'Nội dung', ?, ?, ?, '', ?, '', ?, ?)`,
			code, unitCode, received.UTC(), due.UTC(), status, ans, satisfied, false)
	}
	a1, a2, a3 := vnAt(3, 8, 9), vnAt(3, 15, 9), vnAt(3, 18, 9)
	fb("F1", "TB", vnAt(3, 2, 9), vnAt(3, 10, 17), &a1, true)
	fb("F2", "TB", vnAt(3, 3, 9), vnAt(3, 12, 17), &a2, nil)
	fb("F3", "BA", vnAt(3, 5, 9), vnAt(3, 20, 17), &a3, false)
	fb("F4", "TB", vnAt(3, 30, 9), vnAt(4, 30, 17), nil, nil)
	fb("F5", "TB", vnAt(3, 9, 9), vnAt(3, 25, 17), nil, nil)
}
