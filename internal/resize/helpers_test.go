package resize

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// content is a deterministic test picture in continuous luma coordinates
// (pixel (i, j) covers [i, i+1)×[j, j+1)): smooth colour gradients plus
// oriented waves, so that scaling, orientation and chroma mistakes all
// change the output. Values are Y, Cb, Cr, kept inside the RGB gamut (Y in
// 35..205, chroma within ±25 of 128) so that RGB-based references see the
// same content without clamping.
func content(x, y, w, h float64) (yy, cb, cr float64) {
	u, v := x/w, y/h
	yy = 70 + 100*u*v + 20*math.Sin(2*math.Pi*(3*u+2*v)) + 15*math.Cos(2*math.Pi*5*v)
	cb = 128 + 30*(u-0.5) + 10*math.Sin(2*math.Pi*2*v)
	cr = 128 + 30*(v-0.5) - 10*math.Cos(2*math.Pi*2*u)
	return yy, cb, cr
}

func clampF(f float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(f))))
}

// newYCbCr returns a w×h YCbCr image at origin (x0, y0) filled with
// content: luma at pixel centres, chroma at the centres of the chroma
// samples (JPEG siting).
func newYCbCr(w, h, x0, y0 int, r image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(x0, y0, x0+w, y0+h), r)
	fx, fy, _ := subsampling(r)
	for y := y0; y < y0+h; y++ {
		for x := x0; x < x0+w; x++ {
			yy, _, _ := content(float64(x-x0)+0.5, float64(y-y0)+0.5, float64(w), float64(h))
			m.Y[m.YOffset(x, y)] = clampF(yy)
		}
	}
	for y := y0; y < y0+h; y++ {
		for x := x0; x < x0+w; x++ {
			// centre of the chroma sample holding (x, y), in local luma units
			cx := float64((x/fx)*fx-x0) + float64(fx)/2
			cy := float64((y/fy)*fy-y0) + float64(fy)/2
			_, cb, cr := content(cx, cy, float64(w), float64(h))
			i := m.COffset(x, y)
			m.Cb[i], m.Cr[i] = clampF(cb), clampF(cr)
		}
	}
	return m
}

func newGray(w, h, x0, y0 int) *image.Gray {
	m := image.NewGray(image.Rect(x0, y0, x0+w, y0+h))
	for y := range h {
		for x := range w {
			yy, _, _ := content(float64(x)+0.5, float64(y)+0.5, float64(w), float64(h))
			m.Pix[y*m.Stride+x] = clampF(yy)
		}
	}
	return m
}

func newNRGBA(w, h, x0, y0 int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(x0, y0, x0+w, y0+h))
	for y := range h {
		for x := range w {
			yy, cb, cr := content(float64(x)+0.5, float64(y)+0.5, float64(w), float64(h))
			r, g, b := color.YCbCrToRGB(clampF(yy), clampF(cb), clampF(cr))
			i := y*m.Stride + 4*x
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = r, g, b, uint8(128+x%128)
		}
	}
	return m
}

// luma returns the BT.601 luma of every pixel of img, reading the Y plane
// directly for YCbCr and Gray.
func luma(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			switch m := img.(type) {
			case *image.YCbCr:
				out = append(out, float64(m.Y[m.YOffset(x, y)]))
			case *image.Gray:
				out = append(out, float64(m.Pix[m.PixOffset(x, y)]))
			default:
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				out = append(out, 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B))
			}
		}
	}
	return out
}

// psnr returns the peak signal-to-noise ratio of a against b in dB (+Inf
// when equal).
func psnr(t *testing.T, a, b []float64) float64 {
	t.Helper()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("psnr: lengths %d and %d", len(a), len(b))
	}
	var se float64
	for i := range a {
		d := a[i] - b[i]
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(len(a))))
}
