package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/staff"
)

// userRow is a user as stored: the unit is NULL for a portal administrator.
type userRow struct {
	ID           int64          `db:"id"`
	Username     string         `db:"username"`
	PasswordHash string         `db:"password_hash"`
	Role         string         `db:"role"`
	UnitCode     sql.NullString `db:"unit_code"`
	CreatedAt    time.Time      `db:"created_at"`
}

func (r userRow) user() staff.User {
	return staff.User{ID: r.ID, Username: r.Username, Role: staff.Role(r.Role), UnitCode: r.UnitCode.String, CreatedAt: r.CreatedAt.UTC()}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const userColumns = `id, username, password_hash, role, unit_code, created_at`

// AddUser creates a staff account and returns it with its ID; a taken
// username is a conflict.
func (db *DB) AddUser(ctx context.Context, u staff.User, passwordHash string) (staff.User, error) {
	err := db.x.GetContext(ctx, &u.ID, db.q(`INSERT INTO users (username, password_hash, role, unit_code, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), u.Username, passwordHash, string(u.Role), nullable(u.UnitCode), u.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return staff.User{}, apperr.New(apperr.Conflict, "error.staff.username_taken")
		}
		return staff.User{}, unavailable("add user", err)
	}
	return u, nil
}

// UserByName returns an account with its password hash, or ErrNotFound.
func (db *DB) UserByName(ctx context.Context, username string) (staff.User, string, error) {
	var r userRow
	err := db.x.GetContext(ctx, &r, db.q(`SELECT `+userColumns+` FROM users WHERE username = ?`), username)
	if err != nil {
		return staff.User{}, "", notFound("get user", err)
	}
	return r.user(), r.PasswordHash, nil
}

// UserByID returns an account, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (staff.User, error) {
	var r userRow
	err := db.x.GetContext(ctx, &r, db.q(`SELECT `+userColumns+` FROM users WHERE id = ?`), id)
	if err != nil {
		return staff.User{}, notFound("get user", err)
	}
	return r.user(), nil
}

// Users lists every account by username.
func (db *DB) Users(ctx context.Context) ([]staff.User, error) {
	var rows []userRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT `+userColumns+` FROM users ORDER BY username`); err != nil {
		return nil, unavailable("list users", err)
	}
	out := make([]staff.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// AddLoginFailure records one failed sign-in.
func (db *DB) AddLoginFailure(ctx context.Context, username, ip string, at time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)`), username, ip, at.UTC())
	return unavailable("add login failure", err)
}

// LoginFailures counts the failures since the time, for the username and
// for the address.
func (db *DB) LoginFailures(ctx context.Context, username, ip string, since time.Time) (byUser, byIP int, err error) {
	var n struct {
		ByUser int `db:"by_user"`
		ByIP   int `db:"by_ip"`
	}
	err = db.x.GetContext(ctx, &n, db.q(`SELECT
		(SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?) AS by_user,
		(SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at > ?) AS by_ip`),
		username, since.UTC(), ip, since.UTC())
	if err != nil {
		return 0, 0, unavailable("count login failures", err)
	}
	return n.ByUser, n.ByIP, nil
}

// ClearLoginFailures forgets the failures of the username and every
// failure older than before.
func (db *DB) ClearLoginFailures(ctx context.Context, username string, before time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE username = ? OR at <= ?`), username, before.UTC())
	return unavailable("clear login failures", err)
}

// AddSession stores a new session (by the hash of its ID).
func (db *DB) AddSession(ctx context.Context, s staff.Session) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?)`), s.IDHash, s.UserID, s.CSRF, s.CreatedAt.UTC(), s.LastSeenAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "error.internal")
		}
		return unavailable("add session", err)
	}
	return nil
}

// SessionByHash returns a session and its user, or ErrNotFound. Expiry is
// the service's judgement.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (staff.Session, staff.User, error) {
	var r struct {
		userRow
		IDHash         string    `db:"id_hash"`
		CSRF           string    `db:"csrf"`
		SessionCreated time.Time `db:"session_created_at"`
		LastSeenAt     time.Time `db:"last_seen_at"`
	}
	err := db.x.GetContext(ctx, &r, db.q(`SELECT s.id_hash, s.csrf, s.created_at AS session_created_at, s.last_seen_at,
		u.id, u.username, u.password_hash, u.role, u.unit_code, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`), idHash)
	if err != nil {
		return staff.Session{}, staff.User{}, notFound("get session", err)
	}
	sess := staff.Session{IDHash: r.IDHash, UserID: r.ID, CSRF: r.CSRF, CreatedAt: r.SessionCreated.UTC(), LastSeenAt: r.LastSeenAt.UTC()}
	return sess, r.userRow.user(), nil
}

// TouchSession records the session's latest use.
func (db *DB) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`), at.UTC(), idHash)
	return unavailable("touch session", err)
}

// DeleteSession ends a session; an unknown one is no error.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.x.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ?`), idHash)
	return unavailable("delete session", err)
}

// DeleteExpiredSessions removes sessions idle since lastSeenBefore or
// started before createdBefore.
func (db *DB) DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?`),
		lastSeenBefore.UTC(), createdBefore.UTC())
	return unavailable("delete expired sessions", err)
}

// AddToken stores a token by the hash of its secret and returns it with its
// ID.
func (db *DB) AddToken(ctx context.Context, t staff.Token, secretHash string) (staff.Token, error) {
	err := db.x.GetContext(ctx, &t.ID, db.q(`INSERT INTO api_tokens (name, unit_code, scopes, secret_hash, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), t.Name, t.UnitCode, strings.Join(t.Scopes, ","), secretHash, t.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return staff.Token{}, apperr.New(apperr.Conflict, "error.internal")
		}
		return staff.Token{}, unavailable("add token", err)
	}
	return t, nil
}

// TokenByHash returns the token with the secret hash, or ErrNotFound.
func (db *DB) TokenByHash(ctx context.Context, secretHash string) (staff.Token, error) {
	var r struct {
		ID        int64     `db:"id"`
		Name      string    `db:"name"`
		UnitCode  string    `db:"unit_code"`
		Scopes    string    `db:"scopes"`
		CreatedAt time.Time `db:"created_at"`
	}
	err := db.x.GetContext(ctx, &r, db.q(`SELECT id, name, unit_code, scopes, created_at FROM api_tokens WHERE secret_hash = ?`), secretHash)
	if err != nil {
		return staff.Token{}, notFound("get token", err)
	}
	return staff.Token{ID: r.ID, Name: r.Name, UnitCode: r.UnitCode, Scopes: strings.Split(r.Scopes, ","), CreatedAt: r.CreatedAt.UTC()}, nil
}
