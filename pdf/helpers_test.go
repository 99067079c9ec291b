package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// fixture reads testdata/pdf/name (see testdata/README.md, section pdf/).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "pdf", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var labelRE = regexp.MustCompile(`%mp-label:(p\d\d)`)

// readBack parses a PDF Trim produced, independently of Trim's own code path.
func readBack(t testing.TB, data []byte) *model.Context {
	t.Helper()
	setup()
	pc, err := api.ReadContext(bytes.NewReader(data), newConfig())
	if err != nil {
		t.Fatalf("output does not read back: %v", err)
	}
	if err := api.ValidateContext(pc); err != nil {
		t.Fatalf("output does not validate: %v", err)
	}
	return pc
}

// pageLabels returns the "%mp-label:pNN" label of every page of data, in
// page order ("" for a page without one).
func pageLabels(t testing.TB, data []byte) []string {
	t.Helper()
	pc := readBack(t, data)
	labels := make([]string, pc.PageCount)
	for i := 1; i <= pc.PageCount; i++ {
		d, _, _, err := pc.PageDict(i, false)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		c, err := pc.PageContent(d, i)
		if err != nil && err != model.ErrNoContent {
			t.Fatalf("page %d content: %v", i, err)
		}
		if m := labelRE.FindSubmatch(c); m != nil {
			labels[i-1] = string(m[1])
		}
	}
	return labels
}

// imageSizes lists width×height of every image XObject in data.
func imageSizes(t testing.TB, data []byte) [][2]int {
	t.Helper()
	pc := readBack(t, data)
	var sizes [][2]int
	for _, e := range pc.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok || !isImage(sd) {
			continue
		}
		w, h := sd.IntEntry("Width"), sd.IntEntry("Height")
		if w == nil || h == nil {
			t.Fatal("image without Width/Height")
		}
		sizes = append(sizes, [2]int{*w, *h})
	}
	return sizes
}
