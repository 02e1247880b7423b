// Package locales embeds every text a person reads, Vietnamese first.
package locales

import "embed"

// FS holds active.vi.toml and active.en.toml.
//
//go:embed active.*.toml
var FS embed.FS

// Languages lists the supported languages, the default first.
var Languages = []string{"vi", "en"}
