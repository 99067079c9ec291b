package hevc

import "encoding/binary"

// Scaling, transformation and reconstruction of residual blocks, ITU-T
// H.265 8.6.2-8.6.4 (8-bit samples, no range extensions).
//
// The 4x4 transforms and the DC-only blocks are done here in Go. The 8x8
// to 32x32 inverse DCTs go through dctBlock: on amd64 with AVX2 an
// assembly kernel (transform_amd64.go/.s) that computes both passes as
// int16 matrix products, else dctGo (idct_butterfly.go), partial
// butterflies that skip the zero rows and columns. Both give identical
// results (all arithmetic is exact integer arithmetic; TestDCTKernelsAgree,
// FuzzDCTKernels).

// levelScale is the list of 8.6.3 (qP % 6).
var levelScale = [6]int64{40, 45, 51, 57, 64, 72}

// dctCos[m] is the 32-point DCT coefficient for angle m*pi/64 in the first
// quadrant (m = 1..32); the distinct values of the 8.6.4.2 matrix.
var dctCos = [33]int32{
	64, 90, 90, 90, 89, 88, 87, 85, 83, 82, 80, 78, 75, 73, 70, 67,
	64, 61, 57, 54, 50, 46, 43, 38, 36, 31, 25, 22, 18, 13, 9, 4, 0,
}

// dct32 returns transMatrix[k][i] of the 32-point DCT (k frequency, i
// position): the coefficient for cos(k*(2i+1)*pi/64).
func dct32(k, i int) int32 {
	if k == 0 {
		return 64
	}
	m := (k * (2*i + 1)) & 127
	switch {
	case m <= 32:
		return dctCos[m]
	case m <= 64:
		return -dctCos[64-m]
	case m <= 96:
		return -dctCos[m-64]
	default:
		return dctCos[128-m]
	}
}

// reconstruct adds the residual of r to the prediction in f.planes[r.c]
// (8.6.2: scaling, transform or transform skip, or the coefficients as is
// for cu_transquant_bypass; then Clip1 of prediction plus residual) and
// clears the coefficients it used, leaving r.coeff all-zero. It relies on
// r.maxX/r.maxY bounding the nonzero coefficients. Safe for concurrent use
// on disjoint blocks; no allocation.
func (f *frame) reconstruct(r *residual) {
	f.reconstructWith(r, dctBlock)
}

// reconstructWith is reconstruct with the given kernel for the 8x8 to
// 32x32 inverse DCTs.
func (f *frame) reconstructWith(r *residual, kernel dctKernel) {
	log2 := r.log2Size
	n := 1 << uint(log2)
	stride := f.stride[r.c]
	dst := f.planes[r.c][r.y*stride+r.x:]
	mx, my := min(r.maxX, n-1), min(r.maxY, n-1)
	coeff := r.coeff[:n*n]

	if r.bypass {
		for y := 0; y <= my; y++ {
			src := coeff[y*n : y*n+mx+1]
			out := dst[y*stride : y*stride+mx+1]
			for x, v := range src {
				out[x] = clipPel(int(out[x]) + int(v))
				src[x] = 0
			}
		}
		return
	}

	qp := r.qp
	if qp < 0 || qp > 51 {
		qp = max(0, min(qp, 51)) // out of range only for corrupt streams
	}
	// 8.6.3: bdShift = BitDepth + Log2(nTbS) + 10 - 15 (= log2 + 3 at 8
	// bits); d = Clip3(-32768, 32767, (c*m*levelScale << qP/6 + round) >>
	// bdShift).
	bdShift := uint(log2 + 3)
	round := int64(1) << (bdShift - 1)
	ls := levelScale[qp%6] << uint(qp/6)

	if r.transformSkip {
		// 8.6.4.2: r = d << tsShift (tsShift = 5 + Log2(nTbS), 7 for the
		// 4x4 blocks of version 1), then (r + (1 << 11)) >> 12.
		ts := uint(5 + log2)
		for y := 0; y <= my; y++ {
			src := coeff[y*n : y*n+mx+1]
			out := dst[y*stride : y*stride+mx+1]
			for x, v := range src {
				m := int64(16)
				if r.scaling != nil {
					m = int64(r.scaling[y*n+x])
				}
				d := clip16((int64(v)*m*ls + round) >> bdShift)
				out[x] = clipPel(int(out[x]) + int((d<<ts+2048)>>12))
				src[x] = 0
			}
		}
		return
	}

	if log2 == 2 {
		// d starts zeroed: entries outside the nonzero region stay 0.
		var d [16]int32
		var colK [32]uint8
		scaleCoeffs(d[:], &colK, coeff, r.scaling, n, mx, my, ls, bdShift, round)
		switch {
		case r.dst:
			inverseDST4(&d, dst, stride)
		case mx == 0 && my == 0:
			addDC(dst, stride, 4, d[0])
		default:
			inverse4(&d, dst, stride, mx)
		}
		return
	}
	if mx == 0 && my == 0 {
		m := int64(16)
		if r.scaling != nil {
			m = int64(r.scaling[0])
		}
		v := coeff[0]
		coeff[0] = 0
		addDC(dst, stride, n, clip16((int64(v)*m*ls+round)>>bdShift))
		return
	}
	_ = dst[(n-1)*stride+n-1] // the kernels write the whole block
	kernel(coeff, r.scaling, log2, mx, my, ls, dst, stride)
}

