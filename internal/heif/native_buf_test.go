package heif

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/mediaprep/mediaprep/internal/jpegdec"
)

// rawSamples returns the samples of img inside its bounds, row by row and
// plane by plane, for the models DecodeNative returns.
func rawSamples(t *testing.T, img image.Image) []byte {
	t.Helper()
	r := img.Bounds()
	var out []byte
	switch m := img.(type) {
	case *image.YCbCr:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				out = append(out, m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)])
			}
		}
	case *image.Gray:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			out = append(out, m.Pix[m.PixOffset(r.Min.X, y):m.PixOffset(r.Max.X, y)]...)
		}
	case *image.NRGBA:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			out = append(out, m.Pix[m.PixOffset(r.Min.X, y):m.PixOffset(r.Max.X, y)]...)
		}
	default:
		t.Fatalf("unexpected model %T", img)
	}
	return out
}

// TestDecodeNativeBuf: DecodeNativeBuf into a dirty buffer (random bytes,
// then the previous image's) gives DecodeNative's image sample for sample;
// a YCbCr or Gray result without a top-left crop is carved from buf and
// jpegdec.Backing recovers buf whole from it (and, without buf, the
// image's own buffer); a buffer too small is ignored.
func TestDecodeNativeBuf(t *testing.T) {
	tests := []struct {
		file    string
		backing bool // Backing(img) must be buf
	}{
		{"plain.heic", true},
		{"irot90.heic", true},
		{"grid.heic", true},
		{"grid1x1.heic", true},
		{"native/grid512.heic", true},
		{"native/grid-clap-m0.heic", false}, // clap: may or may not start at 0,0
		{"native/clap-even.heic", false},    // cropped top left: not recoverable
		{"native/vui-lim709.heic", false},   // NRGBA
		{"native/grid-lim709-r2.heic", false},
		{"native/mono.heic", true},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := nativeFixture(t, tt.file)
			want, wantO, err := DecodeNative(context.Background(), b)
			if errors.Is(err, ErrUnsupported) && tt.file == "native/mono.heic" {
				t.Skipf("decoder refuses 4:0:0: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.backing && jpegdec.Backing(want) == nil {
				// Without a buf, a new one of the same layout: the
				// first image of a caller's pool is recyclable too.
				t.Errorf("Backing(%T) of DecodeNative's image is nil", want)
			}
			wantS := rawSamples(t, want)
			r0 := want.Bounds()
			buf := make([]byte, 4*(r0.Dx()+64)*(r0.Dy()+64))
			for i := range buf {
				buf[i] = byte(r.Uint32())
			}
			for run := range 2 { // the second run decodes over the first's image
				img, o, err := DecodeNativeBuf(context.Background(), b, buf)
				if err != nil {
					t.Fatalf("run %d: %v", run, err)
				}
				if o != wantO || img.Bounds() != r0 {
					t.Fatalf("run %d: orientation %d, bounds %v; want %d, %v", run, o, img.Bounds(), wantO, r0)
				}
				if !bytes.Equal(rawSamples(t, img), wantS) {
					t.Fatalf("run %d: samples differ from DecodeNative's", run)
				}
				back := jpegdec.Backing(img)
				if tt.backing {
					if len(back) != cap(buf) || &back[0] != &buf[0] {
						t.Fatalf("run %d: Backing(%T) has %d bytes, not buf's %d (or elsewhere)", run, img, len(back), cap(buf))
					}
				} else if back != nil && !inBuf(back, buf) {
					t.Fatalf("run %d: Backing(%T) is not in buf", run, img)
				}
				if _, ok := img.(*image.NRGBA); ok && back != nil {
					t.Fatalf("run %d: Backing of an NRGBA", run)
				}
			}
			// Too small: ignored, and not written.
			small := bytes.Repeat([]byte{0x5a}, 16)
			img, _, err := DecodeNativeBuf(context.Background(), b, small)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rawSamples(t, img), wantS) {
				t.Fatal("samples with a small buf differ from DecodeNative's")
			}
			if bytes.Count(small, []byte{0x5a}) != len(small) {
				t.Fatal("a buf too small was written")
			}
		})
	}
}

// inBuf reports whether s's first element lies in buf.
func inBuf(s, buf []byte) bool {
	buf = buf[:cap(buf)]
	for i := range buf {
		if &buf[i] == &s[0] {
			return true
		}
	}
	return false
}

// TestDecodeNativeSkinnyAlloc checks that the planes allocated before any
// coded data is read stay within MaxPixels samples: a 2-pixel-wide image
// padded to 64-sample CTBs would need 32 times its pixels.
func TestDecodeNativeSkinnyAlloc(t *testing.T) {
	t.Run("single", func(t *testing.T) {
		b := bytes.Clone(nativeFixture(t, "native/vui-none.heic"))
		i := bytes.Index(b, []byte("ispe"))
		binary.BigEndian.PutUint32(b[i+8:], 2)      // width
		binary.BigEndian.PutUint32(b[i+12:], 1<<24) // height
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err := DecodeNative(context.Background(), b)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decoding a 96x64 stream as 2x16M: %v, want ErrCorrupt", err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1.5*MaxPixels {
			t.Fatalf("allocated %d bytes for a file of %d", n, len(b))
		}
	})
	t.Run("tile", func(t *testing.T) {
		l := &nativeLayout{grid: true, tileW: 2, tileH: 1 << 24, outW: 2, outH: 1 << 24}
		if n := len(l.getTileBuf()); n > 1.5*MaxPixels {
			t.Fatalf("tile buffer of %d bytes", n)
		}
	})
}
