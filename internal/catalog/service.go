package catalog

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
	"motcua/internal/search"
)

// Store is what the catalog needs from persistence.
type Store interface {
	Procedures(ctx context.Context) ([]Procedure, error)
	CatalogVersion(ctx context.Context) (int64, error)
	SaveProcedures(ctx context.Context, procs []Procedure, now time.Time, progress func(done int)) (SaveResult, error)
}

// Field is a field of procedures (lĩnh vực) with how many it holds.
type Field struct {
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Count  int    `json:"count"`
}

// LocalName returns the field's name in lang.
func (f Field) LocalName(lang string) string {
	if lang == "en" && f.NameEn != "" {
		return f.NameEn
	}
	return f.Name
}

// Service answers catalog questions from an in-memory snapshot that follows
// the store: every instance reloads it when the store's catalog version moves,
// so an import by another process reaches every portal.
type Service struct {
	store Store
	syn   *search.Synonyms
	now   func() time.Time
	snap  atomic.Pointer[snapshot]
	mu    sync.Mutex // one reload at a time
}

type snapshot struct {
	version int64
	index   *search.Index
	byCode  map[string]*Procedure
	ordered []*Procedure // by field, then name
	fields  []Field
}

// NewService returns a catalog service; call Refresh before serving.
func NewService(store Store, syn *search.Synonyms, now func() time.Time) *Service {
	s := &Service{store: store, syn: syn, now: now}
	s.snap.Store(&snapshot{version: -1, index: search.NewIndex(nil, syn), byCode: map[string]*Procedure{}})
	return s
}

// Refresh reloads the snapshot when the store's catalog has changed.
func (s *Service) Refresh(ctx context.Context) error {
	v, err := s.store.CatalogVersion(ctx)
	if err != nil {
		return err
	}
	if s.snap.Load().version == v {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap.Load().version == v {
		return nil
	}
	procs, err := s.store.Procedures(ctx)
	if err != nil {
		return err
	}
	s.snap.Store(buildSnapshot(v, procs, s.syn))
	return nil
}

// Watch refreshes every interval until ctx ends; errors are reported to
// onErr and retried at the next tick.
func (s *Service) Watch(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil && onErr != nil {
				onErr(err)
			}
		}
	}
}

func buildSnapshot(version int64, procs []Procedure, syn *search.Synonyms) *snapshot {
	sn := &snapshot{version: version, byCode: make(map[string]*Procedure, len(procs))}
	docs := make([]search.Doc, 0, len(procs))
	fields := map[string]*Field{}
	for i := range procs {
		p := &procs[i]
		sn.byCode[p.Code] = p
		sn.ordered = append(sn.ordered, p)
		docs = append(docs, search.Doc{Code: p.Code, Name: p.Name, NameEn: p.NameEn, Field: p.Field, FieldEn: p.FieldEn, Agency: p.Agency})
		f := fields[p.Field]
		if f == nil {
			f = &Field{Name: p.Field, NameEn: p.FieldEn}
			fields[p.Field] = f
		}
		f.Count++
	}
	sort.SliceStable(sn.ordered, func(i, j int) bool {
		a, b := sn.ordered[i], sn.ordered[j]
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Code < b.Code
	})
	for _, f := range fields {
		sn.fields = append(sn.fields, *f)
	}
	sort.Slice(sn.fields, func(i, j int) bool {
		if sn.fields[i].Count != sn.fields[j].Count {
			return sn.fields[i].Count > sn.fields[j].Count
		}
		return sn.fields[i].Name < sn.fields[j].Name
	})
	sn.index = search.NewIndex(docs, syn)
	return sn
}

// Query is a catalog search as a citizen or a program asks it.
type Query struct {
	Q      string
	Field  string
	Level  Level
	Online Online
	Limit  int
	Offset int
}

// Query limits: long enough for any real question, short enough that a
// pasted page cannot slow the index down.
const (
	MaxQueryLen  = 200
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 10000
)

