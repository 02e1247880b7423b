package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"motcua/internal/demo"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `portal backup` while the portal serves and kiosks issue numbers: the
// copy opens, passes SQLite's checks, and holds the original's rows (every
// table equal but the tickets, which went on being issued; of those, every
// one in the copy is in the original as it is).
func TestBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the backup test serves and issues for a while")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "motcua.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + dbPath, "MOTCUA_DATA_DIR": dir, "MOTCUA_TICKETS_PER_HOUR": "0"}
	base := startPortal(t, "sqlite", env, "-demo")
	// The portal runs on the real clock: keep the demo office open whatever
	// the hour the test runs at.
	openAllDay(t, env["DATABASE_URL"], demo.Office)
	stop := make(chan struct{})
	loopDone := make(chan []ticketJSON)
	go func() { acked, _ := issueLoop(base, 4, stop); loopDone <- acked }()
	time.Sleep(500 * time.Millisecond)

	backup := filepath.Join(t.TempDir(), "copy.db")
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	if code := exitCode(run(context.Background(), []string{"backup", backup}, getenv, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("backup while serving: exit %d: %s", code, stderr.String())
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	acked := <-loopDone
	if len(acked) == 0 {
		t.Fatal("no ticket was issued while the backup ran")
	}
	checkIntegrity(t, backup)

	orig := openSQLite(t, dbPath)
	copied := openSQLite(t, backup)
	tables := sqliteTables(t, orig)
	if len(tables) < 10 {
		t.Fatalf("only %d tables", len(tables))
	}
	for _, name := range tables {
		if strings.HasPrefix(name, "queue_") || name == "ticket_quota" || name == "goose_db_version" {
			continue
		}
		if a, b := sqliteDigest(t, orig, name), sqliteDigest(t, copied, name); a != b {
			t.Errorf("table %s: original %s, copy %s", name, a, b)
		}
	}
	var inCopy, inOrig int
	if err := copied.QueryRow(`SELECT COUNT(*) FROM queue_tickets`).Scan(&inCopy); err != nil {
		t.Fatal(err)
	}
	if err := orig.QueryRow(`SELECT COUNT(*) FROM queue_tickets`).Scan(&inOrig); err != nil {
		t.Fatal(err)
	}
	if _, err := copied.Exec(`ATTACH DATABASE ? AS orig`, dbPath); err != nil {
		t.Fatal(err)
	}
	var differ int
	if err := copied.QueryRow(`SELECT COUNT(*) FROM (SELECT id, numbered_service, seq, prefix, issued_at FROM queue_tickets
		EXCEPT SELECT id, numbered_service, seq, prefix, issued_at FROM orig.queue_tickets)`).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	if inCopy == 0 || inCopy > inOrig || differ != 0 {
		t.Errorf("tickets: %d in the copy, %d in the original, %d of the copy's not in the original", inCopy, inOrig, differ)
	}
	t.Logf("backup while serving: %d tables equal, %d of %d tickets in the copy", len(tables), inCopy, inOrig)
}

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func sqliteTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// sqliteDigest is a table's row count and a digest of its rows.
func sqliteDigest(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(`SELECT * FROM %q ORDER BY 1`, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
		n++
	}
	return fmt.Sprintf("%d rows, %d bytes, %x", n, b.Len(), fnv(b.String()))
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
