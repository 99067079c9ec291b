package jpegdec

import "math"

// Reduced-size inverse DCTs for Scale 2, 4 and 8.
//
// Each output pixel is the exact box average of the 2×2, 4×4 or 8×8 pixels
// that the full 8×8 IDCT would produce (before clamping). Box-averaging g
// neighbouring outputs of the 1-D 8-point IDCT is itself a linear map from
// the 8 coefficients to 8/g outputs, so the reduced transform is the matrix
// boxIDCT(n)[i][u] = mean over x in group i of (C(u)/2)·cos((2x+1)uπ/16),
// applied to columns then rows. For n = 4 the matrix has the 4-point IDCT
// structure (column 4 is zero, rows are even/odd symmetric), for n = 2 only
// the DC and the odd coefficients contribute, for n = 1 it is DC/8.

const (
	scBits   = 12 // fraction bits of the fixed-point constants
	passBits = 2  // fraction bits kept between the two passes
)

// boxIDCT returns the n×8 box-averaged IDCT matrix (n = 1, 2, 4 or 8).
func boxIDCT(n int) [][8]float64 {
	g := 8 / n
	m := make([][8]float64, n)
	for i := 0; i < n; i++ {
		for u := 0; u < 8; u++ {
			cu := 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			s := 0.0
			for x := g * i; x < g*(i+1); x++ {
				s += cu / 2 * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16)
			}
			m[i][u] = s / float64(g)
		}
	}
	return m
}

func fix(x float64) int32 { return int32(math.Round(x * (1 << scBits))) }

// Fixed-point entries of boxIDCT(4) and boxIDCT(2) used by the butterflies.
// (Initialized as package variables, not in init, so that tables built from
// them in other files are ordered after them.)
var (
	m4, m2 = boxIDCT(4), boxIDCT(2)

	// even part, output row 0 (row 1 negates e2/e6)
	k4e0, k4e2, k4e6 = fix(m4[0][0]), fix(m4[0][2]), fix(m4[0][6])
	// odd part, output 0 (output 3 negates)
	k4a1, k4a3, k4a5, k4a7 = fix(m4[0][1]), fix(m4[0][3]), fix(m4[0][5]), fix(m4[0][7])
	// odd part, output 1 (output 2 negates)
	k4b1, k4b3, k4b5, k4b7 = fix(m4[1][1]), fix(m4[1][3]), fix(m4[1][5]), fix(m4[1][7])
	// 2-point: even and odd parts of output 0
	k2e0                   = fix(m2[0][0])
	k2o1, k2o3, k2o5, k2o7 = fix(m2[0][1]), fix(m2[0][3]), fix(m2[0][5]), fix(m2[0][7])
)

// dequantize writes the dequantized coefficients of coef (non-zero only in
// its first rows rows) to tmp, zeroing the rest of tmp, and re-zeroes coef.
func dequantize(tmp *block, coef *[64]int16, q *[64]int32, rows int) {
	n := rows * 8
	for i := 0; i < n; i++ {
		tmp[i] = int32(coef[i]) * q[i]
	}
	clear(tmp[n:])
	clear(coef[:n])
}

// idct4StoreGo is the portable Scale 2 blockKernel (4×4 output).
func idct4StoreGo(coef *[64]int16, q *[64]int32, rows int, dst []byte, stride int, tmp *block) {
	dequantize(tmp, coef, q, rows)
	idct4(tmp, dst, stride)
}

// idct2StoreGo is the portable Scale 4 blockKernel (2×2 output).
func idct2StoreGo(coef *[64]int16, q *[64]int32, rows int, dst []byte, stride int, tmp *block) {
	dequantize(tmp, coef, q, rows)
	idct2(tmp, dst, stride)
}

// clampPix converts a level-shifted value to a pixel.
func clampPix(v int32) uint8 {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}