// Validate checks a query and fills in defaults.
func (q *Query) Validate() error {
	var errs []apperr.FieldError
	q.Q = strings.TrimSpace(q.Q)
	if !utf8.ValidString(q.Q) || !utf8.ValidString(q.Field) {
		errs = append(errs, apperr.FieldError{Field: "q", MessageID: "error.field.utf8"})
	} else if utf8.RuneCountInString(q.Q) > MaxQueryLen {
		errs = append(errs, apperr.FieldError{Field: "q", MessageID: "error.field.too_long", Params: map[string]any{"Max": MaxQueryLen}})
	}
	if len(q.Field) > 500 {
		errs = append(errs, apperr.FieldError{Field: "field", MessageID: "error.field.too_long", Params: map[string]any{"Max": 500}})
	}
	if q.Level != "" && !q.Level.Valid() {
		errs = append(errs, apperr.FieldError{Field: "level", MessageID: "error.field.level"})
	}
	if q.Online != "" && !q.Online.Valid() {
		errs = append(errs, apperr.FieldError{Field: "online", MessageID: "error.field.online"})
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		errs = append(errs, apperr.FieldError{Field: "limit", MessageID: "error.field.range", Params: map[string]any{"Min": 1, "Max": MaxLimit}})
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		errs = append(errs, apperr.FieldError{Field: "offset", MessageID: "error.field.range", Params: map[string]any{"Min": 0, "Max": MaxOffset}})
	}
	if len(errs) > 0 {
		return apperr.Fields(errs)
	}
	return nil
}

// Result is one page of matches and how many there are in all. Elsewhere
// is set, with no items, when the query asks for something another office
// handles (a passport, a driving licence…): where to go is the answer.
type Result struct {
	Items     []Procedure
	Total     int
	Elsewhere *search.Place
}

// Search returns the procedures that match, best first (or in catalog order
// when there are no words to match), filtered and paged.
func (s *Service) Search(q Query) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	sn := s.snap.Load()
	if q.Q != "" {
		if place := sn.index.Elsewhere(q.Q); place != nil {
			return Result{Items: []Procedure{}, Elsewhere: place}, nil
		}
	}
	keep := func(p *Procedure) bool {
		return (q.Field == "" || p.Field == q.Field || p.FieldEn == q.Field) &&
			(q.Level == "" || p.Level == q.Level) &&
			(q.Online == "" || p.Online == q.Online)
	}
	if q.Q != "" && q.Field == "" && q.Level == "" && q.Online == "" {
		// No filter: the index ranks the page alone and counts the rest
		// (search.Index.SearchTotal), a third of the work of ranking all.
		hits, total := sn.index.SearchTotal(q.Q, q.Offset+q.Limit)
		res := Result{Total: total, Items: []Procedure{}}
		for i := q.Offset; i < len(hits); i++ {
			if p := sn.byCode[hits[i].Code]; p != nil {
				res.Items = append(res.Items, *p)
			}
		}
		return res, nil
	}
	var matched []*Procedure
	if q.Q == "" {
		for _, p := range sn.ordered {
			if keep(p) {
				matched = append(matched, p)
			}
		}
	} else {
		for _, h := range sn.index.Search(q.Q, 0) {
			if p := sn.byCode[h.Code]; p != nil && keep(p) {
				matched = append(matched, p)
			}
		}
	}
	res := Result{Total: len(matched), Items: []Procedure{}}
	for i := q.Offset; i < len(matched) && i < q.Offset+q.Limit; i++ {
		res.Items = append(res.Items, *matched[i])
	}
	return res, nil
}

// Get returns one procedure by code.
func (s *Service) Get(code string) (Procedure, error) {
	if p := s.snap.Load().byCode[code]; p != nil {
		return *p, nil
	}
	return Procedure{}, apperr.ErrNotFound
}

// Fields lists the fields of the catalog, the largest first.
func (s *Service) Fields() []Field { return s.snap.Load().fields }

// Version is the catalog version the service answers from (the store's
// CatalogVersion at the last reload); it changes whenever the catalog does,
// so that answers kept aside can be keyed by it.
func (s *Service) Version() int64 { return s.snap.Load().version }

// Count is the number of procedures in the catalog.
func (s *Service) Count() int { return len(s.snap.Load().ordered) }

// All returns every procedure in catalog order (by field, then name), for
// pick lists that show the whole catalog.
func (s *Service) All() []Procedure {
	sn := s.snap.Load()
	out := make([]Procedure, 0, len(sn.ordered))
	for _, p := range sn.ordered {
		out = append(out, *p)
	}
	return out
}
