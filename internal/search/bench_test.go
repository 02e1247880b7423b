package search

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// communes vary the generated catalog the way a province's catalog varies:
// the same procedure published once per commune or ward.
var communes = []string{
	"xã Tân Bình", "phường Bến Thành", "xã Hòa Phú", "phường Đống Đa", "xã Quảng Điền",
	"thị trấn Phong Điền", "xã Yên Lạc", "phường Ninh Kiều", "xã Mường Khương", "phường Hải Châu",
	"xã Đắk Mil", "phường Thủ Dầu Một", "xã Cần Giờ", "phường Hồng Bàng", "xã Bảo Lâm",
	"phường 1", "phường 2", "phường 3", "phường 7", "phường 12",
	"xã Ea Kar", "xã Krông Pắc", "phường Vĩnh Yên", "xã Tiên Du", "phường Hạ Long",
	"xã Cát Hải", "phường Sầm Sơn", "xã Nghĩa Đàn", "phường Bỉm Sơn", "xã Hương Khê",
}

// catalog10k derives 10,000 procedures from the sample: names with a
// commune and a variant number, fields taken from other procedures, codes
// 9.xxxxxx.
func catalog10k(tb testing.TB) []Doc {
	base := loadCatalog(tb)
	docs := make([]Doc, 10000)
	for i := range docs {
		b := base[i%len(base)]
		c := communes[(i/len(base))%len(communes)]
		other := base[(i*7+3)%len(base)]
		docs[i] = Doc{
			Code:    fmt.Sprintf("9.%06d", i),
			Name:    fmt.Sprintf("%s tại %s (mẫu %d)", b.Name, c, i/len(base)/len(communes)+1),
			NameEn:  b.NameEn + " in " + c,
			Field:   other.Field,
			FieldEn: other.FieldEn,
			Agency:  "UBND " + c,
		}
	}
	return docs
}

var benchQueries = []string{
	"đăng ký khai sinh",
	"dang ky khai sinh",
	"đăng ký khai sinnh",
	"khai si",
	"giấy phép xây dựng",
	"chung thuc ban sao",
	"sổ đỏ",
	"làm cccd",
	"birth registration",
	"registartion of marriage",
	"9.001234",
	"9.0012",
	"hộ kinh doanh tân bình",
	"xin giấy phép kinh doanh mở quán karaoke",
	"trợ cấp xã hội hàng tháng",
	"dangky kethon",
	"ddawng kys khai sinh",
	"thủ tục làm khai sinh cần giấy tờ gì",
	"tách th",
	"đăng ký",
}

func BenchmarkSearch10k(b *testing.B) {
	ix := NewIndex(catalog10k(b), DefaultSynonyms())
	lat := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		ix.Search(benchQueries[i%len(benchQueries)], 20)
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds()), "max-ns")
	}
}

// BenchmarkSearch10kEach shows which kinds of query cost most.
func BenchmarkSearch10kEach(b *testing.B) {
	ix := NewIndex(catalog10k(b), DefaultSynonyms())
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Search(q, 20)
			}
		})
	}
}

func BenchmarkSearch10kAll(b *testing.B) {
	ix := NewIndex(catalog10k(b), DefaultSynonyms())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Search(benchQueries[i%len(benchQueries)], 0)
	}
}

func BenchmarkSearch10kParallel(b *testing.B) {
	ix := NewIndex(catalog10k(b), DefaultSynonyms())
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			ix.Search(benchQueries[i%len(benchQueries)], 20)
		}
	})
}

func BenchmarkNewIndex10k(b *testing.B) {
	docs := catalog10k(b)
	syn := DefaultSynonyms()
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(docs, syn)
	}
}

// BenchmarkSearch10kWithElsewhere is a search as the catalog service runs
// it: the look-up of the places that handle what the catalog does not, then
// the ranking.
func BenchmarkSearch10kWithElsewhere(b *testing.B) {
	ix := NewIndex(catalog10k(b), DefaultSynonyms())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		q := benchQueries[i%len(benchQueries)]
		if ix.Elsewhere(q) == nil {
			ix.Search(q, 20)
		}
	}
}

// SearchTotal ranks only a page yet gives the same page, in the same order,
// and the same total as ranking every match.
func TestSearchTotalIsThePageOfTheFullSearch(t *testing.T) {
	ix := NewIndex(catalog10k(t), DefaultSynonyms())
	queries := append(slices.Clone(benchQueries), "giấy phép", "xây dựng nhà ở", "cấp lại", "zzzz", "1.001699")
	for _, q := range queries {
		all := ix.Search(q, 0)
		for _, k := range []int{1, 20, 40, 100} {
			hits, total := ix.SearchTotal(q, k)
			if total != len(all) {
				t.Errorf("%q top %d: total %d, want %d", q, k, total, len(all))
			}
			want := all[:min(k, len(all))]
			if len(want) == 0 {
				want = nil
			}
			if !slices.Equal(hits, want) {
				t.Errorf("%q top %d:\n got %v\nwant %v", q, k, hits, want)
			}
		}
	}
}

// The shortcuts of Search (postings read in place, sums tabulated per set
// of words, documents skipped that cannot make the page) give the same
// pages, scores and totals as the plain way on the 10k catalog, for every query of the quality set, whole and cut
// in the middle as while typing.
func TestSearchShortcutsKeepResults(t *testing.T) {
	docs := catalog10k(t)
	fast := NewIndex(docs, DefaultSynonyms())
	plain := NewIndex(docs, DefaultSynonyms())
	plain.plain = true
	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	queries := slices.Clone(benchQueries)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			q, _, _ := strings.Cut(line, "\t")
			r := []rune(q)
			queries = append(queries, q, string(r[:len(r)/2]))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(queries) < 300 {
		t.Fatalf("%d queries: the quality set was not read", len(queries))
	}
	for _, q := range queries {
		for _, k := range []int{0, 1, 3, 20} {
			got, gotTotal := fast.SearchTotal(q, k)
			want, wantTotal := plain.SearchTotal(q, k)
			if gotTotal != wantTotal || !slices.Equal(got, want) {
				t.Errorf("%q top %d:\n got %d %v\nwant %d %v", q, k, gotTotal, got, wantTotal, want)
			}
		}
	}
}
