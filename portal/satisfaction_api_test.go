package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/feedback"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

// satisfactionHarness is a desk harness with the bundled catalog, a head of
// TB, a returned dossier D-RET, a dossier in progress D-RUN (both of
// 0912345678) and a hall TB-HCC with one counter.
func newSatisfactionHarness(t *testing.T, kind string, vars map[string]string) (*deskHarness, queue.Counter) {
	t.Helper()
	h := newDossierHarness(t, kind, vars)
	ctx := context.Background()
	if _, err := h.env.Staff.AddUser(ctx, staff.User{Username: "head", Role: staff.RoleHead, UnitCode: "TB", FullName: "Lê Văn Trưởng"}, deskPassword); err != nil {
		t.Fatal(err)
	}
	for code, st := range map[string]dossier.Status{"D-RET": dossier.Returned, "D-RUN": dossier.InProgress} {
		storeDossier(t, h, code, st)
	}
	q := h.env.Queue
	if _, err := q.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "TB-HCC", Name: "Một cửa Thăng Bình", UnitCode: "TB", PriorityRun: 3, DefaultMinutes: 8}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.CreateService(ctx, staff.Operator(), queue.Service{Code: "hotich", OfficeCode: "TB-HCC", NameVi: "Hộ tịch", Prefix: "A"}); err != nil {
		t.Fatal(err)
	}
	ctr, err := q.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "TB-HCC", Number: 1, Name: "Quầy 1", Services: []string{"hotich"}})
	if err != nil {
		t.Fatal(err)
	}
	return h, ctr
}

