package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// portal is one running portal process, built from this repository.
type portal struct {
	cmd   *exec.Cmd
	addr  string
	ready time.Duration // from exec to the first 200 of /readyz
	log   *os.File
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startPortal execs the portal binary on the store with the load's
// settings: no lookup or ticket limit and no stream caps (0 turns each
// off, as the README's configuration table says).
func startPortal(bin, dbURL, dataDir, logPath string, extra ...string) (*portal, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + dbURL, "MOTCUA_DATA_DIR=" + dataDir, "MOTCUA_ADDR=" + addr,
		"MOTCUA_PUBLIC_URL=http://" + addr,
		"MOTCUA_LOOKUP_PER_MINUTE=0", "MOTCUA_TICKETS_PER_HOUR=0",
		"MOTCUA_STREAMS_PER_CLIENT=0", "MOTCUA_STREAMS_MAX=0",
	}, extra...)
	cmd.Stdout, cmd.Stderr = lf, lf
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	p := &portal{cmd: cmd, addr: addr, log: lf}
	c := &fasthttp.Client{}
	for time.Since(t0) < 5*time.Minute {
		code, _, err := c.GetTimeout(nil, "http://"+addr+"/readyz", time.Second)
		if err == nil && code == 200 {
			p.ready = time.Since(t0)
			return p, nil
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.stop()
	tail, _ := os.ReadFile(logPath)
	if len(tail) > 2000 {
		tail = tail[len(tail)-2000:]
	}
	return nil, fmt.Errorf("the portal did not become ready within five minutes; its log ends:\n%s", tail)
}

func (p *portal) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	p.log.Close()
}

// procStatus reads a field (VmHWM, VmRSS) of /proc/PID/status in MB.
func procStatus(pid int, field string) float64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// resetPeak starts a new VmHWM (clear_refs 5 resets the peak resident set).
func resetPeak(pid int) {
	_ = os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}

func (p *portal) pid() int { return p.cmd.Process.Pid }
