// Package staff is the service layer for the people and machines that act on
// dossiers and queues: staff accounts with roles bound to units, their
// sign-in with lockout, server-side sessions, and Bearer tokens for the
// district's other systems.
package staff

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Role is what a staff member may do: the actor's role
// (docs/domain.md, "Who does what").
type Role = actor.Role

// The roles, as the actor package names them.
const (
	RoleAdmin   = actor.RoleAdmin
	RoleHead    = actor.RoleHead
	RoleOfficer = actor.RoleOfficer
	RoleClerk   = actor.RoleClerk
)

// Roles lists every role, most powerful first.
var Roles = actor.Roles

// Token scopes: what a machine token may call.
const (
	ScopeSync    = actor.ScopeSync    // PUT /api/v1/sync/dossiers/{code}
	ScopeCounter = actor.ScopeCounter // the counter calls of the queue API
)

// Scopes lists every token scope.
var Scopes = []string{ScopeSync, ScopeCounter}

// Limits of the sign-in rules; the tests and the messages use them.
const (
	MinPasswordLen = 10 // characters
	// MaxPasswordBytes is bcrypt's limit: it ignores (x/crypto refuses)
	// anything longer.
	MaxPasswordBytes = 72
	MaxFailures      = 5                // per account and address before a wait
	LockBase         = time.Minute      // the first wait, doubled by each further failure
	LockMax          = time.Hour        // the longest wait
	FailureMemory    = 24 * time.Hour   // how long failures are remembered
	MaxIPFailures    = 20               // per client address, over all accounts, within IPWindow
	IPWindow         = 15 * time.Minute // how long failures count against an address
	SessionIdle      = 8 * time.Hour    // a session unused this long ends
	SessionMaxAge    = 24 * time.Hour   // a session ends this long after sign-in
)

// User is a staff account. UnitCode is empty only for an administrator of
// the whole portal.
type User struct {
	ID       int64  `json:"id" db:"id"`
	Username string `json:"username" db:"username"`
	Role     Role   `json:"role" db:"role"`
	UnitCode string `json:"unit,omitempty" db:"unit_code"`
	// FullName and Title sign printed papers, never the username.
	FullName  string    `json:"full_name,omitempty" db:"full_name"`
	Title     string    `json:"title,omitempty" db:"title"`
	CreatedAt time.Time `json:"-" db:"created_at"`
	// DisabledAt is when an administrator disabled the account: it can
	// neither sign in nor use a session it had. Nil while enabled.
	DisabledAt *time.Time `json:"-" db:"disabled_at"`
}

// Disabled reports whether the account may no longer sign in.
func (u User) Disabled() bool { return u.DisabledAt != nil }

// Signature is the name printed papers carry: the full name, never the
// login, which is shown only while no full name is recorded.
func (u User) Signature() string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Username
}

// CanAccessUnit reports whether u may see and change the data of the unit:
// an administrator of the whole portal every unit, others only their own
// (the actor's rule).
func (u *User) CanAccessUnit(code string) bool { return u.Actor().InUnit(code) }

