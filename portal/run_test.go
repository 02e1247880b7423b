package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every failure of the command line ends in one line on stderr and the
// exit status of the README: 2 for bad usage, 1 for anything else.
func TestExitStatusAndOneLineReason(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{"MOTCUA_DATA_DIR": dir}[k]
	}
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"unknown command is usage", []string{"frob"}, 2},
		{"import without a file is usage", []string{"import"}, 2},
		{"unit without add is usage", []string{"unit", "remove"}, 2},
		{"backup with two files is usage", []string{"backup", "a", "b"}, 2},
		{"a missing import file is a failure", []string{"import", filepath.Join(dir, "none.json")}, 1},
		{"an invalid unit is a failure", []string{"unit", "add", "-code", "X", "-name", "X", "-level", "commune"}, 1},
		{"help succeeds", []string{"help"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := exitCode(run(context.Background(), tc.args, getenv, &stdout, &stderr), &stderr)
			if got != tc.want {
				t.Errorf("exit = %d, want %d (stderr %q)", got, tc.want, stderr.String())
			}
			if tc.want != 0 {
				if lines := strings.Count(strings.TrimRight(stderr.String(), "\n"), "\n") + 1; lines != 1 || !strings.HasPrefix(stderr.String(), "portal: ") {
					t.Errorf("stderr = %q, want one line starting with \"portal: \"", stderr.String())
				}
			}
		})
	}
}

// `portal backup` and the database it copies are private to the portal's
// user: they hold citizens' names, phones and ID numbers.
func TestBackupCommandWritesAPrivateFile(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"MOTCUA_DATA_DIR": dir}[k] }
	backup := filepath.Join(t.TempDir(), "copy.db")
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(context.Background(), []string{"backup", backup}, getenv, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, p := range []string{filepath.Join(dir, "motcua.db"), backup} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %#o, want 0600", p, perm)
		}
	}
}
