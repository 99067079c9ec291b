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

// withAlpha returns a copy of the opaque NRGBA m whose alpha is a smooth
// ramp from 0 (left third) to 255 (right third), plus a fully transparent
// disc, so that every alpha level, zero included, occurs.
func withAlpha(m *image.NRGBA) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	copy(out.Pix, m.Pix)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := range h {
		for x := range w {
			u := (float64(x) + 0.5) / float64(w)
			a := clampF(255 * (3*u - 1))
			dx, dy := float64(x)-0.7*float64(w), float64(y)-0.5*float64(h)
			if dx*dx+dy*dy < float64(w*w)/64 {
				a = 0
			}
			out.Pix[y*out.Stride+4*x+3] = a
		}
	}
	return out
}

// opaqueNRGBA returns a w×h NRGBA image at (x0, y0) with content and alpha
// 255.
func opaqueNRGBA(w, h, x0, y0 int) *image.NRGBA {
	m := newNRGBA(w, h, x0, y0)
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 255
	}
	return m
}

// convertTo draws src into dst (draw.Src) and returns dst.
func convertTo(dst draw.Image, src image.Image) image.Image {
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

// alphaPalette is 256 colours: the WebSafe palette's first 216 colours
// opaque, then 40 at alpha levels from 0 to 253.
func alphaPalette() color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		if i < 216 {
			p[i] = palette.WebSafe[i]
			continue
		}
		k := i - 216
		p[i] = color.NRGBA{uint8(k * 6), uint8(255 - k*5), uint8(k * 3), uint8(k * 253 / 39)}
	}
	return p
}

// jpegStyle converts ref to what image/jpeg would encode: Y, Cb, Cr per
// pixel by color.RGBToYCbCr, chroma the rounded mean of each 2×2 block (of
// the pixels present at an odd edge).
func jpegStyle(ref *image.NRGBA) (y, cb, cr []float64) {
	w, h := ref.Rect.Dx(), ref.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	cbs, crs, n := make([]int, cw*ch), make([]int, cw*ch), make([]int, cw*ch)
	for j := range h {
		for i := range w {
			p := ref.Pix[j*ref.Stride+4*i:]
			yy, b, r := color.RGBToYCbCr(p[0], p[1], p[2])
			y = append(y, float64(yy))
			k := j/2*cw + i/2
			cbs[k] += int(b)
			crs[k] += int(r)
			n[k]++
		}
	}
	for k := range n {
		cb = append(cb, float64((cbs[k]+n[k]/2)/n[k]))
		cr = append(cr, float64((crs[k]+n[k]/2)/n[k]))
	}
	return y, cb, cr
}

// flattened returns the pixels of m composited onto white, R, G, B each,
// as the encoder will see them.
func flattened(m *image.NRGBA) []float64 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := make([]float64, 0, 3*w*h)
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < len(row); x += 4 {
			a := float64(row[x+3]) / 255
			out = append(out, float64(row[x])*a+255*(1-a), float64(row[x+1])*a+255*(1-a), float64(row[x+2])*a+255*(1-a))
		}
	}
	return out
}

// floatPremul is the exact separable Lanczos3 of src's premultiplied
// colour and alpha (floatLanczosRaw per channel) to w×h, composited onto
// white (R, G, B each) as an NRGBA output must be: colour divided by the
// resampled alpha, both clamped; and its alpha rounded.
func floatPremul(src *image.NRGBA, w, h int) (onWhite, alpha []float64) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	var ch [4][]float64
	for c := range 4 {
		vals := make([]float64, 0, sw*sh)
		for y := range sh {
			for x := range sw {
				p := src.Pix[y*src.Stride+4*x:]
				v := float64(p[c])
				if c < 3 {
					v = v * float64(p[3]) / 255
				}
				vals = append(vals, v)
			}
		}
		ch[c] = floatLanczosRaw(vals, sw, sh, w, h)
	}
	for i := range w * h {
		A := ch[3][i]
		a := math.Max(0, math.Min(255, A))
		if math.Round(a) == 0 {
			a = 0
		}
		alpha = append(alpha, math.Round(a))
		for c := range 3 {
			// The NRGBA colour is the premultiplied colour over the
			// unclamped alpha (as in imaging), clamped.
			nc := 0.0
			if a > 0 {
				nc = math.Max(0, math.Min(255, ch[c][i]*255/A))
			}
			onWhite = append(onWhite, nc*a/255+255-a)
		}
	}
	return onWhite, alpha
}

