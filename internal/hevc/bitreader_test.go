package hevc

import (
	"bytes"
	"errors"
	"testing"
)

// bitWriter writes u(n), ue(v), se(v) codes MSB first; tests use it to
// build RBSPs field by field.
type bitWriter struct {
	buf  []byte
	nbit int
}

func (w *bitWriter) u(n int, v uint64) *bitWriter {
	for i := n - 1; i >= 0; i-- {
		if w.nbit&7 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>uint(i)&1 == 1 {
			w.buf[len(w.buf)-1] |= 0x80 >> uint(w.nbit&7)
		}
		w.nbit++
	}
	return w
}

func (w *bitWriter) flag(b bool) *bitWriter { return w.u(1, uint64(btoi(b))) }

func (w *bitWriter) ue(v uint64) *bitWriter {
	v++
	n := 0
	for v>>uint(n+1) != 0 {
		n++
	}
	w.u(n, 0)
	return w.u(n+1, v)
}

func (w *bitWriter) se(v int64) *bitWriter {
	if v > 0 {
		return w.ue(uint64(2*v - 1))
	}
	return w.ue(uint64(-2 * v))
}

// trailing appends rbsp_trailing_bits() and returns the bytes.
func (w *bitWriter) trailing() []byte {
	w.u(1, 1)
	for w.nbit&7 != 0 {
		w.u(1, 0)
	}
	return w.buf
}

func TestBitReaderCodes(t *testing.T) {
	w := new(bitWriter)
	w.u(3, 5).ue(0).ue(1).ue(2).ue(254).ue(1<<32-2).se(0).se(1).se(-1).se(1<<30).se(-(1 << 30)).u(32, 0xdeadbeef).flag(true)
	r := newBitReader(w.trailing())
	if got := r.u(3); got != 5 {
		t.Errorf("u(3) = %d", got)
	}
	for _, want := range []uint32{0, 1, 2, 254, 1<<32 - 2} {
		if got := r.ue(); got != want {
			t.Errorf("ue = %d, want %d", got, want)
		}
	}
	for _, want := range []int32{0, 1, -1, 1 << 30, -(1 << 30)} {
		if got := r.se(); got != want {
			t.Errorf("se = %d, want %d", got, want)
		}
	}
	if got := r.u(32); got != 0xdeadbeef {
		t.Errorf("u(32) = %#x", got)
	}
	if !r.flag() {
		t.Error("flag = false")
	}
	if r.moreRBSPData() {
		t.Error("moreRBSPData before the stop bit = true")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
}

func TestBitReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		read func(r *bitReader)
	}{
		{"ue 32 leading zeros", []byte{0, 0, 0, 0, 0x80}, func(r *bitReader) { r.ue() }},
		{"ue past end", []byte{0, 0}, func(r *bitReader) { r.ue() }},
		{"ue suffix past end", []byte{0x01}, func(r *bitReader) { r.ue() }},
		{"u past end", []byte{0xff}, func(r *bitReader) { r.u(9) }},
		{"u too wide", []byte{0xff, 0xff, 0xff, 0xff, 0xff}, func(r *bitReader) { r.u(33) }},
		{"skip past end", []byte{0xff}, func(r *bitReader) { r.skip(9) }},
		{"ueIn above", new(bitWriter).ue(7).trailing(), func(r *bitReader) { r.ueIn("x", 0, 6) }},
		{"seIn below", new(bitWriter).se(-7).trailing(), func(r *bitReader) { r.seIn("x", -6, 6) }},
		{"alignment bit zero", []byte{0x00}, func(r *bitReader) { r.byteAlignment() }},
		{"alignment nonzero", []byte{0xc0}, func(r *bitReader) { r.byteAlignment() }},
		{"empty", nil, func(r *bitReader) { r.flag() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newBitReader(tt.data)
			tt.read(r)
			if !errors.Is(r.err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", r.err)
			}
			// Sticky: later reads return 0 and keep the first error.
			first := r.err
			if r.u(1) != 0 || r.ue() != 0 || r.se() != 0 || r.err != first {
				t.Error("error not sticky")
			}
		})
	}
}

func TestBitReaderUeLongest(t *testing.T) {
	// 31 leading zeros: the largest legal ue(v), 2^32 - 2.
	w := new(bitWriter).ue(1<<32 - 2)
	r := newBitReader(w.trailing())
	if got := r.ue(); got != 1<<32-2 || r.err != nil {
		t.Fatalf("ue = %d, err %v", got, r.err)
	}
}

func TestMoreRBSPData(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		skip int
		want bool
	}{
		{"only stop bit", []byte{0x80}, 0, false},
		{"data then stop bit", []byte{0xc0}, 0, true},
		{"at stop bit", []byte{0xc0}, 1, false},
		{"trailing zero bytes", []byte{0x01, 0x80, 0, 0}, 7, true},
		{"trailing zero bytes at stop", []byte{0x01, 0x80, 0, 0}, 8, false},
		{"all zero", []byte{0, 0}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newBitReader(tt.data)
			r.skip(tt.skip)
			if got := r.moreRBSPData(); got != tt.want {
				t.Errorf("moreRBSPData = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestByteAlignment(t *testing.T) {
	r := newBitReader([]byte{0xb0, 0x55}) // 101 | 10000 | 01010101
	r.u(3)
	r.byteAlignment()
	if r.err != nil || r.pos != 8 {
		t.Fatalf("pos %d err %v", r.pos, r.err)
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct {
		name    string
		in, out []byte
		removed []int
	}{
		{"none", []byte{1, 2, 0, 0, 1}, []byte{1, 2, 0, 0, 1}, nil},
		{"one", []byte{0, 0, 3, 1}, []byte{0, 0, 1}, []int{2}},
		{"three zeros", []byte{0, 0, 3, 0, 0, 3, 0}, []byte{0, 0, 0, 0, 0}, []int{2, 5}},
		{"3 after 3", []byte{0, 0, 3, 3, 0, 0, 3}, []byte{0, 0, 3, 0, 0}, []int{2, 6}},
		{"zero 3 not after two zeros", []byte{0, 3, 0, 3}, []byte{0, 3, 0, 3}, nil},
		{"at end", []byte{5, 0, 0, 3}, []byte{5, 0, 0}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, removed := unescape(tt.in)
			if !bytes.Equal(out, tt.out) {
				t.Errorf("rbsp = %v, want %v", out, tt.out)
			}
			if len(removed) != len(tt.removed) {
				t.Fatalf("removed = %v, want %v", removed, tt.removed)
			}
			for i := range removed {
				if removed[i] != tt.removed[i] {
					t.Fatalf("removed = %v, want %v", removed, tt.removed)
				}
			}
			// Every RBSP byte maps to an escaped byte of the same value and back.
			for p := range out {
				e := escapedOffset(p, removed)
				if tt.in[e] != out[p] || rbspOffset(e, removed) != p {
					t.Errorf("rbsp %d -> escaped %d -> rbsp %d", p, e, rbspOffset(e, removed))
				}
			}
		})
	}
}

func BenchmarkUnescape(b *testing.B) {
	src := make([]byte, 1<<20)
	for i := range src {
		src[i] = byte(i*7 + i>>9)
	}
	for i := 0; i < len(src)-3; i += 4096 {
		copy(src[i:], []byte{0, 0, 3, 1})
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		unescape(src)
	}
}
