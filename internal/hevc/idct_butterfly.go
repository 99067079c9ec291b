package hevc

// The portable inverse DCT kernel (dctGo) for 8x8 to 32x32 blocks: partial
// butterflies (even/odd decomposition) that only touch the coefficient
// rows and columns up to maxY/maxX. Everything beyond is zero, so a column
// beyond maxX transforms to zero and is skipped, and every 1-D transform
// takes only the nonzero prefix of its input. Used where the AVX2 kernel
// is not (other CPUs, purego builds) and as its reference in the
// differential tests.

// dctOdd16 and dctOdd32 hold the odd rows of the N-point DCT matrices of
// 8.6.4.2: dctOddN[(k-1)/2][i] = transMatrix coefficient of frequency k
// (odd) at position i < N/2. The N-point matrix is rows 32/N*k of the
// 32-point one. dctLowN[i] holds the coefficients of frequencies 0..3 at
// position i < N/2, for inputs with at most 4 leading nonzero values.
// Filled by init from the 32-point values (the 4- and 8-point transforms
// are written out).
var (
	dctOdd16 [8][8]int64
	dctOdd32 [16][16]int64
	dctLow16 [8][4]int64
	dctLow32 [16][4]int64
)

func init() {
	for k := 0; k < 8; k++ {
		for i := 0; i < 8; i++ {
			dctOdd16[k][i] = int64(dct32(2*(2*k+1), i))
		}
	}
	for k := 0; k < 16; k++ {
		for i := 0; i < 16; i++ {
			dctOdd32[k][i] = int64(dct32(2*k+1, i))
		}
	}
	for k := 0; k < 4; k++ {
		for i := 0; i < 8; i++ {
			dctLow16[i][k] = int64(dct32(2*k, i))
		}
		for i := 0; i < 16; i++ {
			dctLow32[i][k] = int64(dct32(k, i))
		}
	}
}

// dctGo is the portable dctKernel: partial butterflies.
func dctGo(coeff []int16, scaling []uint8, log2, mx, my int, ls int64, dst []uint8, stride int) {
	n := 1 << uint(log2)
	bdShift := uint(log2 + 3)
	round := int64(1) << (bdShift - 1)
	// d and g start zeroed: entries outside the nonzero region stay 0, so
	// the 1-D transforms may read whole columns/rows and use k (the count
	// of leading inputs that may be nonzero) only to skip work.
	// colK[x]: 1 + the last row of a nonzero coefficient in column x (0
	// for an all-zero column), the input length of that column's
	// vertical transform.
	var colK [32]uint8
	switch log2 {
	case 3:
		var d, g [64]int32
		scaleCoeffs(d[:], &colK, coeff, scaling, n, mx, my, ls, bdShift, round)
		inverse8(&d, &g, &colK, dst, stride, mx)
	case 4:
		var d, g [256]int32
		scaleCoeffs(d[:], &colK, coeff, scaling, n, mx, my, ls, bdShift, round)
		inversePacked(d[:], g[:], &colK, dst, stride, 16, mx)
	default:
		var d, g [1024]int32
		scaleCoeffs(d[:], &colK, coeff, scaling, n, mx, my, ls, bdShift, round)
		inversePacked(d[:], g[:], &colK, dst, stride, 32, mx)
	}
}

// scaleCoeffs scales coeff[0..my][0..mx] (8.6.3) into d, transposed
// (d[x*n+y]) so that each column is contiguous for the vertical pass,
// records each column's input length in colK, and clears the
// coefficients.
func scaleCoeffs(d []int32, colK *[32]uint8, coeff []int16, scaling []uint8, n, mx, my int, ls int64, bdShift uint, round int64) {
	s := 16 * ls
	for y := 0; y <= my; y++ {
		src := coeff[y*n : y*n+mx+1]
		var m []uint8
		if scaling != nil {
			m = scaling[y*n : y*n+len(src)]
		}
		for x, v := range src {
			if v == 0 {
				continue
			}
			if m != nil {
				s = int64(m[x]) * ls
			}
			d[x*n+y] = clip16((int64(v)*s + round) >> bdShift)
			colK[x&31] = uint8(y + 1)
			src[x] = 0
		}
	}
}

