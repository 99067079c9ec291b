package jpegenc

import (
	"encoding/binary"
	"slices"
)

// bitWriter appends an entropy-coded segment to buf. Bits collect in acc
// (the newest in the low bits) and leave 32 at a time, with a 0x00 stuffed
// after every 0xFF byte. Invariant between calls: nbits < 32.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

// finish pads the last partial byte with 1 bits (T.81 F.1.2.3) and flushes
// whole bytes, leaving the writer empty.
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

// maxBlockBytes bounds the bytes one block can add: at most 64 symbols
// and 3 ZRLs of at most 16+11 bits plus 31 pending bits is under 230
// bytes, doubled for byte stuffing.
const maxBlockBytes = 512

// put32 stores v big-endian at buf[n:] and returns the new length,
// stuffing a 0x00 after each 0xFF byte. buf must have room for 8 bytes.
func put32(buf []byte, n int, v uint32) int {
	if (^v-0x01010101)&v&0x80808080 == 0 {
		binary.BigEndian.PutUint32(buf[n:], v)
		return n + 4
	}
	return put32Slow(buf, n, v)
}

//go:noinline
func put32Slow(buf []byte, n int, v uint32) int {
	for s := 24; s >= 0; s -= 8 {
		b := byte(v >> uint(s))
		buf[n] = b
		n++
		if b == 0xff {
			buf[n] = 0
			n++
		}
	}
	return n
}

// reserve makes room for n more bytes in w.buf.
func (w *bitWriter) reserve(n int) {
	if cap(w.buf)-len(w.buf) < n {
		w.buf = slices.Grow(w.buf, max(n, cap(w.buf)))
	}
}
