package resize

import (
	"bytes"
	"fmt"
	"image"
	"math/rand/v2"
	"testing"
)

// kernelMode is one choice of kernels: the Go int32 passes (the
// reference), the Go int16 path, the AVX2 kernels on int32 (vertical1
// only) and the AVX2 int16 path. Every mode must give the same bytes.
type kernelMode struct {
	name      string
	avx2, p16 bool
}

var kernelModes = []kernelMode{
	{"go", false, false},
	{"go16", false, true},
	{"avx2", true, false},
	{"avx2-16", true, true},
}

// withKernels runs fn with the kernels of m and restores the previous ones.
func withKernels(m kernelMode, fn func()) {
	a, p := useAVX2, use16
	defer func() { useAVX2, use16 = a, p }()
	useAVX2, use16 = m.avx2 && haveAVX2, m.p16
	fn()
}

// randWeights returns n weights of one of several shapes: uniform over
// ±max16, all at ±max16 (the extremes the kernels accept), or small enough
// that pass-1 values fit int16 (so vertical16 can take them).
func randWeights(rng *rand.Rand, n, shape int) []int32 {
	ws := make([]int32, n)
	for k := range ws {
		switch shape % 3 {
		case 0:
			ws[k] = rng.Int32N(2*max16+1) - max16
		case 1:
			ws[k] = max16
			if rng.IntN(2) == 0 {
				ws[k] = -max16
			}
		default:
			lim := int32(min(max16, 32000/n))
			ws[k] = rng.Int32N(2*lim+1) - lim
		}
	}
	return ws
}

// randBytes fills a slice with random bytes or one of the extreme patterns.
func randBytes(rng *rand.Rand, n, shape int) []uint8 {
	b := make([]uint8, n)
	for i := range b {
		switch shape % 4 {
		case 0, 1:
			b[i] = uint8(rng.Uint32())
		case 2:
			b[i] = 255
		default:
			b[i] = uint8(255 * (i & 1))
		}
	}
	return b
}

// p1Fits reports whether pass-1 values of ws fit int16 (as fits16 checks).
func p1Fits(ws []int32) bool {
	var pos, neg int64
	for _, w := range ws {
		if w > 0 {
			pos += int64(w)
		} else {
			neg += int64(w)
		}
	}
	return (128+255*pos)>>midShift <= max16 && (128+255*neg)>>midShift >= -max16
}

var kernelWidths = []int{1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 129, 200}

// TestVertical1Differential compares the AVX2 pass 1 (int32 and int16
// output) with vertical1Go on random and extreme rows, every tap count
// 1..41 and widths around the 16-column blocks, on source slices that end
// exactly at the last byte read.
func TestVertical1Differential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for taps := 1; taps <= 41; taps++ {
		for _, w := range kernelWidths {
			shape := rng.IntN(12)
			t.Run(fmt.Sprintf("taps%d/w%d", taps, w), func(t *testing.T) {
				stride := w + rng.IntN(5)
				start := rng.IntN(3)
				src := randBytes(rng, (start+taps-1)*stride+w, shape)
				ws := randWeights(rng, taps, shape)
				want := make([]int32, w)
				vertical1Go(want, src, stride, start, ws)
				for _, m := range kernelModes {
					got := make([]int32, w)
					withKernels(m, func() { vertical1(got, src, stride, start, ws) })
					if i := firstDiff32(got, want); i >= 0 {
						t.Fatalf("%s: vertical1[%d] = %d, want %d (weights %v)", m.name, i, got[i], want[i], ws)
					}
					if !p1Fits(ws) {
						continue
					}
					wp := make([]uint32, (taps+1)/2)
					packPairs(wp, ws)
					got16 := make([]int16, w)
					withKernels(m, func() { vertical16(got16, src, stride, start, ws, wp) })
					for i := range want {
						if int32(got16[i]) != want[i] {
							t.Fatalf("%s: vertical16[%d] = %d, want %d (weights %v)", m.name, i, got16[i], want[i], ws)
						}
					}
				}
			})
		}
	}
}

