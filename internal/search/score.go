package search

import (
	"math"
	"slices"
)

// Ranking. A document's score for one reading (variant) of a query is
//
//	wCover  × share of the query's weight it matches, each word counted by
//	          its rarity (idf), its match kind and the field it is in
//	wAll      when it matches every word of the query
//	wPhrase × share of neighbouring query words that are neighbours in its name
//	wShort  / (1 + name words the query did not ask for / 10)
//
// so that matching all the words beats matching most of them, the name
// beats the field, exact beats prefix beats typo, the words in order beat
// the words scattered, and the shorter name wins what is left. Scores are
// divided by maxScore to fall in (0, 1].
const (
	wCover   = 10
	wAll     = 1
	wPhrase  = 2
	wShort   = 0.6
	maxScore = wCover + wAll + wPhrase + wShort

	// minMatch is the share of the best document's matched weight that a
	// document must match to be a result at all: the documents that only
	// share "đăng ký" with "đăng ký khai sinh" are not results.
	minMatch = 0.5

	// minCore is the share of the weight of the query's meaningful words
	// (not filler) that a document must match, whatever the others match; a
	// word found nowhere counts too (unknownCore), so that "đăng ký xe máy"
	// does not list every registration, nor "hộ chiếu" every "hộ".
	minCore = 0.4

	// unknownCore is what a meaningful word found nowhere weighs towards
	// minCore: as much as a word that one procedure in twenty has. A
	// word of no procedure is often just a word ("tách hộ ra ở riêng"), so
	// it must not weigh as much as the rarest word there, but it says the
	// query is not only about the common words next to it ("đăng ký").
	unknownCore = 3.0445 // math.Log(1 + 20)

	// specificCore lets a long question through despite its many words
	// that say little ("chuyển hộ khẩu từ quê lên thành phố"): a document
	// that matches two meaningful words or more (a colloquial phrase's
	// official wording counts word by word) is a result when together they
	// are at least as specific as one word that one procedure in twenty
	// has. "đăng ký" is not; one rare word that happens to match is not.
	specificCore = unknownCore

	// literalFactor scales the literal reading of a query that holds a
	// colloquial phrase: "sổ đỏ" read as the syllables "so" and "do" is a
	// poor guess next to the rule the synonyms file gives for it.
	literalFactor = 0.9
)

// Search returns the documents that match query, best first, at most max of
// them (max <= 0: all). Ties go to the smaller code, so that the order is
// the same on every call. A blank query has no results.
func (ix *Index) Search(query string, max int) []Hit {
	hits, _ := ix.SearchTotal(query, max)
	return hits
}

// SearchTotal is Search that also counts every document that matches, as
// Search(query, 0) would return them, while it ranks only the max best: a
// page of results and their total for the cost of the page.
func (ix *Index) SearchTotal(query string, max int) ([]Hit, int) {
	toks := parse(query)
	if len(toks) == 0 || len(ix.docs) == 0 {
		return nil, 0
	}
	toks = ix.repair(toks)
	s := ix.pool.Get().(*scratch)
	defer ix.pool.Put(s)
	s.reset()
	vs, literal := ix.syn.variants(toks, ix)
	for i, v := range vs {
		factor := 1.0
		if i == 0 && literal && len(vs) > 1 {
			factor = literalFactor
		}
		ix.scoreVariant(s, v, factor, max)
	}
	return ix.collect(s, max), s.total
}

// scoreVariant scores the documents that match one reading of the query.
func (ix *Index) scoreVariant(s *scratch, v []qtoken, factor float64, limit int) {
	st := ix.weigh(s, v)
	st.factor = factor
	if ix.accumulate(s) > 0 {
		ix.rankVariant(s, v, st, limit)
	}
	for _, t := range s.maskedTerms {
		s.termMask[t] = 0
	}
}

