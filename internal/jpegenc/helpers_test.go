package jpegenc

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
)

// pattern fills a sample at (x, y) of a w×h plane; c selects the channel.
type pattern func(x, y, w, h, c int, r *rand.Rand) uint8

func clamp8(v float64) uint8 {
	return uint8(min(max(math.Round(v), 0), 255))
}

// patterns are the generated contents of the differential tests.
var patterns = map[string]pattern{
	"gradient": func(x, y, w, h, c int, _ *rand.Rand) uint8 {
		return clamp8(float64((x*255)/max(w, 1)+(y*128)/max(h, 1)+c*40) / 1.5)
	},
	"noise": func(_, _, _, _, _ int, r *rand.Rand) uint8 {
		return uint8(r.IntN(256))
	},
	// text: dark glyph-like strokes on a light page, hard edges.
	"text": func(x, y, _, _, c int, _ *rand.Rand) uint8 {
		if c > 0 {
			return 128 + uint8((x/16+y/16)%3)
		}
		if (y%12 < 2 || (x%9 < 2 && y%12 < 9)) && (x/40+y/24)%4 != 3 {
			return 20
		}
		return 235
	},
	"photo": photoLike,
}

// photoLike is smooth, photo-like content: a few low-frequency waves, some
// edges and mild sensor noise.
func photoLike(x, y, w, h, c int, r *rand.Rand) uint8 {
	fx, fy := float64(x)/float64(max(w, 1)), float64(y)/float64(max(h, 1))
	v := 128 + 60*math.Sin(fx*7+float64(c)) + 40*math.Cos(fy*5+fx*3) + 20*math.Sin((fx+fy)*40)
	if (x/97+y/61)%5 == 0 {
		v -= 50
	}
	if c > 0 {
		v = 128 + (v-128)/3
	}
	return clamp8(v + r.NormFloat64()*4)
}

// newYCbCr makes an image of the pattern with the given Rect and ratio.
func newYCbCr(p pattern, rect image.Rectangle, ratio image.YCbCrSubsampleRatio, seed uint64) *image.YCbCr {
	m := image.NewYCbCr(rect, ratio)
	r := rand.New(rand.NewPCG(seed, 1))
	w, h := rect.Dx(), rect.Dy()
	for y := range h {
		for x := range w {
			m.Y[y*m.YStride+x] = p(x, y, w, h, 0, r)
		}
	}
	cw := m.CStride
	ch := len(m.Cb) / cw
	for y := range ch {
		for x := range cw {
			m.Cb[y*cw+x] = p(x, y, cw, ch, 1, r)
			m.Cr[y*cw+x] = p(x, y, cw, ch, 2, r)
		}
	}
	return m
}

func newGray(p pattern, rect image.Rectangle, seed uint64) *image.Gray {
	m := image.NewGray(rect)
	r := rand.New(rand.NewPCG(seed, 2))
	w, h := rect.Dx(), rect.Dy()
	for y := range h {
		for x := range w {
			m.Pix[y*m.Stride+x] = p(x, y, w, h, 0, r)
		}
	}
	return m
}

// psnr is the peak signal-to-noise ratio in dB between two images of the
// same bounds, over R, G and B.
func psnr(t testing.TB, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes differ: %v vs %v", a.Bounds(), b.Bounds())
	}
	ab, bb := a.Bounds(), b.Bounds()
	var se float64
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []float64{
				float64(r1>>8) - float64(r2>>8),
				float64(g1>>8) - float64(g2>>8),
				float64(b1>>8) - float64(b2>>8),
			} {
				se += d * d
			}
		}
	}
	mse := se / float64(3*ab.Dx()*ab.Dy())
	if mse == 0 {
		return 99
	}
	return 10 * math.Log10(255*255/mse)
}

// stdEncode encodes m with image/jpeg.
func stdEncode(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("image/jpeg cannot decode our output: %v", err)
	}
	return m
}

// toYCbCr420 converts any image to 4:2:0 YCbCr, averaging chroma over 2×2.
func toYCbCr420(src image.Image) *image.YCbCr {
	b := src.Bounds()
	m := image.NewYCbCr(image.Rect(0, 0, b.Dx(), b.Dy()), image.YCbCrSubsampleRatio420)
	cw := (b.Dx() + 1) / 2
	sumCb := make([]int, len(m.Cb))
	sumCr := make([]int, len(m.Cr))
	cnt := make([]int, len(m.Cb))
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, g, bl, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			m.Y[y*m.YStride+x] = yy
			i := (y/2)*cw + x/2
			sumCb[i] += int(cb)
			sumCr[i] += int(cr)
			cnt[i]++
		}
	}
	for i := range cnt {
		m.Cb[i] = uint8((sumCb[i] + cnt[i]/2) / cnt[i])
		m.Cr[i] = uint8((sumCr[i] + cnt[i]/2) / cnt[i])
	}
	return m
}
