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
