//go:build !purego

package hevc

import "golang.org/x/sys/cpu"

// dctBlock is the dctKernel reconstruct uses: the AVX2 one when the CPU
// has AVX2, else the portable one.
var dctBlock dctKernel = pickDCT()

// dctKernels lists the kernels this machine can run, the portable one
// first, for the differential tests and benchmarks.
var dctKernels = func() []namedDCT {
	k := []namedDCT{{"go", dctGo}}
	if cpu.X86.HasAVX2 {
		k = append(k, namedDCT{"avx2", dctAVX2})
	}
	return k
}()

func pickDCT() dctKernel {
	if cpu.X86.HasAVX2 {
		return dctAVX2
	}
	return dctGo
}

// The AVX2 kernel computes both passes of 8.6.4.2 as matrix products on
// int16 inputs with VPMADDWD (int16 × int16 pairs summed into int32 lanes;
// exact here: |coefficient| <= 90, |input| <= 32768, 32 terms fit int32),
// so its results equal the butterflies' exactly:
//
//	pass 1: G[y][x] = Clip16((sum_j M[j][y]*D[j][x] + 64) >> 7)
//	pass 2: dst[y][x] = Clip1(dst[y][x] + ((sum_j G[y][j]*M[j][x] + 2048) >> 12))
//
// The right-hand operand of each product is stored with row pairs
// interleaved (B[2p][x], B[2p+1][x] adjacent) and the left-hand row pairs
// are broadcast as int32, so one VPMADDWD does two taps for 8 outputs.
// Saturating packs give both clips.

// idctPass1AVX2 computes pass 1 for the column chunks [0, nc) (8 columns
// each) of an n×n block: g (n×n int16, row-major) from d (interleaved row
// pairs, kp pairs used) and mtq (the coefficients M[j][y] grouped for the
// assembly: per 4 rows y and pair p, the 4 rows' (M[2p][y], M[2p+1][y])).
//
//go:noescape
func idctPass1AVX2(gbuf, mtq, d *int16, n, nc, kp int)

// idctPass2AVX2 computes pass 2 for all n×n samples: dst from g (row-major,
// the first 2*kp columns used) and mi (M with row pairs interleaved).
//
//go:noescape
func idctPass2AVX2(dst *uint8, stride int, gbuf, mi *int16, n, kp int)

// scaleAVX2 scales (8.6.3) the row pairs p < kp, columns [0, 8*nc) of
// coeff (n×n) into d (interleaved row pairs) and clears them; m is the
// n×n ScalingFactor (flat16 when none), ls = levelScale[qP%6] << (qP/6),
// lim the level clamp of dctAVX2Run.
//
//go:noescape
func scaleAVX2(d, coeff *int16, m *uint8, n, nc, kp int, ls, lim, round, shift int32)

// flat16 is the flat ScalingFactor m = 16 for any block size (indexed
// [y*n+x] like the real ones).
var flat16 = func() (f [32 * 32]uint8) {
	for i := range f {
		f[i] = 16
	}
	return f
}()

// dctMTQ[s] and dctMI[s] are the int16 tables of the nTbS = 8<<s matrices
// for the AVX2 kernel: grouped by 4 rows of the transpose (see
// idctPass1AVX2), and with row pairs interleaved.
var dctMTQ, dctMI = func() (mtq, mi [3][]int16) {
	for s := 0; s < 3; s++ {
		n := 8 << s
		step := 32 / n
		mtq[s] = make([]int16, n*n)
		mi[s] = make([]int16, n*n)
		for j := 0; j < n; j++ {
			for x := 0; x < n; x++ {
				c := int16(dct32(j*step, x))
				// M[j][x] is row x, pair j/2 of the transpose.
				mtq[s][(((x/4)*(n/2)+j/2)*4+x%4)*2+j&1] = c
				mi[s][((j>>1)*n+x)*2+j&1] = c
			}
		}
	}
	return mtq, mi
}()

// dctAVX2 is the AVX2 dctKernel.
func dctAVX2(coeff []int16, scaling []uint8, log2, mx, my int, ls int64, dst []uint8, stride int) {
	switch log2 {
	case 3:
		var d, g [64]int16
		dctAVX2Run(d[:], g[:], coeff, scaling, log2, mx, my, ls, dst, stride)
	case 4:
		var d, g [256]int16
		dctAVX2Run(d[:], g[:], coeff, scaling, log2, mx, my, ls, dst, stride)
	default:
		var d, g [1024]int16
		dctAVX2Run(d[:], g[:], coeff, scaling, log2, mx, my, ls, dst, stride)
	}
}

// dctAVX2Run scales coeff into d (zeroed, n*n, interleaved row pairs) and
// runs both passes with g (n*n) as the intermediate.
func dctAVX2Run(d, g []int16, coeff []int16, scaling []uint8, log2, mx, my int, ls int64, dst []uint8, stride int) {
	n := 1 << uint(log2)
	bdShift := uint(log2 + 3)
	round := int64(1) << (bdShift - 1)
	// Clamping the level to ±lim first changes no result and keeps the
	// int32 product exact: with s = m*ls (1 <= m <= 255), lim*s >
	// 32768<<bdShift, so the scaled value saturates from lim on, and
	// lim*255*ls <= 255*(32768<<bdShift) + 255*ls < 1<<31 for bdShift <=
	// 8 (8-bit samples, nTbS <= 32).
	lim := int32((int64(32768)<<bdShift)/ls + 1)
	m := flat16[:]
	if scaling != nil {
		m = scaling[:n*n]
	}
	_ = coeff[n*n-1]
	if uint(mx) >= uint(n) || uint(my) >= uint(n) {
		// The kernels size their loops by mx and my: never past the block.
		panic("hevc: nonzero coefficient outside the transform block")
	}
	scaleAVX2(&d[0], &coeff[0], &m[0], n, mx/8+1, (my+2)/2, int32(ls), lim, int32(round), int32(bdShift))
	_ = dst[(n-1)*stride+n-1]
	t := log2 - 3
	idctPass1AVX2(&g[0], &dctMTQ[t][0], &d[0], n, mx/8+1, (my+2)/2)
	idctPass2AVX2(&dst[0], stride, &g[0], &dctMI[t][0], n, (mx+2)/2)
}
