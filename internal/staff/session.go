package staff

import (
	"context"
	"crypto/subtle"
	"time"

	"motcua/internal/apperr"
)

// Session is a signed-in browser. The ID is the cookie's secret: it is known
// only when the session starts (Start returns it) and is stored as IDHash.
// CSRF is the synchronizer token that every state-changing request of the
// session must carry.
type Session struct {
	ID         string    `db:"-"`
	IDHash     string    `db:"id_hash"`
	UserID     int64     `db:"user_id"`
	CSRF       string    `db:"csrf"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
}

// ExpiresAt is when the session ends unless it is used before: SessionIdle
// after its last use, and never later than SessionMaxAge after sign-in.
func (s Session) ExpiresAt() time.Time {
	idle := s.LastSeenAt.Add(SessionIdle)
	if abs := s.CreatedAt.Add(SessionMaxAge); abs.Before(idle) {
		return abs
	}
	return idle
}

// CheckCSRF reports whether token is this session's CSRF token, in constant
// time.
func (s Session) CheckCSRF(token string) bool {
	return s.CSRF != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// touchEvery limits writes: a session's last use is recorded at most once a
// minute, which is precise enough for an 8-hour idle limit.
const touchEvery = time.Minute

// StartSession opens a new session for the user, always with a fresh random
// ID (never one the browser brought), and ends the session previousID if
// there was one, so that a session ID fixed before sign-in is worthless.
// Expired sessions of everyone are cleared on the way.
func (s *Service) StartSession(ctx context.Context, userID int64, previousID string) (Session, error) {
	now := s.now().UTC()
	if previousID != "" {
		if err := s.store.DeleteSession(ctx, hashSecret(previousID)); err != nil {
			return Session{}, err
		}
	}
	if err := s.store.DeleteExpiredSessions(ctx, now.Add(-SessionIdle), now.Add(-SessionMaxAge)); err != nil {
		return Session{}, err
	}
	id := randomSecret(32)
	sess := Session{ID: id, IDHash: hashSecret(id), UserID: userID, CSRF: randomSecret(32), CreatedAt: now, LastSeenAt: now}
	if err := s.store.AddSession(ctx, sess); err != nil {
		return Session{}, err
	}
	return sess, nil
}

// Session returns the live session with the ID and its user, and records the
// use. An unknown, expired or malformed ID is Unauthorized.
func (s *Service) Session(ctx context.Context, id string) (Session, User, error) {
	if len(id) != 43 { // 32 random bytes, base64url
		return Session{}, User{}, errNoSession
	}
	hash := hashSecret(id)
	sess, u, err := s.store.SessionByHash(ctx, hash)
	if apperr.IsNotFound(err) {
		return Session{}, User{}, errNoSession
	}
	if err != nil {
		return Session{}, User{}, err
	}
	now := s.now().UTC()
	if !now.Before(sess.ExpiresAt()) {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			return Session{}, User{}, err
		}
		return Session{}, User{}, errNoSession
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return Session{}, User{}, err
		}
		sess.LastSeenAt = now
	}
	sess.ID = id
	return sess, u, nil
}

// EndSession signs the session out. Ending an unknown session is not an
// error: the browser is signed out either way.
func (s *Service) EndSession(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashSecret(id))
}

var errNoSession = apperr.New(apperr.Unauthorized, "error.staff.signed_out")
