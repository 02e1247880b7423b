package store

import (
	"context"
	"database/sql"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

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
	FullName     string         `db:"full_name"`
	Title        string         `db:"title"`
	CreatedAt    time.Time      `db:"created_at"`
	DisabledAt   sql.NullTime   `db:"disabled_at"`
}

func (r userRow) user() staff.User {
	u := staff.User{ID: r.ID, Username: r.Username, Role: staff.Role(r.Role), UnitCode: r.UnitCode.String,
		FullName: r.FullName, Title: r.Title, CreatedAt: r.CreatedAt.UTC()}
	if r.DisabledAt.Valid {
		t := r.DisabledAt.Time.UTC()
		u.DisabledAt = &t
	}
	return u
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const userColumns = `id, username, password_hash, role, unit_code, full_name, title, created_at, disabled_at`

// AddUser creates a staff account and returns it with its ID; a taken
// username is a conflict.
func (db *DB) AddUser(ctx context.Context, u staff.User, passwordHash string) (staff.User, error) {
	err := db.x.GetContext(ctx, &u.ID, db.q(`INSERT INTO users (username, password_hash, role, unit_code, full_name, title, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), u.Username, passwordHash, string(u.Role), nullable(u.UnitCode), u.FullName, u.Title, u.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return staff.User{}, staff.ErrUsernameTaken
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

// SetUserDisabled disables (at a time) or enables (nil) an account; a
// disabled account's sessions are ended in the same transaction. An unknown
// username is ErrNotFound.
func (db *DB) SetUserDisabled(ctx context.Context, username string, at *time.Time) (staff.User, error) {
	var u staff.User
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var when any
		if at != nil {
			when = at.UTC()
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET disabled_at = ? WHERE username = ?`), when, username)
		if err != nil {
			return unavailable("disable user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		var r userRow
		if err := tx.GetContext(ctx, &r, db.q(`SELECT `+userColumns+` FROM users WHERE username = ?`), username); err != nil {
			return notFound("get user", err)
		}
		u = r.user()
		if at != nil {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), u.ID); err != nil {
				return unavailable("end sessions", err)
			}
		}
		return nil
	})
	return u, err
}

// SetPassword replaces an account's password hash and ends its sessions,
// in one transaction. An unknown username is ErrNotFound.
func (db *DB) SetPassword(ctx context.Context, username, passwordHash string) (staff.User, error) {
	var u staff.User
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var r userRow
		if err := tx.GetContext(ctx, &r, db.q(`UPDATE users SET password_hash = ? WHERE username = ? RETURNING `+userColumns),
			passwordHash, username); err != nil {
			return notFound("set password", err)
		}
		u = r.user()
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), u.ID)
		return unavailable("end sessions", err)
	})
	return u, err
}

// ReserveLogin is the sign-in lockout's one atomic step. In one
// transaction, serialized per client address on both stores (SQLite's
// immediate transactions take the write lock; PostgreSQL takes an advisory
// lock on the address), it reads the failures since the time of the
// account from the address and of the address, asks admit whether this
// attempt may be judged, and if so records it as a failure before the
// password is checked. Concurrent attempts therefore each see the ones
// before them, on every instance; a success releases its reservation with
// ReleaseLogin.
func (db *DB) ReserveLogin(ctx context.Context, username, ip string, at, since time.Time, admit func(pair, addr []time.Time) error) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, loginLockClass, addressKey(ip)); err != nil {
				return unavailable("lock sign-in address", err)
			}
		}
		var rows []struct {
			Username string    `db:"username"`
			At       time.Time `db:"at"`
		}
		if err := tx.SelectContext(ctx, &rows, db.q(`SELECT username, at FROM login_failures WHERE ip = ? AND at > ? ORDER BY at, id`),
			ip, since.UTC()); err != nil {
			return unavailable("count login failures", err)
		}
		var pair, addr []time.Time
		for _, r := range rows {
			addr = append(addr, r.At.UTC())
			if r.Username == username {
				pair = append(pair, r.At.UTC())
			}
		}
		if err := admit(pair, addr); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)`), username, ip, at.UTC())
		return unavailable("reserve login attempt", err)
	})
}

// loginLockClass is the first key of the PostgreSQL advisory locks of
// ReserveLogin ("mlog"), so they never meet other advisory locks.
const loginLockClass = 0x6d6c6f67

// addressKey is the second key: a 32-bit hash of the client address. Two
// addresses sharing a key only wait for each other.
func addressKey(ip string) int32 {
	h := fnv.New32a()
	h.Write([]byte(ip))
	return int32(h.Sum32())
}

// ReleaseLogin forgets the failures of the account from the address (the
// reservation of a successful sign-in among them), and every failure older
// than before.
func (db *DB) ReleaseLogin(ctx context.Context, username, ip string, before time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE (username = ? AND ip = ?) OR at <= ?`), username, ip, before.UTC())
	return unavailable("release login attempt", err)
}

