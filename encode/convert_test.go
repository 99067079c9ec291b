package encode

import (
	"image"
	"image/color"
	"testing"
)

// expectYCbCr is c composited onto white, in YCbCr.
func expectYCbCr(r, g, b, a float64) (uint8, uint8, uint8) {
	// Non-premultiplied r,g,b in 0..255, a in 0..1.
	f := func(c float64) uint8 { return uint8(c*a + 255*(1-a) + 0.5) }
	return color.RGBToYCbCr(f(r), f(g), f(b))
}

// TestPlanarFlatten converts uniform images of every supported layout, at
// odd sizes and non-zero origins, and checks each output sample against
// the colour composited onto white.
func TestPlanarFlatten(t *testing.T) {
	rect := image.Rect(3, 5, 3+7, 5+5) // odd size, non-zero origin
	pal := color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{200, 40, 10, 255}}
	tests := []struct {
		name       string
		img        image.Image
		r, g, b, a float64
	}{
		{"RGBA opaque", fillRGBA(rect, color.RGBA{200, 40, 10, 255}), 200, 40, 10, 1},
		{"RGBA half", fillRGBA(rect, color.RGBA{100, 20, 5, 128}), 100 * 255 / 128, 20 * 255 / 128, 5 * 255 / 128, 128.0 / 255},
		{"RGBA transparent", fillRGBA(rect, color.RGBA{}), 0, 0, 0, 0},
		{"NRGBA half", fill(image.NewNRGBA(rect), color.NRGBA{200, 40, 10, 128}), 200, 40, 10, 128.0 / 255},
		{"NRGBA transparent black", fill(image.NewNRGBA(rect), color.NRGBA{0, 0, 0, 0}), 0, 0, 0, 0},
		{"RGBA64 half", fill(image.NewRGBA64(rect), color.RGBA64{100 << 8, 20 << 8, 5 << 8, 0x8000}), 100 * 65535 / 0x8000, 20 * 65535 / 0x8000, 5 * 65535 / 0x8000, 0x8000 / 65535.0},
		{"NRGBA64 quarter", fill(image.NewNRGBA64(rect), color.NRGBA64{200 << 8, 40 << 8, 10 << 8, 0x4000}), 200, 40, 10, 0x4000 / 65535.0},
		{"Paletted transparent", fillPaletted(rect, pal, 0), 0, 0, 0, 0},
		{"Paletted opaque", fillPaletted(rect, pal, 1), 200, 40, 10, 1},
		{"Paletted index beyond palette", fillPaletted(rect, pal, 7), 0, 0, 0, 1},
		{"CMYK generic", fill(image.NewCMYK(rect), color.CMYK{0, 200, 240, 55}), 200, 40, 10, 1},
		{"NYCbCrA444 half", fillNYCbCrA(rect, image.YCbCrSubsampleRatio444, 200, 40, 10, 128), -1, -1, -1, 128.0 / 255},
		{"NYCbCrA420 transparent", fillNYCbCrA(rect, image.YCbCrSubsampleRatio420, 200, 40, 10, 0), 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, release := planar(tt.img)
			defer release()
			ycc, ok := m.(*image.YCbCr)
			if !ok {
				t.Fatalf("planar gave %T", m)
			}
			if ycc.Rect.Dx() != rect.Dx() || ycc.Rect.Dy() != rect.Dy() {
				t.Fatalf("size %v, want %v", ycc.Rect, rect)
			}
			var wy, wcb, wcr uint8
			if tt.r < 0 { // NYCbCrA: the source colour is already YCbCr
				y, cb, cr := color.RGBToYCbCr(200, 40, 10)
				rr, gg, bb := color.YCbCrToRGB(y, cb, cr)
				wy, wcb, wcr = expectYCbCr(float64(rr), float64(gg), float64(bb), tt.a)
			} else {
				wy, wcb, wcr = expectYCbCr(tt.r, tt.g, tt.b, tt.a)
			}
			for y := 0; y < rect.Dy(); y++ {
				for x := 0; x < rect.Dx(); x++ {
					c := ycc.YCbCrAt(x, y)
					if !near(c.Y, wy, 2) || !near(c.Cb, wcb, 2) || !near(c.Cr, wcr, 2) {
						t.Fatalf("at %d,%d: %v, want {%d %d %d}", x, y, c, wy, wcb, wcr)
					}
				}
			}
		})
	}
}

