package textfold

// The tables cover every letter of Vietnamese (and the rest of Latin-1 and
// Latin Extended-A) with a direct lookup: folding is on the path of every
// search query and every indexed name, and a lookup is several times faster
// than decomposing. TestTableMatchesDecomposition proves each entry equals
// what NFD and mark removal give, except for the d-like letters that NFD
// leaves alone.
//
// Each byte is the folded ASCII letter, ' ' for a separator, or '*' for "not
// in the table, decompose it".
const (
	latin1Start = 0x00C0
	latin1Fold  = "aaaaaa*ceeeeiiiidnooooo *uuuuy**aaaaaa*ceeeeiiiidnooooo *uuuuy*y" +
		"aaaaaaccccccccddddeeeeeeeeeegggggggghh**iiiiiiiii***jjkk*llllll****" +
		"nnnnnn***oooooo**rrrrrrsssssssstttt**uuuuuuuuuuuuwwyyyzzzzzz*"

	// U+1EA0 Ạ … U+1EF9 ỹ: the letters with two diacritics or with a dot
	// below, nearly all of them Vietnamese.
	vietStart = 0x1EA0
	vietFold  = "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy"
)

// tableFold reports the folded byte of r when r is in the tables.
func tableFold(r rune) (byte, bool) {
	switch {
	case r >= latin1Start && r < latin1Start+rune(len(latin1Fold)):
		c := latin1Fold[r-latin1Start]
		return c, c != '*'
	case r >= vietStart && r < vietStart+rune(len(vietFold)):
		return vietFold[r-vietStart], true
	}
	switch r {
	case 'Ơ', 'ơ':
		return 'o', true
	case 'Ư', 'ư':
		return 'u', true
	case 'Ɖ', 'ɖ': // African D, sometimes typed for Đ
		return 'd', true
	}
	return 0, false
}
