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

	"github.com/mediaprep/mediaprep/internal/corpus"

	"github.com/disintegration/imaging"
)

// corpusDir locates the shared benchmark corpus: $MEDIAPREP_CORPUS, else
// <repo root>/../shared/corpus.
func corpusDir() string {
	return corpus.Dir()
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
// output size and image/jpeg's, and same-bytes: 1 when the outputs are
// identical (expected for 4:2:0 and Gray with the standard tables).
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
	same := 0.0
	if bytes.Equal(out, std) {
		same = 1
	}
	b.ReportMetric(same, "same-bytes")
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

func BenchmarkGray1920x1440Q90Workers1(b *testing.B) {
	benchAppend(b, lumaOf(benchPhoto()), &Options{Quality: 90, Workers: 1})
}
func BenchmarkGray1920x1440Q90(b *testing.B) {
	benchAppend(b, lumaOf(benchPhoto()), &Options{Quality: 90})
}

// BenchmarkJoinStripes measures the sequential splice of a parallel encode:
// the entropy-coded data of the 1920×1440 q90 photo cut into its 12
// stripes, joined; x-vs-copy is its median time over that of copying the
// same bytes (measured alternately in the same run).
func BenchmarkJoinStripes(b *testing.B) {
	m := benchPhoto()
	s, err := (&Options{Quality: 90, Workers: 2}).settings()
	if err != nil {
		b.Fatal(err)
	}
	st := statePool.Get().(*state)
	f := &st.f
	if err := f.init(m); err != nil {
		b.Fatal(err)
	}
	q := scaledQuant(s.quality)
	st.quant[0].init(&q[0])
	st.quant[1].init(&q[1])
	f.quant[0], f.quant[1] = &st.quant[0], &st.quant[1]
	p := f.plan(2, minParallelPixels)
	ss := make([]stripeBits, p.stripes)
	var n int
	for i := range ss {
		w := bitWriter{raw: true}
		my0, my1 := f.stripeRows(p, i)
		f.encodeRows(&w, &stdLUT, &st.b, my0, my1)
		ss[i].tail, ss[i].nbits = w.finishRaw()
		ss[i].buf = w.buf
		n += len(w.buf)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	out := joinStripes(nil, ss)
	cp := make([]byte, 0, cap(out))
	var tj, tc []time.Duration
	for b.Loop() {
		t0 := time.Now()
		out = joinStripes(out[:0], ss)
		tj = append(tj, time.Since(t0))
		b.StopTimer()
		t0 = time.Now()
		cp = cp[:0]
		for i := range ss {
			cp = append(cp, ss[i].buf...)
		}
		tc = append(tc, time.Since(t0))
		b.StartTimer()
	}
	b.ReportMetric(float64(median(tj))/float64(median(tc)), "x-vs-copy")
	b.ReportMetric(float64(p.stripes), "stripes")
}

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
