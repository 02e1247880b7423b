package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

// addStaffUnits adds the province QNA and its district TB.
func addStaffUnits(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince, CreatedAt: t0},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", CreatedAt: t0},
	} {
		if err := db.AddUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStaffUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addStaffUnits(t, db)
		officer, err := db.AddUser(ctx, staff.User{Username: "an", Role: staff.RoleOfficer, UnitCode: "TB", CreatedAt: t0}, "hash-an")
		if err != nil {
			t.Fatal(err)
		}
		admin, err := db.AddUser(ctx, staff.User{Username: "admin", Role: staff.RoleAdmin, CreatedAt: t0}, "hash-admin")
		if err != nil {
			t.Fatal(err)
		}
		if officer.ID == 0 || admin.ID == 0 || officer.ID == admin.ID {
			t.Fatalf("ids = %d, %d; want two distinct ids", officer.ID, admin.ID)
		}

		t.Run("a taken username is a conflict", func(t *testing.T) {
			_, err := db.AddUser(ctx, staff.User{Username: "an", Role: staff.RoleClerk, UnitCode: "TB", CreatedAt: t0}, "x")
			if got := apperr.CodeOf(err); got != apperr.Conflict {
				t.Errorf("code = %q, want conflict", got)
			}
		})
		t.Run("an unknown unit is refused by the database", func(t *testing.T) {
			if _, err := db.AddUser(ctx, staff.User{Username: "bao", Role: staff.RoleClerk, UnitCode: "NOPE", CreatedAt: t0}, "x"); err == nil {
				t.Error("user of unknown unit stored")
			}
		})
		t.Run("by name returns the user and hash", func(t *testing.T) {
			got, hash, err := db.UserByName(ctx, "an")
			if err != nil {
				t.Fatal(err)
			}
			want := staff.User{ID: officer.ID, Username: "an", Role: staff.RoleOfficer, UnitCode: "TB", CreatedAt: t0}
			if got != want || hash != "hash-an" {
				t.Errorf("got %+v, %q; want %+v, hash-an", got, hash, want)
			}
		})
		t.Run("an administrator has no unit", func(t *testing.T) {
			got, err := db.UserByID(ctx, admin.ID)
			if err != nil || got.UnitCode != "" || got.Role != staff.RoleAdmin {
				t.Errorf("got %+v, %v", got, err)
			}
		})
		t.Run("unknown users are not found", func(t *testing.T) {
			if _, _, err := db.UserByName(ctx, "nobody"); !apperr.IsNotFound(err) {
				t.Errorf("by name: err = %v, want not found", err)
			}
			if _, err := db.UserByID(ctx, 9999); !apperr.IsNotFound(err) {
				t.Errorf("by id: err = %v, want not found", err)
			}
		})
		t.Run("users are listed by name", func(t *testing.T) {
			us, err := db.Users(ctx)
			if err != nil || len(us) != 2 || us[0].Username != "admin" || us[1].Username != "an" {
				t.Errorf("users = %+v, %v", us, err)
			}
		})
	})
}

func TestStaffLoginFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, f := range []struct {
			user, ip string
			at       time.Time
		}{
			{"an", "10.0.0.1", t0},
			{"an", "10.0.0.1", t0.Add(time.Minute)},
			{"an", "10.0.0.2", t0.Add(2*time.Minute + 500*time.Millisecond)},
			{"bao", "10.0.0.1", t0.Add(3 * time.Minute)},
		} {
			if err := db.AddLoginFailure(ctx, f.user, f.ip, f.at); err != nil {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		for _, tc := range []struct {
			name         string
			since        time.Time
			byUser, byIP int
		}{
			{"everything counts since before the first", t0.Add(-time.Second), 3, 3},
			{"a failure at the start of the window is outside it", t0, 2, 2},
			{"sub-second times compare as times", t0.Add(2 * time.Minute), 1, 1},
			{"nothing after the last", t0.Add(time.Hour), 0, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				byUser, byIP, err := db.LoginFailures(ctx, "an", "10.0.0.1", tc.since)
				if err != nil || byUser != tc.byUser || byIP != tc.byIP {
					t.Errorf("got %d by user, %d by ip, %v; want %d, %d", byUser, byIP, err, tc.byUser, tc.byIP)
				}
			})
		}
		t.Run("clearing forgets the user's failures and old ones", func(t *testing.T) {
			if err := db.ClearLoginFailures(ctx, "an", t0.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			byUser, byIP, err := db.LoginFailures(ctx, "bao", "10.0.0.1", t0.Add(-time.Hour))
			if err != nil || byUser != 1 || byIP != 1 {
				t.Errorf("bao's failure: got %d, %d, %v; want 1, 1", byUser, byIP, err)
			}
			if err := db.ClearLoginFailures(ctx, "x", t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if byUser, _, _ := db.LoginFailures(ctx, "bao", "", t0.Add(-time.Hour)); byUser != 0 {
				t.Errorf("old failures left: %d", byUser)
			}
		})
	})
}

func TestStaffSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addStaffUnits(t, db)
		u, err := db.AddUser(ctx, staff.User{Username: "an", Role: staff.RoleClerk, UnitCode: "TB", CreatedAt: t0}, "h")
		if err != nil {
			t.Fatal(err)
		}
		fresh := staff.Session{IDHash: "h-fresh", UserID: u.ID, CSRF: "c1", CreatedAt: t0, LastSeenAt: t0.Add(time.Hour)}
		idle := staff.Session{IDHash: "h-idle", UserID: u.ID, CSRF: "c2", CreatedAt: t0, LastSeenAt: t0}
		old := staff.Session{IDHash: "h-old", UserID: u.ID, CSRF: "c3", CreatedAt: t0.Add(-25 * time.Hour), LastSeenAt: t0.Add(time.Hour)}
		for _, s := range []staff.Session{fresh, idle, old} {
			if err := db.AddSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		gotS, gotU, err := db.SessionByHash(ctx, "h-fresh")
		if err != nil {
			t.Fatal(err)
		}
		if gotS != fresh || gotU.ID != u.ID || gotU.Username != "an" || gotU.UnitCode != "TB" {
			t.Errorf("session = %+v, %+v; want %+v of user %d", gotS, gotU, fresh, u.ID)
		}
		if err := db.TouchSession(ctx, "h-fresh", t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if s, _, _ := db.SessionByHash(ctx, "h-fresh"); !s.LastSeenAt.Equal(t0.Add(2 * time.Hour)) {
			t.Errorf("touched last seen = %v", s.LastSeenAt)
		}
		// Idle since before t0+30m, or started before t0-24h, is expired.
		if err := db.DeleteExpiredSessions(ctx, t0.Add(30*time.Minute), t0.Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, h := range []string{"h-fresh", "h-idle", "h-old"} {
			if _, _, err := db.SessionByHash(ctx, h); err == nil {
				left = append(left, h)
			} else if !apperr.IsNotFound(err) {
				t.Fatal(err)
			}
		}
		if !slices.Equal(left, []string{"h-fresh"}) {
			t.Errorf("sessions left after expiry = %v, want [h-fresh]", left)
		}
		if err := db.DeleteSession(ctx, "h-fresh"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, "h-fresh"); !apperr.IsNotFound(err) {
			t.Errorf("deleted session: err = %v, want not found", err)
		}
		if err := db.DeleteSession(ctx, "h-fresh"); err != nil {
			t.Errorf("deleting twice: %v", err)
		}
	})
}

func TestStaffTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addStaffUnits(t, db)
		tok, err := db.AddToken(ctx, staff.Token{Name: "một cửa cũ", UnitCode: "TB", Scopes: []string{"counter", "sync"}, CreatedAt: t0}, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		if tok.ID == 0 {
			t.Error("token has no id")
		}
		got, err := db.TokenByHash(ctx, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != tok.ID || got.Name != "một cửa cũ" || got.UnitCode != "TB" || !slices.Equal(got.Scopes, []string{"counter", "sync"}) || !got.CreatedAt.Equal(t0) {
			t.Errorf("token = %+v", got)
		}
		if _, err := db.TokenByHash(ctx, "hash-2"); !apperr.IsNotFound(err) {
			t.Errorf("unknown hash: err = %v, want not found", err)
		}
		if _, err := db.AddToken(ctx, staff.Token{UnitCode: "TB", Scopes: []string{"sync"}, CreatedAt: t0}, "hash-1"); err == nil {
			t.Error("a second token with the same hash was stored")
		}
	})
}