func alphas(m *image.NRGBA) []float64 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := make([]float64, 0, w*h)
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 3; x < len(row); x += 4 {
			out = append(out, float64(row[x]))
		}
	}
	return out
}

// TestInterleavedLayouts runs the fused path for NRGBA, RGBA, Paletted and
// NYCbCrA input, opaque and translucent, through all 8 orientations at odd,
// thin, offset, equal and upscaled sizes. Opaque input must come out as
// YCbCr 4:2:0 within 45 dB of imaging's resize (of the oriented image)
// converted the way image/jpeg converts RGB; translucent input as NRGBA
// within 45 dB of imaging's premultiplied resize, both composited onto
// white, and in alpha.
func TestInterleavedLayouts(t *testing.T) {
	type layout struct {
		name   string
		make   func(w, h, x0, y0 int) image.Image
		opaque bool
	}
	layouts := []layout{
		{"nrgba opaque", func(w, h, x0, y0 int) image.Image { return opaqueNRGBA(w, h, x0, y0) }, true},
		{"rgba opaque", func(w, h, x0, y0 int) image.Image {
			return convertTo(image.NewRGBA(image.Rect(x0, y0, x0+w, y0+h)), opaqueNRGBA(w, h, x0, y0))
		}, true},
		{"nrgba alpha", func(w, h, x0, y0 int) image.Image { return withAlpha(opaqueNRGBA(w, h, x0, y0)) }, false},
		{"rgba alpha", func(w, h, x0, y0 int) image.Image {
			return convertTo(image.NewRGBA(image.Rect(x0, y0, x0+w, y0+h)), withAlpha(opaqueNRGBA(w, h, x0, y0)))
		}, false},
		{"paletted opaque", func(w, h, x0, y0 int) image.Image {
			return convertTo(image.NewPaletted(image.Rect(x0, y0, x0+w, y0+h), palette.Plan9), opaqueNRGBA(w, h, x0, y0))
		}, true},
		{"paletted alpha", func(w, h, x0, y0 int) image.Image {
			m := image.NewPaletted(image.Rect(x0, y0, x0+w, y0+h), alphaPalette())
			for i := range m.Pix {
				m.Pix[i] = uint8(i*7 + i/5)
			}
			return m
		}, false},
		{"nycbcra opaque", func(w, h, x0, y0 int) image.Image {
			y := newYCbCr(w, h, x0, y0, image.YCbCrSubsampleRatio420)
			m := &image.NYCbCrA{YCbCr: *y, A: make([]uint8, w*h), AStride: w}
			for i := range m.A {
				m.A[i] = 255
			}
			return m
		}, true},
	}
	sizes := []struct {
		name         string
		w, h, x0, y0 int
		ow, oh       int // output size for o = 1..4 (swapped for 5..8)
	}{
		{"downscale 3.2x", 128, 96, 0, 0, 40, 30},
		{"odd sizes", 91, 67, 0, 0, 37, 27},
		{"odd Min", 91, 67, 3, 5, 37, 27},
		{"negative Min", 64, 40, -9, -4, 31, 23},
		{"1xN", 1, 97, 0, 0, 1, 31},
		{"Nx1", 97, 1, 0, 0, 31, 1},
		{"to 1x1", 33, 21, 0, 0, 1, 1},
		{"same size", 33, 35, 1, 1, 33, 35},
		{"one axis", 64, 48, 0, 0, 64, 21},
		{"upscale", 17, 9, 0, 0, 40, 31},
		{"several tiles", 300, 140, 1, 0, 271, 127}, // crosses tileCols and tileRows
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
					ref := reference(src, o, w, h)
					if nyc, ok := src.(*image.NYCbCrA); ok {
						// Opaque NYCbCrA is its YCbCr: the planar path's
						// output exactly (which a negative Min sends to
						// imaging, into NRGBA).
						want, err := Resize(&nyc.YCbCr, o, w, h)
						if err != nil {
							t.Fatal(err)
						}
						if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
							t.Fatalf("type %T, want %T", got, want)
						}
						if p := psnr(t, rgba(got), rgba(want)); !math.IsInf(p, 1) {
							t.Errorf("differs from its YCbCr's resize: %.1f dB", p)
						}
						return
					}
					if !l.opaque {
						m, ok := got.(*image.NRGBA)
						if !ok {
							t.Fatalf("type %T, want *image.NRGBA", got)
						}
						// imaging clamps alpha (and rounds everything to 8
						// bits) between its passes, which changes the
						// result near sharp alpha edges: it is compared
						// loosely, the exact float64 premultiplied
						// Lanczos3 tightly.
						pf, pa := psnr(t, flattened(m), flattened(ref)), psnr(t, alphas(m), alphas(ref))
						ef, ea := math.Inf(1), math.Inf(1)
						if (o == 1 || o == 7) && s.w*s.h < 20000 { // plain; swapped and flipped: enough for the slow reference
							exactF, exactA := floatPremul(imagingOrient[o](src), w, h)
							ef, ea = psnr(t, flattened(m), exactF), psnr(t, alphas(m), exactA)
						}
						t.Logf("PSNR on white / alpha: vs imaging %.1f / %.1f dB, vs float64 Lanczos3 %.1f / %.1f dB", pf, pa, ef, ea)
						if pf < 35 || pa < 35 || ef < 50 || ea < 50 {
							t.Errorf("PSNR on white / alpha: vs imaging %.1f / %.1f dB (want ≥ 35), vs float64 Lanczos3 %.1f / %.1f dB (want ≥ 50)", pf, pa, ef, ea)
						}
						return
					}
					m, ok := got.(*image.YCbCr)
					if !ok || m.SubsampleRatio != image.YCbCrSubsampleRatio420 {
						t.Fatalf("type %T, want *image.YCbCr 4:2:0", got)
					}
					wy, wcb, wcr := jpegStyle(ref)
					cw, ch := (w+1)/2, (h+1)/2
					py := psnr(t, planeValues(m.Y, m.YStride, w, h), wy)
					pcb := psnr(t, planeValues(m.Cb, m.CStride, cw, ch), wcb)
					pcr := psnr(t, planeValues(m.Cr, m.CStride, cw, ch), wcr)
					t.Logf("PSNR vs imaging + image/jpeg 4:2:0: Y %.1f dB, Cb %.1f dB, Cr %.1f dB", py, pcb, pcr)
					if py < 45 || pcb < 45 || pcr < 45 {
						t.Errorf("PSNR vs imaging + image/jpeg 4:2:0: Y %.1f, Cb %.1f, Cr %.1f dB, want ≥ 45", py, pcb, pcr)
					}
				})
			}
		}
	}
}

