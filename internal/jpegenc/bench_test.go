package jpegenc

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"
)

// corpusDir locates the shared benchmark corpus: $MEDIAPREP_CORPUS, else
// <repo root>/../shared/corpus.
func corpusDir() string {
	if d := os.Getenv("MEDIAPREP_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

var (
	photoOnce sync.Once
	photoImg  *image.YCbCr
	corpOnce  sync.Once
	corpImg   *image.YCbCr
	corpErr   error
)

// benchPhoto is generated 1920×1440 4:2:0 photo-like content.
func benchPhoto() *image.YCbCr {
	photoOnce.Do(func() {
		photoImg = newYCbCr(photoLike, image.Rect(0, 0, 1920, 1440), image.YCbCrSubsampleRatio420, 42)
	})
	return photoImg
}

// benchCorpus is a_12mp_q92.jpg downscaled to 1920×1440 (Lanczos) as
// 4:2:0, or nil when the corpus is absent.
func benchCorpus(b *testing.B) *image.YCbCr {
	corpOnce.Do(func() {
		f, err := os.Open(filepath.Join(corpusDir(), "a_12mp_q92.jpg"))
		if err != nil {
			corpErr = err
			return
		}
		defer f.Close()
		src, err := jpeg.Decode(f)
		if err != nil {
			corpErr = err
			return
		}
		corpImg = toYCbCr420(imaging.Resize(src, 1920, 1440, imaging.Lanczos))
	})
	if corpErr != nil {
		b.Skipf("corpus image unavailable: %v", corpErr)
	}
	return corpImg
}

// benchAppend benchmarks Append on m against image/jpeg.Encode measured
// in the same run: every iteration times ours and then (timer stopped)
// image/jpeg on the same image, so both see the same machine load, and
// x-vs-stdlib is the ratio of their median times. It also reports our
// output size and image/jpeg's.
func benchAppend(b *testing.B, m image.Image, o *Options) {
	q := o.Quality
	if q == 0 {
		q = DefaultQuality
	}
	std := stdEncode(b, m, q)
	px := m.Bounds().Dx() * m.Bounds().Dy()
	b.SetBytes(int64(px) * 3 / 2)
	b.ReportAllocs()
	var out []byte
	var err error
	ours, theirs := make([]time.Duration, 0, 1<<12), make([]time.Duration, 0, 1<<12)
	var buf bytes.Buffer
	out, err = Append(out, m, o) // warm up: size out and the pools
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		out, err = Append(out[:0], m, o)
		ours = append(ours, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		buf.Reset()
		t0 = time.Now()
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
			b.Fatal(err)
		}
		theirs = append(theirs, time.Since(t0))
		b.StartTimer()
	}
	b.ReportMetric(float64(median(theirs))/float64(median(ours)), "x-vs-stdlib")
	b.ReportMetric(float64(len(out)), "out-bytes")
	b.ReportMetric(float64(len(std)), "stdlib-bytes")
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}

// benchStdlib benchmarks image/jpeg.Encode itself, for reference.
func benchStdlib(b *testing.B, m image.Image, q int) {
	px := m.Bounds().Dx() * m.Bounds().Dy()
	b.SetBytes(int64(px) * 3 / 2)
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "out-bytes")
}

func BenchmarkPhoto1920x1440Q85Workers1(b *testing.B) {
	benchAppend(b, benchPhoto(), &Options{Quality: 85, Workers: 1})
}
func BenchmarkPhoto1920x1440Q85(b *testing.B) { benchAppend(b, benchPhoto(), &Options{Quality: 85}) }
func BenchmarkPhoto1920x1440Q90Workers1(b *testing.B) {
	benchAppend(b, benchPhoto(), &Options{Quality: 90, Workers: 1})
}
func BenchmarkPhoto1920x1440Q90(b *testing.B) { benchAppend(b, benchPhoto(), &Options{Quality: 90}) }
func BenchmarkPhoto1920x1440Q90Optimize(b *testing.B) {
	benchAppend(b, benchPhoto(), &Options{Quality: 90, OptimizeHuffman: true})
}
func BenchmarkPhoto1920x1440Q90OptimizeWorkers1(b *testing.B) {
	benchAppend(b, benchPhoto(), &Options{Quality: 90, OptimizeHuffman: true, Workers: 1})
}
func BenchmarkPhoto1920x1440Q90Stdlib(b *testing.B) { benchStdlib(b, benchPhoto(), 90) }

func BenchmarkCorpus1920x1440Q85Workers1(b *testing.B) {
	benchAppend(b, benchCorpus(b), &Options{Quality: 85, Workers: 1})
}
func BenchmarkCorpus1920x1440Q85(b *testing.B) {
	benchAppend(b, benchCorpus(b), &Options{Quality: 85})
}
func BenchmarkCorpus1920x1440Q90Workers1(b *testing.B) {
	benchAppend(b, benchCorpus(b), &Options{Quality: 90, Workers: 1})
}
func BenchmarkCorpus1920x1440Q90(b *testing.B) {
	benchAppend(b, benchCorpus(b), &Options{Quality: 90})
}
func BenchmarkCorpus1920x1440Q90Optimize(b *testing.B) {
	benchAppend(b, benchCorpus(b), &Options{Quality: 90, OptimizeHuffman: true})
}
