package jpegdec

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	fuzzMaxInput  = 1 << 20 // bytes
	fuzzMaxPixels = 1 << 22 // bounds memory per input
)

// addSeeds adds every testdata JPEG to the fuzz corpus.
func addSeeds(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.jpg"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
}

// FuzzDecode checks that any input either fails with one of the package's
// errors or yields an image of the size DecodeConfig announces, at every
// scale and with both the sequential and the parallel strategies.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, sel uint8) {
		if len(b) > fuzzMaxInput {
			return
		}
		scale := 1 << (sel & 3)
		workers := 1 + int(sel>>2&1)
		m, err := Decode(b, &Options{Scale: scale, Workers: workers, MaxPixels: fuzzMaxPixels})
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("decoder panicked: %v", err)
			}
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is not one of the package's sentinels", err)
			}
			return
		}
		cfg, err := DecodeConfig(b)
		if err != nil {
			t.Fatalf("Decode succeeded but DecodeConfig failed: %v", err)
		}
		if int64(cfg.Width)*int64(cfg.Height) > fuzzMaxPixels {
			t.Fatalf("decoded %dx%d despite MaxPixels", cfg.Width, cfg.Height)
		}
		want := image.Rect(0, 0, (cfg.Width+scale-1)/scale, (cfg.Height+scale-1)/scale)
		if m.Bounds() != want {
			t.Fatalf("bounds %v, want %v", m.Bounds(), want)
		}
		switch m.(type) {
		case *image.Gray, *image.YCbCr:
		default:
			t.Fatalf("unexpected image type %T", m)
		}
	})
}

// FuzzDifferential checks that whenever both this decoder and image/jpeg
// decode an input at Scale 1, the pixels are identical.
func FuzzDifferential(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, sel uint8) {
		if len(b) > fuzzMaxInput {
			return
		}
		cfg, err := DecodeConfig(b)
		if err != nil || int64(cfg.Width)*int64(cfg.Height) > fuzzMaxPixels {
			return
		}
		got, err := Decode(b, &Options{Workers: 1 + int(sel&1), MaxPixels: fuzzMaxPixels})
		if err != nil {
			return
		}
		want, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("bounds %v, image/jpeg %v", got.Bounds(), want.Bounds())
		}
		switch w := want.(type) {
		case *image.Gray:
			g, ok := got.(*image.Gray)
			if !ok {
				t.Fatalf("type %T, image/jpeg %T", got, want)
			}
			for y := 0; y < w.Rect.Dy(); y++ {
				if !bytes.Equal(g.Pix[y*g.Stride:y*g.Stride+w.Rect.Dx()], w.Pix[y*w.Stride:y*w.Stride+w.Rect.Dx()]) {
					t.Fatalf("row %d differs from image/jpeg", y)
				}
			}
		case *image.YCbCr:
			g, ok := got.(*image.YCbCr)
			if !ok || g.SubsampleRatio != w.SubsampleRatio {
				t.Fatalf("type %T, image/jpeg %T %v", got, want, w.SubsampleRatio)
			}
			for y := 0; y < w.Rect.Dy(); y++ {
				for x := 0; x < w.Rect.Dx(); x++ {
					if g.YCbCrAt(x, y) != w.YCbCrAt(x, y) {
						t.Fatalf("pixel (%d,%d) %v, image/jpeg %v", x, y, g.YCbCrAt(x, y), w.YCbCrAt(x, y))
					}
				}
			}
		default:
			// image/jpeg decoded something we would refuse (e.g. RGB).
			t.Fatalf("decoded %T where image/jpeg decoded %T", got, want)
		}
	})
}
