package store_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
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

// admitBelow admits an attempt while fewer than n failures of the pair are
// recorded, and notes what each attempt saw.
func admitBelow(n int, saw *[][2]int, mu *sync.Mutex) func(pair, addr []time.Time) error {
	return func(pair, addr []time.Time) error {
		mu.Lock()
		*saw = append(*saw, [2]int{len(pair), len(addr)})
		mu.Unlock()
		if len(pair) >= n {
			return apperr.New(apperr.RateLimited, "error.staff.locked")
		}
		return nil
	}
}

func TestReserveLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var saw [][2]int
		var mu sync.Mutex
		admit := admitBelow(100, &saw, &mu)
		for i, f := range []struct {
			user, ip string
			at       time.Time
		}{
			{"an", "10.0.0.1", t0},
			{"an", "10.0.0.1", t0.Add(time.Minute)},
			{"an", "10.0.0.2", t0.Add(2*time.Minute + 500*time.Millisecond)},
			{"bao", "10.0.0.1", t0.Add(3 * time.Minute)},
		} {
			if err := db.ReserveLogin(ctx, f.user, f.ip, f.at, t0.Add(-time.Hour), admit); err != nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		want := [][2]int{{0, 0}, {1, 1}, {0, 0}, {0, 2}}
		if !slices.Equal(saw, want) {
			t.Errorf("attempts saw (pair, address) = %v, want %v", saw, want)
		}
		check := func(name, user, ip string, since time.Time, wantPair []time.Time, wantAddr int) {
			t.Helper()
			var pair, addr []time.Time
			err := db.ReserveLogin(ctx, user, ip, t0.Add(time.Hour), since, func(p, a []time.Time) error {
				pair, addr = p, a
				return apperr.New(apperr.RateLimited, "error.staff.locked") // look, do not record
			})
			if apperr.CodeOf(err) != apperr.RateLimited {
				t.Errorf("%s: a refused attempt answered %v", name, err)
			}
			if !slices.EqualFunc(pair, wantPair, time.Time.Equal) || len(addr) != wantAddr {
				t.Errorf("%s: pair %v, %d of the address; want %v, %d", name, pair, len(addr), wantPair, wantAddr)
			}
		}
		check("everything since before the first, oldest first", "an", "10.0.0.1", t0.Add(-time.Second), []time.Time{t0, t0.Add(time.Minute)}, 3)
		check("a failure at the start of the window is outside it", "an", "10.0.0.1", t0, []time.Time{t0.Add(time.Minute)}, 2)
		check("sub-second times compare as times", "an", "10.0.0.2", t0.Add(2*time.Minute), []time.Time{t0.Add(2*time.Minute + 500*time.Millisecond)}, 1)
		check("a refused attempt is not recorded", "an", "10.0.0.1", t0.Add(-time.Second), []time.Time{t0, t0.Add(time.Minute)}, 3)

		t.Run("a release forgets the pair's failures and old ones", func(t *testing.T) {
			if err := db.ReleaseLogin(ctx, "an", "10.0.0.1", t0.Add(90*time.Second)); err != nil {
				t.Fatal(err)
			}
			check("the pair is forgiven", "an", "10.0.0.1", t0.Add(-time.Hour), nil, 1)
			check("the same account from elsewhere is not", "an", "10.0.0.2", t0.Add(-time.Hour), []time.Time{t0.Add(2*time.Minute + 500*time.Millisecond)}, 1)
		})
	})
}

// The check and the count are one step, whatever the concurrency and however
// many instances (here: separate connection pools) share the database: of
// 60 simultaneous attempts admitted only below 5 recorded failures, exactly
// 5 are recorded.
func TestReserveLoginIsAtomicAcrossInstances(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, kind)
			var dbs []*store.DB
			for range 3 {
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
			var saw [][2]int
			var mu sync.Mutex
			admit := admitBelow(5, &saw, &mu)
			start := make(chan struct{})
			var wg sync.WaitGroup
			var admitted, refused atomic.Int32
			for i := range 60 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					err := dbs[i%len(dbs)].ReserveLogin(ctx, "an", "203.0.113.7", t0.Add(time.Duration(i)*time.Millisecond), t0.Add(-time.Hour), admit)
					switch apperr.CodeOf(err) {
					case "":
						admitted.Add(1)
					case apperr.RateLimited:
						refused.Add(1)
					default:
						t.Errorf("attempt %d: %v", i, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			if admitted.Load() != 5 || refused.Load() != 55 {
				t.Errorf("admitted %d, refused %d; want 5 and 55", admitted.Load(), refused.Load())
			}
		})
	}
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

func TestStaffDisableAndPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addStaffUnits(t, db)
		u, err := db.AddUser(ctx, staff.User{Username: "an", Role: staff.RoleHead, UnitCode: "TB", FullName: "Nguyễn Thị An", Title: "Trưởng phòng", CreatedAt: t0}, "h1")
		if err != nil {
			t.Fatal(err)
		}
		got, hash, err := db.UserByName(ctx, "an")
		if err != nil || got.FullName != "Nguyễn Thị An" || got.Title != "Trưởng phòng" || got.Role != staff.RoleHead || got.Disabled() || hash != "h1" {
			t.Fatalf("stored head = %+v, %q, %v", got, hash, err)
		}
		if err := db.AddSession(ctx, staff.Session{IDHash: "s1", UserID: u.ID, CSRF: "c", CreatedAt: t0, LastSeenAt: t0}); err != nil {
			t.Fatal(err)
		}
		off := t0.Add(time.Hour)
		got, err = db.SetUserDisabled(ctx, "an", &off)
		if err != nil || !got.Disabled() || !got.DisabledAt.Equal(off) {
			t.Fatalf("disabled = %+v, %v", got, err)
		}
		if _, _, err := db.SessionByHash(ctx, "s1"); !apperr.IsNotFound(err) {
			t.Errorf("a disabled account's session: err = %v, want not found", err)
		}
		if err := db.AddSession(ctx, staff.Session{IDHash: "s2", UserID: u.ID, CSRF: "c", CreatedAt: off, LastSeenAt: off}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, "s2"); !apperr.IsNotFound(err) {
			t.Errorf("a session of a disabled account is found: %v", err)
		}
		if got, err = db.SetUserDisabled(ctx, "an", nil); err != nil || got.Disabled() {
			t.Fatalf("enabled = %+v, %v", got, err)
		}
		if _, _, err := db.SessionByHash(ctx, "s2"); err != nil {
			t.Errorf("enabled again, its session: %v", err)
		}
		if _, err := db.SetUserDisabled(ctx, "ghost", &off); !apperr.IsNotFound(err) {
			t.Errorf("unknown user: %v", err)
		}
		if got, err = db.SetPassword(ctx, "an", "h2"); err != nil || got.ID != u.ID {
			t.Fatalf("set password: %+v, %v", got, err)
		}
		if _, hash, _ := db.UserByName(ctx, "an"); hash != "h2" {
			t.Errorf("hash = %q, want h2", hash)
		}
		if _, _, err := db.SessionByHash(ctx, "s2"); !apperr.IsNotFound(err) {
			t.Errorf("a new password leaves the old session: %v", err)
		}
		if _, err := db.SetPassword(ctx, "ghost", "h"); !apperr.IsNotFound(err) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestStaffTokenRevocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		addStaffUnits(t, db)
		a, _ := db.AddToken(ctx, staff.Token{Name: "a", UnitCode: "TB", Scopes: []string{"sync"}, CreatedAt: t0}, "hash-a")
		b, _ := db.AddToken(ctx, staff.Token{Name: "b", UnitCode: "QNA", Scopes: []string{"counter"}, CreatedAt: t0}, "hash-b")
		all, err := db.Tokens(ctx, "")
		if err != nil || len(all) != 2 || all[0].ID != a.ID || all[1].ID != b.ID {
			t.Fatalf("all tokens = %+v, %v", all, err)
		}
		tb, err := db.Tokens(ctx, "TB")
		if err != nil || len(tb) != 1 || tb[0].Name != "a" || tb[0].Revoked() {
			t.Fatalf("TB tokens = %+v, %v", tb, err)
		}
		at := t0.Add(time.Hour)
		got, err := db.RevokeToken(ctx, a.ID, at)
		if err != nil || !got.Revoked() || !got.RevokedAt.Equal(at) || got.Name != "a" {
			t.Fatalf("revoked = %+v, %v", got, err)
		}
		if _, err := db.TokenByHash(ctx, "hash-a"); !apperr.IsNotFound(err) {
			t.Errorf("a revoked token still works: %v", err)
		}
		if _, err := db.TokenByHash(ctx, "hash-b"); err != nil {
			t.Errorf("the other token: %v", err)
		}
		if got, err := db.RevokeToken(ctx, a.ID, at.Add(time.Hour)); err != nil || !got.RevokedAt.Equal(at) {
			t.Errorf("revoked twice: %+v, %v; want the first time kept", got, err)
		}
		if tb, _ := db.Tokens(ctx, "TB"); len(tb) != 1 || !tb[0].Revoked() {
			t.Errorf("the list shows revoked tokens as revoked: %+v", tb)
		}
		if _, err := db.RevokeToken(ctx, 9999, at); !apperr.IsNotFound(err) {
			t.Errorf("unknown token: %v", err)
		}
	})
}
