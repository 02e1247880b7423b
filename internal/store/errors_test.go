package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"motcua/internal/apperr"
)

// Only a store that does not answer is Unavailable (503); a query the
// database answers with an error is Internal (500).
func TestUnavailableOnlyWhenTheStoreDoesNotAnswer(t *testing.T) {
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "m.db")}
	if dsn := os.Getenv("MOTCUA_TEST_POSTGRES"); dsn != "" {
		urls["postgres"] = dsn
	}
	for kind, url := range urls {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, err = db.x.ExecContext(ctx, `SELEC nothing`)
			if got := apperr.CodeOf(unavailable("bad query", err)); got != apperr.Internal {
				t.Errorf("a query the database refused: %s, want %s", got, apperr.Internal)
			}
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			_, err = db.x.ExecContext(cancelled, `SELECT 1`)
			if got := apperr.CodeOf(unavailable("cancelled", err)); got != apperr.Unavailable {
				t.Errorf("a cancelled wait: %s (%v), want %s", got, err, apperr.Unavailable)
			}
			db.Close()
			if err := db.Ping(ctx); apperr.CodeOf(err) != apperr.Unavailable {
				t.Errorf("ping a closed store: %v, want %s", err, apperr.Unavailable)
			}
			var n int
			if err := unavailable("closed", db.x.GetContext(ctx, &n, `SELECT 1`)); apperr.CodeOf(err) != apperr.Unavailable {
				t.Errorf("a closed store: %v, want %s", err, apperr.Unavailable)
			}
		})
	}
}
