// Package app opens the store and builds every service once. The portal, its
// operator commands, the demo data and the bot all start from Open, so that
// each front door calls the same use cases over the same wiring
// (docs/architecture.md).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/dossier"
	"motcua/internal/events"
	"motcua/internal/feedback"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/scorecard"
	"motcua/internal/search"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// App is a migrated store and the services over it.
type App struct {
	Cfg      config.Config
	Log      *slog.Logger
	DB       *store.DB
	Text     *i18n.Catalog
	Now      func() time.Time
	Catalog  *catalog.Service
	Units    *unit.Service
	Staff    *staff.Service
	Calendar *workday.Calendar
	Dossiers *dossier.Service
	// Bus carries live queue events: in-process for SQLite, LISTEN/NOTIFY
	// when several instances share PostgreSQL.
	Bus   events.Bus
	Queue *queue.Manager
	// Scorecard computes the 766 index of a unit (docs/scorecard.md).
	Scorecard *scorecard.Service
	// Ratings and Feedback: satisfaction (docs/domain.md).
	Ratings  *rating.Service
	Feedback *feedback.Service
}

// Option changes how Open builds the services (tests pass a clock).
type Option func(*App)

// WithClock makes every service read time from now.
func WithClock(now func() time.Time) Option { return func(a *App) { a.Now = now } }

// Open opens and migrates the store named by cfg and builds every service.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (*App, error) {
	a := &App{Cfg: cfg, Log: log, Now: time.Now}
	for _, o := range opts {
		o(a)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("database: %w", apperr.As(err).Err)
	}
	a.DB = db
	db.SetMaxConns(cfg.DBMaxConns)
	db.SetClock(a.Now)
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if a.Text, err = i18n.New(log); err != nil {
		db.Close()
		return nil, err
	}
	// An administrator may extend the bundled calendar in
	// $MOTCUA_DATA_DIR/calendar.toml (docs/domain.md, "Working days").
	if a.Calendar, err = workday.Load(filepath.Join(cfg.DataDir, "calendar.toml")); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.OfficeHours != nil {
		if a.Calendar, err = a.Calendar.WithHours(*cfg.OfficeHours); err != nil {
			db.Close()
			return nil, err
		}
	}
	a.Catalog = catalog.NewService(db, search.DefaultSynonyms(), a.Now)
	a.Units = unit.NewService(db, a.Now)
	a.Staff = staff.NewService(db, a.Now)
	a.Staff.Log = log
	a.Dossiers = dossier.NewService(db, a.Catalog, a.Units, a.Calendar, a.Now)
	if a.Scorecard, err = scorecard.NewService(db, a.Units, a.Catalog, a.Now); err != nil {
		db.Close()
		return nil, err
	}
	a.Bus = events.Bus(events.NewLocal())
	if cfg.IsPostgres() {
		a.Bus = events.NewPostgres(db.DSN(), db, log)
	}
	a.Queue = queue.NewManager(db, a.Bus, a.Now, log)
	a.Queue.TicketsPerHour = cfg.TicketsPerHour
	a.Queue.Calendar, a.Queue.FieldNames = a.Calendar, a.Catalog.FieldNames
	// The procedure pages' places are cached; a unit's new address is
	// seen at once on this instance.
	a.Units.OnChange = a.Queue.ForgetPlaces
	a.Ratings = rating.NewService(db, a.Calendar, rating.NewLinks(db, cfg.LinkKey, a.Now), a.Now)
	a.Feedback = feedback.NewService(db, a.Catalog, a.Calendar, a.Now)
	a.Dossiers.UseRatings(a.Ratings.RatedDossier)
	if err := a.Catalog.Refresh(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return a, nil
}

// Close stops the event bus and closes the store.
func (a *App) Close() {
	if a.Bus != nil {
		a.Bus.Close()
	}
	a.DB.Close()
}
