package hevc

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDecodeDirtyBuf proves that the decoder never reads a sample it has
// not written (newFrame's comment): every reference stream decoded into
// an Options.Buf full of random bytes or of 0xFF gives the planes
// of a decode into fresh (zeroed) memory, with 1 and 2 workers, and those
// planes are carved from Buf. A read of an unwritten sample (a neighbour
// wrongly taken as available, a filter reaching into the padding) would
// show as a difference from the reference MD5s.
func TestDecodeDirtyBuf(t *testing.T) {
	fills := []struct {
		name string
		fill func([]byte)
	}{
		{"random", func(b []byte) {
			r := rand.New(rand.NewPCG(1, 2))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
		}},
		{"ff", func(b []byte) {
			for i := range b {
				b[i] = 0xff
			}
		}},
	}
	for _, e := range loadReference(t) {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, e.name)
			want, err := DecodeAnnexB(data, &Options{Workers: 1})
			if err != nil {
				if e.has("400") && errors.Is(err, ErrUnsupported) {
					t.Skipf("4:0:0 refused: %v", err)
				}
				t.Fatal(err)
			}
			wantPlanes, _, _ := planes(want)
			// Room for the planes padded to 64x64 CTBs, and some more.
			buf := make([]byte, 2*(e.w+64)*(e.h+64))
			for _, fl := range fills {
				for _, workers := range []int{1, 2} {
					how := fmt.Sprintf("fill=%s workers=%d", fl.name, workers)
					fl.fill(buf)
					pic, err := DecodeAnnexB(data, &Options{Workers: workers, Buf: buf})
					if !conformanceResult(t, e, pic, err, how) {
						return
					}
					got, _, _ := planes(pic)
					for c := range 3 {
						if !bytes.Equal(got[c], wantPlanes[c]) {
							t.Errorf("%s: plane %s differs from a decode into fresh memory", how, planeName[c])
						}
					}
					checkCarved(t, how, pic, buf)
				}
			}
		})
	}
}

// checkCarved fails unless pic's planes lie in buf, in the order Y, Cb,
// Cr, Y starting within the first padded row band.
func checkCarved(t *testing.T, how string, pic *Picture, buf []byte) {
	t.Helper()
	at := func(p []byte) int {
		for i := range buf {
			if &buf[i] == &p[0] {
				return i
			}
		}
		return -1
	}
	y := at(pic.Y)
	if y < 0 || y >= 64*pic.YStride {
		t.Errorf("%s: Y not carved from the start of Buf (offset %d)", how, y)
		return
	}
	if pic.ChromaFormat == 0 {
		return
	}
	cb, cr := at(pic.Cb), at(pic.Cr)
	if cb <= y || cr <= cb {
		t.Errorf("%s: planes at offsets Y %d, Cb %d, Cr %d of Buf, want increasing", how, y, cb, cr)
	}
	// Uncropped at the top left: the documented layout, exactly.
	if y == 0 && (cb != cap(pic.Y) || cr != cb+cap(pic.Cb) || cap(pic.Cr) != cap(pic.Cb)) {
		t.Errorf("%s: Y at 0 (cap %d), Cb at %d (cap %d), Cr at %d (cap %d): not back to back",
			how, cap(pic.Y), cb, cap(pic.Cb), cr, cap(pic.Cr))
	}
}

// TestDecodeSmallBuf checks that a Buf too small for the planes is left
// alone: the picture is decoded into fresh memory and Buf is not written.
func TestDecodeSmallBuf(t *testing.T) {
	e := loadReference(t)[0]
	data := readFixture(t, e.name)
	buf := bytes.Repeat([]byte{0x5a}, e.w*e.h) // less than 1.5 bytes a sample
	pic, err := DecodeAnnexB(data, &Options{Buf: buf})
	if !conformanceResult(t, e, pic, err, "small Buf") {
		return
	}
	if bytes.Count(buf, []byte{0x5a}) != len(buf) {
		t.Error("a Buf too small for the planes was written")
	}
	for i := range buf {
		if &buf[i] == &pic.Y[0] {
			t.Fatal("Y carved from a Buf too small for the planes")
		}
	}
}
