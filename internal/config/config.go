// Package config builds the one configuration value of a process from its
// environment. Nothing reads the environment after this.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"motcua/internal/workday"
)

// Config is the environment (README, "Configuration"), parsed and checked.
type Config struct {
	DatabaseURL     string // postgres://… or sqlite:PATH
	DataDir         string
	Addr            string
	PublicURL       string
	TrustedProxies  []string
	LookupPerMinute int
	// TicketsPerHour limits tickets a client takes without an enrolled
	// kiosk; 0 turns the limit off.
	TicketsPerHour int
	// StreamsPerClient caps the live event streams one client address holds
	// (0: no cap); StreamsMax caps them per instance (0: no cap).
	StreamsPerClient int
	StreamsMax       int
	// DBMaxConns caps the process's connections to the database; 0 keeps
	// the store's own (8 on SQLite, 20 on PostgreSQL).
	DBMaxConns int
	// MetricsAddr, when set, is the only listener that serves /metrics.
	MetricsAddr string
	// PprofAddr, when set, is a loopback listener serving Go's profiles
	// (/debug/pprof), for the load command's -profile (README,
	// "Performance"); never public.
	PprofAddr string
	// LinkKey signs rating links; empty: a key generated once and kept in
	// the database, shared by every instance and the bot.
	LinkKey string
	// OfficeHours are the hours deadlines are counted in
	// (MOTCUA_OFFICE_HOURS, MOTCUA_SAME_DAY_CUTOFF); nil: the usual
	// 07:00–11:30, 13:30–17:00 with a 15:00 cut-off.
	OfficeHours *workday.Hours

	TelegramToken         string
	TelegramEndpoint      string
	TelegramWebhookURL    string
	TelegramWebhookSecret string
	BotAddr               string
}

// Getenv is os.Getenv's shape, so tests can pass a map.
type Getenv func(string) string

// FromEnv reads the configuration. A secret NAME may instead come from the
// file named by NAME_FILE; setting both is an error, since one would be
// silently ignored.
func FromEnv(getenv Getenv) (Config, error) {
	var errs []string
	get := func(name, def string) string {
		v, file := getenv(name), getenv(name+"_FILE")
		if file != "" {
			if v != "" {
				errs = append(errs, fmt.Sprintf("%s and %s_FILE are both set", name, name))
				return v
			}
			b, err := os.ReadFile(file)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s_FILE: %v", name, err))
				return def
			}
			return strings.TrimSpace(string(b))
		}
		if v == "" {
			return def
		}
		return v
	}
	c := Config{
		DatabaseURL:           get("DATABASE_URL", ""),
		DataDir:               get("MOTCUA_DATA_DIR", "./data"),
		Addr:                  get("MOTCUA_ADDR", ":8080"),
		PublicURL:             strings.TrimRight(get("MOTCUA_PUBLIC_URL", "http://localhost:8080"), "/"),
		TelegramToken:         get("TELEGRAM_BOT_TOKEN", ""),
		TelegramEndpoint:      get("TELEGRAM_API_ENDPOINT", ""),
		TelegramWebhookURL:    get("TELEGRAM_WEBHOOK_URL", ""),
		TelegramWebhookSecret: get("TELEGRAM_WEBHOOK_SECRET", ""),
		BotAddr:               get("MOTCUA_BOT_ADDR", ":8081"),
		LinkKey:               get("MOTCUA_LINK_KEY", ""),
		MetricsAddr:           get("MOTCUA_METRICS_ADDR", ""),
		PprofAddr:             get("MOTCUA_PPROF_ADDR", ""),
	}
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			errs = append(errs, "MOTCUA_PPROF_ADDR must be a loopback address with a port (127.0.0.1:6060)")
		}
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "motcua.db")
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, "DATABASE_URL must start with postgres:// or sqlite:")
	}
	for _, p := range strings.Split(get("MOTCUA_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				errs = append(errs, fmt.Sprintf("MOTCUA_TRUSTED_PROXIES: %q is not an address or CIDR range", p))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	count := func(name, def string) int {
		n, err := strconv.Atoi(get(name, def))
		if err != nil || n < 0 {
			errs = append(errs, name+" must be a whole number, 0 or more")
		}
		return n
	}
	c.LookupPerMinute = count("MOTCUA_LOOKUP_PER_MINUTE", "20")
	c.TicketsPerHour = count("MOTCUA_TICKETS_PER_HOUR", "6")
	c.StreamsPerClient = count("MOTCUA_STREAMS_PER_CLIENT", "200")
	c.StreamsMax = count("MOTCUA_STREAMS_MAX", "10000")
	c.DBMaxConns = count("MOTCUA_DB_MAX_CONNS", "0")
	if periods, cutoff := get("MOTCUA_OFFICE_HOURS", ""), get("MOTCUA_SAME_DAY_CUTOFF", ""); periods != "" || cutoff != "" {
		def := workday.DefaultHours()
		if periods == "" {
			periods = def.String()
		}
		if cutoff == "" {
			cutoff = workday.FormatClock(def.SameDayCutoff)
		}
		if h, err := workday.ParseHours(periods, cutoff); err != nil {
			errs = append(errs, "MOTCUA_OFFICE_HOURS / MOTCUA_SAME_DAY_CUTOFF: "+err.Error())
		} else {
			c.OfficeHours = &h
		}
	}
	if c.LinkKey != "" && len(c.LinkKey) < 32 {
		errs = append(errs, "MOTCUA_LINK_KEY must be at least 32 characters")
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// IsPostgres reports whether the configured store is PostgreSQL.
func (c Config) IsPostgres() bool { return !strings.HasPrefix(c.DatabaseURL, "sqlite:") }
