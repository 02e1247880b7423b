package staff

import (
	"context"
	"slices"
	"strings"

	"motcua/internal/apperr"
)

// tokenLen is the length of a token's secret: 32 random bytes in base64url.
const tokenLen = 43

// ParseScopes splits "sync,counter" into scopes, dropping blanks and
// repeats; Validate judges the names.
func ParseScopes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// CreateToken makes a token for one unit with the scopes and returns it with
// its secret. The secret is shown this once: only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, unitCode string, scopes []string, name string) (Token, string, error) {
	t := Token{Name: strings.TrimSpace(name), UnitCode: strings.TrimSpace(unitCode), Scopes: slices.Clone(scopes)}
	slices.Sort(t.Scopes)
	t.Scopes = slices.Compact(t.Scopes)
	if err := t.Validate(); err != nil {
		return Token{}, "", err
	}
	if err := s.checkUnit(ctx, t.UnitCode); err != nil {
		return Token{}, "", err
	}
	t.CreatedAt = s.now().UTC()
	secret := randomSecret(32)
	t, err := s.store.AddToken(ctx, t, hashSecret(secret))
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// TokenFor returns the token whose secret this is; any other string is
// Unauthorized. The lookup is by hash, so the secret itself is never
// compared byte by byte.
func (s *Service) TokenFor(ctx context.Context, secret string) (Token, error) {
	if len(secret) != tokenLen {
		return Token{}, errBadToken
	}
	t, err := s.store.TokenByHash(ctx, hashSecret(secret))
	if apperr.IsNotFound(err) {
		return Token{}, errBadToken
	}
	return t, err
}

var errBadToken = apperr.New(apperr.Unauthorized, "error.staff.bad_token")