// dctKernel scales (8.6.3) the coefficients of an 8x8, 16x16 or 32x32
// block with nonzero coefficients only in columns 0..mx and rows 0..my
// (not DC-only), clears them, inverse transforms them (8.6.4.2) and adds
// the residual to the block at dst with Clip1. ls is levelScale[qP%6] <<
// (qP/6); scaling is nil for flat 16. dst holds the whole block.
type dctKernel func(coeff []int16, scaling []uint8, log2, mx, my int, ls int64, dst []uint8, stride int)

// namedDCT is a dctKernel with a name, for the differential tests.
type namedDCT struct {
	name string
	run  dctKernel
}

// clip16 is Clip3(-32768, 32767, v).
func clip16(v int64) int32 {
	if v < -32768 {
		return -32768
	}
	if v > 32767 {
		return 32767
	}
	return int32(v)
}

// clip16i is clip16 for int32 values.
func clip16i(v int32) int32 {
	if v < -32768 {
		return -32768
	}
	if v > 32767 {
		return 32767
	}
	return v
}

// The 2-D inverse transforms of 8.6.4.2 run a vertical pass over the
// nonzero columns of the scaled coefficients d (stored transposed,
// d[x*n+y]) into g (row-major, clipped to 16 bits after (e + 64) >> 7),
// then a horizontal pass over every row of g, whose residual ((r + 2048)
// >> 12) is added to dst with Clip1.

// addDC adds the residual of a block whose only nonzero scaled
// coefficient is the DC d: every e is 64*d, every g the same, every r 64*g.
func addDC(dst []uint8, stride, n int, d int32) {
	g := clip16i((64*d + 64) >> 7)
	v := int((64*g + 2048) >> 12)
	if v == 0 {
		return
	}
	if n == 4 {
		for y := 0; y < 4; y++ {
			row := dst[y*stride : y*stride+4]
			for x := range row {
				row[x] = clipPel(int(row[x]) + v)
			}
		}
		return
	}
	// Eight samples at a time, adding or subtracting |v| per byte with
	// unsigned saturation (which is Clip1 of the sum).
	if v >= 255 || v <= -255 {
		// Every sample saturates.
		fill := uint8(0)
		if v > 0 {
			fill = 255
		}
		fillBlock(dst, stride, n, fill)
		return
	}
	if v > 0 {
		q := uint64(v) * 0x0101010101010101
		for y := 0; y < n; y++ {
			row := dst[y*stride : y*stride+n]
			for x := 0; x+8 <= len(row); x += 8 {
				binary.LittleEndian.PutUint64(row[x:], addSat8(binary.LittleEndian.Uint64(row[x:]), q))
			}
		}
		return
	}
	q := uint64(-v) * 0x0101010101010101
	for y := 0; y < n; y++ {
		row := dst[y*stride : y*stride+n]
		for x := 0; x+8 <= len(row); x += 8 {
			binary.LittleEndian.PutUint64(row[x:], subSat8(binary.LittleEndian.Uint64(row[x:]), q))
		}
	}
}

