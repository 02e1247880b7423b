package search

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
	maskedTerms []uint32
	ranked      []ranked
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

// accSlot: the sums of the current reading of the query.
type accSlot struct {
	stamp          uint32
	count          uint16  // words matched
	coreWords      uint16  // of them, words that are not filler
	fields         field   // where they matched
	cov, hit, core float32 // Σ weight × quality, Σ weight, Σ weight of words that are not filler
}

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
