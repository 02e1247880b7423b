package queue

import (
	"context"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Action is one button of a counter console (or a hardware button): its
// name, the ticket the console shows ("" for whatever the counter holds)
// and, for a transfer, where to.
type Action struct {
	Name   string // next, serve, recall, skip, callback (a no-show), done or transfer
	Ticket string
	To     Target
}

// Act runs an action at a counter for whoever works it: a clerk of the
// counter's unit, its administrator, or a machine of that unit with the
// counter scope (docs/domain.md, "Who does what"). An unknown counter or
// action is not found, anyone else is refused, and neither changes
// anything. The console page, the API and any other front door share it:
// the counter's actions exist only behind this check.
func (m *Manager) Act(ctx context.Context, who actor.Actor, counterID int64, a Action) (Ticket, error) {
	_, office, err := m.Counter(ctx, counterID)
	if err != nil {
		return Ticket{}, err
	}
	if !MayWorkCounter(who, office) {
		return Ticket{}, who.Deny()
	}
	switch a.Name {
	case "next":
		return m.callNext(ctx, counterID, a.Ticket)
	case "serve":
		return m.serve(ctx, counterID, a.Ticket)
	case "recall":
		return m.recall(ctx, counterID, a.Ticket)
	case "skip":
		return m.skip(ctx, counterID, a.Ticket)
	case "done":
		return m.done(ctx, counterID, a.Ticket)
	case "callback":
		return m.callBack(ctx, counterID, a.Ticket)
	case "transfer":
		return m.transfer(ctx, counterID, a.Ticket, a.To)
	}
	return Ticket{}, apperr.ErrNotFound
}

// MayWorkCounter reports whether a may work the counters of the office:
// the clerks of its unit (and its administrator), or a machine of that unit
// with the counter scope, narrowed to the office when it names one.
func MayWorkCounter(a actor.Actor, o Office) bool {
	switch a.Kind {
	case actor.Staff:
		return a.StaffIn(o.UnitCode, actor.RoleClerk)
	case actor.Machine:
		return a.HasScope(actor.ScopeCounter) && a.InUnit(o.UnitCode) && (a.Office == "" || a.Office == o.Code)
	}
	return false
}
