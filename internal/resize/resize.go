package resize

import (
	"errors"
	"fmt"
	"image"
	"math/bits"
)

// MaxOutputPixels bounds the output of [Resize] (w·h), so that a wrong
// argument cannot make it allocate gigabytes. 1<<28 pixels is 256 MiB of
// luma, far above any upload target.
const MaxOutputPixels = 1 << 28

var (
	// ErrInvalid reports an argument Fit or Resize cannot work with: an
	// orientation outside 1..8, a non-positive size, an empty or nil image,
	// an output over MaxOutputPixels, or a malformed image value (pixel
	// slices shorter than its bounds claim, palette indexes out of range,
	// nil or panicking palette colours).
	// Returned errors wrap it with detail; match with errors.Is.
	ErrInvalid = errors.New("resize: invalid argument")
	// ErrInternal reports a bug in this package caught at run time (a
	// recovered panic in a worker). It is never expected.
	ErrInternal = errors.New("resize: internal error")
)

// swapsAxes reports whether orientation o displays a w×h image as h×w.
func swapsAxes(o int) bool { return o >= 5 }

// FitSize returns the output dimensions for an image of w×h stored pixels
// with EXIF orientation o (1..8; 5..8 swap axes) such that the longer side
// is ≤ maxSide, never upscaling, aspect ratio kept (rounded, each side ≥ 1).
// The longer side of a scaled image is exactly maxSide. It returns 0, 0 when
// an argument is out of range (w, h or maxSide ≤ 0, o outside 1..8). It is
// pure, allocation-free and safe for concurrent use.
func FitSize(w, h, o, maxSide int) (int, int) {
	if w <= 0 || h <= 0 || maxSide <= 0 || o < 1 || o > 8 {
		return 0, 0
	}
	if swapsAxes(o) {
		w, h = h, w
	}
	if w <= maxSide && h <= maxSide {
		return w, h
	}
	// scaled returns round(short·maxSide/long), at least 1, in 128-bit
	// arithmetic (the quotient is < maxSide, so it cannot overflow).
	scaled := func(short, long int) int {
		hi, lo := bits.Mul64(uint64(short), uint64(maxSide))
		lo, c := bits.Add64(lo, uint64(long)/2, 0)
		q, _ := bits.Div64(hi+c, lo, uint64(long))
		return max(int(q), 1)
	}
	if w >= h {
		return maxSide, scaled(h, w)
	}
	return scaled(w, h), maxSide
}

// Fit orients img by EXIF orientation o and scales it so that its longer
// side is ≤ maxSide (never upscaling), with the output size from [FitSize].
// When o == 1 and img already fits, it returns img itself, unchanged.
// Otherwise it behaves like [Resize]: *image.YCbCr and opaque colour
// images become *image.YCbCr 4:2:0, *image.Gray stays *image.Gray, images
// with transparency and the remaining layouts become *image.NRGBA.
// Errors wrap [ErrInvalid]. Safe for concurrent use; img is only read.
func Fit(img image.Image, o, maxSide int) (image.Image, error) {
	if err := check(img, o); err != nil {
		return nil, err
	}
	if maxSide <= 0 {
		return nil, fmt.Errorf("%w: maxSide %d ≤ 0", ErrInvalid, maxSide)
	}
	b := img.Bounds()
	w, h := FitSize(b.Dx(), b.Dy(), o, maxSide)
	if o == 1 && w == b.Dx() && h == b.Dy() {
		return img, nil
	}
	return Resize(img, o, w, h)
}

