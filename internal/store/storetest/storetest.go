// Package storetest opens fresh, migrated stores for tests: a real SQLite file
// always, and a real PostgreSQL (in a schema of its own) when
// MOTCUA_TEST_POSTGRES holds a DSN. Under CI=true a missing PostgreSQL fails
// the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"motcua/internal/store"
)

// Kinds lists the stores a test should run against, by name.
func Kinds(t testing.TB) []string {
	kinds := []string{"sqlite"}
	if PostgresDSN(t) != "" {
		kinds = append(kinds, "postgres")
	}
	return kinds
}

// PostgresDSN returns the test PostgreSQL DSN, or "" when none is set and
// this is not CI.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("MOTCUA_TEST_POSTGRES")
	if dsn == "" && os.Getenv("CI") == "true" {
		t.Fatal("CI=true but MOTCUA_TEST_POSTGRES is not set: the PostgreSQL store tests cannot run")
	}
	return dsn
}

// Each runs fn as a subtest against a fresh store of every kind.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, kind := range Kinds(t) {
		t.Run(kind, func(t *testing.T) { fn(t, Open(t, kind)) })
	}
}

// URL returns a DATABASE_URL for a fresh, empty database of the kind, for
// tests that start the portal as a user does. It is dropped at cleanup.
func URL(t testing.TB, kind string) string {
	t.Helper()
	switch kind {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "motcua.db")
	case "postgres":
		return postgresSchemaURL(t)
	}
	t.Fatalf("storetest: unknown kind %q", kind)
	return ""
}

// Open returns a fresh, migrated store of the kind, closed at cleanup.
func Open(t testing.TB, kind string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, URL(t, kind))
	if err != nil {
		t.Fatalf("open %s store: %v", kind, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s store: %v", kind, err)
	}
	return db
}

// postgresSchemaURL creates a schema of its own for the test and returns a
// URL whose connections use it, so tests never see each other's rows.
func postgresSchemaURL(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	if dsn == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set: skipping the PostgreSQL store")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres at MOTCUA_TEST_POSTGRES is not usable: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", dsn)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("MOTCUA_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
