package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/staff"
)

// Accounts are the demo accounts, one per role: the administrator of the
// whole portal (no unit), the others of unit TB.
var Accounts = []staff.User{
	{Username: "demo.admin", Role: staff.RoleAdmin, FullName: "Phạm Minh Quân", Title: "Chuyên viên Công nghệ thông tin"},
	{Username: "demo.head", Role: staff.RoleHead, UnitCode: "TB", FullName: "Nguyễn Thị Hoa", Title: "Trưởng Bộ phận Một cửa"},
	{Username: "demo.officer", Role: staff.RoleOfficer, UnitCode: "TB", FullName: "Trần Văn Nam", Title: "Chuyên viên Phòng Tư pháp"},
	{Username: "demo.clerk", Role: staff.RoleClerk, UnitCode: "TB", FullName: "Lê Thị Mai", Title: "Công chức Bộ phận Một cửa"},
}

// Staff adds the demo accounts with random passwords and prints
// them, once: the passwords are not stored anywhere but as bcrypt hashes,
// so a later start can only say that the accounts exist.
func Staff(ctx context.Context, e *app.App, stdout io.Writer) error {
	// The generated passwords carry 93 random bits: bcrypt's default cost is
	// ample for them, and keeps a -demo start quick.
	svc := staff.NewService(e.DB, e.Now)
	svc.BcryptCost = min(e.Staff.BcryptCost, bcrypt.DefaultCost)
	for _, u := range Accounts {
		password := demoPassword()
		added, err := svc.AddUser(ctx, u, password)
		switch {
		case apperr.CodeOf(err) == apperr.Conflict: // here before, or another instance was quicker
			fmt.Fprintf(stdout, "demo: staff account %s exists (its password was printed when it was created)\n", u.Username)
		case err != nil:
			return fmt.Errorf("demo staff %s: %w", u.Username, err)
		default:
			where := "every unit"
			if added.UnitCode != "" {
				where = "unit " + added.UnitCode
			}
			fmt.Fprintf(stdout, "demo: staff account %s (%s, %s) password %s\n", added.Username, added.Role, where, password)
		}
	}
	return nil
}

// demoPassword is 16 characters without look-alikes (0/O, 1/l/I), easy to
// type from the terminal.
func demoPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[randIndex(len(alphabet))]
	}
	return string(b)
}

func randIndex(n int) int {
	var buf [1]byte
	for {
		_, _ = rand.Read(buf[:])
		// Reject the top of the range so every letter is equally likely.
		if v := int(buf[0]); v < 256-256%n {
			return v % n
		}
	}
}
