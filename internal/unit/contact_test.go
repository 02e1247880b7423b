package unit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/clock"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

func seedUnits(t *testing.T, db *store.DB) *unit.Service {
	t.Helper()
	s := unit.NewService(db, clock.At(time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC)).Now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := s.Add(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestSetContact: only an administrator (of the whole portal, or of the
// unit) sets where citizens go; a bad phone or a long address is refused
// with every bad field, in the form's order, and changes nothing.
func TestSetContact(t *testing.T) {
	ctx := context.Background()
	admin := actor.Actor{Kind: actor.Staff, Name: "admin", Role: actor.RoleAdmin}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedUnits(t, db)
		changed := 0
		s.OnChange = func() { changed++ }

		t.Run("an administrator sets them", func(t *testing.T) {
			u, err := s.SetContact(ctx, admin, "TB", "  Số 1 Tiểu La, thị trấn Hà Lam  ", "0235 3874 123")
			if err != nil {
				t.Fatal(err)
			}
			if u.Address != "Số 1 Tiểu La, thị trấn Hà Lam" || u.Phone != "0235 3874 123" {
				t.Errorf("got %q, %q", u.Address, u.Phone)
			}
			if got, _ := s.Get(ctx, "TB"); got.Address != u.Address || got.Phone != u.Phone {
				t.Errorf("stored %q, %q", got.Address, got.Phone)
			}
			if changed != 1 {
				t.Errorf("OnChange called %d times, want 1", changed)
			}
		})
		t.Run("others are refused and change nothing", func(t *testing.T) {
			for _, a := range []actor.Actor{
				{Kind: actor.Staff, Name: "head", Role: actor.RoleHead, Unit: "TB"},
				{Kind: actor.Staff, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"},
				{Kind: actor.Staff, Name: "admin.qna", Role: actor.RoleAdmin, Unit: "QNA"},
				{Kind: actor.Machine, Name: "sync", Unit: "TB", Scopes: []string{"sync"}},
				{},
			} {
				if _, err := s.SetContact(ctx, a, "TB", "Nơi khác", "0235 0000 000"); apperr.CodeOf(err) != apperr.Forbidden && apperr.CodeOf(err) != apperr.Unauthorized {
					t.Errorf("%s: err %v, want forbidden", a, err)
				}
			}
			if got, _ := s.Get(ctx, "TB"); got.Address != "Số 1 Tiểu La, thị trấn Hà Lam" {
				t.Errorf("the address changed to %q", got.Address)
			}
		})
		t.Run("an administrator of the unit may, and sees only it", func(t *testing.T) {
			a := actor.Actor{Kind: actor.Staff, Name: "admin.tb", Role: actor.RoleAdmin, Unit: "TB"}
			if _, err := s.SetContact(ctx, a, "TB", "Số 1 Tiểu La, thị trấn Hà Lam", "(0235) 3874-123"); err != nil {
				t.Fatal(err)
			}
			us, err := s.Editable(ctx, a)
			if err != nil || len(us) != 1 || us[0].Code != "TB" {
				t.Errorf("editable = %v, %v", us, err)
			}
			if us, _ := s.Editable(ctx, admin); len(us) != 2 {
				t.Errorf("the portal's administrator edits %d units, want 2", len(us))
			}
			if _, err := s.Editable(ctx, actor.Actor{Kind: actor.Staff, Role: actor.RoleHead, Unit: "TB"}); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("a head lists units to edit: %v", err)
			}
		})
		t.Run("bad input is refused field by field", func(t *testing.T) {
			_, err := s.SetContact(ctx, admin, "TB", strings.Repeat("đ", 301), "gọi 123")
			ae := apperr.As(err)
			if ae.Code != apperr.Invalid || len(ae.Fields) != 2 || ae.Fields[0].Field != "address" || ae.Fields[1].Field != "phone" {
				t.Fatalf("err = %v %+v", err, ae.Fields)
			}
			for _, p := range []string{"12345", "+84 235 abc", "0235+3874123", strings.Repeat("1", 41)} {
				if _, err := s.SetContact(ctx, admin, "TB", "", p); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("phone %q: err %v, want invalid", p, err)
				}
			}
			if got, _ := s.Get(ctx, "TB"); got.Phone != "(0235) 3874-123" {
				t.Errorf("the phone changed to %q", got.Phone)
			}
		})
		t.Run("an unknown unit is not found", func(t *testing.T) {
			if _, err := s.SetContact(ctx, admin, "NOPE", "", ""); !apperr.IsNotFound(err) {
				t.Errorf("err %v, want not found", err)
			}
		})
	})
}
