// Package web holds what every server-rendered page shares: the layout, the
// static assets (embedded, served under content-hashed names so they can be
// cached for a year) and the template renderer.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// Assets maps each embedded static file to its hashed URL.
type Assets struct {
	byName map[string]asset // "app.css" → …
	byURL  map[string]asset // "app.3f2a1b9c.css" → …
}

type asset struct {
	name, hashed, contentType string
	body                      []byte
}

// StaticPrefix is where assets are served.
const StaticPrefix = "/static/"

// LoadAssets hashes every embedded static file once, at start.
func LoadAssets() (*Assets, error) {
	a := &Assets{byName: map[string]asset{}, byURL: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		as := asset{name: name, hashed: hashed, contentType: ct, body: body}
		a.byName[name], a.byURL[hashed] = as, as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of a static file. An unknown name is a bug in a
// template; it panics during template execution, which the tests catch.
func (a *Assets) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static asset %q", name)
	}
	return StaticPrefix + as.hashed, nil
}

// Lookup finds an asset by its hashed file name (the part after /static/).
func (a *Assets) Lookup(hashed string) (body []byte, contentType string, ok bool) {
	as, ok := a.byURL[hashed]
	return as.body, as.contentType, ok
}

// Body returns an asset's content by plain name (for inlining small files).
func (a *Assets) Body(name string) ([]byte, bool) {
	as, ok := a.byName[name]
	return as.body, ok
}
