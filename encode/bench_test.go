package encode

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/internal/corpus"

	_ "image/png"

	"github.com/mediaprep/mediaprep/internal/resize"
	_ "golang.org/x/image/webp"
)

// Benchmarks. Numbers on a shared machine are noisy, so every benchmark
// reports ratios against a baseline timed in the same run, interleaved
// with the code under test:
//   - x-vs-stdlib: image/jpeg.Encode time / AppendJPEG time, same image
//     and quality (>1 is faster; 1.0 until internal/jpegenc is plugged into
//     encodePlanar);
//   - cost-in-passes: JPEG time / one AppendJPEG pass at the start
//     quality: the whole cost of the budget search (passes, proxy passes,
//     conversion, shrinking) in units of one encode;
//   - passes/op, proxy-pass/op (pixels encoded in proxy passes, as a
//     fraction of a full pass), shrinks/op, quality.
//
// Corpus benchmarks read $MEDIAPREP_CORPUS, else ../../shared/corpus, and
// skip when it is absent.

// timeVsBaseline times ours and base in ABBA order, rounds times each (so
// drifts in machine load hit both alike), and returns the total times.
func timeVsBaseline(rounds int, ours, base func()) (tOurs, tBase time.Duration) {
	timed := func(f func()) time.Duration { t := time.Now(); f(); return time.Since(t) }
	for i := range rounds {
		if i%2 == 0 {
			tOurs += timed(ours)
			tBase += timed(base)
		} else {
			tBase += timed(base)
			tOurs += timed(ours)
		}
	}
	return tOurs, tBase
}

func benchAppendJPEG(b *testing.B, img *image.YCbCr, q int) {
	dst := make([]byte, 0, 4<<20)
	var buf bytes.Buffer
	var out []byte
	ours := func() {
		var err error
		if out, err = AppendJPEG(dst[:0], img, q); err != nil {
			b.Fatal(err)
		}
	}
	base := func() {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(img.Rect.Dx() * img.Rect.Dy() * 3 / 2))
	b.ReportAllocs()
	for b.Loop() {
		ours()
	}
	b.ReportMetric(float64(len(out)), "out-bytes")
	tOurs, tBase := timeVsBaseline(6, ours, base)
	b.ReportMetric(float64(tBase)/float64(tOurs), "x-vs-stdlib")
}

func benchJPEG(b *testing.B, img image.Image, opts *Options) {
	ctx := context.Background()
	var r *Result
	var st stats
	ours := func() {
		var err error
		if r, st, err = encodeJPEG(ctx, img, opts); err != nil {
			b.Fatal(err)
		}
	}
	s, _ := opts.resolve()
	base := func() {
		if _, err := AppendJPEG(nil, img, s.quality); err != nil {
			b.Fatal(err)
		}
	}
	px := img.Bounds().Dx() * img.Bounds().Dy()
	b.SetBytes(int64(px * 3 / 2))
	b.ReportAllocs()
	for b.Loop() {
		ours()
	}
	b.ReportMetric(float64(r.Passes), "passes/op")
	b.ReportMetric(float64(st.proxyPixels)/float64(px), "proxy-pass/op")
	b.ReportMetric(float64(r.Shrinks), "shrinks/op")
	b.ReportMetric(float64(r.Quality), "quality")
	tOurs, tBase := timeVsBaseline(4, ours, base)
	b.ReportMetric(float64(tOurs)/float64(tBase), "cost-in-passes")
}

var photo1920 = sync.OnceValue(func() *image.YCbCr { return photoLike(1920, 1440) })

func BenchmarkAppendJPEG(b *testing.B) {
	b.Run("photo/1920x1440/q90", func(b *testing.B) { benchAppendJPEG(b, photo1920(), 90) })
	b.Run("corpus_a/1920x1440/q90", func(b *testing.B) {
		img := corpusImage(b, "a_12mp_q92.jpg")
		benchAppendJPEG(b, img.(*image.YCbCr), 90)
	})
}

