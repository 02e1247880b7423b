package dossier

import (
	"time"

	"motcua/internal/workday"
)

func location() *time.Location { return workday.Location() }

// sameState reports whether two versions of a dossier hold the same stored
// state, events aside. Times are compared as instants: one read back from a
// database may carry another location than one just parsed.
func sameState(a, b *Dossier) bool {
	return a.Code == b.Code && a.ProcedureCode == b.ProcedureCode && a.UnitCode == b.UnitCode &&
		a.Applicant == b.Applicant && a.Channel == b.Channel && a.Papers == b.Papers && a.Status == b.Status &&
		a.ReceivedAt.Equal(b.ReceivedAt) && a.DueAt.Equal(b.DueAt) &&
		a.ProcessingDays == b.ProcessingDays && a.DueFixed == b.DueFixed &&
		sameTime(a.FinishedAt, b.FinishedAt) && sameTime(a.ReturnedAt, b.ReturnedAt) &&
		a.Digitized == b.Digitized && a.EResult == b.EResult && a.ReusedData == b.ReusedData &&
		a.HasFee == b.HasFee && a.PaidOnline == b.PaidOnline && a.SyncedNational == b.SyncedNational &&
		sameApology(a.Apology, b.Apology)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func sameApology(a, b *Apology) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.IssuedAt.Equal(b.IssuedAt) && a.NewDueAt.Equal(b.NewDueAt) && a.Reason == b.Reason &&
		a.By == b.By && a.Late == b.Late
}