// Resize orients img by EXIF orientation o and resamples it to exactly w×h
// (w, h are the OUTPUT dimensions, after orientation: for o in 5..8 the
// source's height becomes the output's width). The filter is Lanczos3,
// stretched when downscaling. The output always has Min = (0, 0) and is a
// new image:
//   - *image.YCbCr (any subsampling, Min ≥ 0) → *image.YCbCr 4:2:0, each
//     plane resampled from its own resolution (JPEG-centred chroma), in
//     parallel on GOMAXPROCS goroutines, allocating only the output;
//   - *image.Gray → *image.Gray, likewise;
//   - *image.NRGBA, *image.RGBA, *image.Paletted and *image.NYCbCrA whose
//     alpha is 255 everywhere → *image.YCbCr 4:2:0: resampled in RGB
//     (NYCbCrA: as its YCbCr planes), likewise fused and parallel, and
//     converted with color.RGBToYCbCr's coefficients at the output size,
//     chroma from the mean of each 2×2 block; deciding opacity reads every
//     alpha value once, stopping at the first translucent row;
//   - the same layouts with transparency → *image.NRGBA with alpha kept,
//     colour resampled premultiplied by alpha, likewise fused and
//     parallel;
//   - anything else (NYCbCrA with transparency, CMYK, 16-bit, custom
//     types) → *image.NRGBA with alpha kept, via imaging.Resize (Lanczos)
//     and an orientation copy; this path converts the whole image to
//     4-byte pixels and is several times slower.
//
// Errors wrap [ErrInvalid]: o outside 1..8, w or h ≤ 0, w·h over
// [MaxOutputPixels], an empty or nil image, or a malformed image value
// (pixel slices shorter than the bounds claim, palette indexes out of
// range, a nil palette colour, a panic in a custom image's or colour's
// methods). Safe for concurrent use; img is only read.
func Resize(img image.Image, o, w, h int) (image.Image, error) {
	if err := check(img, o); err != nil {
		return nil, err
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: output size %dx%d", ErrInvalid, w, h)
	}
	if int64(w)*int64(h) > MaxOutputPixels {
		return nil, fmt.Errorf("%w: output size %dx%d over %d pixels", ErrInvalid, w, h, MaxOutputPixels)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		out, ok, err := resizeYCbCr(m, o, w, h)
		if err != nil {
			return nil, err
		}
		if ok {
			return out, nil
		}
	case *image.Gray:
		out, err := resizeGray(m, o, w, h)
		if err != nil {
			return nil, err
		}
		return out, nil
	case *image.NRGBA, *image.RGBA, *image.Paletted, *image.NYCbCrA:
		out, ok, err := resizeInterleaved(m, o, w, h)
		if err != nil {
			return nil, err
		}
		if ok {
			return out, nil
		}
	}
	out, err := resizeOther(img, o, w, h)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// check validates the arguments common to Fit and Resize.
func check(img image.Image, o int) error {
	if o < 1 || o > 8 {
		return fmt.Errorf("%w: orientation %d not in 1..8", ErrInvalid, o)
	}
	if img == nil {
		return fmt.Errorf("%w: nil image", ErrInvalid)
	}
	b, err := bounds(img)
	if err != nil {
		return err
	}
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return fmt.Errorf("%w: empty image %v", ErrInvalid, b)
	}
	return nil
}

// bounds returns img.Bounds(), turning a panic (a typed nil pointer such
// as (*image.YCbCr)(nil), or a broken custom type) into ErrInvalid.
func bounds(img image.Image) (b image.Rectangle, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %T.Bounds panicked: %v", ErrInvalid, img, r)
		}
	}()
	return img.Bounds(), nil
}

// flips reports whether orientation o reverses the source axis that the
// output's columns (fx) and rows (fy) are read along.
func flips(o int) (fx, fy bool) {
	switch o {
	case 2:
		return true, false
	case 3:
		return true, true
	case 4:
		return false, true
	case 5:
		return false, false
	case 6:
		return true, false
	case 7:
		return true, true
	case 8:
		return false, true
	}
	return false, false
}

// srcGeom is the geometry of one source plane in luma pixels.
type srcGeom struct {
	fx, fy   int // luma pixels per sample horizontally / vertically
	phx, phy int // luma offset of sample 0 (see axisSpec.srcPha)
	extW     int // image width in luma pixels
	extH     int // image height in luma pixels
}

// axisSpecs returns the column and row axis specs for an output plane of
// dstW×dstH samples (dstF luma pixels per sample; W×H luma) read from source
// plane src with geometry g under orientation o.
func axisSpecs(o, W, H, dstF int, src plane, g srcGeom) (xs, ys axisSpec) {
	fx, fy := flips(o)
	dw, dh := (W+dstF-1)/dstF, (H+dstF-1)/dstF
	colAxis := axisSpec{srcN: src.w, srcF: g.fx, srcL: g.extW, srcPha: g.phx}
	rowAxis := axisSpec{srcN: src.h, srcF: g.fy, srcL: g.extH, srcPha: g.phy}
	if swapsAxes(o) {
		xs, ys = rowAxis, colAxis
	} else {
		xs, ys = colAxis, rowAxis
	}
	xs.dstN, xs.dstF, xs.dstL, xs.flip = dw, dstF, W, fx
	ys.dstN, ys.dstF, ys.dstL, ys.flip = dh, dstF, H, fy
	return xs, ys
}

