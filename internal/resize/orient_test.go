package resize

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
)

func loadPNG(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// toYCbCr converts img to a YCbCr image with the given subsampling, each
// chroma sample the mean of the pixels it covers.
func toYCbCr(img image.Image, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := img.Bounds()
	m := image.NewYCbCr(b, r)
	type acc struct{ cb, cr, n int }
	sums := make(map[int]*acc)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			i := m.COffset(x, y)
			if sums[i] == nil {
				sums[i] = &acc{}
			}
			s := sums[i]
			s.cb += int(cb)
			s.cr += int(cr)
			s.n++
		}
	}
	for i, s := range sums {
		m.Cb[i] = uint8((s.cb + s.n/2) / s.n)
		m.Cr[i] = uint8((s.cr + s.n/2) / s.n)
	}
	return m
}

func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	m := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			m.Set(x, y, img.At(x, y))
		}
	}
	return m
}

// TestOrientationCorners checks all 8 EXIF orientations on an image with
// distinct quadrant colours and a black marker near the stored top-left
// corner, for every layout, against (a) a hand-written table of where each
// stored corner must land, (b) ImageMagick's -auto-orient output of the
// same image tagged with that orientation (testdata/orient_N.png, see
// make_resize.sh), and (c) imaging's transform of the source.
func TestOrientationCorners(t *testing.T) {
	src := loadPNG(t, "orient_src.png")
	var (
		red   = color.NRGBA{255, 0, 0, 255}
		green = color.NRGBA{0, 255, 0, 255}
		blue  = color.NRGBA{0, 0, 255, 255}
		white = color.NRGBA{255, 255, 255, 255}
	)
	// Display corners TL, TR, BL, BR, and the display position of the
	// marker's centre (stored at 4,4 in a 32x24 image).
	want := map[int]struct {
		corners [4]color.NRGBA
		mx, my  int
	}{
		1: {[4]color.NRGBA{red, green, blue, white}, 4, 4},
		2: {[4]color.NRGBA{green, red, white, blue}, 27, 4},
		3: {[4]color.NRGBA{white, blue, green, red}, 27, 19},
		4: {[4]color.NRGBA{blue, white, red, green}, 4, 19},
		5: {[4]color.NRGBA{red, blue, green, white}, 4, 4},
		6: {[4]color.NRGBA{blue, red, white, green}, 19, 4},
		7: {[4]color.NRGBA{white, green, blue, red}, 19, 27},
		8: {[4]color.NRGBA{green, white, red, blue}, 4, 27},
	}
	layouts := []struct {
		name string
		img  image.Image
		gray bool
		ctol int
	}{
		{"ycbcr420", toYCbCr(src, image.YCbCrSubsampleRatio420), false, 3},
		{"ycbcr444", toYCbCr(src, image.YCbCrSubsampleRatio444), false, 20},
		{"ycbcr422", toYCbCr(src, image.YCbCrSubsampleRatio422), false, 20},
		{"ycbcr440", toYCbCr(src, image.YCbCrSubsampleRatio440), false, 20},
		{"gray", toGray(src), true, 0},
		{"nrgba", imaging.Clone(src), false, 3},
		{"rgba", convertTo(image.NewRGBA(src.Bounds()), src), false, 3},
		{"nrgba alpha", func() image.Image {
			m := imaging.Clone(src)
			for i := 3; i < len(m.Pix); i += 4 {
				m.Pix[i] = 200
			}
			return m
		}(), false, 3},
		{"paletted", convertTo(image.NewPaletted(src.Bounds(), color.Palette{red, green, blue, white, color.NRGBA{0, 0, 0, 255}}), src), false, 3},
		{"nycbcra", func() image.Image {
			y := toYCbCr(src, image.YCbCrSubsampleRatio420)
			m := &image.NYCbCrA{YCbCr: *y, A: make([]uint8, len(y.Y)), AStride: y.YStride}
			for i := range m.A {
				m.A[i] = 255
			}
			return m
		}(), false, 3},
	}
	imagingOrient := map[int]func(image.Image) *image.NRGBA{
		1: imaging.Clone, 2: imaging.FlipH, 3: imaging.Rotate180, 4: imaging.FlipV,
		5: imaging.Transpose, 6: imaging.Rotate270, 7: imaging.Transverse, 8: imaging.Rotate90,
	}
	// near compares luma within 3 and chroma within ctol: layouts whose
	// chroma is resampled to 4:2:0 by the Lanczos filter ring a little
	// around the sharp colour edges (an orientation mistake is off by
	// more than 100).
	near := func(a, b color.Color, gray bool, ctol int) bool {
		ya, cba, cra := ycc(a)
		yb, cbb, crb := ycc(b)
		if gray {
			return absDiff(ya, yb) <= 3
		}
		return absDiff(ya, yb) <= 3 && int(absDiff(cba, cbb)) <= ctol && int(absDiff(cra, crb)) <= ctol
	}
	for _, l := range layouts {
		for o := 1; o <= 8; o++ {
			t.Run(fmt.Sprintf("%s/o%d", l.name, o), func(t *testing.T) {
				w, h := 32, 24
				if o >= 5 {
					w, h = h, w
				}
				got, err := Resize(l.img, o, w, h)
				if err != nil {
					t.Fatal(err)
				}
				if got.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("bounds %v, want %dx%d", got.Bounds(), w, h)
				}
				wt := want[o]
				corners := [4]image.Point{{1, 1}, {w - 2, 1}, {1, h - 2}, {w - 2, h - 2}}
				for i, p := range corners {
					if c := got.At(p.X, p.Y); !near(c, wt.corners[i], l.gray, l.ctol) {
						t.Errorf("corner %d at %v = %v, want %v", i, p, c, wt.corners[i])
					}
				}
				if c := got.At(wt.mx, wt.my); !near(c, color.Black, l.gray, l.ctol) {
					t.Errorf("marker at %d,%d = %v, want black", wt.mx, wt.my, c)
				}
				magick := loadPNG(t, fmt.Sprintf("orient_%d.png", o))
				ref := imagingOrient[o](l.img)
				if magick.Bounds() != got.Bounds() || ref.Bounds() != got.Bounds() {
					t.Fatalf("bounds: ImageMagick %v, imaging %v, ours %v", magick.Bounds(), ref.Bounds(), got.Bounds())
				}
				// The quadrant and marker edges fall on even coordinates,
				// so even 4:2:0 output reproduces every pixel.
				for y := range h {
					for x := range w {
						if !near(got.At(x, y), magick.At(x, y), l.gray, l.ctol) {
							t.Fatalf("pixel %d,%d = %v, ImageMagick has %v", x, y, got.At(x, y), magick.At(x, y))
						}
						if !near(got.At(x, y), ref.At(x, y), l.gray, l.ctol) {
							t.Fatalf("pixel %d,%d = %v, imaging has %v", x, y, got.At(x, y), ref.At(x, y))
						}
					}
				}
			})
		}
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// ycc returns the Y, Cb, Cr of c.
func ycc(c color.Color) (y, cb, cr uint8) {
	if v, ok := c.(color.YCbCr); ok {
		return v.Y, v.Cb, v.Cr
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return color.RGBToYCbCr(n.R, n.G, n.B)
}
