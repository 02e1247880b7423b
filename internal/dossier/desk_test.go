package dossier_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestReceive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 4, 29, 8, 0))
		d := f.receive(t, "P3")
		if d.Code != "000.00.31.H42-260429-0001" {
			t.Errorf("first code of the day = %q", d.Code)
		}
		if d.Applicant.Phone != "+84912345678" || d.Status != dossier.Received || len(d.Events) != 1 || d.Events[0].Actor != "an.tb" {
			t.Errorf("received dossier = %+v", d)
		}
		got, err := f.svc.Get(ctx, deskTB, d.Code)
		if err != nil || got.Papers != "Tờ khai" || got.ProcessingDays != 3 || !got.ReceivedAt.Equal(d.ReceivedAt) {
			t.Errorf("stored = %+v, %v", got, err)
		}
		if msgs, _ := db.OutboxOf(ctx, d.Code); len(msgs) != 1 || msgs[0].Kind != dossier.KindStatus {
			t.Errorf("outbox = %+v, want one status message", msgs)
		}

		t.Run("the counter restarts at midnight in Vietnam, not in UTC", func(t *testing.T) {
			f.clock.Set(at(2026, 4, 29, 23, 30))
			if d := f.receive(t, "P3"); d.Code != "000.00.31.H42-260429-0002" {
				t.Errorf("late-evening code = %q", d.Code)
			}
			f.clock.Set(at(2026, 4, 30, 0, 30)) // still 29 April in UTC
			if d := f.receive(t, "P3"); d.Code != "000.00.31.H42-260430-0001" {
				t.Errorf("after midnight code = %q", d.Code)
			}
		})
		t.Run("a unit without an agency code uses its own code", func(t *testing.T) {
			d, err := f.svc.Receive(ctx, deskHA, dossier.Reception{UnitCode: "TB-HA", ProcedureCode: "P0",
				Applicant: dossier.Applicant{Name: "Lê Thị Hoa", Phone: "0386123456"}})
			if err != nil || d.Code != "TB-HA-260430-0001" || d.Channel != dossier.Counter {
				t.Errorf("code = %q, channel %q, %v", d.Code, d.Channel, err)
			}
		})
		t.Run("bad input lists every bad field and writes nothing", func(t *testing.T) {
			_, err := f.svc.Receive(ctx, deskTB, dossier.Reception{UnitCode: "TB", ProcedureCode: "NOPE",
				Applicant: dossier.Applicant{Name: " ", Phone: "12345", IDNumber: "bad id!"}, Channel: "fax"})
			ae := apperr.As(err)
			got := map[string]bool{}
			for _, fe := range ae.Fields {
				got[fe.Field] = true
			}
			for _, want := range []string{"procedure_code", "applicant.name", "applicant.phone", "applicant.id_number", "channel"} {
				if !got[want] {
					t.Errorf("field %s not reported (got %v, %v)", want, got, err)
				}
			}
			page, _ := f.svc.List(ctx, admin, dossier.Query{})
			if page.Total != 4 {
				t.Errorf("%d dossiers stored, want 4", page.Total)
			}
		})
		t.Run("a clerk cannot receive for another unit", func(t *testing.T) {
			_, err := f.svc.Receive(ctx, deskHA, dossier.Reception{UnitCode: "TB", ProcedureCode: "P3",
				Applicant: dossier.Applicant{Name: "X", Phone: "0912345678"}})
			if apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("err = %v, want forbidden", err)
			}
		})
	})
}

