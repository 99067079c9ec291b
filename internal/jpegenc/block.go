package jpegenc

import "math/bits"

// quantize quantises the DCT output b with z into zz (zig-zag order),
// rounding half away from zero exactly like image/jpeg's div, and returns
// the bitmask of non-zero coefficients (bit k set when zz[k] != 0).
func quantize(zz *[blockSize]int32, b *block, z *quantizer) uint64 {
	var mask uint64
	for k := blockSize - 1; k >= 0; k-- {
		q := quant1(b[unzig[k]&63], z.half[k], z.recip[k])
		zz[k] = q
		mask = mask<<1 | uint64(uint32(q|-q)>>31)
	}
	return mask
}

// quant1 returns v/(2*half) rounded half away from zero, computed as
// (|v|+half)*recip>>32 with the sign restored.
func quant1(v int32, half, recip uint32) int32 {
	s := v >> 31
	q := int32((uint64(uint32((v^s)-s)+half) * uint64(recip)) >> 32)
	return (q ^ s) - s
}

// magnitude returns the JPEG size category of v and its extra bits
// (v for v > 0, the low bits of v-1 for v < 0).
func magnitude(v int32) (nb uint, extra uint32) {
	s := v >> 31
	nb = uint(bits.Len32(uint32((v ^ s) - s)))
	return nb, uint32(v+s) & (1<<nb - 1)
}

// encodeBlock Huffman-codes the quantised block zz (zig-zag order, mask
// its non-zero coefficients) and returns its DC for the next prediction.
// The bit writer state lives in locals and emits are written out by hand:
// this is the innermost loop of the encoder.
func (w *bitWriter) encodeBlock(zz *[blockSize]int32, mask uint64, dc, ac *huffLUT, prevDC int32) int32 {
	w.reserve(maxBlockBytes)
	n := len(w.buf)
	buf := w.buf[:cap(w.buf)]
	acc, nbits := w.acc, w.nbits
	ff := w.stuffMask()

	nb, extra := magnitude(zz[0] - prevDC)
	code := dc[nb&15]
	acc = acc<<(uint(code>>16)+nb) | uint64((code&0xffff)<<nb|extra)
	nbits += uint(code>>16) + nb
	if nbits >= 32 {
		nbits -= 32
		n = put32(buf, n, uint32(acc>>nbits), ff)
	}

	prev := 0
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		run := k - prev - 1
		prev = k
		for run >= 16 {
			zrl := ac[0xf0]
			acc = acc<<(zrl>>16) | uint64(zrl&0xffff)
			nbits += uint(zrl >> 16)
			if nbits >= 32 {
				nbits -= 32
				n = put32(buf, n, uint32(acc>>nbits), ff)
			}
			run -= 16
		}
		nb, extra := magnitude(zz[k&63])
		code := ac[(uint(run)<<4|nb)&0xff]
		acc = acc<<(uint(code>>16)+nb) | uint64((code&0xffff)<<nb|extra)
		nbits += uint(code>>16) + nb
		if nbits >= 32 {
			nbits -= 32
			n = put32(buf, n, uint32(acc>>nbits), ff)
		}
	}
	if prev != blockSize-1 {
		eob := ac[0x00]
		acc = acc<<(eob>>16) | uint64(eob&0xffff)
		nbits += uint(eob >> 16)
		if nbits >= 32 {
			nbits -= 32
			n = put32(buf, n, uint32(acc>>nbits), ff)
		}
	}
	w.buf, w.acc, w.nbits = buf[:n], acc, nbits
	return zz[0]
}