func fillRGBA(r image.Rectangle, c color.RGBA) *image.RGBA { return fill(image.NewRGBA(r), c) }

func fill[M interface {
	image.Image
	Set(x, y int, c color.Color)
}](m M, c color.Color) M {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			m.Set(x, y, c)
		}
	}
	return m
}

func fillPaletted(r image.Rectangle, p color.Palette, idx uint8) *image.Paletted {
	m := image.NewPaletted(r, p)
	for i := range m.Pix {
		m.Pix[i] = idx
	}
	return m
}

func fillNYCbCrA(r image.Rectangle, ratio image.YCbCrSubsampleRatio, cr, cg, cb, a uint8) *image.NYCbCrA {
	m := image.NewNYCbCrA(r, ratio)
	y, u, v := color.RGBToYCbCr(cr, cg, cb)
	for i := range m.Y {
		m.Y[i] = y
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = u, v
	}
	for i := range m.A {
		m.A[i] = a
	}
	return m
}

// TestPlanarNoCopy: *image.YCbCr, *image.Gray and an opaque NYCbCrA reach
// the encoder without a conversion copy.
func TestPlanarNoCopy(t *testing.T) {
	ycc := image.NewYCbCr(image.Rect(0, 0, 33, 17), image.YCbCrSubsampleRatio422)
	gray := image.NewGray(image.Rect(0, 0, 33, 17))
	nya := fillNYCbCrA(image.Rect(0, 0, 33, 17), image.YCbCrSubsampleRatio420, 1, 2, 3, 255)
	for _, tt := range []struct {
		name string
		in   image.Image
		want image.Image
	}{{"YCbCr", ycc, ycc}, {"Gray", gray, gray}, {"NYCbCrA opaque", nya, &nya.YCbCr}} {
		t.Run(tt.name, func(t *testing.T) {
			m, release := planar(tt.in)
			release()
			if m != tt.want {
				t.Fatalf("planar copied: %T %p, want %p", m, m, tt.want)
			}
			if n := testing.AllocsPerRun(20, func() { _, r := planar(tt.in); r() }); n != 0 {
				t.Fatalf("%v allocations, want 0", n)
			}
		})
	}
}

// TestPlanarGray16 keeps the high byte of each sample.
func TestPlanarGray16(t *testing.T) {
	src := image.NewGray16(image.Rect(2, 2, 5, 4))
	src.SetGray16(3, 3, color.Gray16{0xabcd})
	m, release := planar(src)
	defer release()
	g, ok := m.(*image.Gray)
	if !ok {
		t.Fatalf("planar gave %T", m)
	}
	if got := g.GrayAt(1, 1).Y; got != 0xab {
		t.Fatalf("got %#x, want 0xab", got)
	}
}

// TestPlanarChromaAverage: 4:2:0 chroma is the mean of each 2×2 block.
func TestPlanarChromaAverage(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 2, 2))
	src.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255})
	src.SetRGBA(1, 0, color.RGBA{0, 0, 255, 255})
	src.SetRGBA(0, 1, color.RGBA{255, 0, 0, 255})
	src.SetRGBA(1, 1, color.RGBA{0, 0, 255, 255})
	m, release := planar(src)
	defer release()
	c := m.(*image.YCbCr).YCbCrAt(0, 0)
	_, wcb, wcr := color.RGBToYCbCr(128, 0, 128)
	if !near(c.Cb, wcb, 1) || !near(c.Cr, wcr, 1) {
		t.Fatalf("chroma %d,%d, want %d,%d", c.Cb, c.Cr, wcb, wcr)
	}
}
