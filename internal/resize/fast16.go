package resize

import "unsafe"

// The int16 variant of the planar passes, taken by kindPlane tasks when
// use16 is set (on amd64 with AVX2) and the task's weights allow it
// (fits16). Pass 1 writes the same values as vertical1, stored as int16;
// pass 2 reads them and writes the same bytes as horizontal2 and
// horizontal2T. Half-width values let the AVX2 kernels multiply-add 16
// of them per instruction (VPMADDWD), against 8 for int32 values.
//
// Every sum is the same int32 sum as the Go int32 path's, in another
// order: int32 addition wraps, so the order does not change the result,
// and the int16 products are exact because fits16 keeps every weight and
// every pass-1 value within ±max16.

// max16 bounds the weights and pass-1 values of the int16 path. It is
// one below MaxInt16 so that no VPMADDWD pair sum (two products of at
// most max16² each) can overflow int32.
const max16 = 1<<15 - 1

// axis16 holds one axis's weights rearranged for the int16 kernels: as
// int16 pairs for pass 1, or in the group layout for pass 2.
//
// Pass 1 (buildPass1): output v's weights are wp[v*np : (v+1)*np], each
// entry two consecutive taps (k, k+1) as int16 (tap k in the low half);
// an odd last tap is paired with 0.
//
// Pass 2 (buildPass2): taps are padded with zero weights to tp, a multiple
// of 8. Outputs are taken in groups of 8 (the last group padded with zero
// weights); group g occupies w[g*8*tp : (g+1)*8*tp], first its tp/16
// chunks of 16 taps, each chunk the 16 weights of output 0, then those of
// output 1, … 7, then, when tp%16 == 8, the last 8 taps of outputs 0..7.
// This lets a kernel computing 8 outputs at once read its weights as one
// stream.
//
// Pass 2 of 4-channel rows (buildPass2RGB, fast16rgb.go): output v's taps
// padded with zero weights to tq, a multiple of 4, at wq[v*tq:], followed
// by 12 zeros that a kernel may read past the last output.
type axis16 struct {
	wp       []uint32
	np       int
	w        []int16
	tp       int
	wq       []int16
	tq       int
	maxStart int // largest start of the axis
}

// fits16 reports whether a task whose pass 1 uses axis p1 and pass 2
// axis p2 can take the int16 path: every weight within ±max16 and every
// pass-1 value of 8-bit input (bias + Σ w·[0, 255], shifted) too.
func fits16(p1, p2 *axis) bool {
	for _, w := range p2.w {
		if w < -max16 || w > max16 {
			return false
		}
	}
	taps := p1.taps
	for v := range p1.start {
		var pos, neg int64
		for _, w := range p1.w[v*taps : (v+1)*taps] {
			if w < -max16 || w > max16 {
				return false
			}
			if w > 0 {
				pos += int64(w)
			} else {
				neg += int64(w)
			}
		}
		const bias = 1 << (midShift - 1)
		if (bias+255*pos)>>midShift > max16 || (bias+255*neg)>>midShift < -max16 {
			return false
		}
	}
	return true
}

// buildPass1 fills l.wp and l.np from a (a must satisfy fits16).
func (l *axis16) buildPass1(a *axis) {
	taps := a.taps
	l.np = (taps + 1) / 2
	n := len(a.start) * l.np
	if cap(l.wp) < n {
		l.wp = make([]uint32, n)
	}
	l.wp = l.wp[:n]
	for v := range a.start {
		packPairs(l.wp[v*l.np:(v+1)*l.np], a.w[v*taps:(v+1)*taps])
	}
}

// packPairs writes ws as int16 pairs into wp (len (len(ws)+1)/2); the
// weights must lie within ±max16.
func packPairs(wp []uint32, ws []int32) {
	for j := range wp {
		lo := uint32(uint16(int16(ws[2*j])))
		hi := uint32(0)
		if 2*j+1 < len(ws) {
			hi = uint32(uint16(int16(ws[2*j+1])))
		}
		wp[j] = lo | hi<<16
	}
}

