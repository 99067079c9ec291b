package heif

import (
	"context"
	"errors"
	"image"
	"testing"
)

// maxNativeFuzzInput bounds fuzz inputs (the largest fixture is 2 KB).
const maxNativeFuzzInput = 16 << 10

// maxNativeFuzzPixels bounds what the fuzz target decodes: a mutated
// header may declare up to MaxPixels, which DecodeNative accepts (callers
// set stricter limits with Parse first) but a fuzz worker should not
// allocate.
const maxNativeFuzzPixels = 1 << 20

func nativeSeeds(f *testing.F) {
	for _, tt := range nativeTests {
		f.Add(nativeFixture(f, tt.file))
	}
}

// FuzzDecodeNative: DecodeNative never panics; errors match a sentinel;
// a success is one of the three promised models at the origin, with an
// orientation in 1..8 that turns it into DecodeConfig's size.
func FuzzDecodeNative(f *testing.F) {
	nativeSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxNativeFuzzInput {
			return
		}
		if info, err := Parse(b); err == nil && info.pixels() > maxNativeFuzzPixels {
			if _, err := parseNative(b); err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("parseNative error %v matches no sentinel", err)
			}
			return
		}
		img, o, err := DecodeNative(context.Background(), b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		switch img.(type) {
		case *image.YCbCr, *image.NRGBA, *image.Gray:
		default:
			t.Fatalf("model %T", img)
		}
		r := img.Bounds()
		if r.Min != (image.Point{}) || r.Empty() || o < 1 || o > 8 {
			t.Fatalf("bounds %v, orientation %d", r, o)
		}
		w, h := r.Dx(), r.Dy()
		if o >= 5 {
			w, h = h, w
		}
		cfg, err := DecodeConfig(b)
		if err != nil || cfg.Width != w || cfg.Height != h {
			t.Fatalf("oriented %dx%d, DecodeConfig %dx%d, %v", w, h, cfg.Width, cfg.Height, err)
		}
		// Every pixel is readable (planes long enough for the bounds).
		img.At(r.Max.X-1, r.Max.Y-1)
	})
}

// FuzzParseHvcC: the hvcC parser never panics, errors match a sentinel and
// the parameter sets it returns are VPS/SPS/PPS sub-slices of the input.
func FuzzParseHvcC(f *testing.F) {
	for _, tt := range nativeTests {
		l, err := parseNative(nativeFixture(f, tt.file))
		if err != nil {
			continue
		}
		// Rebuild the record around the item's parameter sets.
		it := l.items[0]
		var arrays [][]byte
		for _, p := range it.params {
			arrays = append(arrays, nalArray(p[0]>>1&63, p))
		}
		f.Add(hvcCBody(it.chroma, 8, 8, it.lengthSize, arrays...))
	}
	f.Fuzz(func(t *testing.T, c []byte) {
		var it hvcItem
		if err := parseHvcC(c, &it); err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		if it.lengthSize != 1 && it.lengthSize != 2 && it.lengthSize != 4 || it.chroma > 1 || len(it.params) == 0 {
			t.Fatalf("item %+v", it)
		}
		for _, p := range it.params {
			if len(p) < 2 || !within(p, c) {
				t.Fatalf("parameter set %x is not a sub-slice of the record", p)
			}
			if typ := p[0] >> 1 & 63; typ < 32 || typ > 34 {
				t.Fatalf("NAL type %d kept", typ)
			}
		}
	})
}