// AddSession stores a new session (by the hash of its ID).
func (db *DB) AddSession(ctx context.Context, s staff.Session) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?)`), s.IDHash, s.UserID, s.CSRF, s.CreatedAt.UTC(), s.LastSeenAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return staff.ErrDuplicate
		}
		return unavailable("add session", err)
	}
	return nil
}

// SessionByHash returns a session and its user, or ErrNotFound. It is read
// on every request, so a disabled account's sessions stop at once on every
// instance. Expiry is the service's judgement.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (staff.Session, staff.User, error) {
	var r struct {
		userRow
		IDHash         string    `db:"id_hash"`
		CSRF           string    `db:"csrf"`
		SessionCreated time.Time `db:"session_created_at"`
		LastSeenAt     time.Time `db:"last_seen_at"`
	}
	err := db.x.GetContext(ctx, &r, db.q(`SELECT s.id_hash, s.csrf, s.created_at AS session_created_at, s.last_seen_at,
		u.id, u.username, u.password_hash, u.role, u.unit_code, u.full_name, u.title, u.created_at, u.disabled_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND u.disabled_at IS NULL`), idHash)
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
			return staff.Token{}, staff.ErrDuplicate
		}
		return staff.Token{}, unavailable("add token", err)
	}
	return t, nil
}

// tokenRow is a token as stored.
type tokenRow struct {
	ID        int64        `db:"id"`
	Name      string       `db:"name"`
	UnitCode  string       `db:"unit_code"`
	Scopes    string       `db:"scopes"`
	CreatedAt time.Time    `db:"created_at"`
	RevokedAt sql.NullTime `db:"revoked_at"`
}

func (r tokenRow) token() staff.Token {
	t := staff.Token{ID: r.ID, Name: r.Name, UnitCode: r.UnitCode, Scopes: strings.Split(r.Scopes, ","), CreatedAt: r.CreatedAt.UTC()}
	if r.RevokedAt.Valid {
		at := r.RevokedAt.Time.UTC()
		t.RevokedAt = &at
	}
	return t
}

const tokenColumns = `id, name, unit_code, scopes, created_at, revoked_at`

// TokenByHash returns the live token with the secret hash, or ErrNotFound:
// it is read on every request, so a revoked token stops at once on every
// instance.
func (db *DB) TokenByHash(ctx context.Context, secretHash string) (staff.Token, error) {
	var r tokenRow
	err := db.x.GetContext(ctx, &r, db.q(`SELECT `+tokenColumns+` FROM api_tokens WHERE secret_hash = ? AND revoked_at IS NULL`), secretHash)
	if err != nil {
		return staff.Token{}, notFound("get token", err)
	}
	return r.token(), nil
}

// Tokens lists the tokens, revoked ones too, of one unit (or of every unit
// for ""), by ID.
func (db *DB) Tokens(ctx context.Context, unitCode string) ([]staff.Token, error) {
	var rows []tokenRow
	err := db.x.SelectContext(ctx, &rows, db.q(`SELECT `+tokenColumns+` FROM api_tokens WHERE ? = '' OR unit_code = ? ORDER BY id`), unitCode, unitCode)
	if err != nil {
		return nil, unavailable("list tokens", err)
	}
	out := make([]staff.Token, len(rows))
	for i, r := range rows {
		out[i] = r.token()
	}
	return out, nil
}

// RevokeToken revokes a token at the time and returns it; a token revoked
// before keeps its first time. An unknown ID is ErrNotFound.
func (db *DB) RevokeToken(ctx context.Context, id int64, at time.Time) (staff.Token, error) {
	var r tokenRow
	err := db.x.GetContext(ctx, &r, db.q(`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING `+tokenColumns), at.UTC(), id)
	if err != nil {
		return staff.Token{}, notFound("revoke token", err)
	}
	return r.token(), nil
}
