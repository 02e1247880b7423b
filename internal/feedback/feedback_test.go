package feedback_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	testclock "motcua/internal/clock"
	"motcua/internal/dossier"
	"motcua/internal/feedback"
	"motcua/internal/search"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

var vn = workday.Location()

// clock is the shared test clock.
type clock = testclock.Manual

const phone = "+84912345678"

var (
	citizen  = actor.Actor{Kind: actor.Citizen, Phone: phone}
	headTB   = actor.Actor{Kind: actor.Staff, ID: 1, Name: "head.tb", Role: actor.RoleHead, Unit: "TB"}
	headHA   = actor.Actor{Kind: actor.Staff, ID: 2, Name: "head.ha", Role: actor.RoleHead, Unit: "TB-HA"}
	officer  = actor.Actor{Kind: actor.Staff, ID: 3, Name: "officer.tb", Role: actor.RoleOfficer, Unit: "TB"}
	officer2 = actor.Actor{Kind: actor.Staff, ID: 4, Name: "other.tb", Role: actor.RoleOfficer, Unit: "TB"}
	admin    = actor.Actor{Kind: actor.Staff, ID: 5, Name: "admin", Role: actor.RoleAdmin}
	machine  = actor.Actor{Kind: actor.Machine, ID: 6, Name: "sync", Unit: "TB", Scopes: []string{actor.ScopeSync}}
)

type fixture struct {
	db    *store.DB
	svc   *feedback.Service
	clock *clock
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	// Wednesday 29 April 2026, 9:00: 30 April and 1 May are days off.
	c := testclock.At(time.Date(2026, 4, 29, 9, 0, 0, 0, vn))
	cat := catalog.NewService(db, search.DefaultSynonyms(), c.Now)
	_, err := cat.Import(ctx, []catalog.Procedure{{Code: "1.000001", Name: "Đăng ký khai sinh", Field: "Hộ tịch",
		Level: catalog.LevelDistrict, Agency: "UBND", ProcessingDays: 3, Online: catalog.OnlineNone}}, nil, catalog.ImportOptions{})
	must(t, err)
	units := unit.NewService(db, c.Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
		{Code: "TB-HA", Name: "Thị trấn Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB"},
	} {
		must(t, ignore(units.Add(ctx, u)))
	}
	for _, u := range []staff.User{{Username: "officer.tb", Role: staff.RoleOfficer, UnitCode: "TB"},
		{Username: "officer.ha", Role: staff.RoleOfficer, UnitCode: "TB-HA"}} {
		must(t, ignore(db.AddUser(ctx, u, "x")))
	}
	now := c.Now().UTC()
	must(t, ignore(db.CreateDossier(ctx, dossier.Dossier{Code: "D-1", ProcedureCode: "1.000001", UnitCode: "TB-HA",
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: phone}, Channel: dossier.Counter, Status: dossier.InProgress,
		ReceivedAt: now, DueAt: now.Add(72 * time.Hour), ProcessingDays: 3}, nil, nil)))
	return &fixture{db: db, svc: feedback.NewService(db, cat, workday.Default(), c.Now), clock: c}
}

func ignore[T any](_ T, err error) error { return err }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err error, code apperr.Code, id string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s (%s)", code, id)
	}
	ae := apperr.As(err)
	if ae.Code != code || (id != "" && ae.MessageID != id) {
		t.Fatalf("got %s (%s), want %s (%s): %v", ae.Code, ae.MessageID, code, id, err)
	}
}

func fieldsOf(err error) string {
	var out []string
	for _, f := range apperr.As(err).Fields {
		out = append(out, f.Field+":"+f.MessageID)
	}
	return strings.Join(out, " ")
}

func good() feedback.Input {
	return feedback.Input{About: feedback.About{Kind: feedback.AboutProcedure, Ref: "1.000001"},
		Name: "Trần Thị Bình", Phone: "0912 345 678", Content: "Thủ tục khai sinh cần quá nhiều giấy tờ."}
}

func TestSubmitAndAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		fb, err := f.svc.Submit(ctx, actor.Anon(), good())
		must(t, err)
		if !feedback.ValidCode(fb.Code) || fb.UnitCode != "TB" || fb.Status != feedback.StatusReceived || fb.Phone != phone {
			t.Fatalf("got %+v", fb)
		}
		// 10 working days from Wed 29/4/2026 9:00, over 30/4 and 1/5.
		if want := time.Date(2026, 5, 15, 9, 0, 0, 0, vn); !fb.DueAt.Equal(want) {
			t.Fatalf("due %s, want %s", fb.DueAt.In(vn), want)
		}

		t.Run("found by code and phone, in any usual form", func(t *testing.T) {
			got, err := f.svc.Get(ctx, actor.Anon(), strings.ToLower(fb.Code), "+84 912-345.678")
			must(t, err)
			if got.Content != fb.Content {
				t.Fatalf("got %+v", got)
			}
			_, err = f.svc.Get(ctx, actor.Anon(), fb.Code, "0987654321")
			wantErr(t, err, apperr.NotFound, "error.not_found")
			_, err = f.svc.Get(ctx, actor.Anon(), "PA-260429-ZZZZZ", phone)
			wantErr(t, err, apperr.NotFound, "error.not_found")
			_, err = f.svc.Get(ctx, actor.Anon(), fb.Code, "")
			wantErr(t, err, apperr.Invalid, "")
		})
		t.Run("no verdict before an answer", func(t *testing.T) {
			_, err := f.svc.Verdict(ctx, citizen, fb.Code, phone, true)
			wantErr(t, err, apperr.Invalid, "feedback.error.not_answered")
		})
		t.Run("only the head of the unit answers", func(t *testing.T) {
			for _, a := range []actor.Actor{actor.Anon(), citizen, machine, headHA, officer} {
				if _, err := f.svc.Answer(ctx, a, fb.Code, "Trả lời", false); err == nil {
					t.Errorf("%s answered", a)
				}
			}
		})
		t.Run("the head assigns an officer who drafts", func(t *testing.T) {
			_, err := f.svc.Assign(ctx, headTB, fb.Code, "officer.ha")
			wantErr(t, err, apperr.Invalid, "error.invalid_fields")
			_, err = f.svc.Assign(ctx, officer, fb.Code, "officer.tb")
			wantErr(t, err, apperr.Forbidden, "")
			got, err := f.svc.Assign(ctx, headTB, fb.Code, "Officer.TB")
			must(t, err)
			if got.Status != feedback.StatusAssigned || got.AssignedTo != "officer.tb" {
				t.Fatalf("got %+v", got)
			}
			_, err = f.svc.SaveDraft(ctx, officer2, fb.Code, "Bản nháp")
			wantErr(t, err, apperr.Forbidden, "feedback.error.not_assigned")
			list, err := f.svc.List(ctx, officer, true)
			must(t, err)
			if len(list) != 1 {
				t.Fatalf("officer sees %d", len(list))
			}
			if list, _ := f.svc.List(ctx, officer2, true); len(list) != 0 {
				t.Fatalf("another officer sees %d", len(list))
			}
			got, err = f.svc.SaveDraft(ctx, officer, fb.Code, "Kính gửi bà Bình, ...")
			must(t, err)
			if got.Status != feedback.StatusDrafted {
				t.Fatalf("got %+v", got)
			}
			_, err = f.svc.Answer(ctx, officer, fb.Code, "x", false)
			wantErr(t, err, apperr.Forbidden, "")
		})
		t.Run("an over-size answer is refused", func(t *testing.T) {
			_, err := f.svc.Answer(ctx, headTB, fb.Code, strings.Repeat("a", feedback.MaxAnswerLen+1), false)
			wantErr(t, err, apperr.Invalid, "error.invalid_fields")
		})
		ans, err := f.svc.Answer(ctx, headTB, fb.Code, "Kính gửi bà Bình: đã rút gọn hồ sơ.", true)
		must(t, err)
		if !ans.Answered() || !ans.OnTime() || ans.AnsweredBy != "head.tb" || !ans.Published {
			t.Fatalf("got %+v", ans)
		}
		_, err = f.svc.Answer(ctx, headTB, fb.Code, "again", false)
		wantErr(t, err, apperr.Conflict, "feedback.error.answered")
		msgs, err := db.OutboxKind(ctx, feedback.KindAnswer)
		must(t, err)
		if len(msgs) != 1 {
			t.Fatalf("outbox %+v", msgs)
		}
		var n feedback.AnswerNotice
		must(t, json.Unmarshal([]byte(msgs[0].Payload), &n))
		if n.Code != fb.Code || !strings.Contains(n.Answer, "rút gọn") || strings.Contains(msgs[0].Payload, "0912") {
			t.Fatalf("notice %s", msgs[0].Payload)
		}

		t.Run("the citizen judges the answer once", func(t *testing.T) {
			_, err := f.svc.Verdict(ctx, citizen, fb.Code, "0987654321", true)
			wantErr(t, err, apperr.NotFound, "")
			got, err := f.svc.Verdict(ctx, citizen, fb.Code, "0912345678", false)
			must(t, err)
			if got.Satisfied == nil || *got.Satisfied {
				t.Fatalf("got %+v", got)
			}
			_, err = f.svc.Verdict(ctx, citizen, fb.Code, phone, true)
			wantErr(t, err, apperr.Conflict, "feedback.error.verdict_given")
		})
		t.Run("published without personal data", func(t *testing.T) {
			list, err := f.svc.Published(ctx, "TB", 10)
			must(t, err)
			if len(list) != 1 || list[0].Name != "" || list[0].Phone != "" || list[0].Answer == "" {
				t.Fatalf("published %+v", list)
			}
			must(t, ignore(f.svc.SetPublished(ctx, headTB, fb.Code, false)))
			if list, _ := f.svc.Published(ctx, "", 10); len(list) != 0 {
				t.Fatalf("unpublished still listed: %+v", list)
			}
		})
		t.Run("stats", func(t *testing.T) {
			now := f.clock.Now()
			st, err := f.svc.Stats(ctx, feedback.StatsQuery{From: now.Add(-time.Hour), To: now.Add(time.Hour)})
			must(t, err)
			if st.Received != 1 || st.Answered != 1 || st.AnsweredOnTime != 1 || st.Unsatisfied != 1 {
				t.Fatalf("stats %+v", st)
			}
		})
	})
}

func TestSubmitRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		mod := func(fn func(*feedback.Input)) feedback.Input { in := good(); fn(&in); return in }
		cases := []struct {
			name string
			in   feedback.Input
			want string
		}{
			{"content over 5000 characters", mod(func(in *feedback.Input) { in.Content = strings.Repeat("ệ", 5001) }), "content:error.field.too_long"},
			{"empty content, name and phone", mod(func(in *feedback.Input) { in.Content, in.Name, in.Phone = " ", "", "" }),
				"name:error.field.required content:error.field.required phone:error.field.required"},
			{"a bad phone", mod(func(in *feedback.Input) { in.Phone = "12345" }), "phone:dossier.error.phone"},
			{"an unknown kind", mod(func(in *feedback.Input) { in.About.Kind = "mayor" }), "about.kind:feedback.error.about_kind"},
			{"an unknown procedure", mod(func(in *feedback.Input) { in.About.Ref = "9.999999" }), "about.ref:feedback.error.procedure_ref"},
			{"an unknown office", mod(func(in *feedback.Input) { in.About = feedback.About{Kind: "office", Ref: "NOPE"} }), "about.ref:feedback.error.office_ref"},
			{"another person's dossier", mod(func(in *feedback.Input) {
				in.About, in.Phone = feedback.About{Kind: "dossier", Ref: "D-1"}, "0987654321"
			}), "about.ref:feedback.error.dossier_ref"},
			{"an unknown unit", mod(func(in *feedback.Input) { in.Unit = "XX" }), "unit:feedback.error.unit"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.Submit(ctx, actor.Anon(), c.in)
				wantErr(t, err, apperr.Invalid, "error.invalid_fields")
				if got := fieldsOf(err); got != c.want {
					t.Fatalf("fields %q, want %q", got, c.want)
				}
			})
		}
		var n int
		must(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM feedback`).Scan(&n))
		if n != 0 {
			t.Fatalf("%d refused feedback stored", n)
		}
		t.Run("about one's own dossier goes to its unit", func(t *testing.T) {
			fb, err := f.svc.Submit(ctx, actor.Anon(), mod(func(in *feedback.Input) { in.About = feedback.About{Kind: "dossier", Ref: "D-1"} }))
			must(t, err)
			if fb.UnitCode != "TB-HA" {
				t.Fatalf("unit %s", fb.UnitCode)
			}
		})
	})
}

func TestAnswerDaysPerUnitAndOverdue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		wantErr(t, f.svc.SetAnswerDays(ctx, headHA, "TB", 5), apperr.Forbidden, "")
		wantErr(t, f.svc.SetAnswerDays(ctx, headTB, "TB", 0), apperr.Invalid, "")
		wantErr(t, f.svc.SetAnswerDays(ctx, admin, "", 5), apperr.NotFound, "")
		must(t, f.svc.SetAnswerDays(ctx, headTB, "TB", 2))
		must(t, f.svc.SetAnswerDays(ctx, admin, "TB", 3))
		fb, err := f.svc.Submit(ctx, actor.Anon(), good())
		must(t, err)
		// 3 working days from Wed 29/4 9:00: Mon 4, Tue 5, Wed 6 May.
		if want := time.Date(2026, 5, 6, 9, 0, 0, 0, vn); !fb.DueAt.Equal(want) {
			t.Fatalf("due %s, want %s", fb.DueAt.In(vn), want)
		}
		if list, _ := f.svc.Overdue(ctx, headTB); len(list) != 0 {
			t.Fatal("overdue on day one")
		}
		f.clock.Add(8 * 24 * time.Hour)
		list, err := f.svc.Overdue(ctx, headTB)
		must(t, err)
		if len(list) != 1 || list[0].Code != fb.Code {
			t.Fatalf("overdue %+v", list)
		}
		if list, _ := f.svc.Overdue(ctx, headHA); len(list) != 0 {
			t.Fatal("another unit's head sees it overdue")
		}
		ans, err := f.svc.Answer(ctx, headTB, fb.Code, "Muộn nhưng đã trả lời", false)
		must(t, err)
		if ans.OnTime() {
			t.Fatal("a late answer counted on time")
		}
	})
}
