package resize

import "testing"

// BenchmarkKernels measures the two inner passes on one 12 MP luma row
// layout (4032 → 1920 columns, Lanczos3 at 2.1×: 14 taps), per output row,
// reporting the thread CPU time as cpu-ns/op.
func BenchmarkKernels(b *testing.B) {
	const sw, dw = 4032, 1920
	var a axis
	a.build(axisSpec{dstN: dw, dstF: 1, dstL: dw, srcN: sw, srcF: 1, srcL: sw}, lanczos3)
	src := make([]uint8, sw*a.taps)
	for i := range src {
		src[i] = uint8(i * 7)
	}
	acc := make([]int32, sw)
	dst := make([]uint8, dw)
	b.Run("vertical1", func(b *testing.B) {
		b.SetBytes(sw)
		reportThreadCPU(b, func() { vertical1(acc, src, sw, 0, a.w[:a.taps]) })
	})
	b.Run("horizontal2", func(b *testing.B) {
		b.SetBytes(sw)
		reportThreadCPU(b, func() { horizontal2(dst, acc, &a) })
	})
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
	b.Run("vertical1Premul", func(b *testing.B) {
		b.SetBytes(4 * sw)
		reportThreadCPU(b, func() { vertical1Premul(acc, src, 4*sw, 0, a.w[:a.taps]) })
	})
}
