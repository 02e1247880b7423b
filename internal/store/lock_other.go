//go:build !unix

package store

import "sync"

var migrateMu sync.Mutex

// lockFile serialises migrations within this process only: on systems
// without flock, run one instance per SQLite file.
func lockFile(string) (unlock func(), err error) {
	migrateMu.Lock()
	return migrateMu.Unlock, nil
}
