package resize

import (
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/internal/corpus"

	"github.com/disintegration/imaging"
)

// Benchmarks compare Fit with the naive pipeline (imaging's orientation
// copy, then imaging.Resize with Lanczos, both on *image.NRGBA) measured in
// the same run: each Fit benchmark reports x-faster (naive wall ns / ours),
// x-less-cpu (naive process CPU time / ours: steadier than wall time on a
// shared, overloaded machine) and x-fewer-bytes (naive allocated bytes /
// ours). Inputs are generated,
// so no corpus is needed; BenchmarkCorpus adds the real 12 MP photo when
// the corpus is present.

// benchYCbCr returns a cached w×h YCbCr image of the given subsampling with
// cheap photo-like content (gradients plus texture).
var benchImages sync.Map

func benchYCbCr(w, h int, r image.YCbCrSubsampleRatio) *image.YCbCr {
	key := fmt.Sprint(w, h, r)
	if m, ok := benchImages.Load(key); ok {
		return m.(*image.YCbCr)
	}
	m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
	seed := uint32(1)
	for y := range h {
		row := m.Y[y*m.YStride : y*m.YStride+w]
		for x := range row {
			seed = seed*1664525 + 1013904223
			row[x] = uint8((x*200/w + y*55/h) + int(seed>>28))
		}
	}
	for i := range m.Cb {
		m.Cb[i] = uint8(100 + i%31)
		m.Cr[i] = uint8(150 - i%29)
	}
	benchImages.Store(key, m)
	return m
}

// imageBytes is the size of img's pixel data (all planes), for b.SetBytes.
func imageBytes(img image.Image) int64 {
	switch m := img.(type) {
	case *image.YCbCr:
		return int64(len(m.Y) + len(m.Cb) + len(m.Cr))
	case *image.Gray:
		return int64(len(m.Pix))
	case *image.Paletted:
		return int64(len(m.Pix))
	}
	b := img.Bounds()
	return int64(4 * b.Dx() * b.Dy())
}

// naive is the baseline pipeline.
func naive(img image.Image, o, maxSide int) image.Image {
	oriented := imagingOrient[o](img)
	return imaging.Fit(oriented, maxSide, maxSide, imaging.Lanczos)
}

type baselineResult struct {
	ns, cpuNs, bytes float64
}

var baselines sync.Map

// baseline measures the naive pipeline on img (3 runs, cached per key so a
// benchmark's repeated invocations pay for it once per process).
func baseline(b *testing.B, key string, img image.Image, o, maxSide int) baselineResult {
	if v, ok := baselines.Load(key); ok {
		return v.(baselineResult)
	}
	b.StopTimer()
	defer b.StartTimer()
	const runs = 3
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	start, c0 := time.Now(), cpuTime(b)
	for range runs {
		naive(img, o, maxSide)
	}
	el, cpu := time.Since(start), cpuTime(b)-c0
	runtime.ReadMemStats(&ms1)
	r := baselineResult{
		ns:    float64(el.Nanoseconds()) / runs,
		cpuNs: float64(cpu.Nanoseconds()) / runs,
		bytes: float64(ms1.TotalAlloc-ms0.TotalAlloc) / runs,
	}
	baselines.Store(key, r)
	return r
}

// benchFit runs Fit(img, o, maxSide) and reports speed and memory against
// the naive pipeline.
func benchFit(b *testing.B, key string, img image.Image, o, maxSide int) {
	base := baseline(b, key, img, o, maxSide)
	b.SetBytes(imageBytes(img))
	b.ReportAllocs()
	if _, err := Fit(img, o, maxSide); err != nil { // warm the pools
		b.Fatal(err)
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	c0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Fit(img, o, maxSide); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := float64((cpuTime(b) - c0).Nanoseconds()) / float64(b.N)
	runtime.ReadMemStats(&ms1)
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	bytes := float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(base.ns/ns, "x-faster")
	b.ReportMetric(base.cpuNs/cpu, "x-less-cpu")
	b.ReportMetric(base.bytes/bytes, "x-fewer-bytes")
	b.ReportMetric(base.bytes/(1<<20), "naive-MiB/op")
}

// benchNaive runs the naive pipeline alone, for absolute numbers.
func benchNaive(b *testing.B, img image.Image, o, maxSide int) {
	b.SetBytes(imageBytes(img))
	b.ReportAllocs()
	for b.Loop() {
		naive(img, o, maxSide)
	}
}

func BenchmarkFit(b *testing.B) {
	for _, c := range []struct {
		name  string
		w, h  int
		r     image.YCbCrSubsampleRatio
		o     int
		max   int
		naive bool
	}{
		{"ycbcr420_4032x3024_o1", 4032, 3024, image.YCbCrSubsampleRatio420, 1, 1920, true},
		{"ycbcr420_4032x3024_o6", 4032, 3024, image.YCbCrSubsampleRatio420, 6, 1920, true},
		{"ycbcr444_4032x3024_o1", 4032, 3024, image.YCbCrSubsampleRatio444, 1, 1920, false},
		{"ycbcr420_6000x4000_o8", 6000, 4000, image.YCbCrSubsampleRatio420, 8, 1920, false},
		{"ycbcr420_1280x960_o6", 1280, 960, image.YCbCrSubsampleRatio420, 6, 1920, false},
	} {
		img := benchYCbCr(c.w, c.h, c.r)
		b.Run(c.name+"/ours", func(b *testing.B) { benchFit(b, c.name, img, c.o, c.max) })
		if c.naive {
			b.Run(c.name+"/imaging", func(b *testing.B) { benchNaive(b, img, c.o, c.max) })
		}
	}
	gray := &image.Gray{Pix: benchYCbCr(2480, 3508, image.YCbCrSubsampleRatio420).Y, Stride: 2480, Rect: image.Rect(0, 0, 2480, 3508)}
	b.Run("gray_2480x3508_o1/ours", func(b *testing.B) { benchFit(b, "gray", gray, 1, 1920) })
}

// corpusDir returns $MEDIAPREP_CORPUS or <repo root>/../shared/corpus.
func corpusDir() string {
	return corpus.Dir()
}

var corpusOnce = sync.OnceValues(func() (image.Image, error) {
	f, err := os.Open(filepath.Join(corpusDir(), "a_12mp_q92.jpg"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jpeg.Decode(f)
})

// BenchmarkCorpus resizes the corpus' 12 MP photo (decoded once, outside
// the timer) as stored (o=1) and as the orientation-6 copy is displayed.
func BenchmarkCorpus(b *testing.B) {
	img, err := corpusOnce()
	if err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	for _, o := range []int{1, 6} {
		name := fmt.Sprintf("a_12mp_q92_o%d", o)
		b.Run(name+"/ours", func(b *testing.B) { benchFit(b, name, img, o, 1920) })
	}
}