// storeDossier puts a dossier of TB in the store as the sync would.
func storeDossier(t *testing.T, h *deskHarness, code string, st dossier.Status) {
	t.Helper()
	now := h.now().UTC()
	d := dossier.Dossier{Code: code, ProcedureCode: "1.001193", UnitCode: "TB",
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "+84912345678"}, Channel: dossier.Counter, Status: st,
		ReceivedAt: now.Add(-72 * time.Hour), DueAt: now.Add(24 * time.Hour), ProcessingDays: 1,
		Events: []dossier.Event{{At: now.Add(-72 * time.Hour), Status: dossier.Received, Actor: "clerk"}}}
	if st.Finished() {
		d.FinishedAt = &now
		d.Events = append(d.Events, dossier.Event{At: now.Add(-time.Hour), Status: dossier.Done, Actor: "officer"})
	}
	if st == dossier.Returned {
		d.ReturnedAt = &now
		d.Events = append(d.Events, dossier.Event{At: now, Status: dossier.Returned, Actor: "clerk"})
	}
	if _, err := h.env.DB.CreateDossier(context.Background(), d, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// visit issues a ticket at TB-HCC and has the counter call it, and finish
// it if finish.
func visit(t *testing.T, h *deskHarness, ctr queue.Counter, finish bool) queue.Ticket {
	t.Helper()
	ctx := context.Background()
	v, err := h.env.Queue.Issue(ctx, actor.Anon(), "TB-HCC", "hotich", "")
	if err != nil {
		t.Fatal(err)
	}
	tk, err := h.env.Queue.Act(ctx, staff.Operator(), ctr.ID, queue.Action{Name: "next"})
	if err != nil || tk.ID != v.Ticket.ID {
		t.Fatalf("call: %v", err)
	}
	if finish {
		if tk, err = h.env.Queue.Act(ctx, staff.Operator(), ctr.ID, queue.Action{Name: "done", Ticket: tk.ID}); err != nil {
			t.Fatal(err)
		}
	}
	return tk
}

func errorCode(t *testing.T, body string) (string, []string) {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Fields  []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Message == "" {
		t.Fatalf("not the error shape: %s", body)
	}
	var fields []string
	for _, f := range e.Error.Fields {
		fields = append(fields, f.Field)
	}
	return e.Error.Code, fields
}

func TestRatingAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, ctr := newSatisfactionHarness(t, kind, nil)
			ctx := context.Background()
			post := func(path, body string) (int, string) {
				status, _, b := h.call(t, "POST", path, body, "Content-Type", "application/json")
				return status, b
			}
			const rate = "/api/v1/dossiers/D-RET/ratings"
			long := strings.Repeat("ư", rating.MaxCommentLen+1)
			link, err := h.env.Ratings.Links().Token(ctx, "D-RET", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			bad := []struct {
				name, path, body string
				status           int
				field            string
			}{
				{"a wrong phone is not found", rate, `{"phone": "0987654321", "answers": {"overall": 2}}`, 404, ""},
				{"an unknown code is not found", "/api/v1/dossiers/NOPE/ratings", `{"phone": "0912345678", "answers": {"overall": 2}}`, 404, ""},
				{"a dossier in progress", "/api/v1/dossiers/D-RUN/ratings", `{"phone": "0912345678", "answers": {"overall": 2}}`, 422, ""},
				{"a level outside the scale", rate, `{"phone": "0912345678", "answers": {"overall": 3}}`, 422, "answers.overall"},
				{"an unknown question", rate, `{"phone": "0912345678", "answers": {"overall": 2, "price": 1}}`, 422, "answers.price"},
				{"no overall", rate, `{"phone": "0912345678", "answers": {"ease": 1}}`, 422, "answers.overall"},
				{"a comment too long", rate, `{"phone": "0912345678", "answers": {"overall": 2}, "comment": "` + long + `"}`, 422, "comment"},
				{"no phone", rate, `{"answers": {"overall": 2}}`, 422, "phone"},
				{"a bad phone", rate, `{"phone": "12", "answers": {"overall": 2}}`, 422, "phone"},
				{"a fractional level", rate, `{"phone": "0912345678", "answers": {"overall": 1.5}}`, 400, ""},
				{"an unknown member", rate, `{"phone": "0912345678", "answers": {"overall": 2}, "stars": 5}`, 400, ""},
				{"a tampered link", rate, `{"link": "` + link + `x", "answers": {"overall": 2}}`, 403, ""},
				{"another dossier's link", "/api/v1/dossiers/D-RUN/ratings", `{"link": "` + link + `", "answers": {"overall": 2}}`, 403, ""},
			}
			for _, c := range bad {
				t.Run(c.name, func(t *testing.T) {
					status, body := post(c.path, c.body)
					if status != c.status {
						t.Fatalf("status %d, want %d: %s", status, c.status, body)
					}
					_, fields := errorCode(t, body)
					if c.field != "" && !strings.Contains(strings.Join(fields, ","), c.field) {
						t.Fatalf("fields %v, want %s", fields, c.field)
					}
				})
			}
			var n int
			if err := h.env.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ratings`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d ratings stored by refused requests (%v)", n, err)
			}

			status, body := post(rate, `{"phone": "+84 912 345 678", "answers": {"overall": 0, "attitude": 0}, "comment": "Phải chờ lâu"}`)
			if status != http.StatusCreated {
				t.Fatalf("status %d: %s", status, body)
			}
			var got map[string]any
			_ = json.Unmarshal([]byte(body), &got)
			if got["low"] != true || got["satisfied"] != false || got["dossier_code"] != "D-RET" || got["comment"] != nil {
				t.Fatalf("got %s", body)
			}
			if status, body := post(rate, `{"phone": "0912345678", "answers": {"overall": 2}}`); status != http.StatusConflict {
				t.Fatalf("second rating: %d %s", status, body)
			}
			msgs, err := h.env.DB.OutboxKind(ctx, rating.KindLow)
			if err != nil || len(msgs) != 1 || msgs[0].DossierCode != "D-RET" {
				t.Fatalf("low ratings in the outbox: %+v %v", msgs, err)
			}

			t.Run("a visit", func(t *testing.T) {
				tk := visit(t, h, ctr, false)
				path := "/api/v1/tickets/" + tk.ID + "/ratings"
				if status, body := post(path, `{"answers": {"overall": 2}}`); status != http.StatusUnprocessableEntity {
					t.Fatalf("unfinished visit: %d %s", status, body)
				}
				if _, err := h.env.Queue.Act(ctx, staff.Operator(), ctr.ID, queue.Action{Name: "done", Ticket: tk.ID}); err != nil {
					t.Fatal(err)
				}
				if status, body := post(path, `{"answers": {"overall": 2}}`); status != http.StatusCreated {
					t.Fatalf("finished visit: %d %s", status, body)
				}
				if status, body := post(path, `{"answers": {"overall": 1}}`); status != http.StatusConflict {
					t.Fatalf("second rating: %d %s", status, body)
				}
				if status, _ := post("/api/v1/tickets/nope/ratings", `{"answers": {"overall": 1}}`); status != http.StatusNotFound {
					t.Fatalf("unknown ticket: %d", status)
				}
			})
			t.Run("questions", func(t *testing.T) {
				status, _, body := h.call(t, "GET", "/api/v1/ratings/questions?lang=en", "")
				if status != 200 || !strings.Contains(body, `"key":"overall"`) || !strings.Contains(body, "Very satisfied") {
					t.Fatalf("%d %s", status, body)
				}
			})
			t.Run("figures", func(t *testing.T) {
				status, _, body := h.call(t, "GET", "/api/v1/satisfaction?unit=TB", "")
				if status != 200 {
					t.Fatalf("%d %s", status, body)
				}
				var f satisfactionJSON
				_ = json.Unmarshal([]byte(body), &f)
				if f.Total.Ratings != 2 || f.Total.Satisfied != 1 || len(f.Counters) != 1 || f.Counters[0].Ratings != 1 {
					t.Fatalf("%s", body)
				}
				if strings.Contains(body, "chờ lâu") {
					t.Fatal("a comment was published")
				}
				for _, q := range []string{"from=2026-13-01", "from=2026-05-01&to=2026-04-01", "unit=NOPE", "from=2020-01-01&to=2026-01-01"} {
					if status, _, body := h.call(t, "GET", "/api/v1/satisfaction?"+q, ""); status != 422 {
						t.Errorf("%s: %d %s", q, status, body)
					}
				}
			})
		})
	}
}

func TestFeedbackAPI(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h, _ := newSatisfactionHarness(t, kind, nil)
			ctx := context.Background()
			post := func(path, body string) (int, http.Header, string) {
				return h.call(t, "POST", path, body, "Content-Type", "application/json")
			}
			long := strings.Repeat("a", feedback.MaxContentLen+1)
			for _, c := range []struct{ name, body string }{
				{"content too long", `{"about": {"kind": "procedure", "ref": "1.001193"}, "name": "An", "phone": "0912345678", "content": "` + long + `"}`},
				{"no name", `{"about": {"kind": "procedure", "ref": "1.001193"}, "phone": "0912345678", "content": "x"}`},
				{"someone else's dossier", `{"about": {"kind": "dossier", "ref": "D-RET"}, "name": "An", "phone": "0987654321", "content": "x"}`},
			} {
				if status, _, body := post("/api/v1/feedback", c.body); status != 422 {
					t.Errorf("%s: %d %s", c.name, status, body)
				}
			}
			status, hdr, body := post("/api/v1/feedback", `{"about": {"kind": "dossier", "ref": "D-RET"}, "name": "Nguyễn Văn An",
				"phone": "0912345678", "content": "Tôi phải đến ba lần mới nộp được hồ sơ."}`)
			if status != http.StatusCreated {
				t.Fatalf("%d %s", status, body)
			}
			var fb feedbackJSON
			_ = json.Unmarshal([]byte(body), &fb)
			if !feedback.ValidCode(fb.Code) || hdr.Get("Location") != "/api/v1/feedback/"+fb.Code || fb.Status != "received" {
				t.Fatalf("%s %v", body, hdr)
			}
			get := "/api/v1/feedback/" + fb.Code + "?phone="
			if status, _, _ := h.call(t, "GET", get+"0987654321", ""); status != 404 {
				t.Fatalf("wrong phone: %d", status)
			}
			verdict := "/api/v1/feedback/" + fb.Code + "/verdict"
			if status, _, body := post(verdict, `{"phone": "0912345678", "satisfied": true}`); status != 422 {
				t.Fatalf("verdict before answer: %d %s", status, body)
			}
			head := staff.User{ID: 99, Username: "head", Role: staff.RoleHead, UnitCode: "TB"}
			if _, err := h.env.Feedback.Answer(ctx, head.Actor(), fb.Code, "Chúng tôi đã bố trí thêm quầy.", false); err != nil {
				t.Fatal(err)
			}
			status, _, body = h.call(t, "GET", get+"0912345678", "")
			if status != 200 || !strings.Contains(body, "thêm quầy") || !strings.Contains(body, `"status":"answered"`) {
				t.Fatalf("%d %s", status, body)
			}
			if status, _, body := post(verdict, `{"phone": "0912345678"}`); status != 422 {
				t.Fatalf("verdict without satisfied: %d %s", status, body)
			}
			if status, _, body := post(verdict, `{"phone": "0912345678", "satisfied": true}`); status != 200 || !strings.Contains(body, `"satisfied":true`) {
				t.Fatalf("verdict: %d %s", status, body)
			}
			if status, _, _ := post(verdict, `{"phone": "0912345678", "satisfied": false}`); status != 409 {
				t.Fatalf("second verdict: %d", status)
			}
			msgs, err := h.env.DB.OutboxKind(ctx, feedback.KindAnswer)
			if err != nil || len(msgs) != 1 || msgs[0].DossierCode != "D-RET" {
				t.Fatalf("answers in the outbox: %+v %v", msgs, err)
			}
		})
	}
}

// Ratings and feedback share the per-client limit of look-ups.
func TestRatingsAndFeedbackShareTheLookupLimit(t *testing.T) {
	h, _ := newSatisfactionHarness(t, "sqlite", map[string]string{"MOTCUA_LOOKUP_PER_MINUTE": "3"})
	calls := []struct{ method, path, body string }{
		{"GET", "/api/v1/dossiers/D-RET?phone=0912345678", ""},
		{"POST", "/api/v1/dossiers/D-RUN/ratings", `{"phone": "0912345678", "answers": {"overall": 2}}`},
		{"POST", "/api/v1/feedback", `{}`},
		{"POST", "/api/v1/dossiers/D-RET/ratings", `{"phone": "0912345678", "answers": {"overall": 2}}`},
	}
	for i, c := range calls {
		status, hdr, body := h.call(t, c.method, c.path, c.body, "Content-Type", "application/json")
		if i < 3 && status == http.StatusTooManyRequests {
			t.Fatalf("call %d limited too early", i)
		}
		if i == 3 && (status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "") {
			t.Fatalf("call %d: %d %s, want 429 with Retry-After", i, status, body)
		}
	}
	if status, _, _ := h.call(t, "GET", "/api/v1/satisfaction", ""); status != 200 {
		t.Fatalf("public figures are limited: %d", status)
	}
}
