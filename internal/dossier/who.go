package dossier

import (
	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Who may do what with a dossier (docs/domain.md, "Who does what"). The
// service checks these itself, whatever front door calls it; an
// administrator of the unit (or of the whole portal) may do everything.

// movers says which roles record each move. The clerk of the one-stop
// counter refuses at reception, hands the dossier over (received →
// in_progress), relays a request to supplement, records a fee collected
// (payment → in_progress), a withdrawal and the hand-over of the result;
// the deciding office's officer handles it: in progress, supplement,
// payment, stopped, done.
var movers = map[Status][]actor.Role{
	Refused:    {actor.RoleClerk},
	InProgress: {actor.RoleClerk, actor.RoleOfficer},
	Supplement: {actor.RoleClerk, actor.RoleOfficer},
	Payment:    {actor.RoleOfficer},
	Withdrawn:  {actor.RoleClerk},
	Stopped:    {actor.RoleOfficer},
	Done:       {actor.RoleOfficer},
	Returned:   {actor.RoleClerk},
}

// apologizers prepare and sign the letter of apology: the officer who
// handles the dossier prepares it, the head of the unit signs it.
var apologizers = []actor.Role{actor.RoleOfficer, actor.RoleHead}

// errOtherUnit refuses a staff member a dossier of a unit not theirs.
var errOtherUnit = apperr.New(apperr.Forbidden, "dossier.error.other_unit")

// mayRead reports whether a may see the whole dossier (the applicant's
// name, phone and ID number): staff of its unit, whatever their role.
func mayRead(a actor.Actor, unit string) bool { return a.IsStaff() && a.InUnit(unit) }

// readRefusal is the error for an actor who may not read a unit's dossiers.
func readRefusal(a actor.Actor) error {
	if a.IsStaff() {
		return errOtherUnit
	}
	return a.Deny()
}

// MayReceive reports whether a may receive dossiers at the desk of the unit.
func MayReceive(a actor.Actor, unit string) bool { return a.StaffIn(unit, actor.RoleClerk) }

// MayMove reports whether a may record the move of d to the status; the
// table of moves is checked apart.
func MayMove(a actor.Actor, d *Dossier, to Status) bool {
	return a.StaffIn(d.UnitCode, movers[to]...)
}

// MayApologize reports whether a may issue d's letter of apology.
func MayApologize(a actor.Actor, d *Dossier) bool {
	return a.StaffIn(d.UnitCode, apologizers...)
}

// MovesFor lists the moves d may make that a may record: the buttons of
// the desk.
func MovesFor(a actor.Actor, d *Dossier) []Status {
	var out []Status
	for _, to := range d.Status.Next() {
		if MayMove(a, d, to) {
			out = append(out, to)
		}
	}
	return out
}

// maySync reports whether a is a machine allowed to sync the unit's
// dossiers: a token with the sync scope, bound to that unit.
func maySync(a actor.Actor, unit string) bool {
	return a.HasScope(actor.ScopeSync) && unit != "" && a.Unit == unit
}

// errRole refuses staff of the unit whose role may not act.
var errRole = apperr.New(apperr.Forbidden, "dossier.error.role")

// actRefusal says why a may not act on a dossier of unit: another unit,
// another role, or nobody signed in.
func actRefusal(a actor.Actor, unit string) error {
	switch {
	case !a.IsStaff():
		return a.Deny()
	case !a.InUnit(unit):
		return errOtherUnit
	}
	return errRole
}