func BenchmarkJPEGBudget(b *testing.B) {
	for _, budget := range []int{300_000, 1_000_000} {
		b.Run(fmt.Sprintf("photo/1920x1440/%dKB", budget/1000), func(b *testing.B) {
			benchJPEG(b, photo1920(), &Options{MaxBase64: budget})
		})
	}
}

// BenchmarkJPEGCorpus runs JPEG on each corpus image, decoded and fitted to
// 1920 px, at a budget that binds without shrinking (1 MB), at 300 KB,
// which makes most photos shrink, and at 150 KB, which makes every image
// shrink and the A4 pages twice. The summary line of each budget is the
// average over the images.
func BenchmarkJPEGCorpus(b *testing.B) {
	names := corpusNames
	for _, budget := range []int{1_000_000, 300_000, 150_000} {
		for _, name := range names {
			b.Run(fmt.Sprintf("%s/%dKB", name, budget/1000), func(b *testing.B) {
				benchJPEG(b, corpusImage(b, name), &Options{MaxBase64: budget})
			})
		}
		b.Run(fmt.Sprintf("average/%dKB", budget/1000), func(b *testing.B) {
			benchCorpusAverage(b, names, &Options{MaxBase64: budget})
		})
	}
}

// benchCorpusAverage encodes every image once per op and reports the
// average passes and proxy cost over the images whose budget binds (the
// first pass misses), and the worst case.
func benchCorpusAverage(b *testing.B, names []string, opts *Options) {
	imgs := make([]image.Image, len(names))
	px := 0
	for i, n := range names {
		imgs[i] = corpusImage(b, n)
		px += imgs[i].Bounds().Dx() * imgs[i].Bounds().Dy()
	}
	b.SetBytes(int64(px * 3 / 2))
	b.ReportAllocs()
	var passes, proxy, binding, worst, shrinks float64
	for b.Loop() {
		passes, proxy, binding, worst, shrinks = 0, 0, 0, 0, 0
		for _, img := range imgs {
			r, st, err := encodeJPEG(context.Background(), img, opts)
			if err != nil {
				b.Fatal(err)
			}
			if r.Passes > 1 || r.Shrinks > 0 {
				binding++
				passes += float64(r.Passes)
				proxy += float64(st.proxyPixels) / float64(img.Bounds().Dx()*img.Bounds().Dy())
				worst = max(worst, float64(r.Passes))
				shrinks += float64(r.Shrinks)
			}
		}
	}
	if binding > 0 {
		b.ReportMetric(passes/binding, "passes/binding")
		b.ReportMetric(proxy/binding, "proxy-pass/binding")
	}
	b.ReportMetric(binding, "binding-images")
	b.ReportMetric(shrinks, "shrinks")
	b.ReportMetric(worst, "worst-passes")
}

// corpusDir locates the shared benchmark corpus.
func corpusDir() string {
	return corpus.Dir()
}

var corpusCache sync.Map // name -> image.Image

// corpusImage decodes a corpus image and fits it to a 1920 px longer side
// (with internal/resize, as the pipeline does), or skips b.
func corpusImage(b testing.TB, name string) image.Image {
	b.Helper()
	if m, ok := corpusCache.Load(name); ok {
		return m.(image.Image)
	}
	f, err := os.Open(filepath.Join(corpusDir(), name))
	if err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	m, _, err := image.Decode(f)
	if err != nil {
		b.Fatal(err)
	}
	pm, release := planar(m) // PNGs decode to RGBA; the pipeline hands YCbCr
	fitted, err := resize.Fit(pm, 1, 1920)
	if err != nil {
		b.Fatal(err)
	}
	if fitted == pm {
		fitted = cloneImage(pm)
	}
	release()
	corpusCache.Store(name, fitted)
	return fitted
}

func cloneImage(m image.Image) image.Image {
	switch m := m.(type) {
	case *image.YCbCr:
		c := *m
		c.Y, c.Cb, c.Cr = bytes.Clone(m.Y), bytes.Clone(m.Cb), bytes.Clone(m.Cr)
		return &c
	case *image.Gray:
		c := *m
		c.Pix = bytes.Clone(m.Pix)
		return &c
	}
	return m
}