func firstDiff32(a, b []int32) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// randAxis returns an axis of n outputs with taps random weights each (of
// shape shape) reading a source of srcN samples at random starts.
func randAxis(rng *rand.Rand, n, taps, srcN, shape int) *axis {
	a := &axis{taps: taps, start: make([]int32, n), w: randWeights(rng, n*taps, shape)}
	for v := range a.start {
		a.start[v] = int32(rng.IntN(srcN - taps + 1))
	}
	return a
}

// randValues returns n pass-1 values within ±max16 (random, extreme or a
// ±max16 alternation) followed by 8 random values that pass 2 reads
// with zero weights only.
func randValues(rng *rand.Rand, n, shape int) (v16 []int16, v32 []int32) {
	v16 = make([]int16, n+8)
	v32 = make([]int32, n)
	for i := range v16 {
		x := int32(rng.IntN(1<<16)) - 1<<15 // garbage past n
		if i < n {
			switch shape % 4 {
			case 0, 1:
				x = rng.Int32N(2*max16+1) - max16
			case 2:
				x = max16
			default:
				x = max16 * int32(1-2*(i&1))
			}
			v32[i] = x
		}
		v16[i] = int16(x)
	}
	return v16, v32
}

// TestHorizontal16Differential compares the int16 pass 2 (AVX2 and Go)
// with horizontal2 on the same values: every tap count 1..41, output
// counts around the 8-output groups, random and extreme values and
// weights, random garbage in the padding past the row.
func TestHorizontal16Differential(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for taps := 1; taps <= 41; taps++ {
		for _, n := range []int{1, 3, 7, 8, 9, 15, 16, 17, 24, 33, 64, 100} {
			shape := rng.IntN(12)
			t.Run(fmt.Sprintf("taps%d/n%d", taps, n), func(t *testing.T) {
				srcN := taps + rng.IntN(40)
				a := randAxis(rng, n, taps, srcN, shape)
				v16, v32 := randValues(rng, srcN, shape/3)
				want := make([]uint8, n)
				horizontal2(want, v32, a)
				var l axis16
				l.buildPass2(a)
				for _, m := range kernelModes {
					got := make([]uint8, n)
					withKernels(m, func() { horizontal16(got, v16, a, &l) })
					if !bytes.Equal(got, want) {
						t.Fatalf("%s: horizontal16 = %v, want %v", m.name, got, want)
					}
				}
			})
		}
	}
}

// TestHorizontal16TDifferential is TestHorizontal16Differential for the
// axis-swapping pass 2: band widths 1..20 (the kernel does 8 columns at a
// time), output rows around the weight groups, destination slices that
// end at the last byte written.
func TestHorizontal16TDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for taps := 1; taps <= 41; taps += 1 + taps/8 {
		for nb := 1; nb <= 20; nb++ {
			for _, ny := range []int{1, 7, 9, 16, 23} {
				shape := rng.IntN(12)
				srcN := taps + rng.IntN(30)
				a := randAxis(rng, ny, taps, srcN, shape)
				v16, v32 := randValues(rng, nb*srcN, shape/3)
				dstride := nb + rng.IntN(4)
				want := make([]uint8, (ny-1)*dstride+nb)
				horizontal2T(want, dstride, nb, v32, srcN, a)
				var l axis16
				l.buildPass2(a)
				for _, m := range kernelModes {
					got := make([]uint8, len(want))
					withKernels(m, func() { horizontal16T(got, dstride, nb, v16, srcN, a, &l) })
					for y := range ny {
						if g, w := got[y*dstride:y*dstride+nb], want[y*dstride:y*dstride+nb]; !bytes.Equal(g, w) {
							t.Fatalf("taps %d nb %d ny %d %s: row %d = %v, want %v", taps, nb, ny, m.name, y, g, w)
						}
					}
				}
			}
		}
	}
}

