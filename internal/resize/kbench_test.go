package resize

import (
	"image"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkKernels measures the two inner passes on one 12 MP luma row
// layout (4032 → 1920 columns, Lanczos3 at 2.1×: 14 taps), per output row,
// reporting the thread CPU time as cpu-ns/op. Each pass runs with the
// kernels it would use (AVX2 when the CPU has it) and reports x-vs-go,
// the Go int32 kernel's thread CPU time over its own, both measured in
// the same run. The T variants are the axis-swapping pass 2 over a band
// of bandCols rows (per band of 1440 output rows × 16 columns).
func BenchmarkKernels(b *testing.B) {
	const sw, dw, dh = 4032, 1920, 1440
	var a, at axis
	a.build(axisSpec{dstN: dw, dstF: 1, dstL: dw, srcN: sw, srcF: 1, srcL: sw}, lanczos3)
	at.build(axisSpec{dstN: dh, dstF: 1, dstL: dh, srcN: sw, srcF: 1, srcL: sw}, lanczos3)
	src := make([]uint8, sw*a.taps)
	for i := range src {
		src[i] = uint8(i * 7)
	}
	acc := make([]int32, sw)
	vertical1Go(acc, src, sw, 0, a.w[:a.taps])
	acc16 := make([]int16, sw+8)
	for i, v := range acc {
		acc16[i] = int16(v)
	}
	tmp := make([]int32, bandCols*sw)
	tmp16 := make([]int16, bandCols*sw+8)
	for j := range bandCols {
		copy(tmp[j*sw:], acc)
		copy(tmp16[j*sw:], acc16[:sw])
	}
	var l, lt axis16
	l.buildPass1(&a)
	l.buildPass2(&a)
	lt.buildPass2(&at)
	dst := make([]uint8, dw)
	dstT := make([]uint8, dh*bandCols)
	goV1 := func() { vertical1Go(acc, src, sw, 0, a.w[:a.taps]) }
	goH2 := func() { horizontal2(dst, acc, &a) }
	goH2T := func() { horizontal2T(dstT, bandCols, bandCols, tmp, sw, &at) }
	for _, k := range []struct {
		name     string
		fn, base func()
	}{
		{"vertical1", func() { vertical1(acc, src, sw, 0, a.w[:a.taps]) }, goV1},
		{"vertical16", func() { vertical16(acc16[:sw], src, sw, 0, a.w[:a.taps], l.wp[:l.np]) }, goV1},
		{"horizontal2", goH2, goH2},
		{"horizontal16", func() { horizontal16(dst, acc16, &a, &l) }, goH2},
		{"horizontal2T", goH2T, goH2T},
		{"horizontal16T", func() { horizontal16T(dstT, bandCols, bandCols, tmp16, sw, &at, &lt) }, goH2T},
	} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(sw)
			reportVsGo(b, k.fn, k.base)
		})
	}
}

// reportVsGo is reportThreadCPU for fn, plus x-vs-go: the thread CPU time
// of as many runs of base (the Go kernel) over fn's.
func reportVsGo(b *testing.B, fn, base func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0 := threadCPU(b)
	for b.Loop() {
		fn()
	}
	c1 := threadCPU(b)
	for range b.N {
		base()
	}
	c2 := threadCPU(b)
	b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(c2-c1)/float64(c1-c0), "x-vs-go")
}

