package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
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
	Users(ctx context.Context) ([]User, error)
	// SetUserDisabled disables (at) or enables (nil) an account, ending its
	// sessions when disabling; SetPassword replaces the hash and ends them.
	SetUserDisabled(ctx context.Context, username string, at *time.Time) (User, error)
	SetPassword(ctx context.Context, username, passwordHash string) (User, error)

	// ReserveLogin atomically (per address, on every instance) reads the
	// failures since the time of the account from the address (pair) and
	// of the address (addr), oldest first, and unless admit refuses records
	// this attempt as a failure. ReleaseLogin forgets the pair's failures
	// and every failure older than before.
	ReserveLogin(ctx context.Context, username, ip string, at, since time.Time, admit func(pair, addr []time.Time) error) error
	ReleaseLogin(ctx context.Context, username, ip string, before time.Time) error

	AddSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, idHash string) (Session, User, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) error

	AddToken(ctx context.Context, t Token, secretHash string) (Token, error)
	// TokenByHash finds a live (unrevoked) token only.
	TokenByHash(ctx context.Context, secretHash string) (Token, error)
	Tokens(ctx context.Context, unitCode string) ([]Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) (Token, error)
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
	// Log receives the sign-in failures and lockouts, with the account
	// they target (never the password). Nil discards them.
	Log *slog.Logger

	// checking holds a slot per password being checked, admitted one per
	// sign-in admitted to wait for a slot; beyond that a sign-in is refused
	// at once, so that a flood of bad sign-ins cannot take every core.
	checking chan struct{}
	admitted chan struct{}

	dummyOnce sync.Once
	dummy     []byte
}

// NewService returns the staff service. It checks at most half the cores'
// worth of passwords at once (at least one), leaving the rest to the
// portal's other pages, and lets eight sign-ins per slot wait their turn.
func NewService(s Store, now func() time.Time) *Service {
	svc := &Service{store: s, now: now, BcryptCost: DefaultCost}
	slots := max(1, runtime.GOMAXPROCS(0)/2)
	svc.LimitPasswordChecks(slots, 8*slots)
	return svc
}

// LimitPasswordChecks sets how many password checks may run at once and how
// many sign-ins may wait for one; a sign-in beyond both is refused with
// ErrBusy. It must be called before the service is used.
func (s *Service) LimitPasswordChecks(running, waiting int) {
	s.checking = make(chan struct{}, max(1, running))
	s.admitted = make(chan struct{}, max(1, running)+max(0, waiting))
}

// BusySeconds is how long a sign-in refused as busy is asked to wait.
const BusySeconds = 2

// ErrBusy refuses a sign-in when too many are being checked already.
var ErrBusy = apperr.New(apperr.RateLimited, "error.staff.busy").With(map[string]any{"Seconds": BusySeconds})

