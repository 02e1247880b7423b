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

// isStoreDown reports a failure of the database itself rather than of the
// query: PostgreSQL unreachable, restarting or shutting down, a connection
// cut, SQLite busy past its timeout, out of disk or unable to read its file.
// The edge answers these 503 (try again), not 500.
func isStoreDown(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "08", "53", "57", "58": // connection, resources, operator intervention, system
			return true
		}
		return false
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff {
		case 5, 6, 10, 13, 14: // BUSY, LOCKED, IOERR, FULL, CANTOPEN
			return true
		}
		return false
	}
	// lib/pq reports a server gone mid-query in plain errors.
	msg := err.Error()
	return strings.Contains(msg, "driver: bad connection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "sql: database is closed")
}