// The portable 16x16 and 32x32 inverse DCTs (dctGo) run two 1-D
// transforms at once (for 8x8 blocks the packing costs more than it
// saves): two columns (or rows) packed in one int64 as lo + hi<<32. The
// transforms are linear, so the packed result is exactly lo' + hi'<<32
// with lo', hi' the two results; both fit in int32, so lo' is the low 32
// bits taken as signed and hi' = (v - lo') >> 32. (No int64 overflow: the
// values stay below 1<<28 in magnitude.)

// unpack splits a packed pair of 1-D transform outputs.
func unpack(v int64) (lo, hi int32) {
	lo = int32(v)
	return lo, int32((v - int64(lo)) >> 32)
}

// idct8 is the 8-point inverse DCT of in, whose entries from k on are 0:
// on int32 values, or on two packed in an int64 (see unpack).
func idct8[T int32 | int64](in *[8]T, k int, out *[8]T) {
	x0, x1, x2, x3 := in[0], in[1], in[2], in[3]
	var e0, e1, e2, e3, o0, o1, o2, o3 T
	if k <= 4 {
		e0, e1, e2, e3 = idct4(x0, x2, 0, 0)
		o0 = 89*x1 + 75*x3
		o1 = 75*x1 - 18*x3
		o2 = 50*x1 - 89*x3
		o3 = 18*x1 - 50*x3
	} else {
		x4, x5, x6, x7 := in[4], in[5], in[6], in[7]
		e0, e1, e2, e3 = idct4(x0, x2, x4, x6)
		o0 = 89*x1 + 75*x3 + 50*x5 + 18*x7
		o1 = 75*x1 - 18*x3 - 89*x5 - 50*x7
		o2 = 50*x1 - 89*x3 + 18*x5 + 75*x7
		o3 = 18*x1 - 50*x3 + 75*x5 - 89*x7
	}
	out[0], out[7] = e0+o0, e0-o0
	out[1], out[6] = e1+o1, e1-o1
	out[2], out[5] = e2+o2, e2-o2
	out[3], out[4] = e3+o3, e3-o3
}

// idct16w is the 16-point inverse DCT of in, whose entries from k on are 0.
// It and idct32w spell out their low-input and odd parts each: helpers
// shared by the two (by size, or by halves of 8 outputs) measured 2-5 %
// slower on dense 16x16 and 32x32 blocks.
func idct16w(in *[16]int64, k int, out *[16]int64) {
	if k <= 4 {
		x0, x1, x2, x3 := in[0], in[1], in[2], in[3]
		for i := range dctLow16 {
			c := &dctLow16[i]
			e := c[0]*x0 + c[2]*x2
			o := c[1]*x1 + c[3]*x3
			out[i] = e + o
			out[15-i] = e - o
		}
		return
	}
	ev := [8]int64{in[0], in[2], in[4], in[6], in[8], in[10], in[12], in[14]}
	var e [8]int64
	idct8(&ev, (k+1)/2, &e)
	var a0, a1, a2, a3, a4, a5, a6, a7 int64
	for j := 1; j < k; j += 2 {
		v := in[j]
		c := &dctOdd16[j>>1]
		a0 += c[0] * v
		a1 += c[1] * v
		a2 += c[2] * v
		a3 += c[3] * v
		a4 += c[4] * v
		a5 += c[5] * v
		a6 += c[6] * v
		a7 += c[7] * v
	}
	out[0], out[15] = e[0]+a0, e[0]-a0
	out[1], out[14] = e[1]+a1, e[1]-a1
	out[2], out[13] = e[2]+a2, e[2]-a2
	out[3], out[12] = e[3]+a3, e[3]-a3
	out[4], out[11] = e[4]+a4, e[4]-a4
	out[5], out[10] = e[5]+a5, e[5]-a5
	out[6], out[9] = e[6]+a6, e[6]-a6
	out[7], out[8] = e[7]+a7, e[7]-a7
}

