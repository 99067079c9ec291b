package resize

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

func TestFitSize(t *testing.T) {
	tests := []struct {
		name         string
		w, h, o, max int
		wantW, wantH int
	}{
		{"landscape 12MP", 4032, 3024, 1, 1920, 1920, 1440},
		{"landscape 12MP rotated", 4032, 3024, 6, 1920, 1440, 1920},
		{"portrait", 3024, 4032, 1, 1920, 1440, 1920},
		{"transpose swaps", 4032, 3024, 5, 1920, 1440, 1920},
		{"flip keeps axes", 4032, 3024, 2, 1920, 1920, 1440},
		{"orientation 8 swaps", 6000, 4000, 8, 1920, 1280, 1920},
		{"24MP 3:2", 6000, 4000, 1, 1920, 1920, 1280},
		{"rounds half up", 2000, 999, 1, 1000, 1000, 500},
		{"rounds down", 2000, 997, 1, 1000, 1000, 499},
		{"already fits", 1280, 960, 1, 1920, 1280, 960},
		{"fits rotated", 1280, 960, 6, 1920, 960, 1280},
		{"exactly max", 1920, 1080, 1, 1920, 1920, 1080},
		{"square", 5000, 5000, 3, 1920, 1920, 1920},
		{"thin keeps 1", 100000, 3, 1, 1920, 1920, 1},
		{"thin rotated keeps 1", 100000, 3, 7, 1920, 1, 1920},
		{"1x1", 1, 1, 1, 1920, 1, 1},
		{"max 1", 640, 480, 1, 1, 1, 1},
		{"zero width", 0, 10, 1, 1920, 0, 0},
		{"negative height", 10, -1, 1, 1920, 0, 0},
		{"orientation 0", 10, 10, 0, 1920, 0, 0},
		{"orientation 9", 10, 10, 9, 1920, 0, 0},
		{"maxSide 0", 10, 10, 1, 0, 0, 0},
		{"no overflow", 1 << 40, 1 << 39, 1, 1 << 30, 1 << 30, 1 << 29},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := FitSize(tt.w, tt.h, tt.o, tt.max)
			if w != tt.wantW || h != tt.wantH {
				t.Errorf("FitSize(%d, %d, %d, %d) = %d, %d; want %d, %d", tt.w, tt.h, tt.o, tt.max, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

// TestFitSizeRounding checks FitSize against float64 arithmetic over many
// shapes: the longer side is maxSide and the shorter is the rounded exact
// value. (imaging.Fit truncates instead, so it is up to 1 px short.)
func TestFitSizeRounding(t *testing.T) {
	for w := 1; w < 4000; w += 37 {
		for _, h := range []int{1, 2, 3, 199, 1079, 1080, 1081, 2999, 3024, 5001} {
			for _, maxSide := range []int{1, 100, 1920} {
				gw, gh := FitSize(w, h, 1, maxSide)
				long, short := max(w, h), min(w, h)
				ww, wh := w, h
				if long > maxSide {
					s := max(1, int(math.Floor(float64(short)*float64(maxSide)/float64(long)+0.5)))
					if w >= h {
						ww, wh = maxSide, s
					} else {
						ww, wh = s, maxSide
					}
				}
				if gw != ww || gh != wh {
					t.Fatalf("FitSize(%d, %d, 1, %d) = %dx%d, want %dx%d", w, h, maxSide, gw, gh, ww, wh)
				}
			}
		}
	}
}

func TestErrors(t *testing.T) {
	ok := newGray(8, 8, 0, 0)
	short := newYCbCr(8, 8, 0, 0, image.YCbCrSubsampleRatio420)
	short.Cb = short.Cb[:5]
	shortGray := newGray(8, 8, 0, 0)
	shortGray.Pix = shortGray.Pix[:60]
	tests := []struct {
		name string
		call func() (image.Image, error)
	}{
		{"orientation 0", func() (image.Image, error) { return Resize(ok, 0, 4, 4) }},
		{"orientation 9", func() (image.Image, error) { return Resize(ok, 9, 4, 4) }},
		{"orientation -1 Fit", func() (image.Image, error) { return Fit(ok, -1, 4) }},
		{"zero width", func() (image.Image, error) { return Resize(ok, 1, 0, 4) }},
		{"negative height", func() (image.Image, error) { return Resize(ok, 1, 4, -4) }},
		{"too many pixels", func() (image.Image, error) { return Resize(ok, 1, 1<<15, 1<<14) }},
		{"nil image", func() (image.Image, error) { return Resize(nil, 1, 4, 4) }},
		{"nil image Fit", func() (image.Image, error) { return Fit(nil, 1, 4) }},
		{"empty image", func() (image.Image, error) { return Resize(image.NewGray(image.Rect(3, 3, 3, 9)), 1, 4, 4) }},
		{"empty YCbCr", func() (image.Image, error) {
			return Fit(&image.YCbCr{SubsampleRatio: image.YCbCrSubsampleRatio420}, 1, 4)
		}},
		{"maxSide 0", func() (image.Image, error) { return Fit(ok, 1, 0) }},
		{"short chroma plane", func() (image.Image, error) { return Resize(short, 1, 4, 4) }},
		{"short gray pixels", func() (image.Image, error) { return Resize(shortGray, 6, 4, 4) }},
		{"one row shorter than its width", func() (image.Image, error) {
			return Resize(&image.Gray{Pix: make([]uint8, 3), Stride: 10, Rect: image.Rect(0, 0, 10, 1)}, 1, 4, 1)
		}},
		{"stride below width", func() (image.Image, error) {
			return Resize(&image.Gray{Pix: make([]uint8, 100), Stride: 5, Rect: image.Rect(0, 0, 10, 10)}, 1, 4, 4)
		}},
		{"short NRGBA pixels", func() (image.Image, error) {
			m := newNRGBA(8, 8, 0, 0)
			m.Pix = m.Pix[:100:100]
			return Resize(m, 6, 4, 4)
		}},
		{"short RGBA64 pixels", func() (image.Image, error) {
			m := image.NewRGBA64(image.Rect(0, 0, 8, 8))
			m.Pix = m.Pix[:511:511]
			return Resize(m, 1, 4, 4)
		}},
		{"short NYCbCrA alpha", func() (image.Image, error) {
			m := image.NewNYCbCrA(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
			m.A = m.A[:10:10]
			return Resize(m, 1, 4, 4)
		}},
		{"short NYCbCrA chroma", func() (image.Image, error) {
			m := image.NewNYCbCrA(image.Rect(1, 1, 9, 9), image.YCbCrSubsampleRatio420)
			m.Cr = m.Cr[:15:15]
			return Resize(m, 1, 4, 4)
		}},
		{"palette index out of range", func() (image.Image, error) {
			m := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White})
			m.Pix[42] = 7
			return Resize(m, 6, 4, 4)
		}},
		{"typed nil YCbCr", func() (image.Image, error) { return Resize((*image.YCbCr)(nil), 1, 4, 4) }},
		{"typed nil Gray Fit", func() (image.Image, error) { return Fit((*image.Gray)(nil), 1, 4) }},
		{"custom image that panics", func() (image.Image, error) { return Resize(panicky{}, 1, 4, 4) }},
		{"short luma plane", func() (image.Image, error) {
			m := newYCbCr(8, 8, 0, 0, image.YCbCrSubsampleRatio444)
			m.Y = m.Y[:63]
			return Resize(m, 8, 4, 4)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := tt.call()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if img != nil {
				t.Errorf("image = %T, want nil with an error", img)
			}
			if got := err.Error(); len(got) < 8 || got[:8] != "resize: " {
				t.Errorf("message %q lacks the package prefix", got)
			}
		})
	}
}

func TestFitReturnsInputWhenNothingToDo(t *testing.T) {
	for _, img := range []image.Image{
		newYCbCr(64, 48, 0, 0, image.YCbCrSubsampleRatio444),
		newGray(64, 48, 2, 2),
		newNRGBA(64, 48, 0, 0),
	} {
		t.Run(fmt.Sprintf("%T", img), func(t *testing.T) {
			got, err := Fit(img, 1, 64)
			if err != nil {
				t.Fatal(err)
			}
			if got != img {
				t.Errorf("Fit returned a new %T, want the input itself", got)
			}
			// Any other orientation must produce a new, oriented image.
			got, err = Fit(img, 6, 64)
			if err != nil {
				t.Fatal(err)
			}
			if got == img || got.Bounds() != image.Rect(0, 0, 48, 64) {
				t.Errorf("Fit(o=6) = %T %v, want a new 48x64 image", got, got.Bounds())
			}
		})
	}
}

var imagingOrient = map[int]func(image.Image) *image.NRGBA{
	1: imaging.Clone, 2: imaging.FlipH, 3: imaging.Rotate180, 4: imaging.FlipV,
	5: imaging.Transpose, 6: imaging.Rotate270, 7: imaging.Transverse, 8: imaging.Rotate90,
}

// reference is the naive pipeline: imaging's orientation copy, then
// imaging.Resize with Lanczos.
func reference(img image.Image, o, w, h int) *image.NRGBA {
	return imaging.Resize(imagingOrient[o](img), w, h, imaging.Lanczos)
}

// chromaOf returns the Cb and Cr of every pixel of img.
func chromaOf(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, 0, 2*b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			_, cb, cr := ycc(img.At(x, y))
			out = append(out, float64(cb), float64(cr))
		}
	}
	return out
}

// TestLayouts runs every layout through all 8 orientations at a range of
// sizes (odd, 1×N, N×1, odd chroma planes, non-zero and odd Min, equal
// size, upscale) and compares with the naive imaging pipeline.
func TestLayouts(t *testing.T) {
	layouts := []struct {
		name string
		make func(w, h, x0, y0 int) image.Image
		want string // output type
	}{
		{"ycbcr420", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio420) }, "*image.YCbCr"},
		{"ycbcr444", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio444) }, "*image.YCbCr"},
		{"ycbcr422", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio422) }, "*image.YCbCr"},
		{"ycbcr440", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio440) }, "*image.YCbCr"},
		{"ycbcr411", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio411) }, "*image.YCbCr"},
		{"ycbcr410", func(w, h, x0, y0 int) image.Image { return newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio410) }, "*image.YCbCr"},
		{"gray", func(w, h, x0, y0 int) image.Image { return newGray(w, h, x0, y0) }, "*image.Gray"},
		{"nrgba", func(w, h, x0, y0 int) image.Image { return newNRGBA(w, h, x0, y0) }, "*image.NRGBA"},
	}
	sizes := []struct {
		name         string
		w, h, x0, y0 int
		ow, oh       int // output size for o = 1..4 (swapped for 5..8)
		minY, minC   float64
	}{
		{"downscale 3.2x", 128, 96, 0, 0, 40, 30, 45, 35},
		{"odd sizes", 91, 67, 0, 0, 37, 27, 45, 35},
		{"odd Min", 91, 67, 3, 5, 37, 27, 45, 35},
		{"even Min", 90, 66, 10, 4, 31, 23, 45, 35},
		{"odd chroma planes", 45, 33, 0, 0, 15, 11, 45, 35},
		{"1xN", 1, 97, 0, 0, 1, 31, 45, 35},
		{"Nx1", 97, 1, 0, 0, 31, 1, 45, 35},
		{"1x1 to 1x1", 1, 1, 0, 0, 1, 1, 45, 35},
		{"to 1x1", 33, 21, 0, 0, 1, 1, 45, 35},
		{"same size", 33, 35, 1, 1, 33, 35, 45, 35},
		{"one axis", 64, 48, 0, 0, 64, 20, 45, 35},
		{"upscale", 17, 9, 0, 0, 40, 30, 45, 35},
	}
	for _, l := range layouts {
		for _, s := range sizes {
			src := l.make(s.w, s.h, s.x0, s.y0)
			for o := 1; o <= 8; o++ {
				t.Run(fmt.Sprintf("%s/%s/o%d", l.name, s.name, o), func(t *testing.T) {
					w, h := s.ow, s.oh
					if o >= 5 {
						w, h = h, w
					}
					got, err := Resize(src, o, w, h)
					if err != nil {
						t.Fatal(err)
					}
					if got.Bounds() != image.Rect(0, 0, w, h) {
						t.Fatalf("bounds %v, want 0,0-%d,%d", got.Bounds(), w, h)
					}
					if typ := fmt.Sprintf("%T", got); typ != l.want {
						t.Fatalf("type %s, want %s", typ, l.want)
					}
					if m, ok := got.(*image.YCbCr); ok && m.SubsampleRatio != image.YCbCrSubsampleRatio420 {
						t.Fatalf("subsampling %v, want 4:2:0", m.SubsampleRatio)
					}
					ref := reference(src, o, w, h)
					py := psnr(t, luma(got), luma(ref))
					pc := psnr(t, chromaOf(got), chromaOf(ref))
					t.Logf("PSNR vs imaging: luma %.1f dB, chroma %.1f dB", py, pc)
					if py < s.minY {
						t.Errorf("luma PSNR vs imaging %.1f dB < %.0f", py, s.minY)
					}
					if l.name != "gray" && pc < s.minC {
						t.Errorf("chroma PSNR vs imaging %.1f dB < %.0f", pc, s.minC)
					}
				})
			}
		}
	}
}

