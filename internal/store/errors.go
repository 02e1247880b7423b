package store

import (
	"errors"
	"strings"

	"github.com/lib/pq"
)

// isUniqueViolation reports a broken UNIQUE or PRIMARY KEY constraint on
// either database; callers turn it into a conflict.
func isUniqueViolation(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "23505"
	}
	// modernc reports SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY in its message.
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "constraint failed: PRIMARY KEY")
}