// BenchmarkKernelsRGB measures the passes of the opaque RGB(A) path on
// one 12 MP NRGBA row layout (4032 → 1920 pixels, 13 taps), per output
// row: pass 1 over the 4-byte pixels with its R|B, G repacking, and the
// packed pass 2, against the same pass 2 on unpacked 4-channel values.
func BenchmarkKernelsRGB(b *testing.B) {
	const sw, dw = 4032, 1920
	var a axis
	a.build(axisSpec{dstN: dw, dstF: 1, dstL: dw, srcN: sw, srcF: 1, srcL: sw}, lanczos3)
	src := make([]uint8, 4*sw*a.taps)
	for i := range src {
		src[i] = uint8(i * 7)
	}
	acc := make([]int32, 4*sw)
	rb, g := make([]int64, sw), make([]int32, sw)
	tile := make([]int32, 3*dw)
	b.Run("vertical1", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { vertical1(acc, src, 4*sw, 0, a.w[:a.taps]) })
	})
	b.Run("packRBG", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { packRBG(rb, g, acc) })
	})
	b.Run("horizontalRBG", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { horizontalRBG(tile, rb, g, &a, 0) })
	})
	nrgba := make([]uint8, 4*dw)
	ga := make([]int64, sw)
	b.Run("horizontalNRGBA", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { horizontalNRGBA(nrgba, rb, ga, &a) })
	})
	// The int16 path: vertical16 over the bytes, then horizontalRGB16
	// (one row, tileCols outputs at a time as unitOpaque16 does), each
	// against the Go kernels of the packed path in the same run.
	var l axis16
	l.buildPass1(&a)
	l.buildPass2RGB(&a)
	acc16 := make([]int16, 4*sw+rgbSlack)
	for i, v := range acc {
		acc16[i] = int16(v)
	}
	goV1 := func() { vertical1Go(acc, src, 4*sw, 0, a.w[:a.taps]); packRBG(rb, g, acc) }
	b.Run("vertical16", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportVsGo(b, func() { vertical16(acc16[:4*sw], src, 4*sw, 0, a.w[:a.taps], l.wp[:l.np]) }, goV1)
	})
	tileRow := make([]int32, 3*tileCols)
	b.Run("horizontalRGB16", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportVsGo(b, func() {
			for x0 := 0; x0 < dw; x0 += tileCols {
				horizontalRGB16(tileRow[:3*min(tileCols, dw-x0)], acc16, &a, &l, x0)
			}
		}, func() {
			for x0 := 0; x0 < dw; x0 += tileCols {
				horizontalRBG(tileRow[:3*min(tileCols, dw-x0)], rb, g, &a, x0)
			}
		})
	})
	b.Run("vertical1Premul", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { vertical1Premul(acc, src, 4*sw, 0, a.w[:a.taps]) })
	})
}

// BenchmarkFitKernels runs Fit on 12 and 24 MP YCbCr 4:2:0 photos and a
// 12 MP opaque NRGBA image (the HEIC decoder's output) to 1920 px with the kernels this machine selects (AVX2 int16 path where
// available) and, alternating within the same loop, with the Go int32
// kernels, reporting the process CPU time of the first as cpu-ns/op and
// x-vs-go (Go kernels' CPU time / ours).
func BenchmarkFitKernels(b *testing.B) {
	for _, c := range []struct {
		name string
		w, h int
		o    int
	}{
		{"ycbcr420_4032x3024_o1", 4032, 3024, 1},
		{"ycbcr420_4032x3024_o6", 4032, 3024, 6},
		{"ycbcr420_6000x4000_o8", 6000, 4000, 8},
		{"nrgba_opaque_4032x3024_o1", 4032, 3024, 1},
		{"nrgba_opaque_4032x3024_o6", 4032, 3024, 6},
	} {
		var img image.Image = benchYCbCr(c.w, c.h, image.YCbCrSubsampleRatio420)
		if strings.HasPrefix(c.name, "nrgba") {
			img = benchRGB("nrgba", c.w, c.h)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(imageBytes(img))
			fit := func() {
				if _, err := Fit(img, c.o, 1920); err != nil {
					b.Fatal(err)
				}
			}
			goKernels := func() { withKernels(kernelModes[0], fit) }
			fit()
			goKernels()
			var ours, theirs time.Duration
			for b.Loop() {
				c0 := cpuTime(b)
				fit()
				c1 := cpuTime(b)
				goKernels()
				ours, theirs = ours+c1-c0, theirs+cpuTime(b)-c1
			}
			b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(theirs)/float64(ours), "x-vs-go")
		})
	}
}
