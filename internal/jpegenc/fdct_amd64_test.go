//go:build !purego

package jpegenc

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/sys/cpu"
)

func needAVX2(t testing.TB) {
	if !cpu.X86.HasAVX2 {
		t.Skip("CPU without AVX2")
	}
}

// TestFdctQuantAVX2MatchesGo runs the AVX2 kernel and the Go path on the
// same blocks (edge blocks for every quality, every fifth in -short and
// -race runs, then blocks with random tables, including every divisor
// 1..255 at each position) and requires identical coefficients and masks.
func TestFdctQuantAVX2MatchesGo(t *testing.T) {
	needAVX2(t)
	r := rand.New(rand.NewPCG(5, 6))
	check := func(name string, pix *[blockSize]byte, z *quantizer) {
		t.Helper()
		var b block
		var want, got [blockSize]int32
		wantMask := fdctQuantGo(&b, &want, pix[:], 0, 8, z)
		gotMask := fdctQuantAVX2(&pix[0], 8, &got, &z.t)
		if got != want || gotMask != wantMask {
			t.Fatalf("%s: AVX2 %v mask %#x, Go %v mask %#x", name, got, gotMask, want, wantMask)
		}
	}
	blocks := testBlocks(r, 20)
	t.Run("quality tables", func(t *testing.T) {
		step := 1
		if testing.Short() || raceEnabled {
			step = 5
		}
		for quality := 1; quality <= 100; quality += step {
			q := scaledQuant(quality)
			for tab := range q {
				z := newQuantizer(&q[tab])
				for _, tb := range blocks {
					check(tb.name, &tb.pix, z)
				}
			}
		}
	})
	t.Run("random tables", func(t *testing.T) {
		var q [blockSize]uint8
		for n := range 2000 {
			for i := range q {
				q[i] = uint8(1 + (n+i)%255)
				if n%2 == 1 {
					q[i] = uint8(1 + r.IntN(255))
				}
			}
			z := newQuantizer(&q)
			tb := blocks[n%len(blocks)]
			check(tb.name, &tb.pix, z)
		}
	})
}

// TestAppendAVX2MatchesGo encodes the differential test images (the
// larger photo ones only in -short and -race runs) with the AVX2 kernel and with the Go
// path and requires the same bytes.
func TestAppendAVX2MatchesGo(t *testing.T) {
	needAVX2(t)
	defer func(old bool) { useAVX2 = old }(useAVX2)
	for _, c := range diffCases() {
		quick := raceEnabled || testing.Short()
		if c.rect.Dx() > 1000 || c.pattern == "text" || quick && (c.pattern != "photo" || c.rect.Dx() < 64) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			src := c.image()
			for _, o := range []Options{{Quality: c.quality, Workers: 1}, {Quality: c.quality, OptimizeHuffman: true, Workers: 2}} {
				useAVX2 = true
				fast, err := Append(nil, src, &o)
				if err != nil {
					t.Fatal(err)
				}
				useAVX2 = false
				slow, err := Append(nil, src, &o)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(fast, slow) {
					t.Fatalf("%+v: AVX2 output differs from the Go path's at byte %d", o, firstDiff(fast, slow))
				}
			}
		})
	}
}

// FuzzFdctQuantAVX2 compares the AVX2 kernel with the Go path on
// fuzzer-chosen samples, quality, table and stride.
func FuzzFdctQuantAVX2(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 8))
	for i, tb := range testBlocks(r, 4) {
		if i%9 == 0 {
			f.Add(tb.pix[:], uint8(i), uint8(i/3))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, quality, extra uint8) {
		needAVX2(t)
		if len(data) > 1024 {
			return
		}
		stride := 8 + int(extra%32)
		pix := make([]byte, 7*stride+8)
		for i := range pix {
			if len(data) > 0 {
				pix[i] = data[i%len(data)]
			}
		}
		q := scaledQuant(1 + int(quality)%100)
		z := newQuantizer(&q[extra>>7])
		var b block
		var want, got [blockSize]int32
		wantMask := fdctQuantGo(&b, &want, pix, 0, stride, z)
		gotMask := fdctQuantAVX2(&pix[0], stride, &got, &z.t)
		if got != want || gotMask != wantMask {
			t.Fatalf("AVX2 %v mask %#x, Go %v mask %#x", got, gotMask, want, wantMask)
		}
	})
}

