package queue

import (
	"context"

	"motcua/internal/apperr"
)

// Action is one button of a counter console (or a hardware button): its
// name, the ticket the console shows ("" for whatever the counter holds)
// and, for a transfer, where to.
type Action struct {
	Name   string // next, serve, recall, skip, done or transfer
	Ticket string
	To     Target
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

// Act runs an action at a counter for a caller who may work only the
// counters of the units can allows: an unknown counter or action is not
// found, a counter of another unit is forbidden, and both change nothing.
// The console page and the API share it, so the rule is kept once.
func (m *Manager) Act(ctx context.Context, can func(unit string) bool, counterID int64, a Action) (Ticket, error) {
	_, office, err := m.Counter(ctx, counterID)
	if err != nil {
		return Ticket{}, err
	}
	if can == nil || !can(office.UnitCode) {
		return Ticket{}, errForbidden
	}
	switch a.Name {
	case "next":
		return m.CallNext(ctx, counterID, a.Ticket)
	case "serve":
		return m.Serve(ctx, counterID, a.Ticket)
	case "recall":
		return m.Recall(ctx, counterID, a.Ticket)
	case "skip":
		return m.Skip(ctx, counterID, a.Ticket)
	case "done":
		return m.Done(ctx, counterID, a.Ticket)
	case "transfer":
		return m.Transfer(ctx, counterID, a.Ticket, a.To)
	}
	return Ticket{}, apperr.ErrNotFound
}
