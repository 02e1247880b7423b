package dossier_test

import (
	"testing"

	"motcua/internal/dossier"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"0912345678", "+84912345678"},
		{"+84912345678", "+84912345678"},
		{"84912345678", "+84912345678"},
		{"0084912345678", "+84912345678"},
		{"0912 345 678", "+84912345678"},
		{"0912.345.678", "+84912345678"},
		{"091-234-5678", "+84912345678"},
		{" +84 912 345 678 ", "+84912345678"},
		{"+84 (0) 912 345 678", "+84912345678"},
		{"0386123456", "+84386123456"},
		{"0841234567", "+84841234567"}, // 084 is a mobile prefix, not the country code
		{"0235 3874 123", "+842353874123"},
		{"842353874123", "+842353874123"},
		// The usual ways people write a mobile (issue: a tracking page
		// refused the first one).
		{"(+84) 905-123-456", "+84905123456"},
		{"+84 905 123 456", "+84905123456"},
		{"84905123456", "+84905123456"},
		{"0905.123.456", "+84905123456"},
		{"(0905) 123 456", "+84905123456"},
		{"0905\u00a0123\u00a0456", "+84905123456"},
		{"\t0905 123 456\n", "+84905123456"},
	} {
		t.Run(tc.in+" is "+tc.want, func(t *testing.T) {
			got, ok := dossier.NormalizePhone(tc.in)
			if !ok || got != tc.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
	for _, in := range []string{
		"", "abc", "091234567", "09123456789", "+1 415 555 0100", "0112345678", "912345678",
		"0912345678x", "+84+912345678", "0912 345 67٨", "0 9 1 2 3 4 5 6 7 8 9 0", "091234567\x00",
		"849123456", "+8491234567", "0012345678", "(+84) +905 123 456", "84+905123456",
	} {
		t.Run("rejects "+in, func(t *testing.T) {
			if got, ok := dossier.NormalizePhone(in); ok {
				t.Errorf("NormalizePhone(%q) = %q, want it refused", in, got)
			}
		})
	}
}

func TestMasking(t *testing.T) {
	if got, want := dossier.MaskPhone("+84912345678"), "******678"; got != want {
		t.Errorf("MaskPhone = %q, want %q", got, want)
	}
	if got, want := dossier.Initials("Nguyễn  Văn an"), "N. V. A."; got != want {
		t.Errorf("Initials = %q, want %q", got, want)
	}
	if got, want := (dossier.Applicant{Phone: "+84912345678"}).PhoneNational(), "0912 345 678"; got != want {
		t.Errorf("PhoneNational = %q, want %q", got, want)
	}
	if got, want := dossier.Initials("Đặng Ánh"), "Đ. Á."; got != want {
		t.Errorf("Initials = %q, want %q", got, want)
	}
}
