package search

import "math/bits"

// scratch holds the working memory of one Search. Dense arrays indexed by
// document beat maps by far at catalog sizes; stamps (epochs) tell which
// entries belong to the current word, reading and query, so nothing is
// cleared between searches. The index pools one per concurrent search.
type scratch struct {
	// By document, each in one struct so that a document costs one cache
	// line, not one per array.
	tok   []tokSlot
	acc   []accSlot
	final []finalSlot

	termMask []uint64 // bit i: the term matches token i of the reading

	tokEpoch, varEpoch, qEpoch uint32

	// Per query: what each distinct word matches.
	cache []cachedMatch
	hits  []termHit
	docs  []uint32
	vals  []float32
	flds  []field

	// Per reading.
	tokDocs     []docRange
	tokW        []float32
	tokCore     []bool
	cands       []uint32
	sums        []wordSum // by distinct word, in the order of accumulate
	table       []wordSum // by subset of sums (see tabulate)
	maskedTerms []uint32
	ranked      []candidate
	kth         []float64

	results []uint32
	heap    []ranked
	total   int // documents that match, whether or not they could be among the best
}

// tokSlot: where the document is in docs for the word being looked up.
type tokSlot struct {
	stamp uint32
	at    int32
}

// accSlot: the sums of the current reading of the query. words holds, in
// its low bits, which distinct words of the reading (s.sums) the document
// matches, and from fieldShift on the fields where they matched.
type accSlot struct {
	stamp uint32
	cov   float32 // Σ weight × quality
	words uint64
}

const fieldShift = 56 // above maxVariantTokens bits of words

// A reading has at most maxVariantTokens distinct words: their bits must
// stay below the fields (this fails to compile otherwise).
const _ = uint(fieldShift - maxVariantTokens)

// wordSum: the sums of a set of the distinct words of a reading.
type wordSum struct {
	hit, core        float32 // Σ weight, Σ weight of words that are not filler
	count, coreWords uint16  // words matched (copies included), of them not filler
	terms            uint16  // terms of the vocabulary the words match, at most
}

// maxTable bounds the distinct words of a reading whose every subset
// scratch.tabulate sums in advance.
const maxTable = 12

// tabulate fills s.table with the sums of every subset of s.sums, when
// there are few enough and it may (Index.plain does not). Each subset's sum adds its words in order, as
// wordsOf does, so both give the same floating-point values.
func (s *scratch) tabulate(may bool) {
	s.table = s.table[:0]
	if !may || len(s.sums) > maxTable {
		return
	}
	s.table = append(s.table, wordSum{})
	for m := 1; m < 1<<len(s.sums); m++ {
		top := bits.Len(uint(m)) - 1
		t, w := s.table[m&^(1<<top)], s.sums[top]
		s.table = append(s.table, wordSum{
			hit: t.hit + w.hit, core: t.core + w.core,
			count: t.count + w.count, coreWords: t.coreWords + w.coreWords,
			terms: t.terms + w.terms,
		})
	}
}

// wordsOf returns the sums of the words of a document of the reading.
func (s *scratch) wordsOf(a *accSlot) wordSum {
	m := a.words & (1<<fieldShift - 1)
	if len(s.table) > 0 {
		return s.table[m]
	}
	var t wordSum
	for ; m != 0; m &= m - 1 {
		w := s.sums[bits.TrailingZeros64(m)]
		t.hit += w.hit
		t.core += w.core
		t.count += w.count
		t.coreWords += w.coreWords
		t.terms += w.terms
	}
	return t
}

// fieldsOf returns where the words of a document of the reading matched.
func (a *accSlot) fieldsOf() field { return field(a.words >> fieldShift) }

// finalSlot: the best score over the readings; seen stamps a document
// counted as a match, kept or not (see Index.SearchTotal).
type finalSlot struct {
	stamp uint32
	seen  uint32
	score float64
}

func newScratch(docs, terms int) *scratch {
	return &scratch{
		tok:      make([]tokSlot, docs),
		acc:      make([]accSlot, docs),
		final:    make([]finalSlot, docs),
		termMask: make([]uint64, terms),
	}
}

func (s *scratch) reset() {
	s.qEpoch = next(s.qEpoch, func() {
		for i := range s.final {
			s.final[i].stamp, s.final[i].seen = 0, 0
		}
	})
	s.cache, s.hits, s.docs, s.vals, s.flds = s.cache[:0], s.hits[:0], s.docs[:0], s.vals[:0], s.flds[:0]
	s.results = s.results[:0]
	s.total = 0
}

// next returns the epoch after e, clearing the stamps on the rare
// wrap-around so that a stale stamp can never look current.
func next(e uint32, clearStamps func()) uint32 {
	if e++; e == 0 {
		clearStamps()
		e = 1
	}
	return e
}
