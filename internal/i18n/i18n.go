// Package i18n turns message IDs from locales/ into text in the reader's
// language, and formats dates and times the Vietnamese way.
package i18n

import (
	"fmt"
	"io/fs"
	"log/slog"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on a bare container

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"motcua/locales"
)

// Catalog holds every translation. Build it once and pass it down.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	tags    []language.Tag
	zone    *time.Location
	log     *slog.Logger
	byLang  map[string]*Translator
}

// New loads the embedded locale files.
func New(log *slog.Logger) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.Vietnamese)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	var tags []language.Tag
	for _, lang := range locales.Languages {
		name := "active." + lang + ".toml"
		b, err := fs.ReadFile(locales.FS, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		if _, err := bundle.ParseMessageFileBytes(b, name); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		tags = append(tags, language.MustParse(lang))
	}
	zone, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return nil, fmt.Errorf("i18n: time zone: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Catalog{bundle: bundle, matcher: language.NewMatcher(tags), tags: tags, zone: zone, log: log, byLang: map[string]*Translator{}}
	for _, lang := range locales.Languages {
		c.byLang[lang] = &Translator{Lang: lang, loc: goi18n.NewLocalizer(bundle, lang), cat: c}
	}
	return c, nil
}

// Zone is Asia/Ho_Chi_Minh, where every time is shown.
func (c *Catalog) Zone() *time.Location { return c.zone }

// Match picks the language: an explicit choice (query or cookie) when it is
// supported, else the best of Accept-Language, else Vietnamese.
func (c *Catalog) Match(explicit []string, acceptLanguage string) string {
	for _, e := range explicit {
		if _, ok := c.byLang[e]; ok {
			return e
		}
	}
	if acceptLanguage != "" {
		if prefs, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(prefs) > 0 {
			_, idx, conf := c.matcher.Match(prefs...)
			if conf != language.No {
				return locales.Languages[idx]
			}
		}
	}
	return locales.Languages[0]
}

// Supported reports whether lang is one of ours.
func (c *Catalog) Supported(lang string) bool { _, ok := c.byLang[lang]; return ok }

// For returns the translator of lang, Vietnamese when lang is unknown.
func (c *Catalog) For(lang string) *Translator {
	if t, ok := c.byLang[lang]; ok {
		return t
	}
	return c.byLang[locales.Languages[0]]
}