// passwordSlot admits a sign-in and waits for a slot to check its
// password; it refuses at once (ErrBusy) when too many already wait. The
// returned func frees both.
func (s *Service) passwordSlot(ctx context.Context) (func(), error) {
	select {
	case s.admitted <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	select {
	case s.checking <- struct{}{}:
	case <-ctx.Done():
		<-s.admitted
		return nil, apperr.Wrap(apperr.Unavailable, "error.unavailable", ctx.Err())
	}
	return func() { <-s.checking; <-s.admitted }, nil
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
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
		return User{}, ErrUsernameTaken
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

// Authenticate checks a username and password from clientIP.
//
// Lockout is by account and address together: after MaxFailures failures
// of one account from one address, that address must wait LockBase before
// its next try at that account, and each further failure doubles the wait
// (up to LockMax), while the account's owner signs in from anywhere else.
// Failures are remembered for FailureMemory and a success forgives the
// address its failures at that account. An address with MaxIPFailures
// failures over all accounts within IPWindow waits until they age out.
// Both answer RateLimited with the minutes (Count) and seconds to wait.
//
// The check and the count are one atomic step: the attempt is recorded as a
// failure (ReserveLogin) before its password is checked and released only
// if it is right, so concurrent attempts, on any instance, count each
// other. Unknown usernames are counted and timed like known ones, so the
// answers never tell whether an account exists; a disabled account answers
// like a wrong password.
func (s *Service) Authenticate(ctx context.Context, username, password, clientIP string) (User, error) {
	username = NormalizeUsername(username)
	if len(username) > 64 || len(password) > 1024 {
		return User{}, apperr.New(apperr.Unauthorized, "error.staff.login_failed")
	}
	done, err := s.passwordSlot(ctx)
	if err != nil {
		return User{}, err
	}
	defer done()
	now := s.now().UTC()
	var pairBefore, addrBefore []time.Time
	err = s.store.ReserveLogin(ctx, username, clientIP, now, now.Add(-FailureMemory), func(pair, addr []time.Time) error {
		pairBefore, addrBefore = pair, inWindow(addr, now.Add(-IPWindow))
		if until, ok := lockedUntil(pairBefore, addrBefore, now); ok {
			return lockedError(now, until)
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	u, hash, err := s.store.UserByName(ctx, username)
	if err != nil && !apperr.IsNotFound(err) {
		return User{}, err
	}
	known := err == nil
	if !known {
		hash = string(s.dummyHash())
	}
	cmpErr := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	wrong := errors.Is(cmpErr, bcrypt.ErrMismatchedHashAndPassword) || errors.Is(cmpErr, bcrypt.ErrPasswordTooLong)
	if cmpErr != nil && !wrong && known {
		return User{}, apperr.Wrap(apperr.Internal, "error.internal", fmt.Errorf("staff: check password of %s: %w", username, cmpErr))
	}
	if cmpErr == nil && known && !u.Disabled() {
		// The reservation and the earlier failures of this address at this
		// account are forgiven; old rows of everyone are pruned.
		if err := s.store.ReleaseLogin(ctx, username, clientIP, now.Add(-FailureMemory)); err != nil {
			return User{}, err
		}
		return u, nil
	}
	// The reservation stays: it is this failure.
	pairAfter, addrAfter := append(pairBefore, now), append(addrBefore, now)
	account := slog.String("account", username)
	if !known {
		account = slog.String("account", "(unknown)") // maybe a password typed in the wrong field
	}
	if until, ok := lockedUntil(pairAfter, addrAfter, now); ok {
		s.log().Warn("staff sign-in locked for an address", account, "ip", clientIP,
			"failures", len(pairAfter), "address_failures", len(addrAfter), "until", until)
		return User{}, lockedError(now, until)
	}
	s.log().Info("staff sign-in failed", account, "ip", clientIP, "failures", len(pairAfter), "disabled", known && u.Disabled())
	return User{}, apperr.New(apperr.Unauthorized, "error.staff.login_failed")
}

// inWindow keeps the times after since (they are sorted).
func inWindow(ts []time.Time, since time.Time) []time.Time {
	for i, t := range ts {
		if t.After(since) {
			return ts[i:]
		}
	}
	return nil
}

// lockedUntil applies the lockout rules to the failures of an account from
// an address (pair) and of the address (addr, within IPWindow), oldest
// first: it reports when the address may try again, if not now.
func lockedUntil(pair, addr []time.Time, now time.Time) (time.Time, bool) {
	var until time.Time
	if n := len(pair); n >= MaxFailures {
		until = pair[n-1].Add(LockDelay(n))
	}
	if n := len(addr); n >= MaxIPFailures {
		// Locked until enough failures leave the window to fall below the
		// limit.
		if t := addr[n-MaxIPFailures].Add(IPWindow); t.After(until) {
			until = t
		}
	}
	return until, now.Before(until)
}

// LockDelay is how long an address waits after its n-th failure in a row
// at one account: nothing before MaxFailures, then LockBase, doubling with
// each failure up to LockMax.
func LockDelay(n int) time.Duration {
	if n < MaxFailures {
		return 0
	}
	d := LockBase
	for i := MaxFailures; i < n && d < LockMax; i++ {
		d *= 2
	}
	return min(d, LockMax)
}

// ErrUsernameTaken: the store already holds an account of that name.
var ErrUsernameTaken = apperr.New(apperr.Conflict, "error.staff.username_taken")

// ErrDuplicate: a session ID or token secret drawn at random is already
// stored; never expected, and a bug if seen.
var ErrDuplicate = apperr.New(apperr.Internal, "error.internal")

// lockedError says how long to wait, in whole minutes for people (Count)
// and in seconds for Retry-After.
func lockedError(now, until time.Time) error {
	wait := until.Sub(now)
	return apperr.New(apperr.RateLimited, "error.staff.locked").With(map[string]any{
		"Count": int(math.Ceil(wait.Minutes())), "Seconds": int(math.Ceil(wait.Seconds()))})
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
