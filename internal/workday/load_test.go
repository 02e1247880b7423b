package workday

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeOverride writes an administrator's calendar.toml into a fresh directory.
func writeOverride(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "calendar.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadMergesOverride(t *testing.T) {
	c, err := Load(writeOverride(t, `
[2026]
source = "test: 2026 redone"
off = ["2026-03-10"]
work = ["2026-03-14"]
unconfirmed = ["2026-03-10"]

[2027]
source = "test: 2027 announced"
announced = true
off = ["2027-01-01"]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"an override day off is off", c.IsWorkingDay(day(2026, 3, 10)), false},
		{"an override make-up Saturday is worked", c.IsWorkingDay(day(2026, 3, 14)), true},
		{"the override year replaces the embedded one whole", c.IsWorkingDay(day(2026, 2, 16)), true},
		{"an embedded year absent from the override is kept", c.IsWorkingDay(day(2025, 1, 1)), false},
		{"a new year from the override is used", c.IsWorkingDay(day(2027, 1, 1)), false},
		{"override unconfirmed days are unconfirmed", c.Unconfirmed(day(2026, 3, 10)), true},
		{"an announced year from the override is confirmed", c.Unconfirmed(day(2027, 3, 9)), false},
		{"the embedded forecast of Tết 2027 is gone with the replaced year", c.IsWorkingDay(day(2027, 2, 8)), true},
		{"the fixed holidays stay in a replaced year that omits them", c.IsWorkingDay(day(2027, 4, 30)), false},
		{"the embedded calendar is not changed by loading", Default().IsWorkingDay(day(2026, 2, 16)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestLoadWithoutOverrideIsDefault(t *testing.T) {
	for name, path := range map[string]string{
		"missing file": filepath.Join(t.TempDir(), "calendar.toml"),
		"empty path":   "",
	} {
		t.Run(name+" gives the embedded data", func(t *testing.T) {
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.IsWorkingDay(day(2026, 2, 16)) {
				t.Error("Tết 2026 is a working day, want the embedded schedule")
			}
		})
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		wantErr   error
		wantYear  string
		wantEntry string
	}{
		{"a date that does not exist is refused",
			`[2026]
off = ["2026-02-30"]`, ErrBadDate, "2026", "2026-02-30"},
		{"a date in another format is refused",
			`[2026]
off = ["30/04/2026"]`, ErrBadDate, "2026", "30/04/2026"},
		{"a date outside its year is refused",
			`[2026]
off = ["2025-12-31"]`, ErrOutsideYear, "2026", "2025-12-31"},
		{"a day both off and worked is refused",
			`[2026]
off = ["2026-03-14"]
work = ["2026-03-14"]`, ErrOffAndWork, "2026", "2026-03-14"},
		{"a worked day that is not a weekend is refused",
			`[2026]
work = ["2026-03-10"]`, ErrWorkNotWeekend, "2026", "2026-03-10"},
		{"an unconfirmed day neither off nor worked is refused",
			`[2026]
unconfirmed = ["2026-09-03"]`, ErrUnconfirmedNotListed, "2026", "2026-09-03"},
		{"a table that is not a year is refused",
			`[next]
off = ["2026-01-01"]`, ErrBadYear, "next", ""},
		{"a fixed holiday of the Labour Code listed as worked is refused",
			`[2033]
work = ["2033-04-30"]`, ErrFixedHolidayWorked, "2033", "2033-04-30"},
		{"a misspelt key is refused",
			`[2026]
of = ["2026-01-01"]`, ErrUnknownKey, "2026", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeOverride(t, tt.content)
			_, err := Load(path)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Load error = %v, want %v", err, tt.wantErr)
			}
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("Load error %T, want a *DataError", err)
			}
			if de.File != path || de.Year != tt.wantYear || de.Entry != tt.wantEntry {
				t.Errorf("DataError names file %q year %q entry %q, want %q %q %q",
					de.File, de.Year, de.Entry, path, tt.wantYear, tt.wantEntry)
			}
			// The message is what the administrator reads in the log.
			for _, part := range []string{path, "[" + tt.wantYear + "]", tt.wantEntry} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("message %q does not name %q", err, part)
				}
			}
		})
	}
}

func TestLoadReportsEveryBadEntryAtOnce(t *testing.T) {
	_, err := Load(writeOverride(t, `
[2026]
off = ["2026-02-30", "2025-12-31"]
work = ["2026-03-10"]
`))
	for _, want := range []error{ErrBadDate, ErrOutsideYear, ErrWorkNotWeekend} {
		if !errors.Is(err, want) {
			t.Errorf("Load error = %v, want it to include %v", err, want)
		}
	}
}

func TestLoadRejectsUnreadableFiles(t *testing.T) {
	tests := []struct {
		name string
		path string
	}{
		{"a file that is not TOML is refused", writeOverride(t, "[2026\noff = 1")},
		{"a directory is refused", t.TempDir()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(tt.path); err == nil {
				t.Error("Load succeeded, want an error")
			}
		})
	}
}
