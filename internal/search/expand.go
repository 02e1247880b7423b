package search

import "slices"

const maxVariants = 1 + maxTargets

// variants returns the query as typed and, when it holds colloquial
// phrases, the same query with each phrase replaced by official wording (one
// variant per alternative wording). A document scores its best variant, so
// a literal match is never lost to a synonym.
//
// The reading as typed is left out (literal is false) when a colloquial
// phrase is not wording of the catalog of ix (Index.named): "sổ đỏ" read as the
// syllables "sổ" and "đỏ" only finds what shares a syllable ("cơ sở", "đối
// với"), while "giấy khai sinh" is also the name of a paper the catalog
// issues, so its literal reading stays.
func (s *Synonyms) variants(toks []qtoken, ix *Index) (vs [][]qtoken, literal bool) {
	lit := s.markFiller(toks)
	out := [][]qtoken{lit}
	if s == nil {
		return out, true
	}
	type match struct {
		at int
		r  *rule
	}
	var found []match
	alts := 0
	for i := 0; i < len(toks); {
		r := s.ruleAt(toks, i)
		if r == nil {
			i++
			continue
		}
		found = append(found, match{i, r})
		alts = max(alts, len(r.to))
		i += len(r.from)
	}
	literal = true
	var buf [maxPhraseWords]string
	for _, m := range found {
		words := buf[:0]
		for _, t := range lit[m.at : m.at+len(m.r.from)] {
			if !t.stop {
				words = append(words, t.text)
			}
		}
		if len(words) > 0 && !ix.named(words) {
			literal = false
		}
	}
	for k := range min(alts, maxVariants-1) {
		v := make([]qtoken, 0, len(toks)+8)
		at := 0
		for g, m := range found {
			v = append(v, toks[at:m.at]...)
			for _, w := range m.r.to[min(k, len(m.r.to)-1)] {
				v = append(v, qtoken{text: w, group: int8(g + 1), typed: int8(len(m.r.from))})
			}
			at = m.at + len(m.r.from)
		}
		v = append(v, toks[at:]...)
		if len(v) > maxVariantTokens {
			v = v[:maxVariantTokens]
		}
		out = append(out, s.markFiller(v))
	}
	if !literal && len(out) > 1 {
		return out[1:], false
	}
	return out, true
}

// ruleAt returns the longest rule whose phrase starts at toks[i].
func (s *Synonyms) ruleAt(toks []qtoken, i int) *rule {
	rs := s.rules[toks[i].text]
	for k := range rs {
		if phraseAt(toks, i, rs[k].from) {
			return &rs[k]
		}
	}
	return nil
}

// phraseAt reports whether the words of p are the text tokens at toks[i:].
// The last may not be an unfinished word: "so d" is not yet "sổ đỏ".
func phraseAt(toks []qtoken, i int, p []string) bool {
	if i+len(p) > len(toks) {
		return false
	}
	for j, w := range p {
		t := toks[i+j]
		if t.code || t.text != w {
			return false
		}
	}
	return true
}

// markFiller returns toks with filler phrases marked, copying when it must.
func (s *Synonyms) markFiller(toks []qtoken) []qtoken {
	if s == nil {
		return toks
	}
	copied := false
	for i := 0; i < len(toks); {
		n := 0
		for _, p := range s.stops[toks[i].text] {
			if phraseAt(toks, i, p) {
				n = len(p)
				break
			}
		}
		if n == 0 {
			i++
			continue
		}
		if !copied {
			toks, copied = slices.Clone(toks), true
		}
		for j := i; j < i+n; j++ {
			toks[j].stop = true
		}
		i += n
	}
	return toks
}
