package encode

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// Generated test content. Every generator is deterministic.
type content func(x, y, w, h int, rng *rand.Rand) color.RGBA

var contents = []struct {
	name string
	gen  content
}{
	{"smooth", func(x, y, w, h int, _ *rand.Rand) color.RGBA {
		fx, fy := float64(x)/float64(w), float64(y)/float64(h)
		return color.RGBA{
			uint8(127 + 120*math.Sin(6*fx+2*fy)),
			uint8(127 + 120*math.Cos(4*fy-3*fx)),
			uint8(255 * fx * fy), 255}
	}},
	{"noisy", func(x, y, w, h int, rng *rand.Rand) color.RGBA {
		base := uint8(64 + 128*x/w)
		n := func() uint8 { return base + uint8(rng.IntN(64)) }
		return color.RGBA{n(), n(), n(), 255}
	}},
	{"text", func(x, y, w, h int, rng *rand.Rand) color.RGBA {
		// Lines of "glyphs": dark strokes on a light page, 12 px lines.
		line, col := y/12, x/7
		if y%12 < 9 && x%7 < 5 && (line*131+col*17)%5 != 0 {
			gx, gy := x%7, y%12
			if (gx+gy+line+col)%3 == 0 || gx == 0 || gy == 8 {
				return color.RGBA{20, 20, 30, 255}
			}
		}
		return color.RGBA{245, 242, 235, 255}
	}},
}

// rgbaImage renders gen at w×h.
func rgbaImage(w, h int, gen content) *image.RGBA {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetRGBA(x, y, gen(x, y, w, h, rng))
		}
	}
	return m
}

// transparentRect is the region made fully transparent in the alpha
// layouts: the top-left quarter.
func transparentRect(w, h int) image.Rectangle { return image.Rect(0, 0, w/2, h/2) }

// Layouts the tests feed JPEG: what decoders hand it.
var layouts = []struct {
	name  string
	alpha bool
	make  func(src *image.RGBA) image.Image
}{
	{"YCbCr420", false, func(src *image.RGBA) image.Image { return toYCbCr(src, image.YCbCrSubsampleRatio420) }},
	{"Gray", false, func(src *image.RGBA) image.Image {
		b := src.Bounds()
		g := image.NewGray(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				g.Set(x, y, src.At(x, y))
			}
		}
		return g
	}},
	{"NRGBA_alpha", true, func(src *image.RGBA) image.Image {
		b := src.Bounds()
		m := image.NewNRGBA(b)
		tr := transparentRect(b.Dx(), b.Dy())
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := src.RGBAAt(x, y)
				a := uint8(255 - (x*3)%64) // partly translucent elsewhere
				if image.Pt(x, y).In(tr) {
					c, a = color.RGBA{0, 0, 0, 0}, 0 // black under full transparency
				}
				m.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, a})
			}
		}
		return m
	}},
	{"NYCbCrA420", true, func(src *image.RGBA) image.Image {
		b := src.Bounds()
		ycc := toYCbCr(src, image.YCbCrSubsampleRatio420)
		m := &image.NYCbCrA{YCbCr: *ycc, A: make([]byte, b.Dx()*b.Dy()), AStride: b.Dx()}
		tr := transparentRect(b.Dx(), b.Dy())
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				a := uint8(255)
				if image.Pt(x, y).In(tr) {
					a = 0
				}
				m.A[m.AOffset(x, y)] = a
			}
		}
		return m
	}},
}

// toYCbCr converts src to an *image.YCbCr with the given subsampling,
// sampling chroma at the top-left pixel of each block.
func toYCbCr(src *image.RGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := src.Bounds()
	m := image.NewYCbCr(b, r)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			ci := m.COffset(x, y)
			m.Cb[ci], m.Cr[ci] = cb, cr
		}
	}
	return m
}

// noisyYCbCr is a w×h 4:2:0 image of noise at every scale: per-pixel noise
// plus random 32×32 cells, so it stays incompressible when shrunk.
func noisyYCbCr(w, h int) *image.YCbCr {
	state := uint64(0x9e3779b97f4a7c15)
	next := func() uint8 { // xorshift64: cheap enough for -race builds
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return uint8(state >> 32)
	}
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	cells := make([]uint8, 3*((w+31)/32+1)*((h+31)/32+1))
	for i := range cells {
		cells[i] = next()
	}
	planes := []struct {
		p      []byte
		stride int
		shift  int
	}{{m.Y, m.YStride, 0}, {m.Cb, m.CStride, 1}, {m.Cr, m.CStride, 1}}
	for k, pl := range planes {
		rows := len(pl.p) / pl.stride
		for y := 0; y < rows; y++ {
			for x := 0; x < pl.stride; x++ {
				cell := cells[k+3*(((y<<pl.shift)/32)*((w+31)/32+1)+(x<<pl.shift)/32)]
				pl.p[y*pl.stride+x] = cell/2 + next()/2
			}
		}
	}
	return m
}

// near reports whether a and b differ by at most tol.
func near(a, b uint8, tol int) bool {
	d := int(a) - int(b)
	return d >= -tol && d <= tol
}

func mustAppend(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	b, err := AppendJPEG(nil, img, q)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
