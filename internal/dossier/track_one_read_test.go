package dossier_test

import (
	"context"
	"reflect"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// Tracking reads the dossier, its events, its unit's name and whether it
// was rated in one statement (store.DB.TrackDossier); the citizen's view it
// builds must be the very view built from the full dossier with the unit and
// rating read apart (ViewOf), in every state: received, moving, paused for a
// supplement, apologised for, finished, finished and rated.
func TestTrackOneReadGivesTheSameView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		rated := func(ctx context.Context, code string) (bool, error) {
			var n int
			err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM ratings WHERE kind = 'dossier' AND dossier_code = '`+code+`'`).Scan(&n)
			return n > 0, err
		}
		f.svc.UseRatings(rated)

		received := f.receive(t, "P3")
		moving := f.receive(t, "P10")
		f.move(t, moving.Code, dossier.InProgress)
		paused := f.receive(t, "P10")
		f.move(t, paused.Code, dossier.Supplement)
		sorry := f.receive(t, "P3")
		finished := f.receive(t, "P0")
		f.move(t, finished.Code, dossier.InProgress, dossier.Done, dossier.Returned)
		ratedOne := f.receive(t, "P0")
		f.move(t, ratedOne.Code, dossier.InProgress, dossier.Done, dossier.Returned)
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO ratings (kind, dossier_code, unit_code, channel, overall, answers, satisfied, low, created_at)
			VALUES ('dossier', '`+ratedOne.Code+`', 'TB', 'web', 2, '{}', TRUE, FALSE, CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(at(2026, 5, 8, 9, 0)) // past its due date
		if _, err := f.svc.Apologize(ctx, deskTB, sorry.Code, dossier.ApologyInput{NewDue: at(2026, 5, 12, 0, 0), WholeDay: true, Reason: "Chờ ý kiến của Sở"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(at(2026, 5, 20, 9, 0))
		// The unit's one-stop department, where the citizen may call or go.
		if err := db.SetUnitContact(ctx, "TB", "Số 1 Tiểu La, thị trấn Hà Lam", "0235 3874 123"); err != nil {
			t.Fatal(err)
		}

		for name, code := range map[string]string{"received": received.Code, "moving": moving.Code, "paused": paused.Code,
			"apologised": sorry.Code, "finished": finished.Code, "rated": ratedOne.Code} {
			got, err := f.svc.Track(ctx, actor.Anon(), code, "0912 345 678")
			if err != nil {
				t.Fatalf("%s: Track: %v", name, err)
			}
			full, err := db.Dossier(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			want, err := f.svc.ViewOf(ctx, full)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: one read gave\n%+v\nthe full read\n%+v", name, got, want)
			}
			if len(got.Events) == 0 || got.Office.Name != "Huyện Thăng Bình" ||
				got.Office.Address != "Số 1 Tiểu La, thị trấn Hà Lam" || got.Office.Phone != "0235 3874 123" {
				t.Errorf("%s: events %v, office %+v: want the events and the unit's name, address and phone", name, got.Events, got.Office)
			}
			if wantRate := name == "finished"; got.CanRate != wantRate {
				t.Errorf("%s: can rate %v, want %v", name, got.CanRate, wantRate)
			}
		}
		if got, _ := f.svc.Track(ctx, actor.Anon(), sorry.Code, "0912 345 678"); got.Apology == nil {
			t.Error("the apology is missing from the citizen's view")
		}
	})
}