// idct4 writes the 4×4 box-averaged reconstruction of the dequantized
// coefficients b (natural order) to dst.
func idct4(b *block, dst []byte, stride int) {
	var t [4 * 8]int32
	const rnd1 = 1 << (scBits - passBits - 1)
	for u := 0; u < 8; u++ {
		if u == 4 {
			continue
		}
		f0, f1, f2, f3 := b[u], b[8+u], b[16+u], b[24+u]
		f5, f6, f7 := b[40+u], b[48+u], b[56+u]
		if f1|f2|f3|f5|f6|f7 == 0 {
			v := (k4e0*f0 + rnd1) >> (scBits - passBits)
			t[u], t[8+u], t[16+u], t[24+u] = v, v, v, v
			continue
		}
		e0 := k4e0*f0 + rnd1
		e := k4e2*f2 + k4e6*f6
		o0 := k4a1*f1 + k4a3*f3 + k4a5*f5 + k4a7*f7
		o1 := k4b1*f1 + k4b3*f3 + k4b5*f5 + k4b7*f7
		t[u] = (e0 + e + o0) >> (scBits - passBits)
		t[24+u] = (e0 + e - o0) >> (scBits - passBits)
		t[8+u] = (e0 - e + o1) >> (scBits - passBits)
		t[16+u] = (e0 - e - o1) >> (scBits - passBits)
	}
	const sh = scBits + passBits
	const rnd2 = 1<<(sh-1) + 128<<sh
	for i := 0; i < 4; i++ {
		r := t[8*i : 8*i+8 : 8*i+8]
		d := dst[i*stride : i*stride+4 : i*stride+4]
		e0 := k4e0*r[0] + rnd2
		e := k4e2*r[2] + k4e6*r[6]
		o0 := k4a1*r[1] + k4a3*r[3] + k4a5*r[5] + k4a7*r[7]
		o1 := k4b1*r[1] + k4b3*r[3] + k4b5*r[5] + k4b7*r[7]
		d[0] = clampPix((e0 + e + o0) >> sh)
		d[3] = clampPix((e0 + e - o0) >> sh)
		d[1] = clampPix((e0 - e + o1) >> sh)
		d[2] = clampPix((e0 - e - o1) >> sh)
	}
}

// idct2 writes the 2×2 box-averaged reconstruction of b to dst.
func idct2(b *block, dst []byte, stride int) {
	var t [2 * 8]int32
	const rnd1 = 1 << (scBits - passBits - 1)
	for u := 0; u < 8; u++ {
		e := k2e0*b[u] + rnd1
		o := k2o1*b[8+u] + k2o3*b[24+u] + k2o5*b[40+u] + k2o7*b[56+u]
		t[u] = (e + o) >> (scBits - passBits)
		t[8+u] = (e - o) >> (scBits - passBits)
	}
	const sh = scBits + passBits
	const rnd2 = 1<<(sh-1) + 128<<sh
	for i := 0; i < 2; i++ {
		r := t[8*i : 8*i+8 : 8*i+8]
		e := k2e0*r[0] + rnd2
		o := k2o1*r[1] + k2o3*r[3] + k2o5*r[5] + k2o7*r[7]
		dst[i*stride] = clampPix((e + o) >> sh)
		dst[i*stride+1] = clampPix((e - o) >> sh)
	}
}

// dcPixel returns the level-shifted, clamped mean of a block whose
// dequantized DC coefficient is dc (the exact box average of the block).
func dcPixel(dc int32) uint8 {
	return clampPix((dc+4)>>3 + 128)
}

// idct8DC returns the pixel image/jpeg's idct produces for every position
// of a block whose only non-zero coefficient is the dequantized DC: it
// performs the same int32 operations idctRows and idctCols perform on such
// a block, so the result is identical even when they overflow.
func idct8DC(dc int32) uint8 {
	v := (dc<<17 + 1<<19) >> 20
	if v < -128 {
		return 0
	} else if v > 127 {
		return 255
	}
	return uint8(v + 128)
}
