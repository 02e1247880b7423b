package staff

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Operator is whoever runs the portal's commands on the server: they act as
// an administrator of the whole portal (they hold the database anyway). Its
// ID is 0, never an account's.
func Operator() actor.Actor {
	return actor.Actor{Kind: actor.Staff, Name: "operator", Role: actor.RoleAdmin}
}

// Actor is the signed-in staff member as the service layer sees them.
func (u *User) Actor() actor.Actor {
	if u == nil {
		return actor.Anon()
	}
	return actor.Actor{Kind: actor.Staff, ID: u.ID, Name: u.Username, FullName: u.FullName, Title: u.Title,
		Role: actor.Role(u.Role), Unit: u.UnitCode}
}

// admin lets an administrator through: as everywhere in the staff rules
// (User.CanAccessUnit), an administrator acts for the whole portal.
func admin(by actor.Actor) error {
	if by.Is(actor.RoleAdmin) {
		return nil
	}
	return by.Deny()
}

// Users lists every account, for an administrator.
func (s *Service) Users(ctx context.Context, by actor.Actor) ([]User, error) {
	if err := admin(by); err != nil {
		return nil, err
	}
	return s.store.Users(ctx)
}

// SetDisabled disables or enables an account. A disabled account cannot
// sign in, and its sessions end at once on every instance (they are removed,
// and every request reads the account). Administrators cannot disable
// themselves, so that the portal always keeps one.
func (s *Service) SetDisabled(ctx context.Context, by actor.Actor, username string, disabled bool) (User, error) {
	if err := admin(by); err != nil {
		return User{}, err
	}
	username = NormalizeUsername(username)
	if disabled {
		u, _, err := s.store.UserByName(ctx, username)
		if err != nil {
			return User{}, err
		}
		if u.ID == by.ID {
			return User{}, apperr.New(apperr.Conflict, "error.staff.disable_self")
		}
		at := s.now().UTC()
		return s.store.SetUserDisabled(ctx, username, &at)
	}
	return s.store.SetUserDisabled(ctx, username, nil)
}

// SetPassword gives an account a new password and ends its sessions.
func (s *Service) SetPassword(ctx context.Context, by actor.Actor, username, password string) (User, error) {
	if err := admin(by); err != nil {
		return User{}, err
	}
	if fe := validatePassword(password); fe != nil {
		return User{}, apperr.Fields([]apperr.FieldError{*fe})
	}
	username = NormalizeUsername(username)
	if _, _, err := s.store.UserByName(ctx, username); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		return User{}, apperr.Wrap(apperr.Internal, "error.internal", fmt.Errorf("staff: hash password: %w", err))
	}
	return s.store.SetPassword(ctx, username, string(hash))
}

// Tokens lists the tokens of a unit ("" for every unit), revoked ones too,
// for an administrator. Their secrets are never stored, so never shown.
func (s *Service) Tokens(ctx context.Context, by actor.Actor, unitCode string) ([]Token, error) {
	if err := admin(by); err != nil {
		return nil, err
	}
	unitCode = strings.TrimSpace(unitCode)
	if unitCode != "" {
		if err := s.checkUnit(ctx, unitCode); err != nil {
			return nil, err
		}
	}
	return s.store.Tokens(ctx, unitCode)
}

// RevokeToken revokes a token: it stops working at once on every instance,
// since every request looks its token up. Revoking it again changes
// nothing.
func (s *Service) RevokeToken(ctx context.Context, by actor.Actor, id int64) (Token, error) {
	if err := admin(by); err != nil {
		return Token{}, err
	}
	if id <= 0 {
		return Token{}, apperr.ErrNotFound
	}
	return s.store.RevokeToken(ctx, id, s.now().UTC())
}

// Signer returns the full name and title the account of a username signs
// printed papers with. Both are empty when no such account has a full name
// recorded (papers then leave the line for a handwritten name): a login name
// is never printed.
func (s *Service) Signer(ctx context.Context, username string) (name, title string, err error) {
	if username == "" {
		return "", "", nil
	}
	u, _, err := s.store.UserByName(ctx, NormalizeUsername(username))
	if apperr.IsNotFound(err) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	return u.FullName, u.Title, nil
}