// TestOpaqueScaleOneIsExact checks that orienting opaque RGB without
// scaling reproduces color.RGBToYCbCr's luma of every pixel exactly, and
// chroma as image/jpeg would subsample it (within rounding).
func TestOpaqueScaleOneIsExact(t *testing.T) {
	src := opaqueNRGBA(37, 23, 2, 1)
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprintf("o%d", o), func(t *testing.T) {
			w, h := 37, 23
			if o >= 5 {
				w, h = h, w
			}
			got, err := Resize(src, o, w, h)
			if err != nil {
				t.Fatal(err)
			}
			m := got.(*image.YCbCr)
			wy, wcb, wcr := jpegStyle(imagingOrient[o](src))
			cw, ch := (w+1)/2, (h+1)/2
			if py := psnr(t, planeValues(m.Y, m.YStride, w, h), wy); !math.IsInf(py, 1) {
				t.Errorf("luma differs from RGBToYCbCr: %.1f dB", py)
			}
			for i, c := range [][]float64{planeValues(m.Cb, m.CStride, cw, ch), planeValues(m.Cr, m.CStride, cw, ch)} {
				want := [][]float64{wcb, wcr}[i]
				for k := range c {
					if math.Abs(c[k]-want[k]) > 1 {
						t.Fatalf("chroma %d sample %d = %v, image/jpeg-style %v", i, k, c[k], want[k])
					}
				}
			}
		})
	}
}

