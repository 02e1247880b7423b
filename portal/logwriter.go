package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logWriter buffers the portal's log, one JSON line per request and the
// rest (README, "Performance"): a write to stderr per request costs a system
// call each. The buffer reaches stderr every interval, when it fills, and on
// Close, which serve calls when it stops, so a graceful stop loses no line.
// Writes after Close go straight through.
type logWriter struct {
	mu     sync.Mutex
	out    io.Writer
	buf    *bufio.Writer
	closed bool
	once   sync.Once
	stop   chan struct{}
	done   chan struct{}
}

func newLogWriter(out io.Writer, every time.Duration) *logWriter {
	l := &logWriter{out: out, buf: bufio.NewWriterSize(out, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				_ = l.Flush()
			}
		}
	}()
	return l
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return l.out.Write(p)
	}
	return l.buf.Write(p)
}

// Flush writes what is buffered.
func (l *logWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Flush()
}

// Close stops the periodic flush and writes what is left.
func (l *logWriter) Close() error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		l.mu.Lock()
		defer l.mu.Unlock()
		l.closed = true
		err = l.buf.Flush()
	})
	return err
}
