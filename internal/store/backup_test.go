package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/internal/store"
)

// privateMode fails the test unless the file is readable by its owner only.
func privateMode(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Errorf("%s: mode %#o, want 0600 (it holds personal data)", filepath.Base(path), perm)
	}
}

// The database and its backups hold citizens' names, phones and ID numbers:
// nobody but the portal's own user may read them, whatever the umask.
func TestSQLiteFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "data", "motcua.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		privateMode(t, p)
	}

	t.Run("a backup is private", func(t *testing.T) {
		backup := filepath.Join(dir, "backup.db")
		if err := db.Backup(ctx, backup); err != nil {
			t.Fatal(err)
		}
		privateMode(t, backup)
		st, _ := os.Stat(backup)
		if st.Size() == 0 {
			t.Error("the backup is empty")
		}
		copyDB, err := store.Open(ctx, "sqlite:"+backup)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		if err := copyDB.Migrate(ctx); err != nil {
			t.Errorf("the backup is not a usable database: %v", err)
		}
	})
	t.Run("an existing file is never overwritten", func(t *testing.T) {
		taken := filepath.Join(dir, "taken.db")
		if err := os.WriteFile(taken, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := db.Backup(ctx, taken)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("err = %v, want already exists", err)
		}
		if b, _ := os.ReadFile(taken); string(b) != "keep me" {
			t.Errorf("the existing file was changed: %q", b)
		}
	})
	t.Run("a database file left readable by all is tightened", func(t *testing.T) {
		old := filepath.Join(dir, "old.db")
		if err := os.WriteFile(old, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(old, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(ctx, "sqlite:"+old)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		privateMode(t, old)
	})
}