// Many clerks receiving at once, each on their own connection, never share
// a code and never skip a number.
func TestCodesUnderConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, at(2026, 5, 4, 9, 0))
		const n = 60
		codes := make(chan string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := f.svc.Receive(context.Background(), deskTB, dossier.Reception{UnitCode: "TB", ProcedureCode: "P3",
					Applicant: dossier.Applicant{Name: "Người " + fmt.Sprint(i), Phone: "0912345678"}})
				if err != nil {
					t.Errorf("receive %d: %v", i, err)
					return
				}
				codes <- d.Code
			}()
		}
		wg.Wait()
		close(codes)
		seen := map[string]bool{}
		for c := range codes {
			if seen[c] {
				t.Errorf("code %s issued twice", c)
			}
			seen[c] = true
		}
		for i := 1; i <= n; i++ {
			if c := fmt.Sprintf("000.00.31.H42-260504-%04d", i); !seen[c] {
				t.Errorf("code %s never issued (%d issued)", c, len(seen))
			}
		}
	})
}

func TestTrack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		for _, phone := range []string{"0912345678", "+84912345678", "84 912 345 678", "0912.345.678"} {
			if got, err := f.svc.Track(ctx, actor.Anon(), d.Code, phone); err != nil || got.Code != d.Code {
				t.Errorf("track with %q: %v", phone, err)
			}
		}
		_, wrongPhone := f.svc.Track(ctx, actor.Anon(), d.Code, "0987654321")
		_, unknown := f.svc.Track(ctx, actor.Anon(), "000.00.31.H42-260504-9999", "0912345678")
		_, badCode := f.svc.Track(ctx, actor.Anon(), "not a code!", "0912345678")
		for name, err := range map[string]error{"wrong phone": wrongPhone, "unknown code": unknown, "bad code": badCode} {
			if err != apperr.ErrNotFound {
				t.Errorf("%s: err = %v, want the very same not-found error", name, err)
			}
		}
		if _, err := f.svc.Track(ctx, actor.Anon(), d.Code, "hello"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a phone that is not a phone: err = %v, want invalid", err)
		}
	})
}

func TestUnitsAreSeparate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		if _, err := f.svc.Get(ctx, deskHA, d.Code); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("get from another unit: err = %v, want forbidden", err)
		}
		if _, err := f.svc.Transition(ctx, deskHA, d.Code, dossier.InProgress, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("move from another unit: err = %v, want forbidden", err)
		}
		page, err := f.svc.List(ctx, deskHA, dossier.Query{})
		if err != nil || page.Total != 0 {
			t.Errorf("another unit's list: %d dossiers, %v", page.Total, err)
		}
		if _, err := f.svc.List(ctx, deskHA, dossier.Query{Unit: "TB"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("asking for another unit's list: err = %v, want forbidden", err)
		}
		got, _ := f.svc.Get(ctx, deskTB, d.Code)
		if got.Status != dossier.Received {
			t.Errorf("status = %s after another unit's attempt", got.Status)
		}
	})
}

func TestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		late := f.receive(t, "P0")    // due Mon 4 May 17:00
		soon := f.receive(t, "P3")    // due Thu 7 May 08:00
		waiting := f.receive(t, "P3") //
		f.move(t, waiting.Code, dossier.Supplement)
		far := f.receive(t, "P10")
		f.clock.Set(at(2026, 5, 6, 9, 0))
		for _, tc := range []struct {
			q    dossier.Query
			want []string
		}{
			{dossier.Query{View: dossier.FilterLate}, []string{late.Code}},
			{dossier.Query{View: dossier.FilterDueSoon}, []string{soon.Code}},
			{dossier.Query{View: dossier.FilterSupplement}, []string{waiting.Code}},
			{dossier.Query{Q: "0912 345 678", Limit: 10}, []string{far.Code, waiting.Code, soon.Code, late.Code}},
			{dossier.Query{Q: late.Code}, []string{late.Code}},
			{dossier.Query{Q: "000.00.31.h42-260504-000"}, []string{far.Code, waiting.Code, soon.Code, late.Code}},
			{dossier.Query{Q: "0987654321"}, nil},
			{dossier.Query{Status: dossier.Supplement}, []string{waiting.Code}},
		} {
			t.Run(fmt.Sprintf("%+v", tc.q), func(t *testing.T) {
				page, err := f.svc.List(ctx, deskTB, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, d := range page.Items {
					got = append(got, d.Code)
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) || page.Total != len(tc.want) {
					t.Errorf("got %v (total %d), want %v", got, page.Total, tc.want)
				}
			})
		}
		if _, err := f.svc.List(ctx, deskTB, dossier.Query{View: "nope"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("bad view: err = %v", err)
		}
	})
}

