package queue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Kiosk is a device an administrator enrolled to issue numbers for one
// office. It proves itself with a long-lived secret it keeps (a cookie);
// only the secret's hash is stored. An enrolled kiosk is not limited by
// MOTCUA_TICKETS_PER_HOUR and may issue priority numbers
// (docs/architecture.md, "Limits, faults and bad input").
type Kiosk struct {
	ID         int64
	OfficeCode string
	UnitCode   string
	Name       string
	EnrolledBy string
	EnrolledAt time.Time
	RevokedAt  *time.Time
	RevokedBy  string
}

// Revoked reports whether the kiosk no longer works.
func (k Kiosk) Revoked() bool { return k.RevokedAt != nil }

// KioskStore keeps enrolled kiosks and the per-client ticket quota.
type KioskStore interface {
	CreateKiosk(ctx context.Context, k Kiosk, secretHash string) (Kiosk, error)
	// KioskBySecret returns the kiosk whose secret hashes to hash, revoked
	// or not, or apperr.ErrNotFound.
	KioskBySecret(ctx context.Context, hash string) (Kiosk, error)
	Kiosks(ctx context.Context, office string) ([]Kiosk, error)
	// RevokeKiosk marks the office's kiosk revoked, or answers
	// apperr.ErrNotFound.
	RevokeKiosk(ctx context.Context, office string, id int64, by string, at time.Time) error
	// TakeQuota counts one ticket of client in the window starting at
	// window and returns the window's count so far, in one atomic step.
	TakeQuota(ctx context.Context, client string, window time.Time) (int, error)
}

// maxKioskName is the longest name of a kiosk.
const maxKioskName = 100

// hashKioskSecret is how a kiosk's secret is stored: a hash, so that a
// copy of the database enrols no device.
func hashKioskSecret(secret string) string {
	sum := sha256.Sum256([]byte("motcua kiosk\x00" + secret))
	return hex.EncodeToString(sum[:])
}

// canManageKiosks reports whether a may enrol and revoke the kiosks of an
// office of unit: an administrator of that unit (or of every unit).
func canManageKiosks(a actor.Actor, unit string) bool {
	return a.Is(actor.RoleAdmin) && a.InUnit(unit)
}

