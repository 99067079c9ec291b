package jpegenc

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"testing"
)

// ratios are the YCbCr subsampling ratios Append writes natively.
var ratios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio422,
	image.YCbCrSubsampleRatio444,
	image.YCbCrSubsampleRatio440,
	image.YCbCrSubsampleRatio411,
	image.YCbCrSubsampleRatio410,
}

// diffCase is one image of the differential test against image/jpeg.
type diffCase struct {
	name    string
	pattern string
	rect    image.Rectangle
	ratio   image.YCbCrSubsampleRatio
	gray    bool
	quality int
}

func diffCases() []diffCase {
	var cs []diffCase
	rects := []image.Rectangle{
		image.Rect(0, 0, 1, 1),
		image.Rect(0, 0, 7, 13),
		image.Rect(0, 0, 17, 9),
		image.Rect(0, 0, 64, 48),
		image.Rect(3, 5, 3+45, 5+38),  // odd Min: chroma grid not MCU-aligned
		image.Rect(2, 4, 2+33, 4+17),  // even Min
		image.Rect(0, 0, 300, 240),    // large enough for parallel stripes
		image.Rect(-6, -2, -6+21, 19), // negative Min
	}
	for _, pat := range []string{"gradient", "noise", "text", "photo"} {
		for _, r := range rects {
			for _, ratio := range ratios {
				cs = append(cs, diffCase{
					name:    fmt.Sprintf("%s/%dx%d@%d,%d/%v", pat, r.Dx(), r.Dy(), r.Min.X, r.Min.Y, ratio),
					pattern: pat, rect: r, ratio: ratio, quality: 90,
				})
			}
			cs = append(cs, diffCase{
				name:    fmt.Sprintf("%s/%dx%d@%d,%d/gray", pat, r.Dx(), r.Dy(), r.Min.X, r.Min.Y),
				pattern: pat, rect: r, gray: true, quality: 90,
			})
		}
	}
	for _, q := range []int{1, 10, 50, 75, 85, 100} {
		cs = append(cs,
			diffCase{name: fmt.Sprintf("photo/q%d/420", q), pattern: "photo", rect: image.Rect(0, 0, 80, 56), ratio: image.YCbCrSubsampleRatio420, quality: q},
			diffCase{name: fmt.Sprintf("photo/q%d/444", q), pattern: "photo", rect: image.Rect(0, 0, 80, 56), ratio: image.YCbCrSubsampleRatio444, quality: q},
			diffCase{name: fmt.Sprintf("photo/q%d/gray", q), pattern: "photo", rect: image.Rect(0, 0, 80, 56), gray: true, quality: q},
		)
	}
	// One image bigger than 1920×1440 with odd sides.
	cs = append(cs, diffCase{name: "photo/1921x1441/420", pattern: "photo", rect: image.Rect(0, 0, 1921, 1441), ratio: image.YCbCrSubsampleRatio420, quality: 85})
	return cs
}

func (c diffCase) image() image.Image {
	if c.gray {
		return newGray(patterns[c.pattern], c.rect, 7)
	}
	return newYCbCr(patterns[c.pattern], c.rect, c.ratio, 7)
}

// samePixels reports whether two decoded images hold identical samples.
func samePixels(a, b image.Image) bool {
	switch a := a.(type) {
	case *image.Gray:
		b, ok := b.(*image.Gray)
		return ok && a.Rect.Size() == b.Rect.Size() && planeEqual(a.Pix, a.Stride, b.Pix, b.Stride, a.Rect.Dx(), a.Rect.Dy())
	case *image.YCbCr:
		b, ok := b.(*image.YCbCr)
		if !ok || a.Rect.Size() != b.Rect.Size() || a.SubsampleRatio != b.SubsampleRatio {
			return false
		}
		cw, ch := len(a.Cb)/a.CStride, a.CStride
		return planeEqual(a.Y, a.YStride, b.Y, b.YStride, a.Rect.Dx(), a.Rect.Dy()) &&
			planeEqual(a.Cb, a.CStride, b.Cb, b.CStride, ch, cw) &&
			planeEqual(a.Cr, a.CStride, b.Cr, b.CStride, ch, cw)
	}
	return false
}

func planeEqual(a []byte, as int, b []byte, bs int, w, h int) bool {
	for y := range h {
		if !bytes.Equal(a[y*as:y*as+w], b[y*bs:y*bs+w]) {
			return false
		}
	}
	return true
}

// lumaOf returns the luma plane of src as a Gray image.
func lumaOf(m *image.YCbCr) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, m.Rect.Dx(), m.Rect.Dy()))
	for y := range m.Rect.Dy() {
		copy(g.Pix[y*g.Stride:], m.Y[y*m.YStride:y*m.YStride+m.Rect.Dx()])
	}
	return g
}

