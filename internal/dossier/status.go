package dossier

// Status is where a dossier stands in its life (docs/domain.md, "The dossier and its life").
type Status string

const (
	Received   Status = "received"
	Refused    Status = "refused"
	InProgress Status = "in_progress"
	Supplement Status = "supplement"
	Payment    Status = "payment"
	Withdrawn  Status = "withdrawn"
	Stopped    Status = "stopped"
	Done       Status = "done"
	Returned   Status = "returned"
)

// Statuses lists every status in the order of a dossier's life.
var Statuses = []Status{Received, InProgress, Supplement, Payment, Done, Returned, Refused, Withdrawn, Stopped}

// nationalCode is the code provincial systems use when they sync with the
// national portal.
var nationalCode = map[Status]int{
	Received: 2, Refused: 3, InProgress: 4, Supplement: 5, Payment: 6,
	Withdrawn: 7, Stopped: 8, Done: 9, Returned: 10,
}

// transitions is the one table of moves a dossier may make at the desk.
// Refusal happens at reception, before handling starts; a result, once done,
// can only be handed over; refused, withdrawn, stopped and returned are final.
var transitions = map[Status][]Status{
	Received:   {InProgress, Supplement, Payment, Refused, Withdrawn},
	InProgress: {Supplement, Payment, Done, Withdrawn, Stopped},
	Supplement: {InProgress, Withdrawn, Stopped},
	Payment:    {InProgress, Done, Withdrawn, Stopped},
	Done:       {Returned},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := nationalCode[s]; return ok }

// NationalCode is the status code of the national portal (2 to 10).
func (s Status) NationalCode() int { return nationalCode[s] }

// Next lists the statuses a dossier in s may move to.
func (s Status) Next() []Status { return transitions[s] }

// CanMoveTo reports whether the table allows the move from s to to.
func (s Status) CanMoveTo(to Status) bool {
	for _, n := range transitions[s] {
		if n == to {
			return true
		}
	}
	return false
}

// Final reports whether nothing more happens to a dossier in s.
func (s Status) Final() bool { return s.Valid() && len(transitions[s]) == 0 }

// Ended reports whether the dossier's clock no longer runs: a result is
// ready or handed over, or the dossier left the process.
func (s Status) Ended() bool { return s == Done || s.Final() }

// Finished reports whether a result was produced (done or returned).
func (s Status) Finished() bool { return s == Done || s == Returned }

// EndsWithoutResult reports whether a move to s ends the dossier for good
// with no result (refused, withdrawn, stopped): it cannot be undone, so the
// desk asks for a confirmation first (docs/domain.md).
func (s Status) EndsWithoutResult() bool { return s.Final() && !s.Finished() }

// needsNote says which moves must say why: the refusal slip gives the reason,
// the request to supplement lists everything missing, a stop is explained.
func (s Status) needsNote() bool { return s == Refused || s == Supplement || s == Stopped }
