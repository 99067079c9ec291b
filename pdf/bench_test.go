package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/internal/corpus"

	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// corpusFile returns a file of the benchmark corpus ($MEDIAPREP_CORPUS, else
// <repo root>/../shared/corpus), skipping the benchmark when it is absent.
func corpusFile(b *testing.B, name string) []byte {
	b.Helper()
	data, err := corpus.ReadFile(name)
	if err != nil {
		b.Skipf("corpus file not available: %v", err)
	}
	return data
}

// baselineOptimize times pdfcpu's own optimise (read, validate, optimise,
// write every page) of data: the cost of one plain pdfcpu pass over the
// document, measured in the same run as the benchmark for a ratio.
func baselineOptimize(b *testing.B, data []byte) time.Duration {
	b.Helper()
	setup()
	const runs = 2
	var best time.Duration
	for i := range runs {
		start := time.Now()
		if err := api.Optimize(bytes.NewReader(data), &bytes.Buffer{}, newConfig()); err != nil {
			b.Fatalf("baseline: %v", err)
		}
		if d := time.Since(start); i == 0 || d < best {
			best = d
		}
	}
	return best
}

// benchTrim is the one benchmark helper: Trim of data with opts, reporting
// output bytes, kept pages, images resampled, output/input size and time
// relative to the pdfcpu baseline.
func benchTrim(b *testing.B, data []byte, opts *Options) {
	base := baselineOptimize(b, data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var r *Result
	start := time.Now()
	for range b.N {
		var err error
		if r, err = Trim(context.Background(), data, opts); err != nil {
			b.Fatal(err)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	b.ReportMetric(float64(len(r.Data)), "out-bytes")
	b.ReportMetric(float64(len(r.Kept)), "kept-pages")
	b.ReportMetric(float64(r.ImagesResampled), "images-resampled")
	b.ReportMetric(100*float64(len(r.Data))/float64(len(data)), "out-%-of-in")
	b.ReportMetric(float64(per)/float64(base), "x-pdfcpu-optimize")
}

// BenchmarkTrim runs on the corpus's g_10page.pdf: 10 A4 pages, pages 2 and 6
// empty, page 5 a noise-only scan (kept: it paints an image).
func BenchmarkTrim(b *testing.B) {
	b.Run("g_10page/default", func(b *testing.B) { benchTrim(b, corpusFile(b, "g_10page.pdf"), nil) })
	b.Run("g_10page/fit-images", func(b *testing.B) {
		benchTrim(b, corpusFile(b, "g_10page.pdf"), &Options{FitImages: true})
	})
	b.Run("g_10page/budget-2MB", func(b *testing.B) {
		benchTrim(b, corpusFile(b, "g_10page.pdf"), &Options{MaxBytes: 2_000_000})
	})
}

// BenchmarkTrimFixture needs no corpus: the 13-page kinds.pdf fixture.
func BenchmarkTrimFixture(b *testing.B) {
	b.Run("kinds", func(b *testing.B) {
		in, err := os.ReadFile(filepath.Join("..", "testdata", "pdf", "kinds.pdf"))
		if err != nil {
			b.Fatal(err)
		}
		benchTrim(b, in, nil)
	})
}

// BenchmarkPrescan measures the raw-byte prescan Trim runs before pdfcpu
// (object and cross-reference counts, cross-reference stream inflation), as
// a fraction of pdfcpu's own optimise of the same document.
func BenchmarkPrescan(b *testing.B) {
	run := func(b *testing.B, data []byte) {
		base := baselineOptimize(b, data)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			if err := prescan(data); err != nil {
				b.Fatal(err)
			}
		}
		per := time.Since(start) / time.Duration(b.N)
		b.StopTimer()
		n, _ := countObjects(data, maxObjects)
		b.ReportMetric(float64(n), "objects")
		b.ReportMetric(float64(per)/float64(base), "x-pdfcpu-optimize")
	}
	b.Run("g_10page", func(b *testing.B) { run(b, corpusFile(b, "g_10page.pdf")) })
	b.Run("objects-49996", func(b *testing.B) { run(b, manyObjects(maxObjects-4)) })
	b.Run("objstm-flate-xref", func(b *testing.B) { run(b, objStmX(b, 3, 1<<20, "/Type/XRef", "", 0)) })
}
