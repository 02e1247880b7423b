package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/app"
	"motcua/internal/config"
)

// usageError means the command line was wrong: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `usage:
  bot [-lease D] [-poll D]   run the Telegram bot and the notification sender
                             (environment: TELEGRAM_BOT_TOKEN, see README)`

// exitCode prints a one-line reason and maps err to the exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "bot: %s (see 'bot -h')\n", ue.msg)
		return 2
	}
	fmt.Fprintln(stderr, "bot:", strings.ReplaceAll(err.Error(), "\n", "; "))
	return 1
}

// options are the command line's: how long a delivery's lease lasts, and
// how long one long-polling request waits for updates.
type options struct {
	lease time.Duration
	poll  time.Duration
}

// run is the whole program, so that tests start it exactly as a user does.
func run(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.DurationVar(&o.lease, "lease", 30*time.Second, "how long a claimed delivery is held before another sender may retry it")
	fs.DurationVar(&o.poll, "poll", 30*time.Second, "long-polling timeout")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		if fs.Arg(0) == "help" {
			fmt.Fprintln(stdout, usage)
			return nil
		}
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if o.lease < time.Second || o.poll < time.Second || o.poll > 10*time.Minute {
		return usageError{"-lease and -poll must be at least 1s (and -poll at most 10m)"}
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	if cfg.TelegramToken == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and give its token (or TELEGRAM_BOT_TOKEN_FILE)")
	}
	if s := cfg.TelegramWebhookSecret; s != "" && !validSecret(s) {
		return errors.New("TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	var hook *url.URL
	if cfg.TelegramWebhookURL != "" {
		if hook, err = url.Parse(cfg.TelegramWebhookURL); err != nil || hook.Scheme != "https" && hook.Scheme != "http" || hook.Host == "" {
			return errors.New("TELEGRAM_WEBHOOK_URL must be an absolute https:// URL")
		}
	}
	// Every line this process writes passes through redact: the token is
	// part of each Bot API URL, and the library and net/http quote URLs in
	// their errors.
	out := &redactor{w: stderr, secrets: [][]byte{[]byte(cfg.TelegramToken)}}
	out.add(cfg.TelegramWebhookSecret)
	log := slog.New(slog.NewJSONHandler(out, nil))
	_ = tgbotapi.SetLogger(stdlog.New(out, "telegram: ", stdlog.LstdFlags))

	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()

	endpoint := cfg.TelegramEndpoint
	if endpoint == "" {
		endpoint = tgbotapi.APIEndpoint
	}
	// Requests end with the process's context, so a long poll does not hold
	// up shutdown; the sender's client gives up sooner than a lease lasts.
	pollClient := &ctxClient{ctx: ctx, c: &http.Client{Timeout: o.poll + 15*time.Second}}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.TelegramToken, endpoint, pollClient)
	if err != nil {
		return fmt.Errorf("telegram: getMe: %s", out.clean(err.Error()))
	}
	sendTimeout := min(o.lease/2, 20*time.Second)
	sendAPI := *api
	sendAPI.Client = &ctxClient{ctx: context.WithoutCancel(ctx), c: &http.Client{Timeout: sendTimeout}} // a message under way is finished

	b := newBot(a, &sendAPI, log, out)
	if err := a.DB.SetBotMeta(ctx, "username", api.Self.UserName, a.Now()); err != nil {
		return err
	}
	if err := b.setCommands(); err != nil {
		log.Warn("set bot commands", "err", out.clean(err.Error()))
	}

	ln, err := net.Listen("tcp", cfg.BotAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.BotAddr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.DB.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})

	var wg sync.WaitGroup
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if hook != nil {
		secret := cfg.TelegramWebhookSecret
		if secret == "" {
			secret = randomSecret()
			out.add(secret)
		}
		path := hook.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, &webhook{bot: b, secret: []byte(secret)})
		if err := setWebhook(api, hook.String(), secret); err != nil {
			ln.Close()
			return fmt.Errorf("telegram: setWebhook: %s", out.clean(err.Error()))
		}
		log.Info("webhook registered", "path", path)
	} else {
		// getUpdates is refused while a webhook is set.
		if _, err := api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
			ln.Close()
			return fmt.Errorf("telegram: deleteWebhook: %s", out.clean(err.Error()))
		}
		wg.Add(1)
		go func() { defer wg.Done(); b.poll(runCtx, api, int(o.poll/time.Second)) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); newSender(b, o.lease).run(runCtx) }()

	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		ErrorLog: stdlog.New(out, "http: ", 0)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "bot @%s listening on %s\n", api.Self.UserName, ln.Addr())
	log.Info("bot started", "username", api.Self.UserName, "addr", ln.Addr().String(), "webhook", hook != nil)

	select {
	case <-ctx.Done():
	case err = <-served:
	}
	cancel()
	shutCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	_ = srv.Shutdown(shutCtx)
	wg.Wait()
	log.Info("bot stopped")
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// setWebhook registers the webhook with its secret token. The library's
// WebhookConfig has no secret_token, so the request is made by hand.
func setWebhook(api *tgbotapi.BotAPI, u, secret string) error {
	_, err := api.MakeRequest("setWebhook", tgbotapi.Params{
		"url":             u,
		"secret_token":    secret,
		"allowed_updates": `["message","callback_query"]`,
	})
	return err
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func randomSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ctxClient ends every request with the process's context.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c *ctxClient) Do(r *http.Request) (*http.Response, error) { return c.c.Do(r.WithContext(c.ctx)) }

// redactor writes log lines with every secret replaced.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte
}

func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := p
	for _, s := range r.secrets {
		if len(s) > 0 && bytes.Contains(q, s) {
			q = bytes.ReplaceAll(q, s, []byte("[redacted]"))
		}
	}
	if _, err := r.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// add makes the redactor hide one more secret.
func (r *redactor) add(secret string) {
	if secret == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, []byte(secret))
}

// clean is a message with every secret replaced, for errors returned.
func (r *redactor) clean(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		if len(sec) > 0 {
			s = strings.ReplaceAll(s, string(sec), "[redacted]")
		}
	}
	return s
}
