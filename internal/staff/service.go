package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/apperr"
	"motcua/internal/unit"
)

// Store is what the staff service needs from persistence.
type Store interface {
	Unit(ctx context.Context, code string) (unit.Unit, error)

	AddUser(ctx context.Context, u User, passwordHash string) (User, error)
	UserByName(ctx context.Context, username string) (User, string, error)

	AddLoginFailure(ctx context.Context, username, ip string, at time.Time) error
	LoginFailures(ctx context.Context, username, ip string, since time.Time) (byUser, byIP int, err error)
	ClearLoginFailures(ctx context.Context, username string, before time.Time) error

	AddSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, idHash string) (Session, User, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) error

	AddToken(ctx context.Context, t Token, secretHash string) (Token, error)
	TokenByHash(ctx context.Context, secretHash string) (Token, error)
}

// DefaultCost is the bcrypt cost of new passwords: about a quarter second on
// a server, slow for a guesser, bearable once per sign-in.
const DefaultCost = 12

// Service manages staff accounts, sign-in, sessions and tokens.
type Service struct {
	store Store
	now   func() time.Time
	// BcryptCost is the cost of new hashes; tests lower it to bcrypt.MinCost.
	BcryptCost int

	dummyOnce sync.Once
	dummy     []byte
}

// NewService returns the staff service.
func NewService(s Store, now func() time.Time) *Service {
	return &Service{store: s, now: now, BcryptCost: DefaultCost}
}

// AddUser validates and creates a staff account with a bcrypt hash of its
// password. A taken username is a conflict; an unknown unit is invalid.
func (s *Service) AddUser(ctx context.Context, u User, password string) (User, error) {
	u.Username = NormalizeUsername(u.Username)
	u.UnitCode = strings.TrimSpace(u.UnitCode)
	u.ID = 0
	var fields []apperr.FieldError
	if err := u.Validate(); err != nil {
		fields = apperr.As(err).Fields
	}
	if fe := validatePassword(password); fe != nil {
		fields = append(fields, *fe)
	}
	if len(fields) > 0 {
		return User{}, apperr.Fields(fields)
	}
	if u.UnitCode != "" {
		if err := s.checkUnit(ctx, u.UnitCode); err != nil {
			return User{}, err
		}
	}
	// Hashing is slow on purpose; a taken name is known without it. The
	// store's unique index still decides a race.
	if _, _, err := s.store.UserByName(ctx, u.Username); err == nil {
		return User{}, errUsernameTaken
	} else if !apperr.IsNotFound(err) {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		return User{}, apperr.Wrap(apperr.Internal, "error.internal", fmt.Errorf("staff: hash password: %w", err))
	}
	u.CreatedAt = s.now().UTC()
	return s.store.AddUser(ctx, u, string(hash))
}

// checkUnit refuses a unit code that names no unit.
func (s *Service) checkUnit(ctx context.Context, code string) error {
	_, err := s.store.Unit(ctx, code)
	if apperr.IsNotFound(err) {
		return apperr.Fields([]apperr.FieldError{{Field: "unit", MessageID: "error.staff.unit_unknown", Params: map[string]any{"Code": code}}})
	}
	return err
}

// Authenticate checks a username and password from clientIP. After
// MaxFailures failures for one account within FailureWindow the account is
// locked until the oldest of them leaves the window, and after MaxIPFailures
// from one address that address is; both answer RateLimited with the minutes
// to wait. Unknown usernames are counted and timed like known ones, so the
// answers never tell whether an account exists.
func (s *Service) Authenticate(ctx context.Context, username, password, clientIP string) (User, error) {
	username = NormalizeUsername(username)
	if len(username) > 64 || len(password) > 1024 {
		return User{}, apperr.New(apperr.Unauthorized, "error.staff.login_failed")
	}
	now := s.now().UTC()
	byUser, byIP, err := s.store.LoginFailures(ctx, username, clientIP, now.Add(-FailureWindow))
	if err != nil {
		return User{}, err
	}
	if byUser >= MaxFailures || byIP >= MaxIPFailures {
		return User{}, lockedError()
	}
	u, hash, err := s.store.UserByName(ctx, username)
	if err != nil && !apperr.IsNotFound(err) {
		return User{}, err
	}
	if err != nil {
		hash = string(s.dummyHash())
	}
	if cmpErr := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); cmpErr != nil || err != nil {
		wrong := errors.Is(cmpErr, bcrypt.ErrMismatchedHashAndPassword) || errors.Is(cmpErr, bcrypt.ErrPasswordTooLong)
		if cmpErr != nil && !wrong && err == nil {
			return User{}, apperr.Wrap(apperr.Internal, "error.internal", fmt.Errorf("staff: check password of %s: %w", username, cmpErr))
		}
		if ferr := s.store.AddLoginFailure(ctx, username, clientIP, now); ferr != nil {
			return User{}, ferr
		}
		if byUser+1 >= MaxFailures || byIP+1 >= MaxIPFailures {
			return User{}, lockedError()
		}
		return User{}, apperr.New(apperr.Unauthorized, "error.staff.login_failed")
	}
	// A success forgives this account's failures; old rows of every account
	// are pruned on the way.
	if err := s.store.ClearLoginFailures(ctx, username, now.Add(-FailureWindow)); err != nil {
		return User{}, err
	}
	return u, nil
}

var errUsernameTaken = apperr.New(apperr.Conflict, "error.staff.username_taken")

func lockedError() error {
	return apperr.New(apperr.RateLimited, "error.staff.locked").With(map[string]any{"Minutes": int(math.Ceil(FailureWindow.Minutes()))})
}

// dummyHash is compared against when the username is unknown, so that an
// unknown name takes as long as a wrong password.
func (s *Service) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("motcua: no such account"), s.BcryptCost)
	})
	return s.dummy
}

// randomSecret returns n random bytes, base64url without padding.
func randomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how secrets (session IDs, tokens) are kept: their SHA-256,
// in hex. They are long and random, so no salt or slow hash is needed, and a
// leaked table cannot be replayed.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
