package heif

import (
	"context"
	"image"
	"image/draw"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkDecodeNative decodes the corpus's 12 MP HEICs (c_12mp: one HEVC
// picture; c2_12mp_grid: 8x6 tiles of 512 px) with DecodeNative and
// reports ms and CPU ms per decode, the ratio to Decode (gen2brain/heic,
// wasm2go) and to libvips (`vips copy`, whole process, when installed) on
// the same file, measured in the same run (x-Decode, x-libvips < 1 means
// faster), and the longest GC pause seen during the decodes while another
// goroutine allocates (max-gc-pause-ms). DecodeNative's output there is
// *image.YCbCr (no RGB conversion); Decode's is *image.NRGBA.
func BenchmarkDecodeNative(b *testing.B) {
	for _, name := range []string{"c_12mp.heic", "c2_12mp_grid.heic"} {
		b.Run(strings.TrimSuffix(name, ".heic"), func(b *testing.B) { benchNative(b, name) })
	}
}

func benchNative(b *testing.B, name string) {
	data := corpusFile(b, name)
	if err := Warmup(context.Background()); err != nil {
		b.Fatal(err)
	}
	// Baseline: Decode, one untimed run (the decoder instance grows its
	// memory) then two timed ones.
	var decodeSec float64
	for i := range 3 {
		t0 := time.Now()
		if _, err := Decode(context.Background(), data); err != nil {
			b.Fatal(err)
		}
		if i > 0 {
			decodeSec += time.Since(t0).Seconds() / 2
		}
	}
	runtime.GC()
	b.SetBytes(int64(len(data)))
	sec := timeDecodesUnderLoad(b, name, func() {
		if _, _, err := DecodeNative(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(decodeSec*1000, "Decode-ms")
	b.ReportMetric(sec/decodeSec, "x-Decode")
}

// BenchmarkToNRGBA converts 12 MP (4032x3024) 4:2:0 planes to NRGBA, the
// cost DecodeNative adds for colour that is not JFIF's (BT.709 limited
// here), on min(GOMAXPROCS, 4) goroutines; the baseline is image/color's
// per-pixel YCbCr conversion of the same planes through the image.Image
// interface (what a generic consumer of the YCbCr output pays), in the
// same run.
func BenchmarkToNRGBA(b *testing.B) {
	const w, h = 4032, 3024
	p := &planes{w: w, h: h, chroma: 1, yStride: w, cStride: w / 2,
		y: make([]byte, w*h), cb: make([]byte, w*h/4), cr: make([]byte, w*h/4)}
	for i := range p.y {
		p.y[i] = byte(i * 7 >> 3)
	}
	for i := range p.cb {
		p.cb[i], p.cr[i] = byte(i*5>>4), byte(255-i*3>>4)
	}
	src := &image.YCbCr{Y: p.y, Cb: p.cb, Cr: p.cr, YStride: w, CStride: w / 2,
		SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: image.Rect(0, 0, w, h)}
	t0 := time.Now()
	dst := image.NewNRGBA(src.Rect)
	draw.Draw(dst, dst.Rect, src, image.Point{}, draw.Src)
	base := time.Since(t0).Seconds()
	c := colour{matrix: 1}
	b.SetBytes(w * h)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.toNRGBA(c, 0, 0, w, h, maxWorkers()); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1000, "ms/12MP")
	b.ReportMetric(sec/base, "x-draw.Draw")
}
