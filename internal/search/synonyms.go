package search

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"motcua/internal/textfold"
)

// Synonyms is the vocabulary of queries that the catalog does not speak:
// colloquial phrases with the official wording they stand for, and filler
// phrases ("thủ tục", "xin", "làm") that weigh little in a query. Both sides
// are folded, so a rule written with diacritics matches a query without.
// A Synonyms is read-only once loaded and safe to share between indexes.
type Synonyms struct {
	rules map[string][]rule     // by first word, longest phrase first
	stops map[string][][]string // by first word, longest phrase first
	words map[string]bool       // every word of a left side or a filler

	places []*Place // handled elsewhere (elsewhere.go)
}

type rule struct {
	from []string
	to   [][]string
}

// Limits that keep a query's expansion small whatever the file says.
const (
	maxPhraseWords = 6
	maxTargetWords = 16
	maxTargets     = 3
)

//go:embed synonyms.txt
var synonymsFile string

// DefaultSynonyms parses the files embedded in the binary (synonyms.txt,
// and elsewhere.toml for the things other offices handle) on each call; call
// it once and share the result. It panics if a file is broken, which
// TestDefaultSynonyms and TestDefaultElsewhere rule out.
func DefaultSynonyms() *Synonyms {
	s, err := LoadSynonyms(strings.NewReader(synonymsFile))
	if err != nil {
		panic(fmt.Sprintf("search: embedded synonyms.txt: %v", err))
	}
	s.places = DefaultElsewhere()
	return s
}

// LoadSynonyms parses the format described at the top of synonyms.txt:
//
//	# comment
//	[synonyms]
//	colloquial phrase = official wording | another official wording
//	[filler]
//	phrase
func LoadSynonyms(r io.Reader) (*Synonyms, error) {
	s := &Synonyms{
		rules: make(map[string][]rule),
		stops: make(map[string][][]string),
		words: make(map[string]bool),
	}
	section := "synonyms"
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		var err error
		switch {
		case line == "":
		case strings.HasPrefix(line, "["):
			section = strings.TrimSpace(strings.Trim(line, "[]"))
			if section != "synonyms" && section != "filler" {
				err = fmt.Errorf("unknown section %q", line)
			}
		case section == "filler":
			err = s.addFiller(line)
		default:
			err = s.addRule(line)
		}
		if err != nil {
			return nil, fmt.Errorf("search: synonyms line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("search: synonyms: %w", err)
	}
	for k, rs := range s.rules {
		slices.SortStableFunc(rs, func(a, b rule) int { return len(b.from) - len(a.from) })
		s.rules[k] = rs
	}
	for k, ps := range s.stops {
		slices.SortStableFunc(ps, func(a, b []string) int { return len(b) - len(a) })
		s.stops[k] = ps
	}
	return s, nil
}

func (s *Synonyms) addRule(line string) error {
	left, right, ok := strings.Cut(line, "=")
	if !ok {
		return errors.New(`want "phrase = official wording"`)
	}
	from := textfold.Tokens(left)
	if len(from) == 0 || len(from) > maxPhraseWords {
		return fmt.Errorf("left side must have 1 to %d words", maxPhraseWords)
	}
	var to [][]string
	for alt := range strings.SplitSeq(right, "|") {
		words := textfold.Tokens(alt)
		if len(words) == 0 || len(words) > maxTargetWords {
			return fmt.Errorf("each wording must have 1 to %d words", maxTargetWords)
		}
		to = append(to, words)
	}
	key := from[0]
	for i, r := range s.rules[key] {
		if slices.Equal(r.from, from) {
			to = append(r.to, to...)
			if len(to) > maxTargets {
				return fmt.Errorf("%q has more than %d wordings", left, maxTargets)
			}
			s.rules[key][i].to = to
			return nil
		}
	}
	if len(to) > maxTargets {
		return fmt.Errorf("%q has more than %d wordings", left, maxTargets)
	}
	s.rules[key] = append(s.rules[key], rule{from: from, to: to})
	for _, w := range from {
		s.words[w] = true
	}
	return nil
}

func (s *Synonyms) addFiller(line string) error {
	if strings.Contains(line, "=") {
		return errors.New("a filler phrase has no \"=\"")
	}
	words := textfold.Tokens(line)
	if len(words) == 0 || len(words) > maxPhraseWords {
		return fmt.Errorf("a filler phrase must have 1 to %d words", maxPhraseWords)
	}
	s.stops[words[0]] = append(s.stops[words[0]], words)
	for _, w := range words {
		s.words[w] = true
	}
	return nil
}

// Len reports the number of colloquial phrases.
func (s *Synonyms) Len() int {
	if s == nil {
		return 0
	}
	n := 0
	for _, rs := range s.rules {
		n += len(rs)
	}
	return n
}

func (s *Synonyms) knows(w string) bool { return s != nil && s.words[w] }
