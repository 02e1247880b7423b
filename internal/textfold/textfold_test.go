package textfold

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"birth registration", "Đăng ký khai sinh", "dang ky khai sinh"},
		{"capitals", "ĐẤT ĐAI", "dat dai"},
		{"colloquial", "Sổ đỏ", "so do"},
		{"every tone on a", "à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ", "a a a a a a a a a a a a a a a a a"},
		{"horned letters", "Ơ ơ Ư ư Ờ ợ Ừ ự", "o o u u o o u u"},
		{"y with tones", "Ỳ ý ỷ ỹ ỵ", "y y y y y"},
		{"already folded", "dang ky khai sinh", "dang ky khai sinh"},
		{"empty", "", ""},
		{"blank", " \t\n ", ""},
		{"punctuation collapses", "  Cấp, quản lý   căn cước!! ", "cap quan ly can cuoc"},
		{"slash and parentheses", "CCCD/thẻ căn cước (bản sao)", "cccd the can cuoc ban sao"},
		{"code keeps digits", "1.001193", "1 001193"},
		{"mixed English", "Birth registration — Đăng ký khai sinh", "birth registration dang ky khai sinh"},
		{"decomposed input", "Đa\u0300ng ky\u0301", "dang ky"},
		{"invalid bytes separate words", "khai\xffsinh\xc3", "khai sinh"},
		{"lone invalid byte", "\x80", ""},
		{"replacement character", "a\uFFFDb", "a b"},
		{"eth typed for đ", "Ðăng ký", "dang ky"},
		{"other Latin", "Crème Brûlée Ñandú Ærø", "creme brulee nandu ærø"},
		{"non-Latin letters kept", "Привет 你好", "привет 你好"},
		{"emoji separates", "khai🙂sinh", "khai sinh"},
		{"combining mark at start", "\u0301abc", "abc"},
		{"tabs and newlines", "hộ\tkhẩu\nthường trú", "ho khau thuong tru"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Đăng ký khai sinh", []string{"dang", "ky", "khai", "sinh"}},
		{"  ", nil},
		{"Hộ kinh doanh, hợp tác xã", []string{"ho", "kinh", "doanh", "hop", "tac", "xa"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// referenceFold is the textbook implementation: NFD, remove combining marks,
// then lowercase, đ and separators. It builds its transformer per call
// because a transform.Transformer keeps state and must not be shared.
func referenceFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.M)))
	plain, _, err := transform.String(t, strings.ToValidUTF8(s, " "))
	if err != nil {
		panic(err)
	}
	words := strings.FieldsFunc(plain, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		w = strings.Map(func(r rune) rune {
			switch r {
			case 'đ', 'Đ', 'ð', 'Ð', 'ɖ', 'Ɖ':
				return 'd'
			}
			return unicode.ToLower(r)
		}, w)
		words[i] = w
	}
	return strings.Join(words, " ")
}

func TestTableMatchesDecomposition(t *testing.T) {
	for r := rune(0x80); r < 0x2000; r++ {
		if r == 0x1E9E { // capital sharp s: NFD keeps it, the lowercase is ß
			continue
		}
		in := "a" + string(r) + "b"
		if got, want := Fold(in), referenceFold(in); got != want {
			t.Errorf("Fold(%q) = %q, reference gives %q", in, got, want)
		}
	}
	for r := rune(0x1E00); r < 0x1F00; r++ {
		in := string(r)
		if got, want := Fold(in), referenceFold(in); got != want {
			t.Errorf("Fold(%q) = %q, reference gives %q", in, got, want)
		}
	}
}

func TestFoldIsIdempotent(t *testing.T) {
	for _, s := range []string{"Đăng ký khai sinh", "ĐẤT ĐAI", "a\xffb", "Crème, brûlée"} {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", s, twice, once)
		}
	}
}

func TestFoldConcurrent(t *testing.T) {
	in := "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"
	want := Fold(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := Fold(in); got != want {
					t.Errorf("concurrent Fold = %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đăng ký khai sinh", "a\xffb", "\u0301", "ĐẤT ĐAI", "  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q, not valid UTF-8", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q, spaces not collapsed", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent on %q: %q then %q", s, got, again)
		}
	})
}

var benchInputs = []string{
	"Đăng ký khai sinh",
	"dang ky khai sinh",
	"Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu",
	"Certified copies from originals (copy certification)",
}

func BenchmarkFold(b *testing.B) {
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			Fold(benchInputs[i%len(benchInputs)])
		}
	})
	b.Run("transformer-per-call", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			referenceFold(benchInputs[i%len(benchInputs)])
		}
	})
}