// TestPremultipliedResampling checks the alpha weighting: an opaque red
// square on transparent black must not get dark fringes (transparent
// pixels carry no colour), fully transparent areas stay transparent, and
// the same picture as premultiplied RGBA gives the same result.
func TestPremultipliedResampling(t *testing.T) {
	const n = 60
	src := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 20; y < 40; y++ {
		for x := 20; x < 40; x++ {
			src.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 255})
		}
	}
	premul := convertTo(image.NewRGBA(src.Rect), src)
	for _, o := range []int{1, 6} {
		got, err := Resize(src, o, 23, 23)
		if err != nil {
			t.Fatal(err)
		}
		m := got.(*image.NRGBA)
		for y := range 23 {
			for x := range 23 {
				c := m.NRGBAAt(x, y)
				if c.A >= 8 && (c.R < 250 || c.G > 3 || c.B > 3) {
					t.Errorf("o%d pixel %d,%d = %v: colour not red (alpha not weighted)", o, x, y, c)
				}
				if (x < 4 || x > 18 || y < 4 || y > 18) && c != (color.NRGBA{}) {
					t.Errorf("o%d pixel %d,%d = %v, want transparent black", o, x, y, c)
				}
			}
		}
		if c := m.NRGBAAt(11, 11); c != (color.NRGBA{255, 0, 0, 255}) {
			t.Errorf("o%d centre = %v, want opaque red", o, c)
		}
		got2, err := Resize(premul, o, 23, 23)
		if err != nil {
			t.Fatal(err)
		}
		if p := psnr(t, rgba(got2), rgba(got)); p < 50 {
			t.Errorf("o%d RGBA and NRGBA input differ: %.1f dB", o, p)
		}
	}
}

// TestOpacityDecidesOutput checks that a single translucent pixel anywhere
// (in particular in the last, partial word of a row) makes the output
// NRGBA, and that its absence makes it YCbCr, for widths around the 8- and
// 32-byte steps of the alpha scan.
func TestOpacityDecidesOutput(t *testing.T) {
	for _, w := range []int{1, 2, 3, 7, 8, 9, 15, 17} {
		for _, at := range []image.Point{{-1, -1}, {0, 0}, {w - 1, 2}, {w / 2, 4}} {
			t.Run(fmt.Sprintf("w%d/%v", w, at), func(t *testing.T) {
				src := opaqueNRGBA(w, 5, 3, 0)
				pa := image.NewPaletted(src.Rect, color.Palette{color.Black, color.Transparent})
				nyc := &image.NYCbCrA{YCbCr: *newYCbCr(w, 5, 3, 0, image.YCbCrSubsampleRatio420), A: make([]uint8, 5*w), AStride: w}
				for i := range nyc.A {
					nyc.A[i] = 255
				}
				if at.X >= 0 {
					src.Pix[at.Y*src.Stride+4*at.X+3] = 254
					pa.Pix[at.Y*pa.Stride+at.X] = 1
					nyc.A[at.Y*nyc.AStride+at.X] = 254
				}
				for _, img := range []image.Image{src, convertTo(image.NewRGBA(src.Rect), src), pa, nyc} {
					want := img.(interface{ Opaque() bool }).Opaque()
					got, err := Resize(img, 6, 5, w)
					if err != nil {
						t.Fatal(err)
					}
					if _, isYCC := got.(*image.YCbCr); isYCC != want {
						t.Errorf("%T (opaque %v) → %T", img, want, got)
					}
				}
			})
		}
	}
}

func TestOpaqueScans(t *testing.T) {
	for w := 1; w < 40; w++ {
		for pos := -1; pos < w; pos += 3 {
			p4 := plane{pix: make([]uint8, 4*w*3), stride: 4 * w, w: 4 * w, h: 3}
			p1 := plane{pix: make([]uint8, w*3), stride: w, w: w, h: 3}
			for i := range p1.pix {
				p1.pix[i] = 255
				p4.pix[4*i+3] = 255
			}
			if pos >= 0 {
				p1.pix[2*w+pos] = 0x7f
				p4.pix[4*(2*w+pos)+3] = 0x7f
				p4.pix[4*(2*w+pos)] = 0 // colour bytes never matter
			}
			if got := opaque4(p4); got != (pos < 0) {
				t.Errorf("opaque4 w%d pos%d = %v", w, pos, got)
			}
			if got := opaque1(p1); got != (pos < 0) {
				t.Errorf("opaque1 w%d pos%d = %v", w, pos, got)
			}
		}
	}
}