// buildPass2 fills l.w, l.tp and l.maxStart from a (a must satisfy
// fits16).
func (l *axis16) buildPass2(a *axis) {
	taps := a.taps
	tp := (taps + 7) &^ 7
	nc := tp / 16
	groups := (len(a.start) + 7) / 8
	n := groups * 8 * tp
	if cap(l.w) < n {
		l.w = make([]int16, n)
	}
	l.w = l.w[:n]
	clear(l.w)
	l.tp = tp
	l.maxStart = 0
	for v, s := range a.start {
		l.maxStart = max(l.maxStart, int(s))
		g := l.w[(v/8)*8*tp : (v/8+1)*8*tp]
		i := v % 8
		for k, w := range a.w[v*taps : (v+1)*taps] {
			c := k / 16
			if c < nc {
				g[(c*8+i)*16+k%16] = int16(w)
			} else {
				g[nc*128+i*8+k-nc*16] = int16(w)
			}
		}
	}
}

// as16 returns buf's memory as int16s (twice as many).
func as16(buf []int32) []int16 {
	if len(buf) == 0 {
		return nil
	}
	return unsafe.Slice((*int16)(unsafe.Pointer(&buf[0])), 2*len(buf))
}

// unit16 is task.unit for a kindPlane task on the int16 path. buf holds
// at least t.scratch() int32s, i.e. room for the int16 rows plus the 8
// values that pass 2 may read past the last one (with zero weight).
func (t *task) unit16(u int, buf []int32) {
	dst, src := t.dst, t.src
	b := as16(buf)
	if !t.swap {
		acc := b[:src.w+8]
		taps := t.ya.taps
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y++ {
			np := t.v16.np
			vertical16(acc[:src.w], src.pix, src.stride, int(t.ya.start[y]), t.ya.w[y*taps:(y+1)*taps], t.v16.wp[y*np:(y+1)*np])
			horizontal16(dst.pix[y*dst.stride:][:dst.w], acc, t.xa, t.h16)
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	taps, np := t.xa.taps, t.v16.np
	for x := x0; x < x1; x++ {
		j := x - x0
		vertical16(b[j*src.w:(j+1)*src.w], src.pix, src.stride, int(t.xa.start[x]), t.xa.w[x*taps:(x+1)*taps], t.v16.wp[x*np:(x+1)*np])
	}
	horizontal16T(dst.pix[x0:], dst.stride, x1-x0, b[:(x1-x0)*src.w+8], src.w, t.ya, t.h16)
}

// vertical16Go is vertical1 into int16 values (which must fit).
func vertical16Go(dst []int16, src []uint8, stride, start int, ws []int32) {
	const bias = 1 << (midShift - 1)
	for x := range dst {
		s := int32(bias)
		for k, w := range ws {
			s += w * int32(src[(start+k)*stride+x])
		}
		dst[x] = int16(s >> midShift)
	}
}

// horizontal16Go is horizontal2 over int16 values for outputs from.. of
// dst.
func horizontal16Go(dst []uint8, src []int16, a *axis, from int) {
	taps := a.taps
	for x := from; x < len(dst); x++ {
		s := int(a.start[x])
		dst[x] = clamp8(dot16(a.w[x*taps:(x+1)*taps], src[s:s+taps]) >> finalShift)
	}
}

// horizontal16TGo is horizontal2T over int16 values for the band's
// columns j0..nb-1.
func horizontal16TGo(dst []uint8, dstride, j0, nb int, tmp []int16, tstride int, a *axis) {
	taps := a.taps
	for y, st := range a.start {
		s := int(st)
		ws := a.w[y*taps : y*taps+taps]
		out := dst[y*dstride : y*dstride+nb]
		for j := j0; j < nb; j++ {
			o := j*tstride + s
			out[j] = clamp8(dot16(ws, tmp[o:o+taps]) >> finalShift)
		}
	}
}

// dot16 returns bias + Σ ws[k]·r[k] (len(r) ≥ len(ws)) with pass 2's bias.
func dot16(ws []int32, r []int16) int32 {
	r = r[:len(ws)]
	sum := int32(1 << (finalShift - 1))
	for k, w := range ws {
		sum += w * int32(r[k])
	}
	return sum
}
