package search

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"motcua/internal/textfold"
)

// Place is somewhere other than the one-stop department that handles what a
// query asks for: passports, vehicle registration, driving licences…
type Place struct {
	Key            string
	Name, NameEn   string
	Where, WhereEn string
	phrases        [][]string // folded
}

// LocalName returns the place's name in lang ("en" or "vi").
func (p *Place) LocalName(lang string) string {
	if lang == "en" && p.NameEn != "" {
		return p.NameEn
	}
	return p.Name
}

// LocalWhere returns where to go, in lang.
func (p *Place) LocalWhere(lang string) string {
	if lang == "en" && p.WhereEn != "" {
		return p.WhereEn
	}
	return p.Where
}

//go:embed elsewhere.toml
var elsewhereFile string

// Bounds that keep the file's matching cheap whatever it says.
const (
	maxPlaces       = 200
	maxPlacePhrases = 50
)

// LoadElsewhere parses a list of places in the format of elsewhere.toml.
func LoadElsewhere(src string) ([]*Place, error) {
	var raw struct {
		Place []struct {
			Key     string   `toml:"key"`
			Name    string   `toml:"name"`
			NameEn  string   `toml:"name_en"`
			Where   string   `toml:"where"`
			WhereEn string   `toml:"where_en"`
			Phrases []string `toml:"phrases"`
		} `toml:"place"`
	}
	md, err := toml.Decode(src, &raw)
	if err != nil {
		return nil, fmt.Errorf("search: elsewhere: %w", err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return nil, fmt.Errorf("search: elsewhere: unknown key %q", u[0].String())
	}
	if len(raw.Place) > maxPlaces {
		return nil, fmt.Errorf("search: elsewhere: more than %d places", maxPlaces)
	}
	seen := map[string]bool{}
	out := make([]*Place, 0, len(raw.Place))
	for i, r := range raw.Place {
		p := &Place{Key: strings.TrimSpace(r.Key), Name: strings.TrimSpace(r.Name), NameEn: strings.TrimSpace(r.NameEn),
			Where: strings.TrimSpace(r.Where), WhereEn: strings.TrimSpace(r.WhereEn)}
		switch {
		case p.Key == "":
			return nil, fmt.Errorf("search: elsewhere: place %d has no key", i+1)
		case seen[p.Key]:
			return nil, fmt.Errorf("search: elsewhere: key %q appears twice", p.Key)
		case p.Name == "" || p.NameEn == "" || p.Where == "" || p.WhereEn == "":
			return nil, fmt.Errorf("search: elsewhere: %s needs name, name_en, where and where_en", p.Key)
		case len(r.Phrases) == 0 || len(r.Phrases) > maxPlacePhrases:
			return nil, fmt.Errorf("search: elsewhere: %s needs 1 to %d phrases", p.Key, maxPlacePhrases)
		}
		seen[p.Key] = true
		for _, ph := range r.Phrases {
			words := textfold.Tokens(ph)
			if len(words) == 0 || len(words) > maxPhraseWords {
				return nil, fmt.Errorf("search: elsewhere: %s: phrase %q must have 1 to %d words", p.Key, ph, maxPhraseWords)
			}
			p.phrases = append(p.phrases, words)
		}
		out = append(out, p)
	}
	return out, nil
}

// DefaultElsewhere parses the embedded elsewhere.toml on each call. It panics
// if that file is broken, which TestDefaultElsewhere rules out.
func DefaultElsewhere() []*Place {
	ps, err := LoadElsewhere(elsewhereFile)
	if err != nil {
		panic(err)
	}
	return ps
}

// WithElsewhere returns a copy of s that also knows the places; an index
// built with it answers Elsewhere. s may be nil.
func (s *Synonyms) WithElsewhere(places []*Place) *Synonyms {
	out := &Synonyms{}
	if s != nil {
		*out = *s
	}
	out.places = places
	return out
}

// elsewhere indexes the places that the catalog does not list itself, by
// the first word of each phrase.
type elsewhere map[string][]placePhrase

type placePhrase struct {
	words []string
	place *Place
}

// buildElsewhere leaves out every place one of whose phrases the catalog
// uses in a name: where the installed catalog lists the procedure, search
// finds it. A phrase counts as used when each of its words is in a name and
// each pair of its neighbouring words is a pair of neighbours in some name.
func (ix *Index) buildElsewhere(places []*Place) elsewhere {
	e := elsewhere{}
	for _, p := range places {
		if slices.ContainsFunc(p.phrases, ix.named) {
			continue
		}
		for _, ph := range p.phrases {
			e[ph[0]] = append(e[ph[0]], placePhrase{ph, p})
		}
	}
	return e
}

// named reports whether the catalog's names use the phrase.
func (ix *Index) named(words []string) bool {
	for i, w := range words {
		id, ok := ix.ids[w]
		if !ok || !ix.inNames(id) {
			return false
		}
		if i > 0 && !ix.adjacent(words[i-1], w) {
			return false
		}
	}
	return true
}

func (ix *Index) inNames(t uint32) bool {
	for _, p := range ix.postings(t) {
		if p.fields&(inName|inNameEn) != 0 {
			return true
		}
	}
	return false
}

// Elsewhere returns the place that handles what query asks for when it is
// something the catalog does not list (a passport, a driving licence…), or
// nil. A procedure code in the query is never sent elsewhere.
func (ix *Index) Elsewhere(query string) *Place {
	if len(ix.elsewhere) == 0 {
		return nil
	}
	toks := parse(query)
	for _, t := range toks {
		if t.code {
			return nil
		}
	}
	for i, t := range toks {
		for _, pp := range ix.elsewhere[t.text] {
			if phraseAt(toks, i, pp.words) {
				return pp.place
			}
		}
	}
	return nil
}
