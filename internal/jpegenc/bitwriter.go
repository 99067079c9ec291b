package jpegenc

import (
	"encoding/binary"
	"slices"
)

// bitWriter appends entropy-coded data to buf. Bits collect in acc (the
// newest in the low bits; bits above the nbits newest are garbage) and
// leave 32 at a time. Normally a 0x00 is stuffed after every 0xFF byte, as
// an entropy-coded segment needs; a raw writer (raw set) writes the bits
// unstuffed, for a stripe that joinStripes later splices into the output
// at an arbitrary bit offset. Invariant between calls: nbits < 32.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
	raw   bool
}

// stuffMask is the mask put32 applies to its 0xFF test: 0x80808080 when
// w stuffs, 0 when it is raw (so the fast path is always taken).
func (w *bitWriter) stuffMask() uint32 {
	if w.raw {
		return 0
	}
	return 0x80808080
}

// finish pads the last partial byte with 1 bits (T.81 F.1.2.3) and flushes
// whole bytes with stuffing, leaving the writer empty.
func (w *bitWriter) finish() {
	if pad := (8 - w.nbits%8) % 8; pad != 0 {
		w.acc = w.acc<<pad | (1<<pad - 1)
		w.nbits += pad
	}
	for w.nbits >= 8 {
		w.nbits -= 8
		b := byte(w.acc >> w.nbits)
		w.buf = append(w.buf, b)
		if b == 0xff {
			w.buf = append(w.buf, 0)
		}
	}
	w.acc, w.nbits = 0, 0
}

// finishRaw flushes the whole bytes of a raw writer without stuffing and
// returns the stream's last nbits (< 8) bits in the low bits of tail,
// leaving the writer empty. The stream is 8*len(w.buf)+nbits bits long.
func (w *bitWriter) finishRaw() (tail uint64, nbits uint) {
	for w.nbits >= 8 {
		w.nbits -= 8
		w.buf = append(w.buf, byte(w.acc>>w.nbits))
	}
	tail, nbits = w.acc&(1<<w.nbits-1), w.nbits
	w.acc, w.nbits = 0, 0
	return tail, nbits
}

// putBits appends the n (≤ 32) low bits of v, stuffing unless raw.
func (w *bitWriter) putBits(v uint64, n uint) {
	w.acc = w.acc<<n | v&(1<<n-1)
	w.nbits += n
	if w.nbits >= 32 {
		w.reserve(8)
		w.nbits -= 32
		k := put32(w.buf[:cap(w.buf)], len(w.buf), uint32(w.acc>>w.nbits), w.stuffMask())
		w.buf = w.buf[:k]
	}
}

// maxBlockBytes bounds the bytes one block can add: at most 64 symbols
// and 3 ZRLs of at most 16+11 bits plus 31 pending bits is under 230
// bytes, doubled for byte stuffing.
const maxBlockBytes = 512

// put32 stores v big-endian at buf[n:] and returns the new length,
// stuffing a 0x00 after each 0xFF byte; mask is 0x80808080 to stuff or 0
// to store v as is. buf must have room for 8 bytes.
func put32(buf []byte, n int, v, mask uint32) int {
	// A byte of v is 0xFF iff that byte of ^v is zero (the haszero trick;
	// it can flag a byte next to a real hit, never miss one).
	if (^v-0x01010101)&v&mask == 0 {
		binary.BigEndian.PutUint32(buf[n:], v)
		return n + 4
	}
	return put32Slow(buf, n, v)
}

// put32Slow is put32's path for a v with an 0xFF byte. It is branch-free:
// every byte is stored followed by a 0x00, which the next byte overwrites
// unless the byte was 0xFF.
//
//go:noinline
func put32Slow(buf []byte, n int, v uint32) int {
	_ = buf[n+7]
	for s := 24; s >= 0; s -= 8 {
		b := byte(v >> uint(s))
		buf[n], buf[n+1] = b, 0
		n += 1 + int((uint(b)+1)>>8)
	}
	return n
}

// put64Slow stores v big-endian at buf[n:], stuffing a 0x00 after each
// 0xFF byte, and returns the new length; buf must have room for 16 bytes.
// Branch-free like put32Slow: 0xFF bytes are common in a long run of
// coded data, and their positions are unpredictable.
func put64Slow(buf []byte, n int, v uint64) int {
	_ = buf[n+15]
	for s := 56; s >= 0; s -= 8 {
		b := byte(v >> uint(s))
		buf[n], buf[n+1] = b, 0
		n += 1 + int((uint(b)+1)>>8)
	}
	return n
}

// reserve makes room for n more bytes in w.buf.
func (w *bitWriter) reserve(n int) {
	if cap(w.buf)-len(w.buf) < n {
		w.buf = slices.Grow(w.buf, max(n, cap(w.buf)))
	}
}
