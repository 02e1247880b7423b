package queue

import (
	"context"
	"strings"
	"time"

	"motcua/internal/apperr"
)

// transfer sends the held ticket to another service of the office, to a
// named counter, or both. The ticket keeps its number and its place (its
// position of issue), so the visitor does not start again at the back.
func (m *Manager) transfer(ctx context.Context, counterID int64, ticketID string, to Target) (Ticket, error) {
	c, _, err := m.Counter(ctx, counterID)
	if err != nil {
		return Ticket{}, err
	}
	l, err := m.Layout(ctx, c.OfficeCode)
	if err != nil {
		return Ticket{}, err
	}
	to.Service = strings.TrimSpace(to.Service)
	var bad fieldErrs
	if to.Service != "" {
		if _, ok := l.Service(to.Service); !ok {
			bad.add("service", "queue.error.service_unknown", nil)
		}
	}
	if to.Counter != 0 && !hasCounter(l, to.Counter) {
		bad.add("counter", "queue.error.counter_unknown", nil)
	}
	if to.Counter == c.ID {
		bad.add("counter", "queue.error.same_counter", nil)
	}
	if to.Service == "" && to.Counter == 0 {
		bad.add("service", "queue.error.transfer_target", nil)
	}
	if err := bad.err(); err != nil {
		return Ticket{}, err
	}
	return m.act(ctx, counterID, ticketID, EventTransferred, false, func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error) {
		if to.Counter == 0 && to.Service == t.Service {
			return Ticket{}, apperr.Fields([]apperr.FieldError{{Field: "service", MessageID: "queue.error.same_service"}})
		}
		if start := startOf(t); start != nil {
			t.ServiceSeconds += int(now.Sub(*start) / time.Second)
		}
		if to.Service != "" {
			t.Service = to.Service
		}
		t.Status, t.TargetCounter, t.CounterID = Transferred, to.Counter, 0
		t.CalledAt, t.ServedAt = nil, nil
		t.Transfers++
		return t, tx.SaveTicket(t)
	})
}

func startOf(t Ticket) *time.Time {
	if t.ServedAt != nil {
		return t.ServedAt
	}
	return t.CalledAt
}

func hasCounter(l Layout, id int64) bool {
	for _, c := range l.Counters {
		if c.ID == id {
			return true
		}
	}
	return false
}

// ErrLinked: the ticket's visit already opened another dossier.
var ErrLinked = apperr.New(apperr.Conflict, "queue.error.linked")

// LinkTo records the dossier opened for the ticket's visitor: only for a
// visit at a counter or one just finished; the same code again changes
// nothing (changed is false), another code is a conflict. Reception at the
// desk applies it in the transaction that creates the dossier.
func (t Ticket) LinkTo(dossierCode string) (linked Ticket, changed bool, err error) {
	switch {
	case t.DossierCode == dossierCode:
		return t, false, nil
	case t.DossierCode != "":
		return t, false, ErrLinked
	case !t.Status.AtCounter() && t.Status != Done:
		return t, false, errState
	}
	t.DossierCode = dossierCode
	return t, true, nil
}