// addTask builds the weights of output plane dst from source plane src and
// appends the task to p, using p.axes[2*i], p.axes[2*i+1], or the axes of
// task shareWith when that is ≥ 0 (Cr shares the weights of Cb).
func (p *plan) addTask(i, o, W, H, dstF int, src, dst plane, g srcGeom, shareWith int) {
	if shareWith >= 0 {
		t := p.tasks[shareWith]
		p.tasks[p.n] = task{src: src, dst: dst, xa: t.xa, ya: t.ya, swap: t.swap, p16: t.p16, v16: t.v16, h16: t.h16}
		p.n++
		return
	}
	xa, ya := &p.axes[2*i], &p.axes[2*i+1]
	xs, ys := axisSpecs(o, W, H, dstF, src, g)
	xa.build(xs, lanczos3)
	ya.build(ys, lanczos3)
	t := task{src: src, dst: dst, xa: xa, ya: ya, swap: swapsAxes(o)}
	// The int16 path: pass 1 runs along ya (xa when swapped), pass 2
	// along the other axis.
	p1, p2 := ya, xa
	l1, l2 := &p.ax16[2*i+1], &p.ax16[2*i]
	if t.swap {
		p1, p2, l1, l2 = xa, ya, l2, l1
	}
	if use16 && (xa.taps > 1 || ya.taps > 1) && fits16(p1, p2) {
		l1.buildPass1(p1)
		l2.buildPass2(p2)
		t.p16, t.v16, t.h16 = true, l1, l2
	}
	p.tasks[p.n] = t
	p.n++
}

func runPlan(p *plan) error {
	err := p.run()
	p.n = 0
	p.tasks = [3]task{} // do not keep the output alive in the pool
	planPool.Put(p)
	return err
}

// subsampling returns the luma pixels per chroma sample of r.
func subsampling(r image.YCbCrSubsampleRatio) (fx, fy int, ok bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// resizeYCbCr is the planar path. ok is false when m's layout is not
// handled here (unknown subsampling, negative Min) and the caller should
// use the generic path.
func resizeYCbCr(m *image.YCbCr, o, W, H int) (out *image.YCbCr, ok bool, err error) {
	b := m.Rect
	fx, fy, known := subsampling(m.SubsampleRatio)
	if !known || b.Min.X < 0 || b.Min.Y < 0 {
		return nil, false, nil
	}
	w, h := b.Dx(), b.Dy()
	luma := plane{pix: m.Y, stride: m.YStride, w: w, h: h}
	chroma := plane{
		stride: m.CStride,
		w:      (b.Max.X-1)/fx - b.Min.X/fx + 1,
		h:      (b.Max.Y-1)/fy - b.Min.Y/fy + 1,
	}
	cb, cr := chroma, chroma
	cb.pix, cr.pix = m.Cb, m.Cr
	if !luma.valid() || !cb.valid() || !cr.valid() {
		return nil, true, fmt.Errorf("%w: YCbCr planes too short for %v", ErrInvalid, b)
	}
	dst := image.NewYCbCr(image.Rect(0, 0, W, H), image.YCbCrSubsampleRatio420)
	cw, ch := (W+1)/2, (H+1)/2
	p := planPool.Get().(*plan)
	lg := srcGeom{fx: 1, fy: 1, extW: w, extH: h}
	p.addTask(0, o, W, H, 1, luma, plane{dst.Y, dst.YStride, W, H}, lg, -1)
	cg := srcGeom{fx: fx, fy: fy, phx: b.Min.X % fx, phy: b.Min.Y % fy, extW: w, extH: h}
	p.addTask(1, o, W, H, 2, cb, plane{dst.Cb, dst.CStride, cw, ch}, cg, -1)
	p.addTask(2, o, W, H, 2, cr, plane{dst.Cr, dst.CStride, cw, ch}, cg, 1)
	return dst, true, runPlan(p)
}

// resizeGray is the single-plane path.
func resizeGray(m *image.Gray, o, W, H int) (*image.Gray, error) {
	b := m.Rect
	src := plane{pix: m.Pix, stride: m.Stride, w: b.Dx(), h: b.Dy()}
	if !src.valid() {
		return nil, fmt.Errorf("%w: Gray pixels too short for %v", ErrInvalid, b)
	}
	dst := image.NewGray(image.Rect(0, 0, W, H))
	p := planPool.Get().(*plan)
	g := srcGeom{fx: 1, fy: 1, extW: src.w, extH: src.h}
	p.addTask(0, o, W, H, 1, src, plane{dst.Pix, dst.Stride, W, H}, g, -1)
	return dst, runPlan(p)
}