// TestFits16RealWeights checks that the int16 path covers the Lanczos3
// weights Resize builds (downscales up to 40×, upscales, chroma phases),
// so that it is not silently skipped, and that fits16 rejects weights it
// cannot take.
func TestFits16RealWeights(t *testing.T) {
	for _, src := range []int{1, 2, 3, 5, 17, 100, 1001, 4032} {
		for _, dst := range []int{1, 2, 7, 64, 333, 1920} {
			for _, s := range []axisSpec{
				{dstN: dst, dstF: 1, dstL: dst, srcN: src, srcF: 1, srcL: src},
				{dstN: (dst + 1) / 2, dstF: 2, dstL: dst, srcN: (src + 1) / 2, srcF: 2, srcL: src, srcPha: 1, flip: true},
				{dstN: (dst + 1) / 2, dstF: 2, dstL: dst, srcN: (src + 3) / 4, srcF: 4, srcL: src, srcPha: 3},
			} {
				var a axis
				a.build(s, lanczos3)
				if !fits16(&a, &a) {
					t.Errorf("%+v: Lanczos3 weights do not fit the int16 path", s)
				}
			}
		}
	}
	a := &axis{taps: 3, start: []int32{0}, w: []int32{max16, max16, -max16}}
	if fits16(a, a) {
		t.Errorf("fits16 accepted pass-1 sums of 255·2·max16")
	}
	b := &axis{taps: 1, start: []int32{0}, w: []int32{max16 + 1}}
	if fits16(a, b) || fits16(b, b) {
		t.Errorf("fits16 accepted weight %d", max16+1)
	}
}

// noise returns n random bytes, with runs of 0 and 255 (the largest
// Lanczos overshoot) mixed in.
func noise(rng *rand.Rand, n int) []uint8 {
	b := make([]uint8, n)
	for i := range b {
		switch (i / 13) % 4 {
		case 0:
			b[i] = uint8(255 * ((i / 3) & 1))
		default:
			b[i] = uint8(rng.Uint32())
		}
	}
	return b
}

// TestKernelPathsAgree runs Resize with every kernel mode over YCbCr of
// every subsampling, Gray and opaque NRGBA (which uses vertical1 on 4-byte
// pixels), all 8 orientations, odd sizes and non-zero origins, down- and
// upscaling, and requires identical bytes.
func TestKernelPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	type size struct{ w, h, ow, oh int }
	sizes := []size{{203, 151, 97, 72}, {160, 120, 45, 31}, {77, 45, 151, 89}, {41, 33, 1, 1}, {19, 23, 7, 5}, {333, 37, 20, 3}}
	var imgs []image.Image
	for i, s := range sizes {
		r := image.Rect(i%3, i%2, i%3+s.w, i%2+s.h)
		y := image.NewYCbCr(r, ratios[i%len(ratios)])
		copy(y.Y, noise(rng, len(y.Y)))
		copy(y.Cb, noise(rng, len(y.Cb)))
		copy(y.Cr, noise(rng, len(y.Cr)))
		g := image.NewGray(r)
		copy(g.Pix, noise(rng, len(g.Pix)))
		n := image.NewNRGBA(r)
		copy(n.Pix, noise(rng, len(n.Pix)))
		for j := 3; j < len(n.Pix); j += 4 {
			n.Pix[j] = 255
		}
		imgs = append(imgs, y, g, n)
	}
	for i, img := range imgs {
		s := sizes[i/3]
		for o := 1; o <= 8; o++ {
			ow, oh := s.ow, s.oh
			name := fmt.Sprintf("%T/%dx%d/o%d", img, s.w, s.h, o)
			t.Run(name, func(t *testing.T) {
				var want image.Image
				for _, m := range kernelModes {
					var got image.Image
					var err error
					withKernels(m, func() { got, err = Resize(img, o, ow, oh) })
					if err != nil {
						t.Fatalf("%s: %v", m.name, err)
					}
					if want == nil {
						want = got
						continue
					}
					if !samePixels(got, want) {
						t.Fatalf("%s: output differs from the Go kernels'", m.name)
					}
				}
			})
		}
	}
}

// samePixels reports whether a and b are the same layout with equal bytes.
func samePixels(a, b image.Image) bool {
	switch a := a.(type) {
	case *image.YCbCr:
		b, ok := b.(*image.YCbCr)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Y, b.Y) && bytes.Equal(a.Cb, b.Cb) && bytes.Equal(a.Cr, b.Cr)
	case *image.Gray:
		b, ok := b.(*image.Gray)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
	case *image.NRGBA:
		b, ok := b.(*image.NRGBA)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
	}
	return false
}