// weigh looks up the words of a reading and weighs them by rarity, filling
// s.tokDocs, s.tokW and s.termMask.
func (ix *Index) weigh(s *scratch, v []qtoken) variantStats {
	// Filler is ignored, unless there is nothing else ("hồ sơ" alone is
	// still a query) or it is half of a compound of the catalog: "cấp" is
	// filler in "xin cấp", not in "trợ cấp".
	onlyFiller := !slices.ContainsFunc(v, func(t qtoken) bool { return !t.stop })
	ignored := func(i int) bool {
		return v[i].stop && !onlyFiller &&
			!(i > 0 && !v[i-1].stop && ix.adjacent(v[i-1].text, v[i].text)) &&
			!(i+1 < len(v) && !v[i+1].stop && ix.adjacent(v[i].text, v[i+1].text))
	}
	s.maskedTerms, s.tokDocs, s.tokW, s.tokCore = s.maskedTerms[:0], s.tokDocs[:0], s.tokW[:0], s.tokCore[:0]
	n := float64(len(ix.docs))
	var st variantStats
	for i, t := range v {
		if ignored(i) {
			s.tokW = append(s.tokW, 0)
			s.tokDocs = append(s.tokDocs, docRange{})
			s.tokCore = append(s.tokCore, false)
			continue
		}
		st.words++
		c := ix.lookup(s, t, ix.context(v, i))
		if !t.code {
			for _, h := range s.hits[c.lo:c.hi] {
				if s.termMask[h.term] == 0 {
					s.maskedTerms = append(s.maskedTerms, h.term)
				}
				s.termMask[h.term] |= 1 << i
			}
		}
		df := c.docs.hi - c.docs.lo
		if df > 0 {
			st.live |= 1 << i
		}
		// A word found nowhere weighs as much as the rarest word: no
		// document matches it, and a reading of the query without such a
		// word (a synonym's) should win.
		s.tokW = append(s.tokW, float32(math.Log(1+n/float64(max(1, df)))))
		s.tokDocs = append(s.tokDocs, c.docs)
		// Filler kept for being half of a compound ("trợ cấp", "giấy
		// phép") helps rank, but never makes a match on its own.
		s.tokCore = append(s.tokCore, !t.stop || onlyFiller)
	}
	st.total = shareGroups(v, s.tokW)
	for i, w := range s.tokW {
		if s.tokCore[i] {
			if st.live&(1<<i) == 0 {
				w = min(w, unknownCore)
			}
			st.core += w
		}
	}
	return st
}

// context returns the words next to v[i] that a typo of v[i] must form a
// pair of the catalog with: the neighbours that are words of the catalog,
// not filler and not codes. It is empty where no typo is looked for (a
// word of the catalog, a long word, a code, a synonym's word), so that the
// look-up of such a word is shared by every reading.
func (ix *Index) context(v []qtoken, i int) (ctx typoContext) {
	if v[i].code || v[i].group != 0 || len(v[i].text) >= minFreeTypoLen {
		return ctx
	}
	if _, ok := ix.ids[v[i].text]; ok {
		return ctx
	}
	known := func(j int) string {
		if j < 0 || j >= len(v) || v[j].code || v[j].stop {
			return ""
		}
		if _, ok := ix.ids[v[j].text]; !ok {
			return ""
		}
		return v[j].text
	}
	return typoContext{left: known(i - 1), right: known(i + 1)}
}

// accumulate sums the weighed words into each document's slot and lists the
// documents in s.cands; it returns how many there are.
func (ix *Index) accumulate(s *scratch) int {
	s.varEpoch = next(s.varEpoch, func() {
		for i := range s.acc {
			s.acc[i].stamp = 0
		}
	})
	vEpoch := s.varEpoch
	s.cands, s.sums = s.cands[:0], s.sums[:0]
	for i, r := range s.tokDocs {
		// A word that comes back (a synonym's reading often repeats
		// "đăng ký") is summed once with the weight of all its copies.
		if r.hi == r.lo || slices.Index(s.tokDocs[:i], r) >= 0 {
			continue
		}
		sum := wordSum{terms: r.terms}
		for j := i; j < len(s.tokDocs); j++ {
			if s.tokDocs[j] == r {
				sum.hit += s.tokW[j]
				if s.tokCore[j] {
					sum.core += s.tokW[j]
					sum.coreWords++
				}
				sum.count++
			}
		}
		// The sums that are the same for every document of the word are
		// added up per set of words matched (wordsOf), not per posting.
		bit := uint64(1) << len(s.sums)
		s.sums = append(s.sums, sum)
		w := sum.hit
		if r.term >= 0 {
			// One term: its postings are read where they are, each
			// document once (see Index.lookup), and what a posting adds
			// depends on its fields only. The products are rounded as in
			// the other loop, where lookup stores the quality × weight.
			var add [len(ix.weights)]float32
			for f, fw := range ix.weights {
				add[f] = float32(w * float32(r.q*fw))
			}
			for _, p := range ix.posts[r.lo:r.hi] {
				a := &s.acc[p.doc]
				if a.stamp != vEpoch {
					*a = accSlot{stamp: vEpoch}
					s.cands = append(s.cands, p.doc)
				}
				a.cov += add[p.fields&63]
				a.words |= bit | uint64(p.fields)<<fieldShift
			}
			continue
		}
		vals, flds := s.vals[r.lo:r.hi], s.flds[r.lo:r.hi]
		for k, d := range s.docs[r.lo:r.hi] {
			a := &s.acc[d]
			if a.stamp != vEpoch {
				*a = accSlot{stamp: vEpoch}
				s.cands = append(s.cands, d)
			}
			a.cov += float32(w * vals[k])
			a.words |= bit | uint64(flds[k])<<fieldShift
		}
	}
	s.tabulate(!ix.plain)
	return len(s.cands)
}

