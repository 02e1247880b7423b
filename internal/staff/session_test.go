package staff_test

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		u := f.mustAddUser(t, "an", staff.RoleClerk, "TB")

		first, err := f.svc.StartSession(ctx, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Run("a session has a random 32-byte ID and CSRF token", func(t *testing.T) {
			for _, s := range []string{first.ID, first.CSRF} {
				if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 32 {
					t.Errorf("%q is not 32 bytes in base64url", s)
				}
			}
			if first.ID == first.CSRF {
				t.Error("the CSRF token equals the session ID")
			}
		})
		t.Run("only the hash of the ID is stored", func(t *testing.T) {
			if first.IDHash == first.ID || strings.Contains(first.IDHash, first.ID) {
				t.Errorf("stored %q for ID %q", first.IDHash, first.ID)
			}
			if _, _, err := db.SessionByHash(ctx, first.ID); !apperr.IsNotFound(err) {
				t.Errorf("looking up the raw ID: err = %v, want not found", err)
			}
		})
		t.Run("the session finds its user", func(t *testing.T) {
			s, got, err := f.svc.Session(ctx, first.ID)
			if err != nil || got.ID != u.ID || s.CSRF != first.CSRF || s.ID != first.ID {
				t.Fatalf("got %+v, %+v, %v", s, got, err)
			}
			if !s.CheckCSRF(first.CSRF) || s.CheckCSRF("") || s.CheckCSRF(first.ID) {
				t.Error("CheckCSRF accepts a wrong token or refuses the right one")
			}
		})
		t.Run("signing in again gives a new ID and ends the one brought", func(t *testing.T) {
			second, err := f.svc.StartSession(ctx, u.ID, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if second.ID == first.ID || second.CSRF == first.CSRF {
				t.Error("the new session reuses the old ID or token")
			}
			if _, _, err := f.svc.Session(ctx, first.ID); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("old session: err = %v, want unauthorized", err)
			}
			if err := f.svc.EndSession(ctx, second.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.Session(ctx, second.ID); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("ended session: err = %v, want unauthorized", err)
			}
		})
		t.Run("garbage IDs are unauthorized", func(t *testing.T) {
			for _, id := range []string{"", "x", strings.Repeat("A", 43), strings.Repeat("A", 4000)} {
				if _, _, err := f.svc.Session(ctx, id); apperr.CodeOf(err) != apperr.Unauthorized {
					t.Errorf("Session(%.10q…): err = %v, want unauthorized", id, err)
				}
			}
		})
	})
}

func TestSessionExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		u := f.mustAddUser(t, "an", staff.RoleClerk, "TB")
		alive := func(id string) bool {
			t.Helper()
			_, _, err := f.svc.Session(ctx, id)
			if err != nil && apperr.CodeOf(err) != apperr.Unauthorized {
				t.Fatal(err)
			}
			return err == nil
		}

		t.Run("an idle session ends after 8 hours", func(t *testing.T) {
			s, err := f.svc.StartSession(ctx, u.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Add(staff.SessionIdle - time.Second)
			if !alive(s.ID) {
				t.Fatal("ended a second before the idle limit")
			}
			// That use restarted the idle time.
			f.clock.Add(staff.SessionIdle - time.Second)
			if !alive(s.ID) {
				t.Fatal("a used session ended at the idle limit counted from sign-in")
			}
			f.clock.Add(staff.SessionIdle)
			if alive(s.ID) {
				t.Error("alive after 8 idle hours")
			}
		})
		t.Run("a busy session ends 24 hours after sign-in", func(t *testing.T) {
			s, err := f.svc.StartSession(ctx, u.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for range 23 {
				f.clock.Add(time.Hour)
				if !alive(s.ID) {
					t.Fatal("ended before 24 hours while in use")
				}
			}
			f.clock.Add(time.Hour)
			if alive(s.ID) {
				t.Error("alive 24 hours after sign-in")
			}
		})
		t.Run("uses within a minute do not write", func(t *testing.T) {
			s, err := f.svc.StartSession(ctx, u.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Add(30 * time.Second)
			got, _, err := f.svc.Session(ctx, s.ID)
			if err != nil || !got.LastSeenAt.Equal(s.LastSeenAt) {
				t.Errorf("last seen = %v, %v; want unchanged %v", got.LastSeenAt, err, s.LastSeenAt)
			}
		})
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		tok, secret, err := f.svc.CreateToken(ctx, "TB", staff.ParseScopes(" sync, counter,sync "), "old one-stop system")
		if err != nil {
			t.Fatal(err)
		}
		if b, err := base64.RawURLEncoding.DecodeString(secret); err != nil || len(b) != 32 {
			t.Errorf("secret %q is not 32 bytes in base64url", secret)
		}
		if !slices.Equal(tok.Scopes, []string{"counter", "sync"}) || tok.UnitCode != "TB" {
			t.Errorf("token = %+v", tok)
		}
		t.Run("the secret finds the token", func(t *testing.T) {
			got, err := f.svc.TokenFor(ctx, secret)
			if err != nil || got.ID != tok.ID || !got.HasScope(staff.ScopeSync) || !got.CanAccessUnit("TB") || got.CanAccessUnit("BA") {
				t.Errorf("got %+v, %v", got, err)
			}
		})
		t.Run("the secret is not stored", func(t *testing.T) {
			if _, err := db.TokenByHash(ctx, secret); !apperr.IsNotFound(err) {
				t.Errorf("lookup by the raw secret: err = %v, want not found", err)
			}
		})
		t.Run("a wrong secret is unauthorized", func(t *testing.T) {
			last := byte('A')
			if secret[42] == 'A' {
				last = 'B'
			}
			wrong := secret[:42] + string(last)
			for _, s := range []string{"", "short", wrong, secret + "x"} {
				if _, err := f.svc.TokenFor(ctx, s); apperr.CodeOf(err) != apperr.Unauthorized {
					t.Errorf("TokenFor(%q): err = %v, want unauthorized", s, err)
				}
			}
		})
		for _, tc := range []struct {
			name   string
			unit   string
			scopes string
			fields string
		}{
			{"an unknown unit is invalid", "NOPE", "sync", "unit"},
			{"no unit is invalid", "", "sync", "unit"},
			{"an unknown scope is invalid", "TB", "sync,admin", "scope"},
			{"no scope is invalid", "TB", " , ", "scope"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, secret, err := f.svc.CreateToken(ctx, tc.unit, staff.ParseScopes(tc.scopes), "")
				if apperr.CodeOf(err) != apperr.Invalid || fieldsOf(err) != tc.fields || secret != "" {
					t.Errorf("err = %v (fields %q), secret %q; want invalid %q and no secret", err, fieldsOf(err), secret, tc.fields)
				}
			})
		}
	})
}

func TestHasScope(t *testing.T) {
	tok := &staff.Token{UnitCode: "TB", Scopes: []string{staff.ScopeCounter}}
	if tok.HasScope(staff.ScopeSync) || !tok.HasScope(staff.ScopeCounter) {
		t.Errorf("scopes of %+v answered wrongly", tok)
	}
	var none *staff.Token
	if none.HasScope(staff.ScopeCounter) || none.CanAccessUnit("TB") {
		t.Error("a nil token may do something")
	}
}
