package jpegenc

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// refSegment is the oracle for joinStripes: it writes bits (one bool per
// bit) one at a time, stuffing 0x00 after each 0xFF byte and padding the
// last byte with 1 bits.
func refSegment(bits []bool) []byte {
	var out []byte
	for len(bits)%8 != 0 {
		bits = append(bits, true)
	}
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for _, bit := range bits[i : i+8] {
			b <<= 1
			if bit {
				b |= 1
			}
		}
		out = append(out, b)
		if b == 0xff {
			out = append(out, 0)
		}
	}
	return out
}

// splitBits cuts bits at the given lengths into raw stripes the way a raw
// bitWriter leaves them, writing through putBits in random-sized pieces so
// that finishRaw is exercised too.
func splitBits(bits []bool, lens []int, r *rand.Rand) []stripeBits {
	var ss []stripeBits
	for _, n := range lens {
		w := bitWriter{raw: true}
		part := bits[:n]
		bits = bits[n:]
		for len(part) > 0 {
			k := min(len(part), 1+r.IntN(32))
			var v uint64
			for _, bit := range part[:k] {
				v <<= 1
				if bit {
					v |= 1
				}
			}
			// Garbage above the k bits must be ignored.
			w.putBits(v|r.Uint64()<<k, uint(k))
			part = part[k:]
		}
		var sb stripeBits
		sb.tail, sb.nbits = w.finishRaw()
		sb.buf = w.buf
		ss = append(ss, sb)
	}
	return ss
}

// TestJoinStripes checks the bit-level splice (joinStripes, and the
// splicer with stripes completing out of order) against refSegment on
// random streams cut into random stripes: dense 0xFF runs (the stuffing
// slow paths), random bits, empty and sub-byte stripes, stripes longer
// than a splice chunk, and a non-empty dst.
func TestJoinStripes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	kinds := []struct {
		name string
		p1   float64 // probability of a 1 bit
	}{{"random", 0.5}, {"mostly ones", 0.97}, {"all ones", 1}, {"sparse", 0.05}}
	for _, k := range kinds {
		for _, total := range []int{0, 1, 7, 8, 9, 63, 64, 65, 1000, 3 * 8 * joinChunk} {
			t.Run(fmt.Sprintf("%s/%dbits", k.name, total), func(t *testing.T) {
				for trial := range 20 {
					bits := make([]bool, total)
					for i := range bits {
						bits[i] = r.Float64() < k.p1
					}
					var lens []int
					for rest := total; rest > 0 || len(lens) == 0; {
						n := min(rest, r.IntN(2+total/3))
						if trial%4 == 0 {
							n = min(rest, r.IntN(12)) // sub-byte and tiny stripes
						}
						lens = append(lens, n)
						rest -= n
						if len(lens) > 64 {
							lens = append(lens, rest)
							rest = 0
						}
					}
					ss := splitBits(bits, lens, r)
					want := append([]byte("hdr"), refSegment(bits)...)
					got := joinStripes([]byte("hdr"), ss)
					if !bytes.Equal(got, want) {
						t.Fatalf("trial %d, stripe lengths %v: joined %d bytes, want %d, first difference at %d",
							trial, lens, len(got), len(want), firstDiff(got, want))
					}
					// The splicer, with the stripes completing in random order.
					var j splicer
					j.start([]byte("hdr"), ss)
					for _, i := range r.Perm(len(ss)) {
						j.complete(i)
					}
					if got := j.finish(); !bytes.Equal(got, want) {
						t.Fatalf("trial %d, stripe lengths %v: splicer gave %d bytes, want %d, first difference at %d",
							trial, lens, len(got), len(want), firstDiff(got, want))
					}
				}
			})
		}
	}
}

// FuzzJoinStripes splices fuzzer-chosen bit streams (≤ 64 KiB) cut at
// fuzzer-chosen lengths and checks the result against refSegment.
func FuzzJoinStripes(f *testing.F) {
	f.Add([]byte{0xff, 0xff, 0xfe, 0x7f, 0xff, 0x00}, []byte{3, 17, 0, 9})
	f.Add(bytes.Repeat([]byte{0xff}, 100), []byte{1, 200, 255})
	f.Add([]byte("the quick brown fox jumps over the lazy dog"), []byte{})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		if len(data) > 64<<10 || len(cuts) > 256 {
			return
		}
		bits := make([]bool, 8*len(data))
		for i := range bits {
			bits[i] = data[i/8]>>(7-i%8)&1 == 1
		}
		var lens []int
		rest := len(bits)
		for _, c := range cuts {
			n := min(rest, int(c))
			lens = append(lens, n)
			rest -= n
		}
		lens = append(lens, rest)
		ss := splitBits(bits, lens, rand.New(rand.NewPCG(uint64(len(data)), uint64(len(cuts)))))
		if got, want := joinStripes(nil, ss), refSegment(bits); !bytes.Equal(got, want) {
			t.Fatalf("stripe lengths %v: joined %d bytes, want %d, first difference at %d", lens, len(got), len(want), firstDiff(got, want))
		}
	})
}
