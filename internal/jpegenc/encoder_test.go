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
// output must be byte for byte image/jpeg's, single-threaded and in
// parallel stripes. 4:4:4, 4:2:2, ... keep chroma image/jpeg throws away:
// the decoded luma must equal image/jpeg's Gray encode of the luma plane
// and the PSNR must be at least image/jpeg's (minus 0.1 dB). For every
// sampling, the striped output (stripes forced even for small images)
// must be the single-threaded bytes, and OptimizeHuffman must decode to
// the same pixels and be smaller than the standard tables' output.
func TestDifferential(t *testing.T) {
	for _, c := range diffCases() {
		t.Run(c.name, func(t *testing.T) {
			if (testing.Short() || raceEnabled) && c.rect.Dx() > 1000 {
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
				if !bytes.Equal(one, std) {
					t.Errorf("output (%d bytes) differs from image/jpeg's (%d bytes) at byte %d; pixels same: %v",
						len(one), len(std), firstDiff(one, std), samePixels(got, want))
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

			for _, workers := range []int{2, 3} {
				striped := appendStriped(t, src, &Options{Quality: c.quality, Workers: workers})
				if !bytes.Equal(striped, one) {
					t.Errorf("Workers=%d striped output differs from Workers=1 at byte %d (%d vs %d bytes)",
						workers, firstDiff(striped, one), len(striped), len(one))
				}
			}

			opt, err := Append(nil, src, &Options{Quality: c.quality, OptimizeHuffman: true, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !samePixels(decode(t, opt), got) {
				t.Errorf("OptimizeHuffman output decodes differently")
			}
			if optStriped := appendStriped(t, src, &Options{Quality: c.quality, OptimizeHuffman: true, Workers: 3}); !bytes.Equal(optStriped, opt) {
				t.Errorf("OptimizeHuffman striped output differs from Workers=1 at byte %d", firstDiff(optStriped, opt))
			}
			if len(opt) >= len(one) {
				t.Errorf("OptimizeHuffman size %d, not below standard tables' %d", len(opt), len(one))
			}
		})
	}
}

// appendStriped is Append with stripes forced for images of any size (at
// least two MCU rows), so that small test images exercise the splice.
func appendStriped(t testing.TB, img image.Image, o *Options) []byte {
	t.Helper()
	s, err := o.settings()
	if err != nil {
		t.Fatal(err)
	}
	s.minParallel = 0
	out, err := s.encode(nil, img)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// firstDiff returns the index of the first byte where a and b differ, or
// the shorter length.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestStripesMatchStdlib is the central claim on images large enough to
// be striped by default: for 4:2:0 and Gray at several sizes (odd sides,
// odd Rect.Min, widths that put stripe ends at every bit offset) and
// qualities, Append's output is image/jpeg's bytes for Workers 0..5.
func TestStripesMatchStdlib(t *testing.T) {
	rects := []image.Rectangle{
		image.Rect(0, 0, 256, 256),
		image.Rect(0, 0, 333, 217),
		image.Rect(1, 3, 1+401, 3+171),
		image.Rect(0, 0, 1000, 70), // 5 MCU rows: 5 stripes of one row
	}
	for _, r := range rects {
		for _, gray := range []bool{false, true} {
			for _, q := range []int{35, 90} {
				name := fmt.Sprintf("%dx%d@%d,%d/q%d/420", r.Dx(), r.Dy(), r.Min.X, r.Min.Y, q)
				var src image.Image = newYCbCr(photoLike, r, image.YCbCrSubsampleRatio420, uint64(q))
				if gray {
					name = name[:len(name)-3] + "gray"
					src = newGray(photoLike, r, uint64(q))
				}
				t.Run(name, func(t *testing.T) {
					std := stdEncode(t, src, q)
					for workers := range 6 {
						out, err := Append(nil, src, &Options{Quality: q, Workers: workers})
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(out, std) {
							t.Errorf("Workers=%d: %d bytes, image/jpeg %d, first difference at byte %d", workers, len(out), len(std), firstDiff(out, std))
						}
					}
				})
			}
		}
	}
}

// TestPSNRvsStdlib checks the headline quality claim on photo-like 4:2:0
// content at the qualities mediaprep uses: PSNR within 0.1 dB of
// image/jpeg's and output no larger, with the standard and the optimised
// Huffman tables.
func TestPSNRvsStdlib(t *testing.T) {
	src := newYCbCr(photoLike, image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420, 3)
	for _, q := range []int{60, 75, 85, 90, 95} {
		t.Run(fmt.Sprintf("q%d", q), func(t *testing.T) {
			std := stdEncode(t, src, q)
			ps := psnr(t, src, decode(t, std))
			for _, o := range []Options{{Quality: q}, {Quality: q, OptimizeHuffman: true}} {
				ours, err := Append(nil, src, &o)
				if err != nil {
					t.Fatal(err)
				}
				if po := psnr(t, src, decode(t, ours)); math.Abs(po-ps) > 0.1 {
					t.Errorf("optimize=%v: PSNR %.3f dB, image/jpeg %.3f dB", o.OptimizeHuffman, po, ps)
				}
				if len(ours) > len(std) {
					t.Errorf("optimize=%v: size %d > image/jpeg's %d", o.OptimizeHuffman, len(ours), len(std))
				}
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