// idct32w is the 32-point inverse DCT of in, whose entries from k on are 0.
func idct32w(in *[32]int64, k int, out *[32]int64) {
	if k <= 4 {
		x0, x1, x2, x3 := in[0], in[1], in[2], in[3]
		for i := range dctLow32 {
			c := &dctLow32[i]
			e := c[0]*x0 + c[2]*x2
			o := c[1]*x1 + c[3]*x3
			out[i] = e + o
			out[31-i] = e - o
		}
		return
	}
	var ev, od [16]int64
	for j := range ev {
		ev[j] = in[2*j]
		od[j] = in[2*j+1]
	}
	var e [16]int64
	idct16w(&ev, (k+1)/2, &e)
	// Odd part: 16 dot products over the odd inputs, 8 outputs at a time
	// so that the accumulators stay in registers and are independent.
	odk := od[:k/2]
	for h := 0; h < 16; h += 8 {
		var a0, a1, a2, a3, a4, a5, a6, a7 int64
		for j, v := range odk {
			c := (*[8]int64)(dctOdd32[j][h:])
			a0 += c[0] * v
			a1 += c[1] * v
			a2 += c[2] * v
			a3 += c[3] * v
			a4 += c[4] * v
			a5 += c[5] * v
			a6 += c[6] * v
			a7 += c[7] * v
		}
		ee := (*[8]int64)(e[h:])
		lo := (*[8]int64)(out[h:])
		hi := (*[8]int64)(out[24-h:])
		lo[0], hi[7] = ee[0]+a0, ee[0]-a0
		lo[1], hi[6] = ee[1]+a1, ee[1]-a1
		lo[2], hi[5] = ee[2]+a2, ee[2]-a2
		lo[3], hi[4] = ee[3]+a3, ee[3]-a3
		lo[4], hi[3] = ee[4]+a4, ee[4]-a4
		lo[5], hi[2] = ee[5]+a5, ee[5]-a5
		lo[6], hi[1] = ee[6]+a6, ee[6]-a6
		lo[7], hi[0] = ee[7]+a7, ee[7]-a7
	}
}

// inverse8 is the 2-D inverse DCT of an 8x8 block (see transform.go),
// one column or row at a time.
func inverse8(d, g *[64]int32, colK *[32]uint8, dst []uint8, stride, mx int) {
	var o [8]int32
	for x := 0; x <= mx; x++ {
		k := int(colK[x])
		if k == 0 {
			continue // an all-zero column transforms to zeros (g is zeroed)
		}
		idct8((*[8]int32)(d[x*8:]), k, &o)
		for y, e := range o {
			g[y*8+x] = clip16i((e + 64) >> 7)
		}
	}
	for y := 0; y < 8; y++ {
		idct8((*[8]int32)(g[y*8:]), mx+1, &o)
		addRow(dst[y*stride:], o[:])
	}
}

// inversePacked runs the 2-D inverse DCT of dctGo on the scaled
// coefficients d (transposed, d[x*n+y]), with g (n*n, zeroed) as the
// intermediate, two columns and then two rows at a time (n is 16 or 32).
func inversePacked(d, g []int32, colK *[32]uint8, dst []uint8, stride, n, mx int) {
	var inBuf, outBuf [32]int64
	in, out := inBuf[:n], outBuf[:n]
	// Vertical pass over the nonzero column pairs: g[y*n+x].
	for x := 0; x <= mx; x += 2 {
		k := int(max(colK[x], colK[x+1]))
		if k == 0 {
			continue // all-zero columns transform to zeros (g is zeroed)
		}
		c0, c1 := d[x*n:x*n+n], d[(x+1)*n:(x+1)*n+n]
		for j := range in {
			in[j] = int64(c0[j]) + int64(c1[j])<<32
		}
		idctPacked(in, out, k)
		for y, e := range out {
			lo, hi := unpack(e)
			g[y*n+x] = clip16i((lo + 64) >> 7)
			g[y*n+x+1] = clip16i((hi + 64) >> 7)
		}
	}
	// Horizontal pass over the row pairs, inputs 0..mx (the rest of g is
	// zero, and so is the rest of in).
	w := mx + 1
	clear(in)
	var r0, r1 [32]int32
	for y := 0; y < n; y += 2 {
		g0, g1 := g[y*n:y*n+w], g[(y+1)*n:(y+1)*n+w]
		for j, v := range g0 {
			in[j] = int64(v) + int64(g1[j])<<32
		}
		idctPacked(in, out, w)
		for i, e := range out {
			r0[i], r1[i] = unpack(e)
		}
		addRow(dst[y*stride:], r0[:n])
		addRow(dst[(y+1)*stride:], r1[:n])
	}
}

// idctPacked is the len(in)-point (16 or 32) packed 1-D transform. (A
// direct call: passing a func value would move the callers' buffers to
// the heap.)
func idctPacked(in, out []int64, k int) {
	if len(in) == 16 {
		idct16w((*[16]int64)(in), k, (*[16]int64)(out))
		return
	}
	idct32w((*[32]int64)(in), k, (*[32]int64)(out))
}
