package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/unit"
)

// syncBuf is a buffer two goroutines may share (the bot writes, the test
// reads).
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// world is the portal's side of a test: the same database, opened through
// internal/app as the portal opens it, with a unit, procedures, a dossier
// and a queue office.
type world struct {
	dbURL   string
	dataDir string
	a       *app.App
	dossier dossier.Dossier
	counter map[int]queue.Counter
}

// The applicant's phone, as Telegram shares it (no +) and as stored.
const (
	applicantPhoneTG = "84912345678"
	applicantName    = "Nguyễn Văn <An>"
)

// clerk acts at TB's desk; the unit's administrator, so that it may record
// every move (the rules of each role are tested in internal/dossier).
var clerk = actor.Actor{Kind: actor.Staff, Name: "an.tb", Role: actor.RoleAdmin, Unit: "TB"}

func newWorld(t *testing.T, dbURL string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{dbURL: dbURL, dataDir: t.TempDir(), counter: map[int]queue.Counter{}}
	a, err := app.Open(ctx, config.Config{DatabaseURL: dbURL, DataDir: w.dataDir, PublicURL: "https://motcua.example.vn"},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(a.Close)
	w.a = a
	procs := []catalog.Procedure{
		{Code: "1.001193", Name: "Đăng ký khai sinh", NameEn: "Birth registration", Field: "Hộ tịch", FieldEn: "Civil status",
			Level: catalog.LevelCommune, Agency: "UBND cấp xã", ProcessingDays: 3, Fee: "Miễn phí", Online: catalog.OnlinePartial,
			Documents: []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh <bản chính>"}},
		{Code: "1.000656", Name: "Đăng ký kết hôn", NameEn: "Marriage registration", Field: "Hộ tịch", FieldEn: "Civil status",
			Level: catalog.LevelCommune, Agency: "UBND cấp xã", ProcessingDays: 5, Online: catalog.OnlineFull},
	}
	if _, err := a.Catalog.Import(ctx, procs, nil, catalog.ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"},
	} {
		if _, err := a.Units.Add(ctx, u); err != nil {
			t.Fatalf("add unit: %v", err)
		}
	}
	w.dossier = w.receive(t)
	// These tests run on the real clock: the hall is open day and night and
	// no holiday closes it, so a number can be taken whenever they run.
	a.Queue.Calendar = noDaysOff{}
	o, err := a.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: "TB-HCC", Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: "TB", PriorityRun: 3, DefaultMinutes: 8,
		Hours: queue.AlwaysOpen()})
	must(t, err)
	_, err = a.Queue.CreateService(ctx, staff.Operator(), queue.Service{Code: "hotich", OfficeCode: o.Code, NameVi: "Hộ tịch", NameEn: "Civil status", Prefix: "A"})
	must(t, err)
	for _, n := range []int{1, 2} {
		c, err := a.Queue.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: o.Code, Number: n, Name: "Quầy", Services: []string{"hotich"}})
		must(t, err)
		w.counter[n] = c
	}
	return w
}

func (w *world) receive(t *testing.T) dossier.Dossier {
	t.Helper()
	d, err := w.a.Dossiers.Receive(context.Background(), clerk, dossier.Reception{UnitCode: "TB", ProcedureCode: "1.001193",
		Applicant: dossier.Applicant{Name: applicantName, Phone: "0912 345 678"}, Channel: dossier.Counter, Papers: "Tờ khai"})
	must(t, err)
	return d
}

func (w *world) move(t *testing.T, code string, to dossier.Status, note string) {
	t.Helper()
	if _, err := w.a.Dossiers.Transition(context.Background(), clerk, code, to, note); err != nil {
		t.Fatalf("move %s to %s: %v", code, to, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// running is a bot started in the test's process exactly as a user starts
// it (run), against the fake Bot API.
type running struct {
	addr   string
	stdout *syncBuf
	stderr *syncBuf
	stop   func() error
}

func (w *world) env(f *fakeTG, extra map[string]string) map[string]string {
	env := map[string]string{
		"DATABASE_URL":          w.dbURL,
		"MOTCUA_DATA_DIR":       w.dataDir,
		"MOTCUA_PUBLIC_URL":     "https://motcua.example.vn",
		"MOTCUA_BOT_ADDR":       "127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN":    f.token,
		"TELEGRAM_API_ENDPOINT": f.endpoint(),
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

var listening = regexp.MustCompile(`listening on (\S+)`)

func startBot(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: &syncBuf{}, stderr: &syncBuf{}}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, r.stdout, r.stderr) }()
	var once sync.Once
	var stopErr error
	r.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("bot stopped with %v", err)
		}
		for _, tok := range []string{env["TELEGRAM_BOT_TOKEN"], testToken} {
			if tok != "" && (strings.Contains(r.stderr.String(), tok) || strings.Contains(r.stdout.String(), tok)) {
				t.Errorf("the token appears in the bot's output:\n%s", r.stderr.String())
			}
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(r.stdout.String()); m != nil {
			r.addr = m[1]
			return r
		}
		select {
		case err := <-done:
			t.Fatalf("bot ended at start: %v\n%s", err, r.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("bot did not start:\n%s", r.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// dataFile is a path in the world's data directory.
func (w *world) dataFile(name string) string { return filepath.Join(w.dataDir, name) }

var _ = io.Discard

// noDaysOff is a calendar without holidays, for tests on the real clock.
type noDaysOff struct{}

func (noDaysOff) DayOff(time.Time) bool { return false }