// TestAlphaKept checks that the generic path keeps transparency.
func TestAlphaKept(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for i := range src.Pix {
		src.Pix[i] = 0 // fully transparent black
	}
	for y := range 20 {
		for x := range 20 { // left half opaque red
			src.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 255})
		}
	}
	got, err := Resize(src, 6, 10, 20) // rotate 90° CW: left half → top half
	if err != nil {
		t.Fatal(err)
	}
	m, ok := got.(*image.NRGBA)
	if !ok {
		t.Fatalf("type %T, want *image.NRGBA", got)
	}
	if c := m.NRGBAAt(5, 2); c != (color.NRGBA{255, 0, 0, 255}) {
		t.Errorf("top = %v, want opaque red", c)
	}
	if c := m.NRGBAAt(5, 17); c.A != 0 {
		t.Errorf("bottom alpha = %d, want 0", c.A)
	}
}

// panicky is an image whose At panics, like a buggy custom type.
type panicky struct{}

func (panicky) ColorModel() color.Model { return color.RGBAModel }
func (panicky) Bounds() image.Rectangle { return image.Rect(0, 0, 8, 8) }
func (panicky) At(x, y int) color.Color { panic("boom") }

// custom is an image type neither this package nor imaging knows.
type custom struct{ image.Image }

// TestGenericLayouts runs the layouts served by the imaging fallback and
// the other non-planar layouts (RGBA with alpha, Paletted, NYCbCrA with
// alpha) and checks type, bounds, and agreement with the naive pipeline.
// Opaque Paletted input is resampled by the fused path into YCbCr 4:2:0.
func TestGenericLayouts(t *testing.T) {
	src := newNRGBA(53, 41, 0, 0)
	b := src.Bounds()
	convert := func(dst draw.Image) image.Image {
		draw.Draw(dst, b, src, b.Min, draw.Src)
		return dst
	}
	pal := image.NewPaletted(b, palette.WebSafe)
	draw.FloydSteinberg.Draw(pal, b, src, b.Min)
	nycc := image.NewNYCbCrA(b, image.YCbCrSubsampleRatio420)
	copy(nycc.Y, newYCbCr(53, 41, 0, 0, image.YCbCrSubsampleRatio420).Y)
	for i := range nycc.A {
		nycc.A[i] = uint8(100 + i%150)
	}
	for i := range nycc.Cb {
		nycc.Cb[i], nycc.Cr[i] = 120, 135
	}
	for _, tc := range []struct {
		name  string
		img   image.Image
		ycbcr bool // output *image.YCbCr rather than *image.NRGBA
	}{
		{"rgba", convert(image.NewRGBA(b)), false},
		{"rgba64", convert(image.NewRGBA64(b)), false},
		{"nrgba64", convert(image.NewNRGBA64(b)), false},
		{"gray16", convert(image.NewGray16(b)), false},
		{"cmyk", convert(image.NewCMYK(b)), false},
		{"paletted", pal, true},
		{"nycbcra", nycc, false},
		{"custom", custom{src}, false},
		{"ycbcr negative Min", func() image.Image {
			m := newYCbCr(53, 41, 0, 0, image.YCbCrSubsampleRatio420)
			m.Rect = m.Rect.Add(image.Pt(-7, -3))
			return m
		}(), false},
	} {
		for _, o := range []int{1, 6, 7} {
			t.Run(fmt.Sprintf("%s/o%d", tc.name, o), func(t *testing.T) {
				w, h := 20, 15
				if o >= 5 {
					w, h = h, w
				}
				got, err := Resize(tc.img, o, w, h)
				if err != nil {
					t.Fatal(err)
				}
				if got.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("bounds %v", got.Bounds())
				}
				ref := reference(tc.img, o, w, h)
				if tc.ycbcr {
					if _, ok := got.(*image.YCbCr); !ok {
						t.Fatalf("type %T, want *image.YCbCr", got)
					}
					py, pc := psnr(t, luma(got), luma(ref)), psnr(t, chromaOf(got), chromaOf(ref))
					if py < 45 || pc < 35 {
						t.Errorf("PSNR vs imaging: luma %.1f dB < 45 or chroma %.1f dB < 35", py, pc)
					}
					return
				}
				if _, ok := got.(*image.NRGBA); !ok {
					t.Fatalf("type %T, want *image.NRGBA", got)
				}
				if p := psnr(t, rgba(got), rgba(ref)); p < 45 {
					t.Errorf("PSNR vs imaging %.1f dB < 45", p)
				}
			})
		}
	}
}

// rgba returns img's non-premultiplied R, G, B, A values.
func rgba(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, 0, 4*b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			out = append(out, float64(c.R), float64(c.G), float64(c.B), float64(c.A))
		}
	}
	return out
}
