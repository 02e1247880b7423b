package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"motcua/internal/dossier"
	"motcua/internal/store/storetest"
)

// TestKilledWhileDeliveringLosesNothing builds the bot, starts it as a
// process, kills it with SIGKILL while Telegram holds the third of five
// messages, and starts it again: every message arrives, once, in order.
func TestKilledWhileDeliveringLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "bot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			env := w.env(f, nil)
			start := func() *exec.Cmd {
				cmd := exec.Command(bin, "-lease", "2s", "-poll", "2s")
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				cmd.Env = append(cmd.Env, "PATH="+os.Getenv("PATH"))
				stdout, err := cmd.StdoutPipe()
				must(t, err)
				var stderr syncBuf
				cmd.Stderr = &stderr
				must(t, cmd.Start())
				t.Cleanup(func() {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					if strings.Contains(stderr.String(), f.token) {
						t.Error("the token appears in the bot's log")
					}
				})
				line, err := bufio.NewReader(stdout).ReadString('\n')
				if err != nil || !regexp.MustCompile(`listening on`).MatchString(line) {
					t.Fatalf("bot did not start: %q %v\n%s", line, err, stderr.String())
				}
				return cmd
			}
			first := start()
			u := user{ID: 7001, Lang: "vi"}
			subscribe(t, f, w, u)
			n := len(f.sent(u.ID))
			f.mu.Lock()
			f.holdAt = f.sends + 3
			f.mu.Unlock()
			code := w.dossier.Code
			path := []dossier.Status{dossier.InProgress, dossier.Supplement, dossier.InProgress, dossier.Payment, dossier.InProgress}
			for i, st := range path {
				w.move(t, code, st, fmt.Sprintf("bước %d", i+1))
			}
			select {
			case <-f.holding:
			case <-time.After(30 * time.Second):
				t.Fatal("the third message never reached Telegram")
			}
			must(t, first.Process.Signal(syscall.SIGKILL))
			_ = first.Wait()
			if got := len(f.sent(u.ID)) - n; got != 2 {
				t.Fatalf("%d messages before the kill, want 2", got)
			}
			start()
			f.waitSent(t, u.ID, n+len(path))
			time.Sleep(2500 * time.Millisecond) // a repeat would come after the lease
			got := f.sent(u.ID)
			if len(got) != n+len(path) {
				t.Errorf("%d messages after the restart, want %d (nothing twice)", len(got)-n, len(path))
			}
			for i := range path {
				if m := got[n+i].text(); !strings.Contains(m, fmt.Sprintf("bước %d", i+1)) || !strings.Contains(m, code) {
					t.Errorf("message %d: %q", i+1, m)
				}
			}
		})
	}
}
