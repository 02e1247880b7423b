package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"modernc.org/sqlite"
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
// rather than answered no: the connection is gone, cut or refused, the wait
// ran out, PostgreSQL is shutting down, refusing connections or out of
// resources (SQLSTATE classes 08, 53, 57P and 58), or SQLite stayed busy or
// locked past its timeout, cannot read its file or is out of disk.
func notAnswering(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "08", "53", "58":
			return true
		}
		return strings.HasPrefix(string(pqErr.Code), "57P")
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff {
		case 5, 6, 10, 13, 14: // BUSY, LOCKED, IOERR, FULL, CANTOPEN
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY") ||
		strings.Contains(msg, "database is closed") || strings.Contains(msg, "driver: bad connection") ||
		strings.Contains(msg, "connection refused")
}
