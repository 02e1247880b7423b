package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

func addUnitTB(t *testing.T, db *store.DB) {
	t.Helper()
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Quảng Nam", Level: catalog.LevelProvince, CreatedAt: t0},
		{Code: "TB", Name: "Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42", CreatedAt: t0},
	} {
		if err := db.AddUnit(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
}

// fullDossier sets every stored field, with times that are not whole seconds.
func fullDossier(code string) dossier.Dossier {
	fin, ret := t0.Add(50*time.Hour+time.Microsecond), t0.Add(70*time.Hour)
	return dossier.Dossier{Code: code, ProcedureCode: "1.001193", UnitCode: "TB",
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "+84912345678", IDNumber: "001203004005"},
		Channel:   dossier.Online, Papers: "Tờ khai; bản sao CCCD", Status: dossier.Returned,
		ReceivedAt: t0.Add(123456 * time.Microsecond), DueAt: t0.Add(72 * time.Hour), ProcessingDays: 3, DueFixed: true,
		FinishedAt: &fin, ReturnedAt: &ret, Digitized: true, EResult: true, ReusedData: true, HasFee: true,
		PaidOnline: true, SyncedNational: true,
		Apology: &dossier.Apology{IssuedAt: t0.Add(40 * time.Hour), NewDueAt: t0.Add(96 * time.Hour), Reason: "Chờ xác minh", By: "an", Late: true},
		Events: []dossier.Event{
			{At: t0, Status: dossier.Received, Actor: "an"},
			{At: t0.Add(time.Hour), Status: dossier.InProgress, Note: "Chuyển phòng Tư pháp", Actor: "an"},
		},
	}
}

func TestDossierRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addUnitTB(t, db)
		want := fullDossier("X-1")
		msg := dossier.Message{Kind: dossier.KindStatus, Notice: dossier.Notice{Status: dossier.Returned, At: t0}}
		if _, err := db.CreateDossier(ctx, want, nil, []dossier.Message{msg}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Dossier(ctx, "X-1")
		if err != nil {
			t.Fatal(err)
		}
		want.Version = 1
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, want)
		}
		msgs, err := db.OutboxOf(ctx, "X-1")
		if err != nil || len(msgs) != 1 || msgs[0].Kind != dossier.KindStatus || msgs[0].DeliveredAt != nil || msgs[0].Attempts != 0 {
			t.Fatalf("outbox = %+v, %v", msgs, err)
		}
		var n dossier.Notice
		if err := json.Unmarshal([]byte(msgs[0].Payload), &n); err != nil || n.Code != "X-1" || n.Status != dossier.Returned {
			t.Errorf("payload %s: %+v, %v", msgs[0].Payload, n, err)
		}

		t.Run("a taken code is refused", func(t *testing.T) {
			if _, err := db.CreateDossier(ctx, want, nil, nil); err != dossier.ErrExists {
				t.Errorf("err = %v, want ErrExists", err)
			}
		})
		t.Run("an update from a stale copy is refused and writes nothing", func(t *testing.T) {
			d := got
			d.Status = dossier.Done
			ev := dossier.Event{At: t0.Add(2 * time.Hour), Status: dossier.Done}
			if err := db.UpdateDossier(ctx, d, []dossier.Event{ev}, []dossier.Message{msg}); err != nil {
				t.Fatal(err)
			}
			if err := db.UpdateDossier(ctx, d, []dossier.Event{ev}, []dossier.Message{msg}); err != dossier.ErrStale {
				t.Errorf("stale update: err = %v, want ErrStale", err)
			}
			after, _ := db.Dossier(ctx, "X-1")
			msgs, _ := db.OutboxOf(ctx, "X-1")
			if after.Version != 2 || len(after.Events) != 3 || len(msgs) != 2 {
				t.Errorf("version %d, %d events, %d messages; want 2, 3, 2", after.Version, len(after.Events), len(msgs))
			}
		})
		t.Run("a duplicate event rolls the whole update back", func(t *testing.T) {
			d, _ := db.Dossier(ctx, "X-1")
			d.Papers = "changed"
			dup := d.Events[0]
			if err := db.UpdateDossier(ctx, d, []dossier.Event{dup}, []dossier.Message{msg}); err != dossier.ErrStale {
				t.Errorf("err = %v, want ErrStale", err)
			}
			after, _ := db.Dossier(ctx, "X-1")
			msgs, _ := db.OutboxOf(ctx, "X-1")
			if after.Papers == "changed" || after.Version != d.Version || len(msgs) != 2 {
				t.Errorf("a failed update left traces: papers %q, version %d, %d messages", after.Papers, after.Version, len(msgs))
			}
		})
		t.Run("an unknown code is not found", func(t *testing.T) {
			if _, err := db.Dossier(ctx, "NOPE"); !apperr.IsNotFound(err) {
				t.Errorf("err = %v", err)
			}
		})
	})
}

// Two portal instances on one database draw codes from one counter.
func TestDossierCodesAcrossInstances(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, kind)
			var dbs []*store.DB
			for range 2 {
				db, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				dbs = append(dbs, db)
			}
			addUnitTB(t, dbs[0])
			key := dossier.CounterKey{Agency: "000.00.31.H42", Day: "260429"}
			const n = 80
			codes := make(chan string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d := fullDossier("")
					d.Events = d.Events[:1]
					got, err := dbs[i%2].CreateDossier(ctx, d, &key, nil)
					if err != nil {
						t.Errorf("create: %v", err)
						return
					}
					codes <- got.Code
				}()
			}
			wg.Wait()
			close(codes)
			seen := map[string]bool{}
			for c := range codes {
				if seen[c] {
					t.Errorf("code %s drawn twice", c)
				}
				seen[c] = true
			}
			for i := 1; i <= n; i++ {
				if c := fmt.Sprintf("000.00.31.H42-260429-%04d", i); !seen[c] {
					t.Errorf("code %s never drawn", c)
				}
			}
		})
	}
}