// HasRole reports whether u has one of the roles. Templates use it:
// {{if .Staff.HasRole "admin" "officer"}}.
func (u *User) HasRole(roles ...Role) bool {
	return u != nil && slices.Contains(roles, u.Role)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// NormalizeUsername folds a username to the stored form, so that "An.Nguyen"
// and "an.nguyen" are one account.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user before it is stored; every bad field is listed.
func (u *User) Validate() error {
	var errs []apperr.FieldError
	if !usernamePattern.MatchString(u.Username) {
		errs = append(errs, apperr.FieldError{Field: "username", MessageID: "error.staff.username"})
	}
	if !u.Role.Valid() {
		errs = append(errs, apperr.FieldError{Field: "role", MessageID: "error.staff.role"})
	}
	if u.Role != RoleAdmin && u.UnitCode == "" {
		errs = append(errs, apperr.FieldError{Field: "unit", MessageID: "error.staff.unit_required"})
	}
	errs = append(errs, validateText("full_name", u.FullName, 100)...)
	errs = append(errs, validateText("title", u.Title, 100)...)
	if len(errs) > 0 {
		return apperr.Fields(errs)
	}
	return nil
}

// validateText checks a short line of text: valid UTF-8, no control
// characters, at most max characters.
func validateText(field, s string, maxLen int) []apperr.FieldError {
	switch {
	case !utf8.ValidString(s):
		return []apperr.FieldError{{Field: field, MessageID: "error.field.utf8"}}
	case utf8.RuneCountInString(s) > maxLen:
		return []apperr.FieldError{{Field: field, MessageID: "error.field.too_long", Params: map[string]any{"Max": maxLen}}}
	case strings.ContainsFunc(s, unicode.IsControl):
		return []apperr.FieldError{{Field: field, MessageID: "error.field.utf8"}}
	}
	return nil
}

// validatePassword applies the password rule: long enough to resist
// guessing, short enough for bcrypt.
func validatePassword(pw string) *apperr.FieldError {
	switch {
	case !utf8.ValidString(pw):
		return &apperr.FieldError{Field: "password", MessageID: "error.field.utf8"}
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return &apperr.FieldError{Field: "password", MessageID: "error.staff.password_short", Params: map[string]any{"Min": MinPasswordLen}}
	case len(pw) > MaxPasswordBytes:
		return &apperr.FieldError{Field: "password", MessageID: "error.staff.password_long", Params: map[string]any{"Max": MaxPasswordBytes}}
	}
	return nil
}

// Token is a machine's credential, bound to one unit. Its secret is shown
// once, at creation; only its SHA-256 hash is stored.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	UnitCode  string    `json:"unit"`
	Scopes    []string  `json:"scopes"`
	CreatedAt time.Time `json:"-"`
	// RevokedAt is when the token was revoked; nil while it works.
	RevokedAt *time.Time `json:"-"`
}

// Revoked reports whether the token no longer works.
func (t Token) Revoked() bool { return t.RevokedAt != nil }

// HasScope reports whether the token may make calls of the scope.
func (t *Token) HasScope(scope string) bool { return t != nil && slices.Contains(t.Scopes, scope) }

// Actor is the machine holding the token as the service layer sees it. A
// nil token is the anonymous actor.
func (t *Token) Actor() actor.Actor {
	if t == nil {
		return actor.Anon()
	}
	name := t.Name
	if name == "" {
		name = "token-" + strconv.FormatInt(t.ID, 10)
	}
	return actor.Actor{Kind: actor.Machine, ID: t.ID, Name: name, Unit: t.UnitCode, Scopes: slices.Clone(t.Scopes)}
}

// CanAccessUnit reports whether the token may act on the unit: only its own.
func (t *Token) CanAccessUnit(code string) bool {
	return t != nil && t.UnitCode != "" && t.UnitCode == code
}

// Validate checks a token before it is stored.
func (t *Token) Validate() error {
	var errs []apperr.FieldError
	if t.UnitCode == "" {
		errs = append(errs, apperr.FieldError{Field: "unit", MessageID: "error.field.required"})
	}
	if len(t.Scopes) == 0 {
		errs = append(errs, apperr.FieldError{Field: "scope", MessageID: "error.staff.scope"})
	}
	for _, sc := range t.Scopes {
		if !slices.Contains(Scopes, sc) {
			errs = append(errs, apperr.FieldError{Field: "scope", MessageID: "error.staff.scope"})
			break
		}
	}
	if !utf8.ValidString(t.Name) || utf8.RuneCountInString(t.Name) > 100 {
		errs = append(errs, apperr.FieldError{Field: "name", MessageID: "error.field.too_long", Params: map[string]any{"Max": 100}})
	}
	if len(errs) > 0 {
		return apperr.Fields(errs)
	}
	return nil
}