// EnrolKiosk enrols a device for the office and returns it with its secret,
// which the device keeps and which is never shown again.
func (m *Manager) EnrolKiosk(ctx context.Context, a actor.Actor, office, name string) (Kiosk, string, error) {
	o, err := m.store.Office(ctx, strings.TrimSpace(office))
	if err != nil {
		return Kiosk{}, "", err
	}
	if !canManageKiosks(a, o.UnitCode) {
		return Kiosk{}, "", a.Deny()
	}
	name = strings.Join(strings.Fields(name), " ")
	var bad fieldErrs
	bad.text("name", name, true)
	if len([]rune(name)) > maxKioskName {
		bad.add("name", "error.field.too_long", map[string]any{"Max": maxKioskName})
	}
	if err := bad.err(); err != nil {
		return Kiosk{}, "", err
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	k, err := m.store.CreateKiosk(ctx, Kiosk{OfficeCode: o.Code, UnitCode: o.UnitCode, Name: name,
		EnrolledBy: a.Name, EnrolledAt: m.now().UTC()}, hashKioskSecret(secret))
	if err != nil {
		return Kiosk{}, "", err
	}
	m.log.Info("kiosk enrolled", "office", o.Code, "kiosk", k.ID, "by", a.String())
	return k, secret, nil
}

// Kiosks lists the office's kiosks, revoked ones included, for its
// administrators.
func (m *Manager) Kiosks(ctx context.Context, a actor.Actor, office string) ([]Kiosk, error) {
	o, err := m.store.Office(ctx, office)
	if err != nil {
		return nil, err
	}
	if !canManageKiosks(a, o.UnitCode) {
		return nil, a.Deny()
	}
	return m.store.Kiosks(ctx, o.Code)
}

// RevokeKiosk stops a kiosk: the next request it makes on this instance,
// and any it makes on another after KioskTTL, is a stranger's.
func (m *Manager) RevokeKiosk(ctx context.Context, a actor.Actor, office string, id int64) error {
	o, err := m.store.Office(ctx, office)
	if err != nil {
		return err
	}
	if !canManageKiosks(a, o.UnitCode) {
		return a.Deny()
	}
	err = m.store.RevokeKiosk(ctx, o.Code, id, a.Name, m.now().UTC())
	m.forgetKiosks()
	if err != nil {
		return err
	}
	m.log.Info("kiosk revoked", "office", o.Code, "kiosk", id, "by", a.String())
	return nil
}

// KioskActor is the actor of a device that presents secret: a machine with
// the kiosk scope, bound to its office and unit. An unknown or revoked
// secret is Unauthorized. An enrolled kiosk is remembered for KioskTTL: a
// revocation holds at once on the instance that made it, and within
// KioskTTL on the others (docs/domain.md, "Issuing at scale").
func (m *Manager) KioskActor(ctx context.Context, secret string) (actor.Actor, error) {
	if secret == "" || len(secret) > 128 {
		return actor.Actor{}, actor.ErrUnauthorized
	}
	hash := hashKioskSecret(secret)
	// Not kept past a revocation on this instance (forget), nor when
	// refused.
	return m.kiosks.load(hash, m.now(), func() (actor.Actor, error) {
		k, err := m.store.KioskBySecret(ctx, hash)
		if apperr.IsNotFound(err) || (err == nil && k.Revoked()) {
			return actor.Actor{}, actor.ErrUnauthorized
		}
		if err != nil {
			return actor.Actor{}, err
		}
		return actor.Actor{Kind: actor.Machine, ID: k.ID, Name: "kiosk:" + k.Name, Unit: k.UnitCode, Office: k.OfficeCode,
			Scopes: []string{actor.ScopeKiosk}}, nil
	})
}

// KioskTTL is how long an enrolled kiosk's secret is trusted without asking
// the store again.
const KioskTTL = 2 * time.Second

// maxCachedKiosks bounds the kiosks remembered; past it they are forgotten.
const maxCachedKiosks = 4096

func (m *Manager) forgetKiosks() { m.kiosks.forget(nil) }

// trustedIssuer reports whether a issues numbers for the office's visitors
// by trade: an enrolled kiosk of the office, or counter staff of its unit
// (a signed-in member or a counter token). Only they may claim a priority
// group, and they are not limited per hour.
func trustedIssuer(a actor.Actor, o Office) bool {
	switch {
	case a.HasScope(actor.ScopeKiosk):
		return a.Office == o.Code && a.InUnit(o.UnitCode)
	case a.HasScope(actor.ScopeCounter):
		return a.InUnit(o.UnitCode)
	}
	return a.StaffIn(o.UnitCode, actor.RoleHead, actor.RoleOfficer, actor.RoleClerk)
}

// takeQuota counts a ticket against a's address when the limit applies and
// refuses it past the limit, saying when the window ends.
func (m *Manager) takeQuota(ctx context.Context, a actor.Actor) error {
	if m.TicketsPerHour <= 0 {
		return nil
	}
	now := m.now().UTC()
	window := now.Truncate(time.Hour)
	client := a.Addr
	if client == "" {
		client = "unknown"
	}
	n, err := m.store.TakeQuota(ctx, client, window)
	if err != nil {
		return err
	}
	if n <= m.TicketsPerHour {
		return nil
	}
	wait := window.Add(time.Hour).Sub(now)
	minutes := int((wait + time.Minute - 1) / time.Minute)
	return apperr.New(apperr.RateLimited, "queue.error.tickets_per_hour").With(map[string]any{
		"Count": m.TicketsPerHour, "Minutes": minutes, "RetryAfter": int((wait + time.Second - 1) / time.Second)})
}