func TestInterleavedErrors(t *testing.T) {
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, nil})
	pal.Pix[9] = 1
	short := image.NewPaletted(image.Rect(0, 0, 8, 8), palette.Plan9)
	short.Pix = short.Pix[:50]
	rgba := image.NewRGBA(image.Rect(2, 2, 10, 10))
	rgba.Stride = 3
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"nil palette entry", pal},
		{"short Paletted pixels", short},
		{"RGBA stride below width", rgba},
		{"NRGBA width whose byte count overflows", &image.NRGBA{Pix: make([]uint8, 64), Stride: 16, Rect: image.Rect(0, 0, 1<<62+1, 2)}},
		{"NRGBA64 width whose byte count overflows", &image.NRGBA64{Pix: make([]uint8, 64), Stride: 16, Rect: image.Rect(0, 0, 1<<61+1, 2)}},
		{"NYCbCrA alpha too short", &image.NYCbCrA{YCbCr: *newYCbCr(8, 8, 0, 0, image.YCbCrSubsampleRatio420), A: make([]uint8, 60), AStride: 8}},
		{"panicking palette colour", image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{badColor{}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resize(tc.img, 6, 4, 4)
			if !errors.Is(err, ErrInvalid) || got != nil {
				t.Fatalf("Resize = %v, %v; want nil, ErrInvalid", got, err)
			}
		})
	}
}

type badColor struct{}

func (badColor) RGBA() (r, g, b, a uint32) { panic("bad colour") }

// TestRGBQualityAgainstIdeal is TestQualityAgainstIdeal for RGB input: a
// grey band-limited field as opaque NRGBA; the output luma must be as
// close to the ideal downscale as imaging's best filter.
func TestRGBQualityAgainstIdeal(t *testing.T) {
	const sw, sh = 281, 211
	all := append(append([]wave{}, lowWaves...), highWaves...)
	src := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for y := range sh {
		for x := range sw {
			v := clampF(field(all, float64(x)+0.5, float64(y)+0.5))
			copy(src.Pix[y*src.Stride+4*x:], []uint8{v, v, v, 255})
		}
	}
	for _, c := range []struct{ o, w, h int }{{1, 90, 67}, {6, 67, 90}, {3, 91, 69}, {7, 53, 71}} {
		t.Run(fmt.Sprintf("o%d_%dx%d", c.o, c.w, c.h), func(t *testing.T) {
			want := ideal(lowWaves, c.o, sw, sh, c.w, c.h, 1)
			got, err := Resize(src, c.o, c.w, c.h)
			if err != nil {
				t.Fatal(err)
			}
			m := got.(*image.YCbCr)
			ours := psnr(t, planeValues(m.Y, m.YStride, c.w, c.h), want)
			best := math.Inf(-1)
			for _, f := range []imaging.ResampleFilter{imaging.Lanczos, imaging.CatmullRom} {
				best = math.Max(best, psnr(t, luma(imaging.Resize(imagingOrient[c.o](src), c.w, c.h, f)), want))
			}
			t.Logf("vs ideal: ours %.2f dB, imaging's best %.2f dB", ours, best)
			if ours < best-0.1 {
				t.Errorf("ours %.2f dB below imaging's best %.2f dB", ours, best)
			}
		})
	}
}

// TestScratchBounded checks that a unit's scratch depends on the source
// width only, not on the output size: a hostile 1×2^26 or 2^26×1 output
// must not make every worker allocate gigabytes.
func TestScratchBounded(t *testing.T) {
	for _, kind := range []taskKind{kindRGBToYCbCr, kindToNRGBA} {
		for _, swap := range []bool{false, true} {
			for _, d := range []plane{{w: 1, h: 1 << 26}, {w: 1 << 26, h: 1}, {w: 1 << 13, h: 1 << 13}} {
				tk := task{kind: kind, swap: swap, src: plane{w: 4 * 100, h: 7}, dst: d}
				n32, n64 := tk.scratch()
				if n32 > 4*100*bandCols+3*bandCols*tileRows+6*tileCols || n64 > 2*100*bandCols {
					t.Errorf("kind %d swap %v output %dx%d: scratch %d int32 + %d int64", kind, swap, d.w, d.h, n32, n64)
				}
			}
		}
	}
}
