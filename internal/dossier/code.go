package dossier

import (
	"fmt"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/workday"
)

// MaxCodeLen is the longest dossier code accepted from another system.
const MaxCodeLen = 64

// ValidCode reports whether s may be a dossier code: up to 64 letters,
// digits, '.', '-' and '_' (the national forms and any local one).
func ValidCode(s string) bool { return len(s) <= MaxCodeLen && catalog.ValidCode(s) }

// CounterKey names one daily counter of desk codes: an agency on a day.
type CounterKey struct {
	Agency string // the agency's e-ID code (or the unit code when it has none)
	Day    string // yyMMdd in Vietnamese time
}

// counterKey is the counter a dossier received at t by agency draws from: the
// counter restarts every day in Vietnam, whatever the server's time zone.
func counterKey(agency string, t time.Time) CounterKey {
	return CounterKey{Agency: agency, Day: t.In(workday.Location()).Format("060102")}
}

// Format is the code of the n-th dossier of the day:
// {agency}-{yyMMdd}-{NNNN} (000.00.31.H42-260429-0001). Past 9999 the number
// simply grows a digit rather than wrapping into a duplicate.
func (k CounterKey) Format(n int) string { return fmt.Sprintf("%s-%s-%04d", k.Agency, k.Day, n) }
