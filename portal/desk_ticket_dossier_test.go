package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/queue"
	"motcua/internal/staff"
)

// A dossier opened from a finished visit at the counter is linked to the
// visitor's queue ticket; a ticket of another unit's office is not offered.
func TestDossierOpenedFromATicketIsLinkedToIt(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	ctx := context.Background()
	m := h.s.queue
	for _, o := range []queue.Office{{Code: "TB-MC", Name: "Một cửa Thăng Bình", UnitCode: "TB"}, {Code: "BA-MC", Name: "Một cửa Bình An", UnitCode: "BA"}} {
		if _, err := m.CreateOffice(ctx, staff.Operator(), o); err != nil {
			t.Fatal(err)
		}
		if _, err := m.CreateService(ctx, staff.Operator(), queue.Service{Code: "hotich", OfficeCode: o.Code, NameVi: "Hộ tịch", Prefix: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	counter, err := m.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: "TB-MC", Number: 1, Name: "Quầy 1", Services: []string{"hotich"}})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := m.Issue(ctx, actor.Anon(), "TB-MC", "hotich", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Act(ctx, actor.Actor{Kind: actor.Staff, Role: actor.RoleAdmin}, counter.ID, queue.Action{Name: "next"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Act(ctx, actor.Actor{Kind: actor.Staff, Role: actor.RoleAdmin}, counter.ID, queue.Action{Name: "done", Ticket: tv.Ticket.ID}); err != nil {
		t.Fatal(err)
	}
	other, err := m.Issue(ctx, actor.Anon(), "BA-MC", "hotich", "")
	if err != nil {
		t.Fatal(err)
	}

	clerk := h.browser(t)
	clerk.login("clerk")

	t.Run("another unit's ticket is not found", func(t *testing.T) {
		if resp, _ := clerk.do("GET", "/desk/dossiers/new?ticket="+other.Ticket.ID, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET form for BA's ticket = %d, want 404", resp.StatusCode)
		}
	})

	t.Run("the form names the ticket and the dossier is linked to it", func(t *testing.T) {
		resp, page := clerk.do("GET", "/desk/dossiers/new?ticket="+tv.Ticket.ID, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="ticket" value="`+tv.Ticket.ID+`"`) || !strings.Contains(page, tv.Ticket.Number) {
			t.Fatalf("form = %d, lacks the ticket %s", resp.StatusCode, tv.Ticket.Number)
		}
		form := receptionForm()
		form.Set("_csrf", csrfIn(t, page))
		form.Set("ticket", tv.Ticket.ID)
		resp, page = clerk.do("POST", "/desk/dossiers", form)
		m2 := dossierPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m2 == nil {
			t.Fatalf("receive: %d\n%s", resp.StatusCode, page)
		}
		got, err := m.Ticket(ctx, tv.Ticket.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Ticket.DossierCode != m2[1] {
			t.Errorf("ticket's dossier = %q, want %q", got.Ticket.DossierCode, m2[1])
		}
	})
}
