package main

import (
	"context"
	"strings"
	"testing"

	"motcua/internal/staff"
)

// Printed papers carry the staff member's full name and title, never a
// login name.
func TestPapersSignWithFullNameAndTitle(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	if _, err := h.env.Staff.AddUser(context.Background(), staff.User{Username: "binh.le", Role: staff.RoleClerk, UnitCode: "TB",
		FullName: "Lê Văn Bình", Title: "Công chức Bộ phận Một cửa"}, deskPassword); err != nil {
		t.Fatal(err)
	}
	named := h.browser(t)
	named.login("binh.le")
	code := receiveAtDesk(t, named, receptionForm())
	_, page := named.do("GET", "/desk/dossiers/"+code+"/receipt", nil)
	mustContain(t, "receipt", page, `<p class="paper-signer">Lê Văn Bình</p><p class="paper-signer-title">Công chức Bộ phận Một cửa</p>`)

	// An account without a full name leaves the line to be written by hand.
	clerk := h.browser(t)
	clerk.login("clerk")
	code = receiveAtDesk(t, clerk, receptionForm())
	_, page = clerk.do("GET", "/desk/dossiers/"+code+"/receipt", nil)
	mustContain(t, "receipt without a full name", page, `<p class="paper-signer"></p>`)
	if strings.Contains(page, `paper-signer">clerk<`) {
		t.Error("the receipt is signed with a login name")
	}
}

// At an English desk the receipt and the result slip stay Vietnamese and
// add the procedure's English name; at a Vietnamese desk they do not.
func TestPapersGiveTheEnglishNameAtAnEnglishDesk(t *testing.T) {
	h := newDossierHarness(t, "sqlite", nil)
	clerk := h.browser(t)
	clerk.login("clerk")
	code := receiveAtDesk(t, clerk, receptionForm())
	_, page := clerk.do("GET", "/desk/dossiers/"+code+"/receipt?lang=en", nil)
	mustContain(t, "English desk's receipt", page, `Đăng ký khai sinh (1.001193)<br><span lang="en" id="receipt-procedure-en">Birth registration</span>`)
	_, page = clerk.do("GET", "/desk/dossiers/"+code+"/receipt?lang=vi", nil)
	if strings.Contains(page, "Birth registration") {
		t.Error("the Vietnamese desk's receipt gives the English name")
	}
}