// shareGroups scales the weights of the words each synonym rule put in the
// query so that together they weigh what the words typed would at their
// average weight: "mở quán" read as the seven words of "đăng ký thành lập
// hộ kinh doanh" must not drown "karaoke", nor "người già" read as "trợ cấp
// hưu trí xã hội" drown "giám hộ". It returns the total weight.
func shareGroups(v []qtoken, w []float32) float32 {
	var total float32
	for i := 0; i < len(v); {
		j := i + 1
		for j < len(v) && v[i].group != 0 && v[j].group == v[i].group {
			j++
		}
		if typed := int(v[i].typed); v[i].group != 0 && j-i > typed {
			for k := i; k < j; k++ {
				w[k] *= float32(typed) / float32(j-i)
			}
		}
		for k := i; k < j; k++ {
			total += w[k]
		}
		i = j
	}
	return total
}

// lookup returns what t matches: terms, and documents with the best match
// quality × field weight in each. The readings of a query share most of
// their words, so both are computed once per query.
func (ix *Index) lookup(s *scratch, t qtoken, ctx typoContext) cachedMatch {
	for _, c := range s.cache {
		if c.text == t.text && c.code == t.code && c.prefix == t.prefix && c.ctx == ctx {
			return c
		}
	}
	c := cachedMatch{text: t.text, code: t.code, prefix: t.prefix, ctx: ctx, lo: len(s.hits)}
	s.hits = ix.match(t, ctx, s.hits)
	c.hi = len(s.hits)
	if c.hi-c.lo == 1 && !ix.plain {
		// A single term (the common case: a word of the catalog) needs no
		// merging: accumulate reads its postings in place, and the index of
		// the cache entry tells this word from another one that matches the
		// same term.
		h := s.hits[c.lo]
		c.docs = docRange{lo: int(ix.postOff[h.term]), hi: int(ix.postOff[h.term+1]), term: int32(h.term), q: h.q, tag: int32(len(s.cache)), terms: 1}
		s.cache = append(s.cache, c)
		return c
	}
	c.docs = docRange{lo: len(s.docs), term: -1, terms: uint16(min(c.hi-c.lo, 255))}
	s.tokEpoch = next(s.tokEpoch, func() {
		for i := range s.tok {
			s.tok[i].stamp = 0
		}
	})
	tEpoch := s.tokEpoch
	for _, h := range s.hits[c.lo:c.hi] {
		for _, p := range ix.postings(h.term) {
			val := h.q * ix.weights[p.fields&63]
			slot := &s.tok[p.doc]
			if slot.stamp != tEpoch {
				*slot = tokSlot{stamp: tEpoch, at: int32(len(s.docs))}
				s.docs = append(s.docs, p.doc)
				s.vals = append(s.vals, val)
				s.flds = append(s.flds, p.fields)
				continue
			}
			s.flds[slot.at] |= p.fields
			if val > s.vals[slot.at] {
				s.vals[slot.at] = val
			}
		}
	}
	c.docs.hi = len(s.docs)
	s.cache = append(s.cache, c)
	return c
}

type cachedMatch struct {
	text         string
	code, prefix bool
	ctx          typoContext
	lo, hi       int      // s.hits[lo:hi]: the terms matched
	docs         docRange // the documents matched
}

// docRange is the documents a word matches: a range of scratch.docs,
// scratch.vals and scratch.flds, or, when term >= 0, the postings of that
// one term, ix.posts[lo:hi], each worth q × the weight of its fields. tag
// tells the words of two cache entries apart; terms is how many terms of
// the vocabulary the word matches (at most 255, as docEntry.distinct, which is all that matters).
type docRange struct {
	lo, hi int
	term   int32
	q      float32
	tag    int32
	terms  uint16
}
