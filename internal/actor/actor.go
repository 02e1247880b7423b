// Package actor says who is acting on a use case. Every service method that
// acts, or reads what is not public, takes an Actor and checks it itself
// (docs/architecture.md, "Who may do what"); a front door (page, API, kiosk,
// bot) only builds the Actor from what it authenticated.
package actor

import (
	"crypto/subtle"
	"fmt"
	"slices"

	"motcua/internal/apperr"
)

// Kind is what sort of party acts.
type Kind string

const (
	// Anonymous is anyone: a visitor of the public pages, a phone, a script.
	Anonymous Kind = ""
	// Staff is a signed-in staff member with a role and, but for an
	// administrator of the whole portal, a unit.
	Staff Kind = "staff"
	// Machine is a Bearer token of another system or device, with scopes and
	// one unit.
	Machine Kind = "machine"
	// Citizen is someone who proved the phone of a dossier on the web.
	Citizen Kind = "citizen"
	// Chat is a Telegram chat linked to such a proof.
	Chat Kind = "chat"
)

// Role is what a staff member may do (docs/domain.md, "Who does what").
type Role string

const (
	// RoleAdmin administers units, staff, offices, kiosks and the catalog.
	RoleAdmin Role = "admin"
	// RoleHead heads a unit: signs apology letters, answers feedback,
	// follows low ratings, sees the scorecard.
	RoleHead Role = "head"
	// RoleOfficer works in a deciding office: handles dossiers.
	RoleOfficer Role = "officer"
	// RoleClerk works a one-stop counter: receives, hands over, returns,
	// calls numbers.
	RoleClerk Role = "clerk"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleHead, RoleOfficer, RoleClerk}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Token scopes: what a machine may call.
const (
	ScopeSync    = "sync"    // upsert dossiers from the district's one-stop system
	ScopeCounter = "counter" // the counter calls of the queue API
	ScopeKiosk   = "kiosk"   // an enrolled kiosk: issue tickets, claim priority
)

// Actor is who acts. The zero value is Anonymous.
type Actor struct {
	Kind Kind
	// ID is the staff user's id, the token's id, or the Telegram chat id.
	ID int64
	// Name is what logs show: the username or the token's name.
	Name string
	// FullName and Title sign printed papers (staff only).
	FullName string
	Title    string
	Role     Role
	// Unit is the unit the actor belongs to; empty only for an
	// administrator of the whole portal.
	Unit string
	// Office narrows a machine (an enrolled kiosk) to one office.
	Office string
	Scopes []string
	// Phone is the normalised phone a citizen or chat proved.
	Phone string
	// Addr is the client's network address as the front door believes it
	// (trusted proxies considered): the key of per-client limits on what
	// anyone may do, such as taking queue tickets.
	Addr string
}

// Anon is the anonymous actor.
func Anon() Actor { return Actor{} }

// IsStaff reports whether a is a signed-in staff member.
func (a Actor) IsStaff() bool { return a.Kind == Staff }

// Is reports whether a is a staff member with one of the roles.
func (a Actor) Is(roles ...Role) bool { return a.Kind == Staff && slices.Contains(roles, a.Role) }

// HasScope reports whether a is a machine allowed calls of the scope.
func (a Actor) HasScope(scope string) bool {
	return a.Kind == Machine && slices.Contains(a.Scopes, scope)
}

// InUnit reports whether a may see and change the data of the unit: an
// administrator of the whole portal every unit, other staff and machines only
// their own.
func (a Actor) InUnit(code string) bool {
	switch a.Kind {
	case Staff:
		if a.Role == RoleAdmin && a.Unit == "" {
			return true
		}
		return a.Unit != "" && a.Unit == code
	case Machine:
		return a.Unit != "" && a.Unit == code
	}
	return false
}

// StaffIn reports whether a is staff of the unit with one of the roles; an
// administrator always qualifies for the units he may access.
func (a Actor) StaffIn(unit string, roles ...Role) bool {
	if !a.InUnit(unit) || a.Kind != Staff {
		return false
	}
	return a.Role == RoleAdmin || slices.Contains(roles, a.Role)
}

// ProvedPhone reports whether a is a citizen or chat that proved this
// normalised phone. The compare takes the same time whatever the phones.
func (a Actor) ProvedPhone(phone string) bool {
	if a.Kind != Citizen && a.Kind != Chat {
		return false
	}
	if a.Phone == "" || phone == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(a.Phone), []byte(phone)) == 1
}

// Signature is the name printed papers carry: the full name, never a login.
func (a Actor) Signature() string {
	if a.FullName != "" {
		return a.FullName
	}
	return a.Name
}

// String is the actor for logs: never a phone or a secret.
func (a Actor) String() string {
	switch a.Kind {
	case Staff:
		return fmt.Sprintf("staff:%d(%s,%s@%s)", a.ID, a.Name, a.Role, a.Unit)
	case Machine:
		return fmt.Sprintf("machine:%d(%s@%s)", a.ID, a.Name, a.Unit)
	case Citizen:
		return "citizen"
	case Chat:
		return fmt.Sprintf("chat:%d", a.ID)
	}
	return "anonymous"
}

// Errors of the checks, shared by every service.
var (
	// ErrUnauthorized: the use case needs someone signed in or proved.
	ErrUnauthorized = apperr.New(apperr.Unauthorized, "error.unauthorized")
	// ErrForbidden: the actor is known but may not do this.
	ErrForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
)

// Deny returns the error for an actor refused a use case: Unauthorized for
// an anonymous one, Forbidden for everyone else.
func (a Actor) Deny() error {
	if a.Kind == Anonymous {
		return ErrUnauthorized
	}
	return ErrForbidden
}
