package resize

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mediaprep/mediaprep/internal/heif"
)

// benchRGB returns a cached w×h image of the given kind with benchYCbCr's
// content converted to RGB: "nrgba" (opaque, as the HEIC decoder returns
// it), "nrgba-alpha" (an alpha ramp from 0 to 255 across the width),
// "rgba" (opaque, as image/png returns RGB8) or "paletted" (Plan 9
// palette, opaque).
func benchRGB(kind string, w, h int) image.Image {
	key := fmt.Sprint(kind, w, h)
	if m, ok := benchImages.Load(key); ok {
		return m.(image.Image)
	}
	src := benchYCbCr(w, h, image.YCbCrSubsampleRatio420)
	var img image.Image
	if kind == "paletted" {
		m := image.NewPaletted(src.Rect, palette.Plan9)
		for y := range h {
			for x := range w {
				m.Pix[y*m.Stride+x] = src.Y[y*src.YStride+x] ^ uint8(x/64)
			}
		}
		img = m
	} else {
		m := image.NewNRGBA(src.Rect)
		for y := range h {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for x := range w {
				ci := src.COffset(x, y)
				r, g, b := color.YCbCrToRGB(src.Y[y*src.YStride+x], src.Cb[ci], src.Cr[ci])
				a := uint8(255)
				if kind == "nrgba-alpha" {
					a = uint8(x * 255 / (w - 1))
				}
				copy(row[4*x:], []uint8{r, g, b, a})
			}
		}
		img = m
		if kind == "rgba" {
			img = &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	}
	benchImages.Store(key, img)
	return img
}

// BenchmarkFitRGB runs Fit on the 4-byte and indexed layouts against the
// naive pipeline (imaging orientation copy + imaging.Fit Lanczos) measured
// in the same run (x-faster, x-less-cpu, x-fewer-bytes; see benchFit).
func BenchmarkFitRGB(b *testing.B) {
	for _, c := range []struct {
		kind string
		w, h int
		o    int
	}{
		{"nrgba", 4032, 3024, 1},
		{"nrgba", 4032, 3024, 6},
		{"rgba", 2480, 3508, 1},
		{"nrgba-alpha", 4032, 3024, 1},
		{"nrgba-alpha", 4032, 3024, 6},
		{"paletted", 2480, 3508, 1},
	} {
		name := fmt.Sprintf("%s_%dx%d_o%d", c.kind, c.w, c.h, c.o)
		img := benchRGB(c.kind, c.w, c.h)
		b.Run(name, func(b *testing.B) { benchFit(b, name, img, c.o, 1920) })
	}
}

var (
	corpusHEIC = sync.OnceValues(func() (image.Image, error) {
		data, err := os.ReadFile(filepath.Join(corpusDir(), "c_12mp.heic"))
		if err != nil {
			return nil, err
		}
		return heif.Decode(context.Background(), data)
	})
	corpusScan = sync.OnceValues(func() (image.Image, error) {
		f, err := os.Open(filepath.Join(corpusDir(), "e_a4scan_2480x3508.png"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return png.Decode(f)
	})
)

// BenchmarkCorpusRGB resizes real decoder output (decoded once, outside
// the timer): the corpus' 12 MP HEIC as internal/heif returns it
// (*image.NRGBA, opaque), as stored and as orientation 6, and the A4
// 300 dpi scan PNG as image/png returns it (*image.RGBA).
func BenchmarkCorpusRGB(b *testing.B) {
	for _, c := range []struct {
		name string
		load func() (image.Image, error)
		o    int
	}{
		{"c_12mp_heic_o1", corpusHEIC, 1},
		{"c_12mp_heic_o6", corpusHEIC, 6},
		{"e_a4scan_png_o1", corpusScan, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			img, err := c.load()
			if err != nil {
				b.Skipf("corpus not available: %v", err)
			}
			b.Logf("input %T %v", img, img.Bounds())
			benchFit(b, c.name, img, c.o, 1920)
		})
	}
}
