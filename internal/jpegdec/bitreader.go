package jpegdec

import (
	"bytes"
	"encoding/binary"
)

// bitReader reads the entropy-coded segment of a scan MSB first, removing
// the 0xFF00 byte stuffing. bits holds n valid bits left-aligned; bits below
// them are either zero or the correct following data, which lets the fast
// refill OR in eight bytes at once (the "variant 4" refill described by
// F. Giesen, "Reading bits in far too many ways").
//
// At a marker or at the end of data the reader supplies zero bytes and
// counts them in virt; truncated reports whether any of them were consumed.
type bitReader struct {
	data   []byte
	pos    int
	bits   uint64
	n      uint
	virt   uint
	marker bool
}

func (r *bitReader) reset(data []byte, pos int) {
	*r = bitReader{data: data, pos: pos}
}

// hasFF reports whether any byte of x is 0xFF.
func hasFF(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	return (^x-lo)&x&hi != 0
}

// fill is the slow refill: it handles stuffing, markers and the end of the
// data one byte at a time and leaves more than 56 bits in the buffer.
func (r *bitReader) fill() {
	for r.n <= 56 {
		if r.marker || r.pos >= len(r.data) {
			r.marker = true
			r.virt++
			r.n += 8
			continue
		}
		c := r.data[r.pos]
		if c == 0xFF {
			if r.pos+1 < len(r.data) && r.data[r.pos+1] == 0 {
				r.pos += 2
			} else {
				r.marker = true
				continue
			}
		} else {
			r.pos++
		}
		r.bits |= uint64(c) << (56 - r.n)
		r.n += 8
	}
}

// truncated reports whether decoding consumed bits past the end of the
// segment's data.
func (r *bitReader) truncated() bool {
	return r.n < 8*r.virt
}

// restart skips to the next marker, which must be want (an RST marker), and
// resets the reader just past it. Bytes between the last decoded bit and
// the marker (padding, or garbage in a corrupt file) are skipped, as
// libjpeg does.
func (r *bitReader) restart(want byte) error {
	if r.truncated() {
		return corrupt("entropy-coded data truncated before RST marker")
	}
	p := r.pos
	for {
		i := bytes.IndexByte(r.data[p:], 0xFF)
		if i < 0 || p+i+1 >= len(r.data) {
			return corrupt("missing RST marker")
		}
		p += i
		switch c := r.data[p+1]; c {
		case 0:
			p += 2
		case 0xFF:
			p++
		case want:
			r.reset(r.data, p+2)
			return nil
		default:
			return corrupt("expected RST%d marker, found 0x%02X", want-mRST0, c)
		}
	}
}

// decodeBlock decodes one block's Huffman-coded coefficients into blk in
// natural order. blk must be all zero on entry. pred is the component's DC
// predictor. It returns the zig-zag index of the last coefficient written,
// so that the caller can skip work for sparse blocks and re-zero blk.
func (r *bitReader) decodeBlock(blk *[64]int16, pred *int32, dc, ac *huffTable) (int, error) {
	bits, n, pos, data := r.bits, r.n, r.pos, r.data

	// DC coefficient.
	if n < 32 {
		if pos+8 <= len(data) && !hasFF(binary.BigEndian.Uint64(data[pos:])) {
			bits |= binary.BigEndian.Uint64(data[pos:]) >> n
			pos += int((63 - n) >> 3)
			n |= 56
		} else {
			r.bits, r.n, r.pos = bits, n, pos
			r.fill()
			bits, n, pos = r.bits, r.n, r.pos
		}
	}
	var diff int32
	if e := dc.fast[bits>>(64-lutBits)]; e != 0 {
		l := uint(e & 31)
		bits <<= l
		n -= l
		diff = e >> 16
	} else {
		sym, l, ok := dc.slowSym(bits)
		if !ok {
			return 0, corrupt("bad Huffman code")
		}
		if sym > 15 {
			return 0, corrupt("DC difference category %d", sym)
		}
		bits <<= l
		n -= l
		if s := uint(sym); s > 0 {
			diff = extend(int32(bits>>(64-s)), int(s))
			bits <<= s
			n -= s
		}
	}
	v := *pred + diff
	if v < -32768 || v > 32767 {
		return 0, corrupt("DC coefficient %d out of range", v)
	}
	*pred = v
	blk[0] = int16(v)

	// AC coefficients.
	last := 0
	for k := 1; k < 64; {
		if n < 32 {
			if pos+8 <= len(data) && !hasFF(binary.BigEndian.Uint64(data[pos:])) {
				bits |= binary.BigEndian.Uint64(data[pos:]) >> n
				pos += int((63 - n) >> 3)
				n |= 56
			} else {
				r.bits, r.n, r.pos = bits, n, pos
				r.fill()
				bits, n, pos = r.bits, r.n, r.pos
			}
		}
		if e := ac.fast[bits>>(64-lutBits)]; e != 0 {
			l := uint(e & 31)
			bits <<= l
			n -= l
			if e&fastEOB != 0 {
				break
			}
			k += int(e>>8) & 0xFF
			if k > 63 {
				return 0, corrupt("AC coefficient index %d out of range", k)
			}
			blk[unzig[k&63]&63] = int16(e >> 16)
			last = k
			k++
			continue
		}
		sym, l, ok := ac.slowSym(bits)
		if !ok {
			return 0, corrupt("bad Huffman code")
		}
		bits <<= l
		n -= l
		run, size := int(sym>>4), uint(sym&15)
		if size == 0 {
			if run == 15 {
				k += 16
				if k > 64 {
					return 0, corrupt("AC zero run past end of block")
				}
				continue
			}
			if run != 0 {
				return 0, corrupt("AC symbol 0x%02X", sym)
			}
			break
		}
		k += run
		if k > 63 {
			return 0, corrupt("AC coefficient index %d out of range", k)
		}
		blk[unzig[k&63]&63] = int16(extend(int32(bits>>(64-size)), int(size)))
		bits <<= size
		n -= size
		last = k
		k++
	}
	r.bits, r.n, r.pos = bits, n, pos
	return last, nil
}

// slowSym decodes the Huffman code at the top of bits without the
// value-bits shortcut: table lookup for short codes, canonical decoding for
// codes longer than lutBits.
func (t *huffTable) slowSym(bits uint64) (sym uint8, l uint, ok bool) {
	if s := t.lut[bits>>(64-lutBits)]; s != 0 {
		return uint8(s >> 8), uint(s & 0xFF), true
	}
	p := int32(bits >> 48)
	for l := lutBits + 1; l <= 16; l++ {
		code := p >> (16 - l)
		if code <= t.maxCode[l] {
			return t.vals[(code+t.valOff[l])&0xFF], uint(l), true
		}
	}
	return 0, 0, false
}
