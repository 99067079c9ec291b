package resize

import (
	"image"
	"testing"
)

// FuzzResize drives Resize and Fit with small random sizes, layouts, origins
// and orientations and asserts: no error and no panic for valid arguments,
// output bounds exactly as requested (FitSize's for Fit), the documented
// output type.
func FuzzResize(f *testing.F) {
	f.Add([]byte{0, 31, 17, 6, 9, 5, 1, 3, 20, 1, 2, 3})
	f.Add([]byte{1, 0, 47, 8, 1, 63, 0, 0, 1})
	f.Add([]byte{2, 47, 0, 5, 63, 1, 4, 4, 63})
	f.Add([]byte{3, 2, 2, 7, 40, 40, 2, 1, 3, 255, 0, 255})
	f.Add([]byte{4, 9, 13, 3, 9, 13, 1, 1, 13})
	f.Add([]byte{5, 5, 5, 2, 2, 2, 0, 0, 0})
	f.Add([]byte{6, 33, 21, 4, 12, 7, 3, 2, 5})
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
		switch k := int(d[0]) % 8; {
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
		default:
			m := image.NewNRGBA(r)
			fill(m.Pix)
			img, want = m, "*image.NRGBA"
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
