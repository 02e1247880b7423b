package dossier_test

import (
	"context"
	"fmt"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// The actors of the rules, each kind and role, of unit TB unless named.
var (
	clerkTB   = actor.Actor{Kind: actor.Staff, ID: 11, Name: "clerk.tb", Role: actor.RoleClerk, Unit: "TB"}
	officerTB = actor.Actor{Kind: actor.Staff, ID: 12, Name: "officer.tb", Role: actor.RoleOfficer, Unit: "TB"}
	headTB    = actor.Actor{Kind: actor.Staff, ID: 13, Name: "head.tb", Role: actor.RoleHead, Unit: "TB"}
	adminTB   = actor.Actor{Kind: actor.Staff, ID: 14, Name: "admin.tb", Role: actor.RoleAdmin, Unit: "TB"}
	clerkHA   = actor.Actor{Kind: actor.Staff, ID: 15, Name: "clerk.ha", Role: actor.RoleClerk, Unit: "TB-HA"}
	officerHA = actor.Actor{Kind: actor.Staff, ID: 16, Name: "officer.ha", Role: actor.RoleOfficer, Unit: "TB-HA"}
	counterTB = actor.Actor{Kind: actor.Machine, ID: 2, Name: "kiosk", Unit: "TB", Scopes: []string{actor.ScopeCounter}}
	citizen   = actor.Actor{Kind: actor.Citizen, Phone: "+84912345678"}
	chat      = actor.Actor{Kind: actor.Chat, ID: 99, Phone: "+84912345678"}
	nobody    = actor.Anon()
)

// refused reports whether err is a refusal of the actor (401 or 403).
func refused(err error) bool {
	c := apperr.CodeOf(err)
	return c == apperr.Forbidden || c == apperr.Unauthorized
}

func TestWhoMayReadAndReceive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		reception := dossier.Reception{UnitCode: "TB", ProcedureCode: "P3",
			Applicant: dossier.Applicant{Name: "Trần Thị Bình", Phone: "0912345679"}}
		cases := []struct {
			who           actor.Actor
			read, receive bool
		}{
			{clerkTB, true, true},
			{officerTB, true, false},
			{headTB, true, false},
			{adminTB, true, true},
			{admin, true, true},
			{clerkHA, false, false},
			{officerHA, false, false},
			{syncTB, false, false},
			{counterTB, false, false},
			{citizen, false, false},
			{chat, false, false},
			{nobody, false, false},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s reads %v, receives %v", tc.who, tc.read, tc.receive), func(t *testing.T) {
				_, err := f.svc.Get(ctx, tc.who, d.Code)
				if tc.read != (err == nil) || (!tc.read && !refused(err)) {
					t.Errorf("get: err = %v, want allowed %v", err, tc.read)
				}
				_, err = f.svc.List(ctx, tc.who, dossier.Query{Unit: "TB"})
				if tc.read != (err == nil) || (!tc.read && !refused(err)) {
					t.Errorf("list: err = %v, want allowed %v", err, tc.read)
				}
				before := count(t, f)
				_, err = f.svc.Receive(ctx, tc.who, reception)
				if tc.receive != (err == nil) || (!tc.receive && !refused(err)) {
					t.Errorf("receive: err = %v, want allowed %v", err, tc.receive)
				}
				if want := before + map[bool]int{true: 1}[tc.receive]; count(t, f) != want {
					t.Errorf("dossiers = %d, want %d", count(t, f), want)
				}
			})
		}
		if _, err := f.svc.Get(ctx, nobody, d.Code); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("nobody signed in: err = %v, want unauthorized", err)
		}
	})
}

