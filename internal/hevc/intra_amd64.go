//go:build !purego

package hevc

import "golang.org/x/sys/cpu"

// planarAVX2 selects the INTRA_PLANAR kernel predict uses: the AVX2
// assembly one when the CPU has AVX2, else the portable predPlanar.
var planarAVX2 = cpu.X86.HasAVX2

// planarKernels lists the planar kernels this machine can run, the
// portable one first, for the differential tests.
var planarKernels = func() []namedPlanar {
	k := []namedPlanar{{"go", predPlanar}}
	if cpu.X86.HasAVX2 {
		k = append(k, namedPlanar{"avx2", predPlanarAVX2})
	}
	return k
}()

// planarRowsAVX2 writes n rows of n samples (n = 4, 8, 16 or 32) at dst:
// row y, sample x = (a[x] + y*b[x] + left[y]*wn[x]) >> shift, in 16-bit
// lanes. a, b and wn have 32 entries (those beyond n are ignored).
//
//go:noescape
func planarRowsAVX2(dst *uint8, stride int, a, b, wn *int16, left *uint8, n, shift int)

// predPlanarAVX2 is predPlanar with the rows computed by planarRowsAVX2:
// predSamples[x][y] = (a[x] + y*b[x] + p[-1][y]*(n-1-x)) >> shift with
// a[x] = (x+1)*p[n][-1] + (n-1)*p[x][-1] + p[-1][n] + n and b[x] =
// p[-1][n] - p[x][-1] (the spec's sum regrouped). a <= 16352, a + y*b
// lies in [-255, 24257] and the final value in [0, 32162], so the int16
// lanes are exact and the logical shift is right.
func predPlanarAVX2(dst []uint8, stride, n, log2Size int, top, left []uint8) {
	var a, b, wn [32]int16
	tr, bl := int16(top[n+1]), int16(left[n+1])
	t := top[1 : n+1]
	for x, v := range t {
		tv := int16(v)
		a[x] = int16(x+1)*tr + int16(n-1)*tv + bl + int16(n)
		b[x] = bl - tv
		wn[x] = int16(n - 1 - x)
	}
	_ = dst[(n-1)*stride+n-1]
	_ = left[n]
	planarRowsAVX2(&dst[0], stride, &a[0], &b[0], &wn[0], &left[1], n, log2Size+1)
}
