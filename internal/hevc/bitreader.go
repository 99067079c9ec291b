package hevc

import "bytes"

// bitReader reads the fixed- and variable-length codes of an RBSP (7.2):
// u(n), ue(v), se(v). Errors are sticky: the first failure (reading past the
// end, an Exp-Golomb code longer than 32 bits, a value out of its range) is
// kept in err and every later read returns 0, so parsers check err once per
// syntax structure. Not safe for concurrent use.
type bitReader struct {
	data []byte
	pos  int // next bit to read, from the start of data
	err  error
}

// newBitReader returns a reader positioned at the first bit of rbsp.
func newBitReader(rbsp []byte) *bitReader { return &bitReader{data: rbsp} }

// fail records err as the reader's error unless one is already set.
func (r *bitReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// bitsLeft returns the number of unread bits.
func (r *bitReader) bitsLeft() int { return len(r.data)*8 - r.pos }

// traceSyntax, when set (by tests, never concurrently with decoding),
// receives the bit position and value of every u(n), ue(v) and se(v) read.
var traceSyntax func(pos int, v int64)

// u reads n bits (0 <= n <= 32), most significant first.
func (r *bitReader) u(n int) uint32 {
	if traceSyntax != nil {
		pos := r.pos
		v := r.bits(n)
		traceSyntax(pos, int64(v))
		return v
	}
	return r.bits(n)
}

// bits is u(n) without tracing.
func (r *bitReader) bits(n int) uint32 {
	if r.err != nil {
		return 0
	}
	if n < 0 || n > 32 {
		r.fail(corruptf("read of %d bits", n))
		return 0
	}
	if n > r.bitsLeft() {
		r.fail(corruptf("unexpected end of RBSP"))
		return 0
	}
	var v uint64
	for n > 0 {
		b := r.data[r.pos>>3]
		avail := 8 - r.pos&7
		take := min(avail, n)
		v = v<<uint(take) | uint64(b>>uint(avail-take))&(1<<uint(take)-1)
		r.pos += take
		n -= take
	}
	return uint32(v)
}

// flag reads one bit as a boolean (u(1)).
func (r *bitReader) flag() bool { return r.u(1) == 1 }

// skip advances n bits.
func (r *bitReader) skip(n int) {
	if r.err != nil {
		return
	}
	if n < 0 || n > r.bitsLeft() {
		r.fail(corruptf("unexpected end of RBSP"))
		return
	}
	r.pos += n
}

// ue reads an unsigned Exp-Golomb code (9.2). Codes with more than 31
// leading zero bits (values above 2^32-2) are corrupt.
func (r *bitReader) ue() uint32 {
	if traceSyntax != nil {
		pos := r.pos
		v := r.ueRaw()
		traceSyntax(pos, int64(v))
		return v
	}
	return r.ueRaw()
}

// ueRaw is ue(v) without tracing.
func (r *bitReader) ueRaw() uint32 {
	if r.err != nil {
		return 0
	}
	zeros := 0
	for {
		if r.pos >= len(r.data)*8 {
			r.fail(corruptf("unexpected end of RBSP in ue(v)"))
			return 0
		}
		bit := r.data[r.pos>>3] >> uint(7-r.pos&7) & 1
		r.pos++
		if bit == 1 {
			break
		}
		zeros++
		if zeros > 31 {
			r.fail(corruptf("ue(v) longer than 32 bits"))
			return 0
		}
	}
	if zeros == 0 {
		return 0
	}
	return uint32(1<<uint(zeros) - 1 + uint64(r.bits(zeros)))
}

// se reads a signed Exp-Golomb code (9.2.2).
func (r *bitReader) se() int32 {
	pos := r.pos
	k := int64(r.ueRaw())
	v := int32(-(k / 2))
	if k&1 == 1 {
		v = int32((k + 1) / 2)
	}
	if traceSyntax != nil {
		traceSyntax(pos, int64(v))
	}
	return v
}

// ueIn reads ue(v) and checks lo <= value <= hi; name is the syntax
// element, used in the error.
func (r *bitReader) ueIn(name string, lo, hi int) int {
	v := int64(r.ue())
	if r.err == nil && (v < int64(lo) || v > int64(hi)) {
		r.fail(corruptf("%s = %d out of range [%d, %d]", name, v, lo, hi))
		return lo
	}
	if r.err != nil {
		return lo
	}
	return int(v)
}

// seIn reads se(v) and checks lo <= value <= hi.
func (r *bitReader) seIn(name string, lo, hi int) int {
	v := int(r.se())
	if r.err == nil && (v < lo || v > hi) {
		r.fail(corruptf("%s = %d out of range [%d, %d]", name, v, lo, hi))
		return 0
	}
	if r.err != nil {
		return 0
	}
	return v
}

// byteAligned reports whether the next bit starts a byte.
func (r *bitReader) byteAligned() bool { return r.pos&7 == 0 }

// moreRBSPData implements more_rbsp_data() (7.2): whether any bit other
// than the rbsp_stop_one_bit and its trailing zeros remains.
func (r *bitReader) moreRBSPData() bool {
	if r.err != nil {
		return false
	}
	last := len(r.data) - 1
	for last >= 0 && r.data[last] == 0 {
		last--
	}
	if last < 0 {
		return false
	}
	// Bit position of the stop bit: the lowest set bit of data[last].
	b := r.data[last]
	tz := 0
	for b&1 == 0 {
		b >>= 1
		tz++
	}
	stop := last*8 + 7 - tz
	return r.pos < stop
}

// byteAlignment reads byte_alignment() (7.3.2.12): a one bit, then zero
// bits up to the next byte boundary.
func (r *bitReader) byteAlignment() {
	if !r.flag() && r.err == nil {
		r.fail(corruptf("byte_alignment: alignment_bit_equal_to_one is 0"))
		return
	}
	for !r.byteAligned() && r.err == nil {
		if r.flag() {
			r.fail(corruptf("byte_alignment: nonzero alignment bit"))
		}
	}
}

// unescape removes the emulation prevention bytes (0x03 after two zero
// bytes, 7.4.2) from a NAL unit payload, returning the RBSP and the
// positions in src of the bytes removed (ascending). When src holds no
// emulation prevention byte, it is returned as is (no copy).
func unescape(src []byte) (rbsp []byte, removed []int) {
	i := bytes.Index(src, []byte{0, 0, 3})
	if i < 0 {
		return src, nil
	}
	dst := make([]byte, 0, len(src))
	start := 0
	for i >= 0 {
		p := start + i + 2 // position of the 0x03
		dst = append(dst, src[start:p]...)
		removed = append(removed, p)
		start = p + 1
		i = bytes.Index(src[start:], []byte{0, 0, 3})
		// The two zeros before a 0x03 must be two zeros of the RBSP; a
		// 0x03 directly after a removed one cannot start a new pattern
		// with bytes before it, since the removed byte was not zero.
	}
	dst = append(dst, src[start:]...)
	return dst, removed
}

// rbspOffset converts a byte position in the escaped payload into the
// position of the same byte in the RBSP, given the removed positions from
// unescape.
func rbspOffset(escaped int, removed []int) int {
	n := 0
	for _, p := range removed {
		if p >= escaped {
			break
		}
		n++
	}
	return escaped - n
}

// escapedOffset converts an RBSP byte position into the position of that
// byte in the escaped payload.
func escapedOffset(rbspPos int, removed []int) int {
	e := rbspPos
	for _, p := range removed {
		if p > e {
			break
		}
		e++
	}
	return e
}