const (
	swarHi8 = 0x8080808080808080
	swarLo7 = 0x7F7F7F7F7F7F7F7F
)

// addSat8 adds the bytes of q to those of p with unsigned saturation.
func addSat8(p, q uint64) uint64 {
	sum := ((p & swarLo7) + (q & swarLo7)) ^ ((p ^ q) & swarHi8)
	carry := ((p & q) | ((p | q) &^ sum)) & swarHi8
	return sum | (carry>>7)*0xFF
}

// subSat8 subtracts the bytes of q from those of p with unsigned
// saturation.
func subSat8(p, q uint64) uint64 {
	diff := ((p | swarHi8) - (q & swarLo7)) ^ ((p ^ ^q) & swarHi8)
	borrow := ((^p & q) | (^(p ^ q) & diff)) & swarHi8
	return diff &^ ((borrow >> 7) * 0xFF)
}

// addRow adds the residuals (e + 2048) >> 12 of one row to dst.
func addRow(row []uint8, e []int32) {
	row = row[:len(e)]
	for x, v := range e {
		row[x] = clipPel(int(row[x]) + int((v+2048)>>12))
	}
}

// idct4 is the 4-point inverse DCT: on int32 values, or on two packed in
// an int64 (see unpack).
func idct4[T int32 | int64](x0, x1, x2, x3 T) (T, T, T, T) {
	e0, e1 := 64*(x0+x2), 64*(x0-x2)
	o0, o1 := 83*x1+36*x3, 36*x1-83*x3
	return e0 + o0, e1 + o1, e1 - o1, e0 - o0
}

// inverse4 is the 2-D inverse DCT of a 4x4 block (d transposed, columns
// beyond mx zero). It and inverseDST4 stay two functions: one with a
// transform flag measured 6 % slower on DST blocks.
func inverse4(d *[16]int32, dst []uint8, stride, mx int) {
	var g [16]int32
	for x := 0; x <= mx; x++ {
		c := (*[4]int32)(d[x*4:])
		a, b, e, f := idct4(c[0], c[1], c[2], c[3])
		g[x] = clip16i((a + 64) >> 7)
		g[4+x] = clip16i((b + 64) >> 7)
		g[8+x] = clip16i((e + 64) >> 7)
		g[12+x] = clip16i((f + 64) >> 7)
	}
	for y := 0; y < 4; y++ {
		c := (*[4]int32)(g[y*4:])
		var o [4]int32
		o[0], o[1], o[2], o[3] = idct4(c[0], c[1], c[2], c[3])
		addRow(dst[y*stride:], o[:])
	}
}

// inverseDST4 is the 4x4 DST-VII path of 8.6.4.2 (d transposed).
func inverseDST4(d *[16]int32, dst []uint8, stride int) {
	var g [16]int32
	for x := 0; x < 4; x++ {
		c := (*[4]int32)(d[x*4:])
		a, b, e, f := dst4(c[0], c[1], c[2], c[3])
		g[x] = clip16i((a + 64) >> 7)
		g[4+x] = clip16i((b + 64) >> 7)
		g[8+x] = clip16i((e + 64) >> 7)
		g[12+x] = clip16i((f + 64) >> 7)
	}
	for y := 0; y < 4; y++ {
		c := (*[4]int32)(g[y*4:])
		var o [4]int32
		o[0], o[1], o[2], o[3] = dst4(c[0], c[1], c[2], c[3])
		addRow(dst[y*stride:], o[:])
	}
}

// dst4 is the 4-point inverse DST-VII: out[i] = sum_k dstMatrix[k][i]*x_k.
func dst4(x0, x1, x2, x3 int32) (int32, int32, int32, int32) {
	return 29*x0 + 74*x1 + 84*x2 + 55*x3,
		55*x0 + 74*x1 - 29*x2 - 84*x3,
		74*x0 - 74*x2 + 74*x3,
		84*x0 - 74*x1 + 55*x2 - 29*x3
}
