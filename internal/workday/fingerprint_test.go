package workday

import (
	"os"
	"path/filepath"
	"testing"
)

// The fingerprint is the same for the same schedule and hours, and changes
// with a year's table or with the hours.
func TestFingerprint(t *testing.T) {
	base := Default()
	if base.Fingerprint() != Default().Fingerprint() {
		t.Fatal("two loads of the same calendar differ")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "calendar.toml")
	if err := os.WriteFile(file, []byte("[2031]\nannounced = true\noff = [\"2031-01-23\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	over, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if over.Fingerprint() == base.Fingerprint() {
		t.Error("a new year's table leaves the fingerprint unchanged")
	}
	if err := os.WriteFile(file, []byte("[2031]\nannounced = true\noff = [\"2031-01-24\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	moved, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Fingerprint() == over.Fingerprint() {
		t.Error("a day off moved leaves the fingerprint unchanged")
	}
	h, err := ParseHours("07:30-11:30,13:30-17:00", "15:00")
	if err != nil {
		t.Fatal(err)
	}
	other, err := base.WithHours(h)
	if err != nil {
		t.Fatal(err)
	}
	if other.Fingerprint() == base.Fingerprint() {
		t.Error("other office hours leave the fingerprint unchanged")
	}
}