func count(t *testing.T, f *fixture) int {
	t.Helper()
	p, err := f.svc.List(context.Background(), admin, dossier.Query{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// TestWhoMayMove walks each move of the table with each actor: the clerk
// receives, refuses, hands over, relays supplements, records a fee paid, a
// withdrawal and the hand-over of the result; the officer handles; the head
// and machines record no move; staff of another unit none.
func TestWhoMayMove(t *testing.T) {
	clerk := []dossier.Status{dossier.Refused, dossier.InProgress, dossier.Supplement, dossier.Withdrawn, dossier.Returned}
	officer := []dossier.Status{dossier.InProgress, dossier.Supplement, dossier.Payment, dossier.Stopped, dossier.Done}
	may := map[string][]dossier.Status{
		clerkTB.Name: clerk, officerTB.Name: officer, adminTB.Name: dossier.Statuses, admin.Name: dossier.Statuses,
	}
	// Where each move starts from, and the path that leads there.
	from := map[dossier.Status][]dossier.Status{
		dossier.Refused: nil, dossier.InProgress: nil, dossier.Supplement: nil, dossier.Payment: nil,
		dossier.Withdrawn: nil, dossier.Stopped: {dossier.InProgress}, dossier.Done: {dossier.InProgress},
		dossier.Returned: {dossier.InProgress, dossier.Done},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		for _, who := range []actor.Actor{clerkTB, officerTB, headTB, adminTB, admin, clerkHA, officerHA, syncTB, counterTB, citizen, chat, nobody} {
			for to, path := range from {
				allowed := false
				for _, st := range may[who.Name] {
					allowed = allowed || st == to
				}
				t.Run(fmt.Sprintf("%s to %s: %v", who, to, allowed), func(t *testing.T) {
					d := f.receive(t, "P10")
					f.move(t, d.Code, path...)
					got, err := f.svc.Transition(ctx, who, d.Code, to, "lý do")
					if allowed != (err == nil) || (!allowed && !refused(err)) {
						t.Fatalf("err = %v, want allowed %v", err, allowed)
					}
					stored, _ := f.svc.Get(ctx, admin, d.Code)
					if allowed && (got.Status != to || stored.Status != to || stored.Events[len(stored.Events)-1].Actor != who.Name) {
						t.Errorf("stored %s by %s, want %s by %s", stored.Status, stored.Events[len(stored.Events)-1].Actor, to, who.Name)
					}
					if !allowed && stored.Status == to && to != dossier.InProgress {
						t.Errorf("a refused move changed the dossier to %s", stored.Status)
					}
				})
			}
		}
	})
}

func TestWhoMayApologize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		letter := dossier.ApologyInput{NewDue: at(2026, 5, 12, 0, 0), WholeDay: true, Reason: "Chờ ý kiến của Sở"}
		for _, tc := range []struct {
			who     actor.Actor
			allowed bool
		}{
			{officerTB, true}, {headTB, true}, {adminTB, true}, {admin, true},
			{clerkTB, false}, {officerHA, false}, {syncTB, false}, {counterTB, false}, {citizen, false}, {chat, false}, {nobody, false},
		} {
			t.Run(fmt.Sprintf("%s: %v", tc.who, tc.allowed), func(t *testing.T) {
				f.clock.Set(at(2026, 5, 4, 8, 0))
				d := f.receive(t, "P3") // due Thu 7 May 08:00
				f.clock.Set(at(2026, 5, 6, 9, 0))
				got, err := f.svc.Apologize(ctx, tc.who, d.Code, letter)
				if tc.allowed != (err == nil) || (!tc.allowed && !refused(err)) {
					t.Fatalf("err = %v, want allowed %v", err, tc.allowed)
				}
				if tc.allowed && (got.Apology == nil || got.Apology.By != tc.who.Name) {
					t.Errorf("apology = %+v, want one signed by %s", got.Apology, tc.who.Name)
				}
				stored, _ := f.svc.Get(ctx, admin, d.Code)
				if !tc.allowed && stored.Apology != nil {
					t.Errorf("a refused actor issued a letter")
				}
			})
		}
	})
}

func TestWhoMaySync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 5, 9, 0))
		b := encode(t, body())
		for _, who := range []actor.Actor{
			clerkTB, adminTB, admin, counterTB, citizen, chat, nobody,
			{Kind: actor.Machine, Name: "ha", Unit: "TB-HA", Scopes: []string{actor.ScopeSync}},
		} {
			if _, _, err := f.svc.Sync(ctx, who, syncCode, b); !refused(err) {
				t.Errorf("%s synced: err = %v, want a refusal", who, err)
			}
		}
		if _, err := f.svc.Get(ctx, admin, syncCode); !apperr.IsNotFound(err) {
			t.Errorf("a refused sync stored the dossier: %v", err)
		}
		if _, created, err := f.svc.Sync(ctx, syncTB, syncCode, b); err != nil || !created {
			t.Errorf("TB's sync token: created %v, err %v", created, err)
		}
	})
}