// TestDifferential compares Append with image/jpeg on generated images.
//
// Like with like (Gray, and 4:2:0, which image/jpeg writes natively): the
// decoded pixels must be identical to image/jpeg's (so PSNR is the same)
// and the output no larger apart from the 18-byte JFIF APP0 segment that
// image/jpeg omits. 4:4:4, 4:2:2, ... keep chroma image/jpeg throws away:
// the decoded luma must equal image/jpeg's Gray encode of the luma plane
// and the PSNR must be at least image/jpeg's (minus 0.1 dB).
// Every output must decode identically with restart stripes and with
// OptimizeHuffman, which must also make it smaller than image/jpeg's.
func TestDifferential(t *testing.T) {
	for _, c := range diffCases() {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.rect.Dx() > 1000 {
				t.Skip("large image skipped in -short and -race runs")
			}
			src := c.image()
			one, err := Append(nil, src, &Options{Quality: c.quality, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := decode(t, one)
			if got.Bounds().Size() != c.rect.Size() {
				t.Fatalf("decoded size %v, want %v", got.Bounds().Size(), c.rect.Size())
			}
			std := stdEncode(t, src, c.quality)
			want := decode(t, std)

			likeWithLike := c.gray || c.ratio == image.YCbCrSubsampleRatio420
			if likeWithLike {
				if !samePixels(got, want) {
					t.Errorf("decoded pixels differ from image/jpeg's (PSNR %.3f vs %.3f dB)", psnr(t, src, got), psnr(t, src, want))
				}
				if n := len(one) - len(jfifAPP0); n > len(std) {
					t.Errorf("size %d (+%d JFIF) > image/jpeg's %d", n, len(jfifAPP0), len(std))
				}
			} else {
				// 4:1:1 and 4:1:0 code fewer chroma blocks than image/jpeg's
				// 4:2:0 re-subsampling of them, so only the others must beat it.
				if c.ratio != image.YCbCrSubsampleRatio411 && c.ratio != image.YCbCrSubsampleRatio410 {
					pOurs, pStd := psnr(t, src, got), psnr(t, src, want)
					if pOurs < pStd-0.1 {
						t.Errorf("PSNR %.3f dB < image/jpeg's %.3f dB - 0.1", pOurs, pStd)
					}
				}
				checkChroma(t, src.(*image.YCbCr), got.(*image.YCbCr), c.quality)
				luma := lumaOf(src.(*image.YCbCr))
				wantY := decode(t, stdEncode(t, luma, c.quality)).(*image.Gray)
				gy := got.(*image.YCbCr)
				if !planeEqual(gy.Y, gy.YStride, wantY.Pix, wantY.Stride, c.rect.Dx(), c.rect.Dy()) {
					t.Errorf("decoded luma differs from image/jpeg's Gray encode of the luma plane")
				}
			}

			striped, err := Append(nil, src, &Options{Quality: c.quality, Workers: 3})
			if err != nil {
				t.Fatal(err)
			}
			if !samePixels(decode(t, striped), got) {
				t.Errorf("Workers=3 output decodes differently from Workers=1")
			}
			f, _ := newFrame(src)
			p := f.plan(3)
			if limit := len(one) + p.stripes*8 + 6; len(striped) > limit {
				t.Errorf("striped size %d > %d (single %d, %d stripes)", len(striped), limit, len(one), p.stripes)
			}

			opt, err := Append(nil, src, &Options{Quality: c.quality, OptimizeHuffman: true})
			if err != nil {
				t.Fatal(err)
			}
			if !samePixels(decode(t, opt), got) {
				t.Errorf("OptimizeHuffman output decodes differently")
			}
			if likeWithLike && len(opt) >= len(std) {
				t.Errorf("OptimizeHuffman size %d, not below image/jpeg's %d", len(opt), len(std))
			}
			if len(opt) >= len(striped) {
				t.Errorf("OptimizeHuffman size %d, not below standard tables' %d", len(opt), len(striped))
			}
		})
	}
}

// TestPSNRvsStdlib checks the headline quality claim on photo-like 4:2:0
// content at the qualities mediaprep uses: PSNR within 0.1 dB of
// image/jpeg's and output no larger (JFIF APP0 aside).
func TestPSNRvsStdlib(t *testing.T) {
	src := newYCbCr(photoLike, image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420, 3)
	for _, q := range []int{60, 75, 85, 90, 95} {
		t.Run(fmt.Sprintf("q%d", q), func(t *testing.T) {
			ours, err := Append(nil, src, &Options{Quality: q})
			if err != nil {
				t.Fatal(err)
			}
			std := stdEncode(t, src, q)
			po, ps := psnr(t, src, decode(t, ours)), psnr(t, src, decode(t, std))
			if math.Abs(po-ps) > 0.1 {
				t.Errorf("PSNR %.3f dB, image/jpeg %.3f dB", po, ps)
			}
			if len(ours)-len(jfifAPP0)-6-16*8 > len(std) {
				t.Errorf("size %d > image/jpeg's %d", len(ours), len(std))
			}
		})
	}
}

// checkChroma compares the decoded chroma planes with refReconstruct of
// the source planes (aligned frames only: the oracle reads planes as is):
// their PSNR against the source must be within 1 dB of the oracle's. An
// occasional coefficient rounded the other way moves it by a few tenths; a
// misplaced or mis-quantised block by many dB.
func checkChroma(t *testing.T, src, got *image.YCbCr, quality int) {
	t.Helper()
	f, _ := newFrame(src)
	if !f.aligned {
		return
	}
	q := scaledQuant(quality)
	for i, pl := range [][2][]byte{{src.Cb, got.Cb}, {src.Cr, got.Cr}} {
		plane, cw, ch := chromaPlane(src, pl[0])
		ref := refReconstruct(plane, cw, cw, ch, &q[1])
		pRef := planePSNR(plane, cw, ref, cw, cw, ch)
		pGot := planePSNR(plane, cw, pl[1], got.CStride, cw, ch)
		if pGot < pRef-1 {
			t.Errorf("chroma plane %d: PSNR %.2f dB, float reference %.2f dB", i, pGot, pRef)
		}
	}
}

func planePSNR(a []byte, as int, b []byte, bs int, w, h int) float64 {
	var se float64
	for y := range h {
		for x := range w {
			d := float64(a[y*as+x]) - float64(b[y*bs+x])
			se += d * d
		}
	}
	if se == 0 {
		return 99
	}
	return 10 * math.Log10(255*255*float64(w*h)/se)
}