// BenchmarkFdctQuant measures one block's forward DCT + quantisation over
// all luma blocks of the 1920×1440 photo at q90, AVX2 kernel against the
// Go path, alternately in the same run: ns/block-avx2 and ns/block-go are
// the median times per block and x-vs-go their ratio.
func BenchmarkFdctQuant(b *testing.B) {
	needAVX2(b)
	m := benchPhoto()
	q := scaledQuant(90)
	z := newQuantizer(&q[0])
	bw, bh := m.Rect.Dx()/8, m.Rect.Dy()/8
	offs := make([]int, 0, bw*bh)
	for by := range bh {
		for bx := range bw {
			offs = append(offs, 8*by*m.YStride+8*bx)
		}
	}
	var sc blockScratch
	var sink uint64
	b.SetBytes(int64(len(offs)) * blockSize)
	b.ReportAllocs()
	var ta, tg []time.Duration
	for b.Loop() {
		t0 := time.Now()
		for _, off := range offs {
			sink += fdctQuantAVX2(&m.Y[off], m.YStride, &sc.zz, &z.t)
		}
		ta = append(ta, time.Since(t0))
		b.StopTimer()
		t0 = time.Now()
		for _, off := range offs {
			sink += fdctQuantGo(&sc.b, &sc.zz, m.Y, off, m.YStride, z)
		}
		tg = append(tg, time.Since(t0))
		b.StartTimer()
	}
	n := float64(len(offs))
	b.ReportMetric(float64(median(ta))/n, "ns/block-avx2")
	b.ReportMetric(float64(median(tg))/n, "ns/block-go")
	b.ReportMetric(float64(median(tg))/float64(median(ta)), "x-vs-go")
	if sink == 0 {
		b.Fatal("no coefficients")
	}
}

// benchAVX2 benchmarks Append on m with the AVX2 kernel against the same
// Append on the Go path, alternately in the same run; x-vs-go is the
// ratio of their median times.
func benchAVX2(b *testing.B, m image.Image, o *Options) {
	needAVX2(b)
	defer func(old bool) { useAVX2 = old }(useAVX2)
	px := m.Bounds().Dx() * m.Bounds().Dy()
	b.SetBytes(int64(px) * 3 / 2)
	b.ReportAllocs()
	out, err := Append(nil, m, o)
	if err != nil {
		b.Fatal(err)
	}
	var ta, tg []time.Duration
	for b.Loop() {
		useAVX2 = true
		t0 := time.Now()
		out, _ = Append(out[:0], m, o)
		ta = append(ta, time.Since(t0))
		b.StopTimer()
		useAVX2 = false
		t0 = time.Now()
		out, _ = Append(out[:0], m, o)
		tg = append(tg, time.Since(t0))
		b.StartTimer()
	}
	b.ReportMetric(float64(median(tg))/float64(median(ta)), "x-vs-go")
	b.ReportMetric(float64(median(ta))/1e6, "ms-avx2")
	b.ReportMetric(float64(median(tg))/1e6, "ms-go")
}

func BenchmarkAVX2Photo1920x1440Q90Workers1(b *testing.B) {
	benchAVX2(b, benchPhoto(), &Options{Quality: 90, Workers: 1})
}
func BenchmarkAVX2Photo1920x1440Q90OptimizeWorkers1(b *testing.B) {
	benchAVX2(b, benchPhoto(), &Options{Quality: 90, OptimizeHuffman: true, Workers: 1})
}
func BenchmarkAVX2Corpus1920x1440Q90Workers1(b *testing.B) {
	benchAVX2(b, benchCorpus(b), &Options{Quality: 90, Workers: 1})
}
func BenchmarkAVX2Corpus1920x1440Q85Workers1(b *testing.B) {
	benchAVX2(b, benchCorpus(b), &Options{Quality: 85, Workers: 1})
}
