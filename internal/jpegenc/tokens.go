package jpegenc

import "math/bits"

// A token is one Huffman-coded symbol with its extra bits, recorded by the
// first pass of OptimizeHuffman: table class in bits 28-29, symbol in bits
// 20-27, number of extra bits in 16-19 and the extra bits in 0-15.
type token uint32

func mkToken(class int, sym uint, nb uint, extra uint32) token {
	return token(uint32(class)<<28 | uint32(sym)<<20 | uint32(nb)<<16 | extra)
}

// tokenizeBlock is encodeBlock for the first pass
// of OptimizeHuffman: it appends tokens to toks and counts the symbols in
// freq instead of writing bits. class is hLumDC or hChromDC.
func tokenizeBlock(toks []token, freq *[nHuff][256]uint32, zz *[blockSize]int32, mask uint64, class int, prevDC int32) ([]token, int32) {
	dcClass, acClass := class&2, class&2|1
	nb, extra := magnitude(zz[0] - prevDC)
	toks = append(toks, mkToken(dcClass, nb, nb, extra))
	freq[dcClass][nb&0xff]++

	prev := 0
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		run := k - prev - 1
		for run >= 16 {
			toks = append(toks, mkToken(acClass, 0xf0, 0, 0))
			freq[acClass][0xf0]++
			run -= 16
		}
		nb, extra := magnitude(zz[k&63])
		sym := (uint(run)<<4 | nb) & 0xff
		toks = append(toks, mkToken(acClass, sym, nb, extra))
		freq[acClass][sym]++
		prev = k
	}
	if prev != blockSize-1 {
		toks = append(toks, mkToken(acClass, 0, 0, 0))
		freq[acClass][0]++
	}
	return toks, zz[0]
}

// emitTokens Huffman-codes toks with luts.
func (w *bitWriter) emitTokens(toks []token, luts *[nHuff]huffLUT) {
	const batch = 64
	ff := w.stuffMask()
	for len(toks) > 0 {
		chunk := toks[:min(len(toks), batch)]
		toks = toks[len(chunk):]
		w.reserve(batch*27/8*2 + 16)
		n := len(w.buf)
		buf := w.buf[:cap(w.buf)]
		acc, nbits := w.acc, w.nbits
		for _, t := range chunk {
			code := luts[(t>>28)&3][(t>>20)&0xff]
			nb := uint(t>>16) & 15
			acc = acc<<(uint(code>>16)+nb) | uint64((code&0xffff)<<nb|uint32(t&0xffff))
			nbits += uint(code>>16) + nb
			if nbits >= 32 {
				nbits -= 32
				n = put32(buf, n, uint32(acc>>nbits), ff)
			}
		}
		w.buf, w.acc, w.nbits = buf[:n], acc, nbits
	}
}
