package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"motcua/internal/demo"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// pgBin is where Debian keeps the PostgreSQL server's programs.
var pgBin = func() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) == 0 {
		return ""
	}
	return filepath.Dir(matches[len(matches)-1])
}()

// privateCluster is a PostgreSQL cluster of the test's own, on its own
// port and directory: the test may stop it without disturbing the server
// other tests share.
type privateCluster struct {
	dir  string
	port int
	t    *testing.T
}

// pgCommand runs a server program; as root it runs as the postgres user,
// since the server refuses to run as root.
func pgCommand(name string, args ...string) *exec.Cmd {
	prog := filepath.Join(pgBin, name)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	}
	return exec.Command(prog, args...)
}

func startPrivateCluster(t *testing.T) *privateCluster {
	t.Helper()
	if pgBin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but initdb and pg_ctl are not installed: the PostgreSQL fault test cannot run")
		}
		t.Skip("initdb and pg_ctl are not installed: skipping the PostgreSQL fault test")
	}
	dir, err := os.MkdirTemp("", "motcua-pgfault-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root without a postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c := &privateCluster{dir: dir, port: freePort(t), t: t}
	if out, err := pgCommand("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.start()
	t.Cleanup(func() { _ = pgCommand("pg_ctl", "-D", filepath.Join(dir, "data"), "stop", "-m", "immediate").Run() })
	return c
}

func (c *privateCluster) start() {
	c.t.Helper()
	out, err := pgCommand("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, c.dir), "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		c.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stop stops the server at once, as a crash or a restart does.
func (c *privateCluster) stop() {
	c.t.Helper()
	if out, err := pgCommand("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-w", "stop", "-m", "immediate").CombinedOutput(); err != nil {
		c.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

func (c *privateCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// PostgreSQL stopped under load: the API answers 503 in the error shape and
// /readyz fails while it is down; the portal recovers by itself within
// seconds once it is back, and every acknowledged write is still there.
// Then the README's backup steps (pg_dump, pg_restore into a fresh
// database) give a database equal to the original.
func TestFaultPostgresRestartAndRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fault tests against real processes are long")
	}
	c := startPrivateCluster(t)
	dbURL := c.url("postgres")
	p := startProc(t, map[string]string{"DATABASE_URL": dbURL, "MOTCUA_ADDR": "127.0.0.1:0", "MOTCUA_DATA_DIR": t.TempDir(),
		"MOTCUA_TICKETS_PER_HOUR": "0"}, "-demo")
	openAllDay(t, dbURL, demo.Office)

	stop := make(chan struct{})
	var acked []ticketJSON
	var statuses map[int]int
	loopDone := make(chan struct{})
	go func() { acked, statuses = issueLoop(p.base, 4, stop); close(loopDone) }()
	time.Sleep(time.Second)
	c.stop()
	down := time.Now()

	t.Run("while the store is down: 503 in the error shape, /readyz fails", func(t *testing.T) {
		time.Sleep(300 * time.Millisecond)
		resp := sendJSON(t, "POST", p.base+"/api/v1/offices/"+demo.Office+"/tickets", map[string]string{"service": "hotich"}, nil)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("ticket while PostgreSQL is down: %d, want 503", resp.StatusCode)
		}
		r, body := fetch(t, p.base, "/api/v1/offices")
		var e apiError
		if r.StatusCode != http.StatusServiceUnavailable || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "unavailable" || e.Error.Message == "" {
			t.Errorf("GET /api/v1/offices while down: %d %s, want 503 in the error shape", r.StatusCode, body)
		}
		if r, _ := fetch(t, p.base, "/readyz"); r.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz while down: %d, want 503", r.StatusCode)
		}
		if r, _ := fetch(t, p.base, "/healthz"); r.StatusCode != http.StatusOK {
			t.Errorf("/healthz while down: %d, want 200 (the process runs)", r.StatusCode)
		}
	})

	time.Sleep(time.Until(down.Add(2 * time.Second)))
	c.start()
	back := time.Now()
	deadline := back.Add(15 * time.Second)
	for {
		r, err := http.Get(p.base + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not recover within 15 s of PostgreSQL's return")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("ready again %v after PostgreSQL came back", time.Since(back).Round(time.Millisecond))
	time.Sleep(time.Second)
	close(stop)
	<-loopDone
	t.Logf("statuses during the test: %v", statuses)
	if statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answers were 500 while PostgreSQL was down", statuses[http.StatusInternalServerError])
	}
	var recovered bool
	for _, tk := range acked {
		if tk.IssuedAt.After(back) {
			recovered = true
		}
	}
	if !recovered {
		t.Errorf("no ticket was issued after PostgreSQL came back: %v", statuses)
	}
	checkTickets(t, dbURL, acked)

	t.Run("pg_dump and pg_restore give an equal database", func(t *testing.T) {
		testPostgresRestore(t, c)
	})
}

// testPostgresRestore follows the README: pg_dump -Fc, then pg_restore into
// a fresh database, and compares every table.
func testPostgresRestore(t *testing.T, c *privateCluster) {
	dump := filepath.Join(t.TempDir(), "motcua.dump")
	if out, err := exec.Command("pg_dump", "-Fc", "-f", dump, c.url("postgres")).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if out, err := exec.Command("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres", "motcua_restored").CombinedOutput(); err != nil {
		t.Fatalf("createdb: %v\n%s", err, out)
	}
	if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "-d", c.url("motcua_restored"), dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	orig, err := sql.Open("postgres", c.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	restored, err := sql.Open("postgres", c.url("motcua_restored"))
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	tables := tableDigests(t, orig)
	if len(tables) < 10 {
		t.Fatalf("only %d tables in the original", len(tables))
	}
	again := tableDigests(t, restored)
	for name, d := range tables {
		if again[name] != d {
			t.Errorf("table %s: original %s, restored %s", name, d, again[name])
		}
	}
	t.Logf("%d tables restored equal", len(tables))
}

// tableDigests is every public table's row count and content digest.
func tableDigests(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	var mu sync.Mutex
	for _, n := range names {
		var count int
		var digest sql.NullString
		q := fmt.Sprintf(`SELECT COUNT(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM %q t`, n)
		if err := db.QueryRowContext(context.Background(), q).Scan(&count, &digest); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		mu.Lock()
		out[n] = fmt.Sprintf("%d rows, %s", count, strings.TrimSpace(digest.String))
		mu.Unlock()
	}
	return out
}
