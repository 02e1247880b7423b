package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestPprofLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:6060", "[::1]:0"} {
		c, err := FromEnv(env(map[string]string{"MOTCUA_PPROF_ADDR": addr}))
		if err != nil || c.PprofAddr != addr {
			t.Errorf("MOTCUA_PPROF_ADDR=%s: %+v, %v; want it kept", addr, c.PprofAddr, err)
		}
	}
}

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.DatabaseURL, "sqlite:"+filepath.Join("data", "motcua.db"); got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
	if c.Addr != ":8080" || c.LookupPerMinute != 20 || c.PublicURL != "http://localhost:8080" || c.BotAddr != ":8081" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.IsPostgres() {
		t.Error("default store is PostgreSQL, want SQLite")
	}
	if c.TicketsPerHour != 6 || c.StreamsPerClient != 200 || c.StreamsMax != 10000 || c.MetricsAddr != "" || c.DBMaxConns != 0 {
		t.Errorf("unexpected limits: tickets %d, streams %d per client and %d in all, metrics on %q",
			c.TicketsPerHour, c.StreamsPerClient, c.StreamsMax, c.MetricsAddr)
	}
}

func TestFromEnvLimits(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"MOTCUA_TICKETS_PER_HOUR": "0", "MOTCUA_STREAMS_PER_CLIENT": "3",
		"MOTCUA_STREAMS_MAX": "0", "MOTCUA_METRICS_ADDR": "127.0.0.1:9100", "MOTCUA_DB_MAX_CONNS": "5"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TicketsPerHour != 0 || c.StreamsPerClient != 3 || c.StreamsMax != 0 || c.MetricsAddr != "127.0.0.1:9100" || c.DBMaxConns != 5 {
		t.Errorf("limits = %d, %d, %d, %q, %d", c.TicketsPerHour, c.StreamsPerClient, c.StreamsMax, c.MetricsAddr, c.DBMaxConns)
	}
}

func TestFromEnvReadsSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dsn")
	if err := os.WriteFile(path, []byte("postgres://u@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := FromEnv(env(map[string]string{"DATABASE_URL_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.DatabaseURL, "postgres://u@h/db"; got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
	if !c.IsPostgres() {
		t.Error("IsPostgres = false for a postgres URL")
	}
}

func TestFromEnvRejects(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"value and file both set": {"TELEGRAM_BOT_TOKEN": "x", "TELEGRAM_BOT_TOKEN_FILE": "/nonexistent"},
		"missing secret file":     {"TELEGRAM_BOT_TOKEN_FILE": "/nonexistent/token"},
		"unknown database scheme": {"DATABASE_URL": "mysql://x"},
		"negative limit":          {"MOTCUA_LOOKUP_PER_MINUTE": "-1"},
		"non-numeric limit":       {"MOTCUA_LOOKUP_PER_MINUTE": "many"},
		"negative ticket limit":   {"MOTCUA_TICKETS_PER_HOUR": "-6"},
		"non-numeric stream cap":  {"MOTCUA_STREAMS_PER_CLIENT": "lots"},
		"negative stream maximum": {"MOTCUA_STREAMS_MAX": "-1"},
		"negative pool size":      {"MOTCUA_DB_MAX_CONNS": "-2"},
		"non-numeric pool size":   {"MOTCUA_DB_MAX_CONNS": "twenty"},
		"bad proxy":               {"MOTCUA_TRUSTED_PROXIES": "10.0.0.1, nonsense"},
		"public pprof":            {"MOTCUA_PPROF_ADDR": "0.0.0.0:6060"},
		"pprof on every address":  {"MOTCUA_PPROF_ADDR": ":6060"},
		"pprof without port":      {"MOTCUA_PPROF_ADDR": "127.0.0.1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := FromEnv(env(m)); err == nil {
				t.Error("err = nil, want an error")
			}
		})
	}
}

func TestFromEnvTrustedProxies(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"MOTCUA_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 {
		t.Errorf("TrustedProxies = %v, want two entries", c.TrustedProxies)
	}
}

func TestFromEnvLinkKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	key := "0123456789abcdef0123456789abcdef"
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := FromEnv(env(map[string]string{"MOTCUA_LINK_KEY_FILE": path}))
	if err != nil || c.LinkKey != key {
		t.Fatalf("got %q, %v", c.LinkKey, err)
	}
	if _, err := FromEnv(env(map[string]string{"MOTCUA_LINK_KEY": "short"})); err == nil {
		t.Fatal("a short link key was accepted")
	}
}

func TestFromEnvOfficeHours(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil || c.OfficeHours != nil {
		t.Fatalf("default: hours %+v, %v; want none (the usual hours)", c.OfficeHours, err)
	}
	c, err = FromEnv(env(map[string]string{"MOTCUA_OFFICE_HOURS": "07:30-11:30, 13:00-17:00"}))
	if err != nil || c.OfficeHours == nil || c.OfficeHours.String() != "07:30-11:30,13:00-17:00" || c.OfficeHours.SameDayCutoff != 15*time.Hour {
		t.Fatalf("hours = %+v, %v", c.OfficeHours, err)
	}
	c, err = FromEnv(env(map[string]string{"MOTCUA_SAME_DAY_CUTOFF": "16:00"}))
	if err != nil || c.OfficeHours.String() != "07:00-11:30,13:30-17:00" || c.OfficeHours.SameDayCutoff != 16*time.Hour {
		t.Fatalf("cut-off alone = %+v, %v", c.OfficeHours, err)
	}
	for _, bad := range []string{"7-11", "13:00-11:00", "07:00-11:30,11:00-17:00"} {
		if _, err := FromEnv(env(map[string]string{"MOTCUA_OFFICE_HOURS": bad})); err == nil {
			t.Errorf("hours %q accepted", bad)
		}
	}
}
