package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

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

// notAnswering reports an error that means the database did not answer,
// rather than answered no: the connection is gone or refused, the wait ran
// out, PostgreSQL is shutting down or refusing connections (SQLSTATE classes
// 08 and 57P), or SQLite stayed busy or locked past its timeout.
func notAnswering(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code.Class() == "08" || strings.HasPrefix(string(pqErr.Code), "57P") || pqErr.Code == "53300"
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY") ||
		strings.Contains(msg, "database is closed") || strings.Contains(msg, "sql: database is closed")
}