// The desk finds an applicant by a part of the name, typed with or without
// diacritics, and lists a dossier overdue again after its apology above
// every other late one.
func TestListByNameAndOverdueAgainFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		receive := func(name string) dossier.Dossier {
			d, err := f.svc.Receive(ctx, deskTB, dossier.Reception{UnitCode: "TB", ProcedureCode: "P0",
				Applicant: dossier.Applicant{Name: name, Phone: "0905 123 456"}, Channel: dossier.Counter, Papers: "Tờ khai"})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		bich := receive("Trần Thị Bích")       // due Mon 4 May 17:00
		cuong := receive("Lê Văn Cường")       // due Mon 4 May 17:00 too
		dung := receive("Nguyễn Thị Thu Dung") // due Mon 4 May 17:00 too
		f.clock.Set(at(2026, 5, 4, 9, 0))
		if _, err := f.svc.Apologize(ctx, officerTB, cuong.Code, dossier.ApologyInput{NewDue: at(2026, 5, 5, 0, 0), WholeDay: true, Reason: "Chờ xác minh"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Apologize(ctx, officerTB, dung.Code, dossier.ApologyInput{NewDue: at(2026, 5, 20, 0, 0), WholeDay: true, Reason: "Chờ xác minh"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(at(2026, 5, 6, 9, 0))
		for _, tc := range []struct {
			q    dossier.Query
			want []string
		}{
			{dossier.Query{Q: "tran thi bich"}, []string{bich.Code}},
			{dossier.Query{Q: "Bích"}, []string{bich.Code}},
			{dossier.Query{Q: "BICH"}, []string{bich.Code}},
			{dossier.Query{Q: "văn cuong"}, []string{cuong.Code}},
			{dossier.Query{Q: "thi"}, []string{dung.Code, bich.Code}},
			{dossier.Query{Q: "Thu  Dung"}, []string{dung.Code}},
			{dossier.Query{Q: "100%_"}, nil},
			{dossier.Query{Q: strings.ToLower(cuong.Code)}, []string{cuong.Code}},
			// All three are late; the one whose apology's new date has
			// passed comes first, then the others by due date.
			{dossier.Query{View: dossier.FilterLate}, []string{cuong.Code, bich.Code, dung.Code}},
		} {
			t.Run(fmt.Sprintf("%+v", tc.q), func(t *testing.T) {
				page, err := f.svc.List(ctx, deskTB, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, d := range page.Items {
					got = append(got, d.Code)
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) || page.Total != len(tc.want) {
					t.Errorf("got %v (total %d), want %v", got, page.Total, tc.want)
				}
			})
		}
		t.Run("names stored before the folded column are folded when the store opens", func(t *testing.T) {
			if _, err := db.SQL().ExecContext(ctx, `UPDATE dossiers SET applicant_fold = ''`); err != nil {
				t.Fatal(err)
			}
			if page, _ := f.svc.List(ctx, deskTB, dossier.Query{Q: "bich"}); page.Total != 0 {
				t.Fatalf("found %d before folding", page.Total)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if page, _ := f.svc.List(ctx, deskTB, dossier.Query{Q: "bich"}); page.Total != 1 {
				t.Errorf("found %d after folding, want 1", page.Total)
			}
		})
		got, _ := f.svc.Get(ctx, deskTB, cuong.Code)
		other, _ := f.svc.Get(ctx, deskTB, dung.Code)
		if !got.Standing.OverdueAfterApology || other.Standing.OverdueAfterApology {
			t.Errorf("overdue after apology: %v and %v, want true and false", got.Standing, other.Standing)
		}
	})
}
