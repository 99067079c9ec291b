package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTrim feeds arbitrary bytes (seeded with every fixture) to Trim and
// checks its contract: no panic; an error matches one of the package's
// sentinels; a result is a PDF within the budget whose Kept and Empty pages
// partition a prefix 1..m of the input's pages.
func FuzzTrim(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "pdf", "*.pdf"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	sentinels := []error{ErrEncrypted, ErrCorrupt, ErrNoPages, ErrAllEmpty, ErrBudget, ErrTooLarge}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 256<<10 {
			return
		}
		const budget = 1 << 20
		r, err := Trim(context.Background(), in, &Options{MaxBytes: budget, MaxInputPages: 100})
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error matches no sentinel: %v", err)
		}
		if !bytes.HasPrefix(r.Data, []byte("%PDF-")) || len(r.Data) > budget {
			t.Fatalf("output of %d bytes is not a PDF within budget", len(r.Data))
		}
		if len(r.Kept) == 0 || len(r.Kept) > DefaultMaxPages {
			t.Fatalf("kept %v", r.Kept)
		}
		seen := map[int]bool{}
		last := 0
		for _, list := range [][]int{r.Kept, r.Empty} {
			prev := 0
			for _, p := range list {
				if p <= prev || p < 1 || p > r.PagesIn || seen[p] {
					t.Fatalf("bad page lists kept %v empty %v of %d", r.Kept, r.Empty, r.PagesIn)
				}
				seen[p], prev, last = true, p, max(last, p)
			}
		}
		if len(seen) != last {
			t.Fatalf("kept %v and empty %v are not a prefix of the pages", r.Kept, r.Empty)
		}
	})
}
