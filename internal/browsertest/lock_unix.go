//go:build unix

package browsertest

import (
	"fmt"
	"os"
	"syscall"
)

// lockFile holds an exclusive lock on the file, shared with other processes,
// until the returned func is called. The file must exist.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}
