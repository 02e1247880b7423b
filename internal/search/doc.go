// Package search finds procedures in the catalog the way citizens ask for
// them: with or without diacritics, with a typo, by the first letters of a
// word, by code, in English, or in everyday words that a data file maps to
// the official wording.
//
// An Index is built once from a snapshot of the catalog and never changes;
// when the catalog changes, the caller builds a new one and swaps it in.
package search

// Doc is what the index needs to know of one procedure.
type Doc struct {
	Code, Name, NameEn, Field, FieldEn, Agency string
}

// Hit is one search result. Score is in (0, 1]; it orders the hits of one
// query and means little across queries.
type Hit struct {
	Code  string
	Score float64
}