// TestInt16PathTaken checks that planar tasks of typical photos take the
// int16 path when use16 is on, for both axis orders.
func TestInt16PathTaken(t *testing.T) {
	withKernels(kernelMode{avx2: true, p16: true}, func() {
		for _, o := range []int{1, 6} {
			p := new(plan)
			src := plane{pix: make([]uint8, 400*300), stride: 400, w: 400, h: 300}
			W, H := FitSize(400, 300, o, 190)
			p.addTask(0, o, W, H, 1, src, plane{pix: make([]uint8, W*H), stride: W, w: W, h: H}, srcGeom{fx: 1, fy: 1, extW: 400, extH: 300}, -1)
			if !p.tasks[0].p16 {
				t.Errorf("orientation %d: task not on the int16 path", o)
			}
			if err := p.run(); err != nil {
				t.Fatal(err)
			}
			var q plan
			tk := task{src: plane{w: 4 * 400, h: 300}, pass1: pass1Bytes, xa: &q.axes[0], ya: &q.axes[1], swap: swapsAxes(o)}
			xs, ys := axisSpecs(o, W, H, 1, plane{w: 400, h: 300}, srcGeom{fx: 1, fy: 1, extW: 400, extH: 300})
			tk.xa.build(xs, lanczos3)
			tk.ya.build(ys, lanczos3)
			q.use16RGB(&tk)
			if !tk.p16 {
				t.Errorf("orientation %d: opaque RGB task not on the int16 path", o)
			}
		}
	})
}

// rgbReference runs the Go packed pass 2 of the opaque path (packRBG,
// horizontalRBG or horizontalRBGT) over int32 copies of the 4-channel
// values v32 (rows of n pixels) and returns its tile.
func rgbReference(v32 []int32, rows, n int, a *axis, swap bool, y0, y1 int) []int32 {
	rb, g := make([]int64, rows*n), make([]int32, rows*n)
	for j := range rows {
		packRBG(rb[j*n:(j+1)*n], g[j*n:(j+1)*n], v32[4*j*n:4*(j+1)*n])
	}
	if !swap {
		tile := make([]int32, 3*(y1-y0))
		horizontalRBG(tile, rb, g, a, y0)
		return tile
	}
	tile := make([]int32, 3*rows*(y1-y0))
	horizontalRBGT(tile, 3*rows, rows, rb, g, n, a, y0, y1)
	return tile
}

// TestRGB16Differential compares the int16 pass 2 of opaque 4-channel
// rows (AVX2 and Go) with the packed Go pass 2 on the same values, for
// both axis orders: tap counts 1..41, random, extreme and alternating
// values (Lanczos overshoot) with weights that keep every sum in int32.
func TestRGB16Differential(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for taps := 1; taps <= 41; taps++ {
		for _, swap := range []bool{false, true} {
			shape := rng.IntN(12)
			n := taps + rng.IntN(40) // source pixels
			outs := 1 + rng.IntN(40)
			rows := 1
			if swap {
				rows = 1 + rng.IntN(17)
			}
			a := randAxis(rng, outs, taps, n, 2) // Σ|w| ≤ 32000: sums fit
			if shape%3 == 1 {
				for i := range a.w { // extremes at the int32 limit
					a.w[i] = int32(min(max16, 65000/taps)) * int32(1-2*rng.IntN(2))
				}
			}
			if !fitsRGB16(&axis{taps: 1, start: []int32{0}, w: []int32{weightOne}}, a) {
				t.Fatalf("taps %d: test weights do not fit", taps)
			}
			v16, v32 := randValues(rng, 4*rows*n, shape/3)
			v16 = append(v16, make([]int16, rgbSlack-8)...)
			y0 := rng.IntN(outs)
			want := rgbReference(v32, rows, n, a, swap, y0, outs)
			var l axis16
			l.buildPass2RGB(a)
			for _, m := range kernelModes {
				got := make([]int32, len(want))
				withKernels(m, func() {
					if swap {
						horizontalRGB16T(got, 3*rows, rows, v16, 4*n, a, &l, y0, outs)
					} else {
						horizontalRGB16(got, v16, a, &l, y0)
					}
				})
				if i := firstDiff32(got, want); i >= 0 {
					t.Fatalf("taps %d swap %v %s: value %d = %d, want %d", taps, swap, m.name, i, got[i], want[i])
				}
			}
		}
	}
}
