//go:build !purego

package hevc

import "golang.org/x/sys/cpu"

// saoK are the SAO row kernels in use: AVX2 when the CPU has it.
var saoK = func() saoKernels {
	if cpu.X86.HasAVX2 {
		return saoKernelsAVX2
	}
	return saoKernelsGo
}()

// saoKernelList lists the kernels this machine can run, the portable ones
// first, for the differential tests and benchmarks.
var saoKernelList = func() []saoKernels {
	k := []saoKernels{saoKernelsGo}
	if cpu.X86.HasAVX2 {
		k = append(k, saoKernelsAVX2)
	}
	return k
}()

var saoKernelsAVX2 = saoKernels{"avx2", saoEdgeRowAVX2, saoBandRowAVX2}

// saoEdgeAVX2 is the edge kernel over n samples, n a positive multiple of
// 32 (sao_amd64.s).
//
//go:noescape
func saoEdgeAVX2(d, s, a, b *uint8, n int, tbl *[16]int8)

// saoBandAVX2 is the band kernel over n samples, n a positive multiple of
// 32 (sao_amd64.s).
//
//go:noescape
func saoBandAVX2(d, s *uint8, n int, off *[16]int8, pos int)

// saoEdge16AVX2 is the edge kernel over exactly 16 samples.
//
//go:noescape
func saoEdge16AVX2(d, s, a, b *uint8, tbl *[16]int8)

// saoBand16AVX2 is the band kernel over exactly 16 samples.
//
//go:noescape
func saoBand16AVX2(d, s *uint8, off *[16]int8, pos int)

// saoEdgeRowAVX2 runs the AVX2 edge kernel over whole 32-sample chunks and
// once more over the last 32 samples when len(s) is not a multiple of 32
// (writing some samples twice, with the same values). Rows of 16 to 31
// samples use the 16-sample kernel the same way; shorter rows use the
// portable kernel.
func saoEdgeRowAVX2(d, s, a, b []uint8, tbl [16]int8) {
	n := len(s)
	if n < 32 {
		if n < 16 {
			saoEdgeRowGo(d, s, a, b, tbl)
			return
		}
		d, a, b = d[:n], a[:n], b[:n]
		o := n - 16
		saoEdge16AVX2(&d[0], &s[0], &a[0], &b[0], &tbl)
		saoEdge16AVX2(&d[o], &s[o], &a[o], &b[o], &tbl)
		return
	}
	d, a, b = d[:n], a[:n], b[:n] // bounds for the assembly
	m := n &^ 31
	saoEdgeAVX2(&d[0], &s[0], &a[0], &b[0], m, &tbl)
	if m < n {
		o := n - 32
		saoEdgeAVX2(&d[o], &s[o], &a[o], &b[o], 32, &tbl)
	}
}

// saoBandRowAVX2 is the band counterpart of saoEdgeRowAVX2.
func saoBandRowAVX2(d, s []uint8, t saoBandTab) {
	n := len(s)
	if n < 32 {
		if n < 16 {
			saoBandRowGo(d, s, t)
			return
		}
		d = d[:n]
		o := n - 16
		saoBand16AVX2(&d[0], &s[0], &t.off, t.pos)
		saoBand16AVX2(&d[o], &s[o], &t.off, t.pos)
		return
	}
	d = d[:n]
	m := n &^ 31
	saoBandAVX2(&d[0], &s[0], m, &t.off, t.pos)
	if m < n {
		o := n - 32
		saoBandAVX2(&d[o], &s[o], 32, &t.off, t.pos)
	}
}
