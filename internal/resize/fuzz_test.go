package resize

import (
	"image"
	"image/color"
	"testing"
)

// FuzzResize drives Resize and Fit with small random sizes, layouts (YCbCr
// of every subsampling, Gray, NRGBA and RGBA opaque or not, Paletted,
// NYCbCrA), origins and orientations and asserts: no error and no panic
// for valid arguments, output bounds exactly as requested (FitSize's for
// Fit), the documented output type (YCbCr for opaque colour, NRGBA with
// transparency), and no colour in a fully transparent output pixel.
func FuzzResize(f *testing.F) {
	f.Add([]byte{0, 31, 17, 6, 9, 5, 1, 3, 20, 1, 2, 3})
	f.Add([]byte{1, 0, 47, 8, 1, 63, 0, 0, 1})
	f.Add([]byte{2, 47, 0, 5, 63, 1, 4, 4, 63})
	f.Add([]byte{3, 2, 2, 7, 40, 40, 2, 1, 3, 255, 0, 255})
	f.Add([]byte{4, 9, 13, 3, 9, 13, 1, 1, 13})
	f.Add([]byte{5, 5, 5, 2, 2, 2, 0, 0, 0})
	f.Add([]byte{6, 33, 21, 4, 12, 7, 3, 2, 5})
	f.Add([]byte{7, 20, 30, 6, 9, 14, 1, 0, 7, 200, 100, 50, 0})
	f.Add([]byte{8, 35, 18, 8, 13, 40, 2, 3, 11, 1, 2, 3})
	f.Add([]byte{9, 40, 40, 5, 15, 15, 4, 4, 17, 10, 20, 30, 40})
	f.Add([]byte{10, 17, 23, 7, 61, 3, 1, 2, 30, 5, 255, 255, 255, 255, 0, 0, 0, 255})
	f.Add([]byte{11, 12, 47, 2, 6, 6, 0, 1, 4, 9, 8, 7, 6, 5})
	f.Add([]byte{12, 47, 47, 6, 1, 1, 3, 3, 47, 128})
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) < 9 || len(d) > 4096 {
			return
		}
		w, h := 1+int(d[1])%48, 1+int(d[2])%48
		o := 1 + int(d[3])%8
		ow, oh := 1+int(d[4])%64, 1+int(d[5])%64
		x0, y0 := int(d[6])%5, int(d[7])%5
		maxSide := 1 + int(d[8])%64
		pix := d[9:]
		fill := func(b []uint8) {
			for i := range b {
				if len(pix) > 0 {
					b[i] = pix[i%len(pix)] + uint8(i)
				} else {
					b[i] = uint8(i * 7)
				}
			}
		}
		ratios := []image.YCbCrSubsampleRatio{
			image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
			image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
		}
		r := image.Rect(x0, y0, x0+w, y0+h)
		var img image.Image
		want := "*image.YCbCr"
		opaque := func(b []uint8, step int) {
			for i := step - 1; i < len(b); i += step {
				b[i] = 255
			}
		}
		switch k := int(d[0]) % 13; {
		case k < 6:
			m := image.NewYCbCr(r, ratios[k])
			fill(m.Y)
			fill(m.Cb)
			fill(m.Cr)
			img = m
		case k == 6:
			m := image.NewGray(r)
			fill(m.Pix)
			img, want = m, "*image.Gray"
		case k == 7 || k == 8:
			m := image.NewNRGBA(r)
			fill(m.Pix)
			if k == 8 {
				opaque(m.Pix, 4)
			}
			img = m
		case k == 9:
			m := image.NewRGBA(r) // colour above alpha is invalid but must not fail
			fill(m.Pix)
			img = m
		case k == 10:
			// A palette of 1 + pix[0]%16 colours taken from pix, some
			// translucent; every index within it.
			n := 1
			if len(pix) > 0 {
				n += int(pix[0]) % 16
			}
			cols := make([]uint8, 4*n)
			fill(cols)
			pal := make(color.Palette, n)
			for i := range pal {
				pal[i] = color.NRGBA{cols[4*i], cols[4*i+1], cols[4*i+2], cols[4*i+3] | 0xf0}
			}
			m := image.NewPaletted(r, pal)
			fill(m.Pix)
			for i := range m.Pix {
				m.Pix[i] %= uint8(n)
			}
			img = m
		default:
			m := image.NewNYCbCrA(r, ratios[int(d[1])%len(ratios)])
			fill(m.Y)
			fill(m.Cb)
			fill(m.Cr)
			fill(m.A)
			if k == 12 {
				opaque(m.A, 1)
			}
			img = m
		}
		if o, ok := img.(interface{ Opaque() bool }); ok && !o.Opaque() {
			want = "*image.NRGBA"
		}
		out, err := Resize(img, o, ow, oh)
		if err != nil {
			t.Fatalf("Resize(%v, %d, %d, %d): %v", r, o, ow, oh, err)
		}
		if out.Bounds() != image.Rect(0, 0, ow, oh) {
			t.Fatalf("Resize bounds %v, want %dx%d", out.Bounds(), ow, oh)
		}
		if got := typeName(out); got != want {
			t.Fatalf("Resize type %s, want %s", got, want)
		}
		if m, ok := out.(*image.NRGBA); ok {
			if _, nyc := img.(*image.NYCbCrA); !nyc { // not imaging's output
				for i := 0; i < len(m.Pix); i += 4 {
					if p := m.Pix[i : i+4]; p[3] == 0 && (p[0]|p[1]|p[2]) != 0 {
						t.Fatalf("transparent pixel %d with colour %v", i/4, p)
					}
				}
			}
		}
		fw, fh := FitSize(w, h, o, maxSide)
		out, err = Fit(img, o, maxSide)
		if err != nil {
			t.Fatalf("Fit: %v", err)
		}
		if b := out.Bounds(); b.Dx() != fw || b.Dy() != fh || max(fw, fh) > maxSide {
			t.Fatalf("Fit bounds %v, want %dx%d within %d", b, fw, fh, maxSide)
		}
	})
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.YCbCr:
		return "*image.YCbCr"
	case *image.Gray:
		return "*image.Gray"
	case *image.NRGBA:
		return "*image.NRGBA"
	}
	return "other"
}
