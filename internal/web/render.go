package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"motcua/internal/i18n"
)

//go:embed templates
var layoutFS embed.FS

// Page is what every template receives. T translates into the reader's
// language; Data is the page's own content.
type Page struct {
	T       *i18n.Translator
	Lang    string
	Title   string
	Path    string // the request path, for the language switch
	Query   string // the raw query without lang, for the language switch
	CSRF    string
	Staff   any // the signed-in staff member, if any
	NoIndex bool
	// Description is the page's meta description, translated; Render
	// falls back to the site's own when a page sets none.
	Description string
	BodyClass   string
	Data        any
}

// OtherLang is the language the switch offers.
func (p Page) OtherLang() string {
	if p.Lang == "en" {
		return "vi"
	}
	return "en"
}

// SwitchURL is the current page in the other language.
func (p Page) SwitchURL() string {
	q := "lang=" + p.OtherLang()
	if p.Query != "" {
		q = p.Query + "&" + q
	}
	return p.Path + "?" + q
}

// QueryWithoutLang is a request's query string minus lang, for Page.Query.
// A phone number (an older tracking link's phone=) is never carried into
// the language switch either: links end up in histories and logs.
// visit walks the query's pairs (fasthttp's Args.VisitAll), so that this
// package needs no web framework.
func QueryWithoutLang(visit func(func(key, value []byte))) string {
	var kept []string
	visit(func(k, v []byte) {
		if string(k) != "lang" && string(k) != "phone" {
			kept = append(kept, url.QueryEscape(string(k))+"="+url.QueryEscape(string(v)))
		}
	})
	return strings.Join(kept, "&")
}

// Renderer executes page templates inside the shared layout.
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses the shared layout and partials, then every *.html page
// in pages (each may define "title", "head" and "main" blocks); a page set's
// _*.html files are partials that each of its pages can use. Parsing
// happens once, at start, so a broken template stops the process early.
func NewRenderer(assets *Assets, pages ...fs.FS) (*Renderer, error) {
	funcs := template.FuncMap{
		"asset": assets.URL,
		"add":   func(a, b int) int { return a + b },
		"face":  Face,
		"tel":   TelURL,
		"join":  strings.Join,
		// fmtScore writes points with at most two decimals; pct a ratio
		// (*float64, nil for no data) as a percentage.
		"fmtScore": FormatPoints,
		"pct":      FormatPercent,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"inlineCSS": func(name string) (template.CSS, error) {
			b, ok := assets.Body(name)
			if !ok {
				return "", fmt.Errorf("web: no static asset %q", name)
			}
			return template.CSS(b), nil
		},
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(layoutFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, fsys := range pages {
		names, err := fs.Glob(fsys, "*.html")
		if err != nil {
			return nil, err
		}
		// Files named _*.html are partials: blocks shared by every page of
		// the same set, parsed once with the layout.
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		var pageNames []string
		for _, n := range names {
			if !strings.HasPrefix(path.Base(n), "_") {
				pageNames = append(pageNames, n)
				continue
			}
			if _, err := set.ParseFS(fsys, n); err != nil {
				return nil, fmt.Errorf("web: partial %s: %w", n, err)
			}
		}
		for _, n := range pageNames {
			t, err := set.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := t.ParseFS(fsys, n); err != nil {
				return nil, fmt.Errorf("web: page %s: %w", n, err)
			}
			name := strings.TrimSuffix(path.Base(n), ".html")
			if _, dup := r.pages[name]; dup {
				return nil, fmt.Errorf("web: two pages named %s", name)
			}
			r.pages[name] = t
		}
	}
	return r, nil
}

// Render writes a whole page. It renders into a buffer first so that a
// template error never leaves half a page on the wire.
func (r *Renderer) Render(w io.Writer, name string, p Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	if p.Description == "" && p.T != nil {
		p.Description = p.T.T("meta.description")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Has reports whether a page exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages[name]; return ok }

// FormatPoints writes a number of points with at most two decimals.
func FormatPoints(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// FormatPercent writes a ratio as a percentage with one decimal; nil is "–".
func FormatPercent(v *float64) string {
	if v == nil {
		return "–"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", *v*100), ".0") + " %"
}

// TelURL is a tel: link for a phone as people write it (0235 3874 123,
// (+84) 235-3874-123): its digits, with the leading + if any, so that a
// phone dials it; "" when it has no digit.
func TelURL(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == '+' && b.Len() == 0:
			b.WriteRune(r)
		}
	}
	if strings.Trim(b.String(), "+") == "" {
		return ""
	}
	return template.URL("tel:" + b.String())
}
