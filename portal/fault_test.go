package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/internal/demo"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// Fault tests against real processes: the portal binary killed with
// SIGKILL while kiosks issue numbers, and a private PostgreSQL cluster
// stopped and started under load. They are long: -short skips them.

// buildPortal builds the portal binary once per test binary.
var buildPortal = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "motcua-portal-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "portal")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// portalProc is the portal running as a process of its own.
type portalProc struct {
	cmd  *exec.Cmd
	base string
	log  *lockedBuffer
	done chan error
}

// startProc starts the built portal with env and args and waits until it
// listens and is ready.
func startProc(t *testing.T, env map[string]string, args ...string) *portalProc {
	t.Helper()
	bin, err := buildPortal()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &portalProc{cmd: cmd, log: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				addr <- a
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("portal log (last 8 KB):\n%s", tail(p.log.String(), 8<<10))
		}
	})
	select {
	case a := <-addr:
		p.base = "http://" + a
	case err := <-p.done:
		t.Fatalf("portal exited before listening: %v\n%s", err, p.log.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("portal did not listen within 2 minutes\n%s", p.log.String())
	}
	waitReady(t, p.base)
	return p
}

// kill ends the portal with SIGKILL, as a power cut or the OOM killer would.
func (p *portalProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// issueLoop issues tickets at base from n clients until stop closes and
// returns the tickets acknowledged (201).
func issueLoop(base string, n int, stop <-chan struct{}) (acked []ticketJSON, statuses map[int]int) {
	var mu sync.Mutex
	statuses = map[int]int{}
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for c := range n {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := strings.NewReader(`{"service":"` + []string{"hotich", "datdai", "kinhdoanh"}[(c+i)%3] + `"}`)
				resp, err := client.Post(base+"/api/v1/offices/"+demo.Office+"/tickets", "application/json", body)
				if err != nil {
					mu.Lock()
					statuses[0]++
					mu.Unlock()
					time.Sleep(20 * time.Millisecond)
					continue
				}
				var tk ticketJSON
				_ = json.NewDecoder(resp.Body).Decode(&tk)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				if resp.StatusCode == http.StatusCreated {
					acked = append(acked, tk)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return acked, statuses
}

// checkTickets finds every acknowledged ticket in the database and no
// number given twice.
func checkTickets(t *testing.T, dbURL string, acked []ticketJSON) {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dups int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM (SELECT office_code, day, numbered_service, seq FROM queue_tickets
		GROUP BY office_code, day, numbered_service, seq HAVING COUNT(*) > 1) d`).Scan(&dups); err != nil {
		t.Fatal(err)
	}
	if dups != 0 {
		t.Errorf("%d numbers were given twice", dups)
	}
	q := `SELECT prefix, seq FROM queue_tickets WHERE id = ?`
	if db.Dialect() == store.Postgres {
		q = `SELECT prefix, seq FROM queue_tickets WHERE id = $1`
	}
	missing := 0
	for _, tk := range acked {
		var prefix string
		var seq int
		err := db.SQL().QueryRow(q, tk.ID).Scan(&prefix, &seq)
		if err != nil || prefix+fmt.Sprintf("%03d", seq) != tk.Number {
			if missing++; missing <= 5 {
				t.Errorf("acknowledged ticket %s (%s) is not stored as such: %s %d, %v", tk.ID, tk.Number, prefix, seq, err)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged tickets are missing", missing, len(acked))
	}
}

// The portal killed with SIGKILL while kiosks issue numbers: every number
// acknowledged is stored, none is given twice after the restart, the queue
// goes on, and a SQLite database killed mid-write is consistent.
func TestFaultPortalKilledWhileKiosksIssue(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fault tests against real processes are long")
	}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dbURL := storetest.URL(t, kind)
			env := map[string]string{"DATABASE_URL": dbURL, "MOTCUA_ADDR": "127.0.0.1:0", "MOTCUA_DATA_DIR": t.TempDir(),
				"MOTCUA_TICKETS_PER_HOUR": "0"}
			p := startProc(t, env, "-demo")
			openAllDay(t, dbURL, demo.Office)
			stop := make(chan struct{})
			var acked []ticketJSON
			var statuses map[int]int
			loopDone := make(chan struct{})
			go func() { acked, statuses = issueLoop(p.base, 8, stop); close(loopDone) }()
			time.Sleep(1500 * time.Millisecond)
			p.kill(t)
			close(stop)
			<-loopDone
			if len(acked) == 0 {
				t.Fatalf("no ticket was issued before the kill: %v", statuses)
			}
			t.Logf("%d tickets acknowledged before SIGKILL (statuses %v)", len(acked), statuses)
			if kind == "sqlite" {
				checkIntegrity(t, strings.TrimPrefix(dbURL, "sqlite:"))
			}
			checkTickets(t, dbURL, acked)

			p2 := startProc(t, env)
			stop2 := make(chan struct{})
			go func() { time.Sleep(500 * time.Millisecond); close(stop2) }()
			after, st2 := issueLoop(p2.base, 4, stop2)
			if len(after) == 0 || st2[http.StatusCreated] != len(after) || len(st2) != 1 {
				t.Errorf("after the restart: %d issued, statuses %v; want only 201s", len(after), st2)
			}
			checkTickets(t, dbURL, append(acked, after...))
			p2.kill(t)
		})
	}
}

// checkIntegrity runs SQLite's own check on a database file.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check after SIGKILL = %q, %v", res, err)
	}
	var fk int
	if err := db.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&fk); err != nil || fk != 0 {
		t.Errorf("foreign_key_check after SIGKILL: %d violations, %v", fk, err)
	}
}

// freePort returns a TCP port free on loopback now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
