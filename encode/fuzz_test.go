package encode

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"testing"
)

// FuzzJPEG builds a small image of any supported layout, and options, from
// the fuzzer's bytes, and checks JPEG's contract: no panic; either an
// output that fits the budget, decodes, has the right size and a quality
// in range, or an error matching ErrInvalid or ErrBudget. Input is bounded
// to 8 KiB, images to 48×48.
func FuzzJPEG(f *testing.F) {
	f.Add([]byte{16, 16, 0, 90, 40, 50, 0, 1, 2, 3})
	f.Add([]byte{47, 3, 3, 0, 0, 0, 255, 0, 128})
	f.Add([]byte{1, 1, 5, 100, 100, 1})
	if seed, err := os.ReadFile("testdata/gps_exif.jpg"); err == nil {
		f.Add(append([]byte{40, 30, 4, 80, 30, 20}, seed...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 || len(data) > 8<<10 {
			return
		}
		w, h := 1+int(data[0])%48, 1+int(data[1])%48
		layout, q, minQ := data[2]%6, int(data[3])%101, int(data[4])%101
		budget := int(data[5]) * 100 // 0 (default) .. 25.5 KB
		px := data[6:]
		if len(px) == 0 {
			px = []byte{0}
		}
		at := func(i int) uint8 { return px[i%len(px)] }
		img := fuzzImage(layout, w, h, at)
		opts := &Options{Quality: q, MinQuality: minQ, MaxBase64: budget, MinSide: 8}
		r, err := JPEG(context.Background(), img, opts)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrBudget) {
				t.Fatalf("unexpected error type: %v", err)
			}
			return
		}
		s, _ := opts.resolve()
		if DataURILen(MIMEType, len(r.Data)) > s.maxBase64 || r.Quality < s.minQuality || r.Quality > s.quality {
			t.Fatalf("result %dx%d q%d, %d bytes breaks %+v", r.Width, r.Height, r.Quality, len(r.Data), s)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(r.Data))
		if err != nil || cfg.Width != r.Width || cfg.Height != r.Height || r.Width > w || r.Height > h {
			t.Fatalf("output %v %+v, result %dx%d from %dx%d", err, cfg, r.Width, r.Height, w, h)
		}
	})
}

func fuzzImage(layout uint8, w, h int, at func(int) uint8) image.Image {
	r := image.Rect(0, 0, w, h)
	switch layout {
	case 0, 1:
		ratio := image.YCbCrSubsampleRatio420
		if layout == 1 {
			ratio = image.YCbCrSubsampleRatio444
		}
		m := image.NewYCbCr(r, ratio)
		for i := range m.Y {
			m.Y[i] = at(i)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = at(i+7), at(i+13)
		}
		return m
	case 2:
		m := image.NewGray(r)
		for i := range m.Pix {
			m.Pix[i] = at(i)
		}
		return m
	case 3:
		m := image.NewNRGBA(r)
		for i := range m.Pix {
			m.Pix[i] = at(i)
		}
		return m
	case 4:
		m := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420)
		for i := range m.Y {
			m.Y[i], m.A[i] = at(i), at(i+3)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = at(i+7), at(i+13)
		}
		return m
	default:
		pal := color.Palette{color.NRGBA{}, color.NRGBA{at(0), at(1), at(2), 255}, color.NRGBA{at(3), at(4), at(5), at(6)}}
		m := image.NewPaletted(r, pal)
		for i := range m.Pix {
			m.Pix[i] = at(i) % 4 // 3 is beyond the palette
		}
		return m
	}
}
