package rating

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A signed link lets the holder of a result slip, or of a notification,
// rate the dossier without typing its phone: /rate/CODE?k=EXPIRY.SIG, where
// SIG is an HMAC-SHA256 of "rate", the code and the expiry under a key that
// every instance and the bot share (kept in the database, or given in
// MOTCUA_LINK_KEY). See docs/domain.md, "Satisfaction and feedback".

// LinkTTL is how long a printed or sent link works: long enough for a
// citizen to come back to a slip kept in a drawer.
const LinkTTL = 90 * 24 * time.Hour

// KeySource gives the signing key: the configured one, or the one stored in
// the database (created once, atomically, by the first instance that asks).
type KeySource interface {
	LinkKey(ctx context.Context, name string) ([]byte, error)
}

// Links signs and checks rating links.
type Links struct {
	src   KeySource
	fixed []byte
	now   func() time.Time

	mu  sync.Mutex
	key []byte
}

// NewLinks returns the signer. A non-empty configured key is used as is;
// otherwise the key is read (or created) in the database at first use.
func NewLinks(src KeySource, configured string, now func() time.Time) *Links {
	l := &Links{src: src, now: now}
	if configured != "" {
		l.fixed = []byte(configured)
	}
	return l
}

func (l *Links) secret(ctx context.Context) ([]byte, error) {
	if l.fixed != nil {
		return l.fixed, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.key == nil {
		k, err := l.src.LinkKey(ctx, "rating")
		if err != nil {
			return nil, err
		}
		l.key = k
	}
	return l.key, nil
}

// sign is the signature of what ("rate" or "tablet"), its subject (a
// dossier code, a counter id) and the expiry.
func sign(key []byte, what, subject string, exp int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(what + "\x00" + subject + "\x00" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// token is EXPIRY.SIG for what and its subject, valid for ttl.
func (l *Links) token(ctx context.Context, what, subject string, ttl time.Duration) (string, error) {
	key, err := l.secret(ctx)
	if err != nil {
		return "", err
	}
	exp := l.now().Add(ttl).Unix()
	return strconv.FormatInt(exp, 10) + "." + sign(key, what, subject, exp), nil
}

// check verifies a token made by token: ErrLinkInvalid when it was not made
// for what and this subject by this key, ErrLinkExpired when it was but is
// too old.
func (l *Links) check(ctx context.Context, what, subject, token string) error {
	expS, sig, ok := strings.Cut(token, ".")
	exp, err := strconv.ParseInt(expS, 10, 64)
	if !ok || err != nil || len(token) > 64 {
		return ErrLinkInvalid
	}
	key, err := l.secret(ctx)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(sig), []byte(sign(key, what, subject, exp))) {
		return ErrLinkInvalid
	}
	if l.now().Unix() > exp {
		return ErrLinkExpired
	}
	return nil
}

// Token returns the ?k= value for a dossier's link, valid for ttl.
func (l *Links) Token(ctx context.Context, code string, ttl time.Duration) (string, error) {
	return l.token(ctx, "rate", code, ttl)
}

// Path returns the page path of a dossier's signed rating link.
func (l *Links) Path(ctx context.Context, code string, ttl time.Duration) (string, error) {
	tok, err := l.Token(ctx, code, ttl)
	if err != nil {
		return "", err
	}
	return "/rate/" + url.PathEscape(code) + "?k=" + tok, nil
}

// Check verifies a token for a dossier code: ErrLinkInvalid when it was not
// made for this code by this key, ErrLinkExpired when it was but is too old.
func (l *Links) Check(ctx context.Context, code, token string) error {
	return l.check(ctx, "rate", code, token)
}

// A counter's tablet is paired once by staff: the console shows a
// short-lived pairing link (TabletPairTTL); opened on the tablet, it leaves
// a long-lived credential bound to that counter (TabletTTL) in a cookie.
// Both are "tablet", the counter id and an expiry, signed with the same key.
const (
	TabletPairTTL = 15 * time.Minute
	TabletTTL     = 365 * 24 * time.Hour
)

// TabletToken signs a credential for a counter's tablet, valid for ttl.
func (l *Links) TabletToken(ctx context.Context, counterID int64, ttl time.Duration) (string, error) {
	return l.token(ctx, "tablet", strconv.FormatInt(counterID, 10), ttl)
}

// CheckTablet verifies a tablet credential for a counter.
func (l *Links) CheckTablet(ctx context.Context, counterID int64, token string) error {
	return l.check(ctx, "tablet", strconv.FormatInt(counterID, 10), token)
}
