package queue_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestIssueNumbersPerServiceFromOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		var got []string
		for _, s := range []string{"hotich", "hotich", "datdai", "hotich", "datdai"} {
			v := h.issue(t, s, "")
			got = append(got, v.Ticket.Number)
			if !queue.ValidTicketID(v.Ticket.ID) {
				t.Errorf("ticket ID %q is not a 26-character base32 ID", v.Ticket.ID)
			}
		}
		want := []string{"A001", "A002", "B001", "A003", "B002"}
		if !slices.Equal(got, want) {
			t.Errorf("numbers: got %v, want %v", got, want)
		}
	})
}

func TestIssueRestartsAtMidnightInVietnam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		// The hall is open day and night (00:00-24:00). 23:00 and 23:59 on
		// the 5th in Vietnam are 16:00 and 16:59 UTC; 00:30 on the 6th is
		// 17:30 UTC on the 5th: the same UTC day.
		steps := []struct {
			at   time.Time
			want string
		}{
			{vn(2026, 5, 5, 23, 0), "A001"},
			{vn(2026, 5, 5, 23, 59), "A002"},
			{vn(2026, 5, 6, 0, 30), "A001"},
			{vn(2026, 5, 6, 7, 30), "A002"},
		}
		for _, s := range steps {
			h.clock.Set(s.at)
			v := h.issue(t, "hotich", "")
			if v.Ticket.Number != s.want {
				t.Errorf("at %s (UTC %s): got %s, want %s", s.at, s.at.UTC(), v.Ticket.Number, s.want)
			}
			if want := s.at.Format(time.DateOnly); v.Ticket.Day != want {
				t.Errorf("day: got %s, want %s", v.Ticket.Day, want)
			}
		}
	})
}

func TestIssueBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		cases := []struct {
			name                      string
			office, service, priority string
			code                      apperr.Code
			field                     string
		}{
			{"unknown office is not found", "NOPE", "hotich", "", apperr.NotFound, ""},
			{"unknown service is invalid", "TB-HCC", "nope", "", apperr.Invalid, "service"},
			{"missing service is invalid", "TB-HCC", "", "", apperr.Invalid, "service"},
			{"service of another office is invalid", "TB-HCC", "khac", "", apperr.Invalid, "service"},
			{"unknown priority group is invalid", "TB-HCC", "hotich", "vip", apperr.Invalid, "priority"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := h.m.Issue(ctx, hallKiosk, c.office, c.service, c.priority)
				wantErr(t, err, c.code, "")
				if c.field != "" {
					if f := apperr.As(err).Fields; len(f) != 1 || f[0].Field != c.field {
						t.Errorf("fields: got %+v, want one for %s", f, c.field)
					}
				}
			})
		}
		b, err := h.m.Board(ctx, "TB-HCC")
		must(t, err)
		for _, s := range b.Services {
			if s.Waiting != 0 {
				t.Errorf("%s: %d waiting after bad requests, want 0", s.Service.Code, s.Waiting)
			}
		}
		if v := h.issue(t, "hotich", "elderly"); v.Ticket.Number != "A001" {
			t.Errorf("first good ticket: got %s, want A001 (no number was used up)", v.Ticket.Number)
		}
	})
}

func TestEstimatedWait(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		for range 4 {
			h.issue(t, "hotich", "")
		}
		// Morning: 4 ahead, 8 minutes each (the default), 2 counters serve A.
		v := h.issue(t, "hotich", "")
		if v.Ahead != 4 || v.EstWait != 16 {
			t.Errorf("morning: got ahead %d, wait %d min; want 4, 16", v.Ahead, v.EstWait)
		}
		// Counter 2 alone serves three visits of 5 minutes each.
		cur := ""
		for range 3 {
			tk, err := h.m.Act(ctx, operator, h.counters[2].ID, queue.Action{Name: "next", Ticket: cur})
			must(t, err)
			cur = tk.ID
			h.clock.Add(5 * time.Minute)
		}
		_, err := h.m.Act(ctx, operator, h.counters[2].ID, queue.Action{Name: "done", Ticket: cur})
		must(t, err)
		// Two left ahead of the fifth ticket (A004, A005 is it): 1 × 5 min / 1 counter.
		got, err := h.m.Ticket(ctx, v.Ticket.ID)
		must(t, err)
		if got.Ahead != 1 || got.EstWait != 5 {
			t.Errorf("after measured visits: got ahead %d, wait %d min; want 1, 5", got.Ahead, got.EstWait)
		}
		b, err := h.m.Board(ctx, "TB-HCC")
		must(t, err)
		if s := b.Services[0]; s.Waiting != 2 || s.EstWait != 10 {
			t.Errorf("board: got %d waiting, %d min; want 2, 10", s.Waiting, s.EstWait)
		}
	})
}

func TestPriorityTicketsAheadCountOnlyPriority(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		h.issue(t, "hotich", "")
		h.issue(t, "hotich", "")
		p := h.issue(t, "hotich", "pregnant")
		o := h.issue(t, "hotich", "")
		if p.Ahead != 0 {
			t.Errorf("priority ticket: got %d ahead, want 0", p.Ahead)
		}
		if o.Ahead != 3 {
			t.Errorf("ordinary ticket: got %d ahead, want 3", o.Ahead)
		}
	})
}
