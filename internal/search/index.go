package search

import (
	"slices"
	"strings"
	"sync"

	"motcua/internal/textfold"
)

// field is a set of the places of a document where a term occurs.
type field uint8

const (
	inName field = 1 << iota
	inNameEn
	inCode
	inField
	inFieldEn
	inAgency
)

// weight is what a match is worth in the best of the fields: the name (or
// the code) says what a procedure is, the field and agency only where it
// belongs, so "hộ tịch" must not outrank a procedure named in the query.
// Search reads it from Index.weights, a table, as it is asked per posting.
func (f field) weight() float32 {
	switch {
	case f&(inName|inNameEn|inCode) != 0:
		return 1
	case f&(inField|inFieldEn) != 0:
		return 0.45
	default:
		return 0.3
	}
}

type posting struct {
	doc    uint32
	fields field
}

// span is a slice of Index.seqs.
type span struct{ off, n uint32 }

type docEntry struct {
	code         string
	name, nameEn span // term ids in order, for phrase and length scoring
	// distinct is how many different terms each name has (at most 255):
	// a name matched by at most m terms of a query has at least
	// distinct - m words the query did not ask for.
	distinct [2]uint8
}

// Index is an immutable snapshot of the catalog, safe for concurrent Search;
// callers rebuild it and swap it in when the catalog changes.
type Index struct {
	docs    []docEntry
	seqs    []uint32
	terms   []string // sorted, so that a prefix is a range
	ids     map[string]uint32
	postOff []uint32 // postings of term t: posts[postOff[t]:postOff[t+1]]
	posts   []posting
	typos   typoTable
	bigrams []uint64 // sorted: first<<32 | second for words adjacent in a name
	weights [1 << 6]float32
	syn     *Synonyms
	// elsewhere: the phrases of the places that handle what the catalog
	// does not list.
	elsewhere elsewhere
	pool      sync.Pool // *scratch, one per concurrent Search
	// plain turns off the shortcuts of Search that must not change its
	// results (postings read in place, sums tabulated per set of words,
	// documents skipped that cannot make the page), so that tests can
	// compare both ways.
	plain bool
}

// NewIndex indexes docs. syn may be nil: no colloquial words and no filler.
func NewIndex(docs []Doc, syn *Synonyms) *Index {
	b := builder{ids: make(map[string]uint32)}
	for i, d := range docs {
		b.add(uint32(i), d)
	}
	return b.finish(syn)
}

// Len reports the number of indexed documents.
func (ix *Index) Len() int { return len(ix.docs) }

func (ix *Index) postings(t uint32) []posting {
	return ix.posts[ix.postOff[t]:ix.postOff[t+1]]
}

type builder struct {
	ids   map[string]uint32
	terms []string
	posts [][]posting
	docs  []docEntry
	seqs  []uint32
}

func (b *builder) add(doc uint32, d Doc) {
	e := docEntry{code: d.Code}
	e.name = b.addSeq(doc, d.Name, inName)
	e.nameEn = b.addSeq(doc, d.NameEn, inNameEn)
	for _, w := range textfold.Tokens(d.Field) {
		b.addTerm(doc, w, inField)
	}
	for _, w := range textfold.Tokens(d.FieldEn) {
		b.addTerm(doc, w, inFieldEn)
	}
	for _, w := range textfold.Tokens(d.Agency) {
		b.addTerm(doc, w, inAgency)
	}
	if code := strings.ToLower(strings.TrimSpace(d.Code)); code != "" {
		// The whole code is a term of its own: folded query words never
		// contain a dot, so codes and words cannot be confused, and the
		// sorted vocabulary gives code prefixes for free.
		b.addTerm(doc, code, inCode)
		// "001193" alone is how a code is read out over the phone.
		if parts := textfold.Tokens(code); len(parts) > 1 && len(parts[1]) >= 4 && isDigits(parts[1]) {
			b.addTerm(doc, parts[1], inCode)
		}
	}
	b.docs = append(b.docs, e)
}

func (b *builder) addSeq(doc uint32, text string, f field) span {
	s := span{off: uint32(len(b.seqs))}
	for _, w := range textfold.Tokens(text) {
		b.seqs = append(b.seqs, b.addTerm(doc, w, f))
	}
	s.n = uint32(len(b.seqs)) - s.off
	return s
}

func (b *builder) addTerm(doc uint32, w string, f field) uint32 {
	id, ok := b.ids[w]
	if !ok {
		w = strings.Clone(w) // do not pin the whole folded name in memory
		id = uint32(len(b.terms))
		b.ids[w] = id
		b.terms = append(b.terms, w)
		b.posts = append(b.posts, nil)
	}
	p := b.posts[id]
	if n := len(p); n > 0 && p[n-1].doc == doc {
		p[n-1].fields |= f
	} else {
		b.posts[id] = append(p, posting{doc: doc, fields: f})
	}
	return id
}

func (b *builder) finish(syn *Synonyms) *Index {
	order := make([]uint32, len(b.terms)) // new id → old id
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return strings.Compare(b.terms[x], b.terms[y]) })
	renum := make([]uint32, len(order)) // old id → new id
	ix := &Index{
		docs:    b.docs,
		seqs:    b.seqs,
		terms:   make([]string, len(order)),
		ids:     b.ids,
		postOff: make([]uint32, len(order)+1),
		syn:     syn,
	}
	total := 0
	for _, p := range b.posts {
		total += len(p)
	}
	ix.posts = make([]posting, 0, total)
	for nu, old := range order {
		renum[old] = uint32(nu)
		ix.terms[nu] = b.terms[old]
		ix.ids[b.terms[old]] = uint32(nu)
		ix.posts = append(ix.posts, b.posts[old]...)
		ix.postOff[nu+1] = uint32(len(ix.posts))
	}
	for i, t := range ix.seqs {
		ix.seqs[i] = renum[t]
	}
	var seen []uint32
	for i := range ix.docs {
		e := &ix.docs[i]
		for k, sp := range [2]span{e.name, e.nameEn} {
			seen = append(seen[:0], ix.seqs[sp.off:sp.off+sp.n]...)
			slices.Sort(seen)
			e.distinct[k] = uint8(min(len(slices.Compact(seen)), 255))
		}
	}
	ix.typos = buildTypos(ix.terms)
	ix.bigrams = buildBigrams(ix.docs, ix.seqs)
	for f := range ix.weights {
		ix.weights[f] = field(f).weight()
	}
	if syn != nil {
		ix.elsewhere = ix.buildElsewhere(syn.places)
	}
	ix.pool.New = func() any { return newScratch(len(ix.docs), len(ix.terms)) }
	return ix
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func buildBigrams(docs []docEntry, seqs []uint32) []uint64 {
	var pairs []uint64
	for _, d := range docs {
		for _, sp := range [2]span{d.name, d.nameEn} {
			seq := seqs[sp.off : sp.off+sp.n]
			for i := 1; i < len(seq); i++ {
				pairs = append(pairs, uint64(seq[i-1])<<32|uint64(seq[i]))
			}
		}
	}
	slices.Sort(pairs)
	return slices.Clip(slices.Compact(pairs))
}

// adjacent reports whether words a and b follow each other in some name.
func (ix *Index) adjacent(a, b string) bool {
	x, ok := ix.ids[a]
	if !ok {
		return false
	}
	y, ok := ix.ids[b]
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(ix.bigrams, uint64(x)<<32|uint64(y))
	return found
}
