package resize

import (
	"fmt"
	"image"
)

// Stream is [Resize] for a planar source whose rows arrive in order, in
// bands, and are then dropped (a streaming JPEG decoder's window): each
// call to [Stream.Advance] computes every piece of output whose source
// rows are all available and returns the first source row still needed.
// The output is identical to Resize's for the same source. A Stream is
// used by one goroutine at a time; Advance runs its work on up to
// GOMAXPROCS goroutines.
type Stream struct {
	p     *plan
	dst   image.Image
	w, h  int // source size
	fy    int // luma rows per chroma row
	units [3][]span
	done  []bool // per unit, all tasks in order
	left  int
	// axes are the distinct axes whose starts are source rows; Advance
	// shifts them so that they index the window: axisBase is the source
	// row (of the axis's plane) now at window row 0, chroma whether the
	// axis is a chroma plane's.
	axes     []*axis
	axisBase []int
	chroma   []bool

	run []int // scratch of Advance
}

// span is the source rows [lo, hi) of one unit, in its plane's rows.
type span struct{ lo, hi int32 }

// NewStream prepares the resampling of a w×h source, gray or YCbCr with
// subsampling r (which must be one of the six image/jpeg produces), under
// orientation o (1..8) to exactly W×H output pixels, like [Resize] would
// for the whole image (output *image.Gray or *image.YCbCr 4:2:0). It costs
// the output and the weights, as Resize does. Errors wrap [ErrInvalid].
func NewStream(w, h int, gray bool, r image.YCbCrSubsampleRatio, o, W, H int) (*Stream, error) {
	if o < 1 || o > 8 {
		return nil, fmt.Errorf("%w: orientation %d not in 1..8", ErrInvalid, o)
	}
	if w <= 0 || h <= 0 || W <= 0 || H <= 0 {
		return nil, fmt.Errorf("%w: sizes %dx%d → %dx%d", ErrInvalid, w, h, W, H)
	}
	if int64(W)*int64(H) > MaxOutputPixels {
		return nil, fmt.Errorf("%w: output size %dx%d over %d pixels", ErrInvalid, W, H, MaxOutputPixels)
	}
	s := &Stream{p: planPool.Get().(*plan), w: w, h: h, fy: 1}
	p := s.p
	if gray {
		dst := image.NewGray(image.Rect(0, 0, W, H))
		g := srcGeom{fx: 1, fy: 1, extW: w, extH: h}
		p.addTask(0, o, W, H, 1, plane{stride: w, w: w, h: h}, plane{dst.Pix, dst.Stride, W, H}, g, -1)
		s.dst = dst
	} else {
		fx, fy, ok := subsampling(r)
		if !ok {
			planPool.Put(p)
			return nil, fmt.Errorf("%w: subsampling %v", ErrInvalid, r)
		}
		s.fy = fy
		dst := image.NewYCbCr(image.Rect(0, 0, W, H), image.YCbCrSubsampleRatio420)
		cw, ch := (W+1)/2, (H+1)/2
		chroma := plane{stride: (w + fx - 1) / fx, w: (w + fx - 1) / fx, h: (h + fy - 1) / fy}
		p.addTask(0, o, W, H, 1, plane{stride: w, w: w, h: h}, plane{dst.Y, dst.YStride, W, H}, srcGeom{fx: 1, fy: 1, extW: w, extH: h}, -1)
		cg := srcGeom{fx: fx, fy: fy, extW: w, extH: h}
		p.addTask(1, o, W, H, 2, chroma, plane{dst.Cb, dst.CStride, cw, ch}, cg, -1)
		p.addTask(2, o, W, H, 2, chroma, plane{dst.Cr, dst.CStride, cw, ch}, cg, 1)
		s.dst = dst
	}
	for i := range p.tasks[:p.n] {
		t := &p.tasks[i]
		a := t.ya
		if t.swap {
			a = t.xa
		}
		if len(s.axes) == 0 || a != s.axes[len(s.axes)-1] {
			s.axes = append(s.axes, a)
			s.axisBase = append(s.axisBase, 0)
			s.chroma = append(s.chroma, i > 0)
		}
		n := t.units()
		us := make([]span, n)
		for u := range us {
			var v0, v1 int
			if t.swap {
				v0, v1 = u*bandCols, min((u+1)*bandCols, t.dst.w)
			} else {
				v0, v1 = u*bandRows, min((u+1)*bandRows, t.dst.h)
			}
			lo, hi := int32(t.src.h), int32(0)
			for v := v0; v < v1; v++ {
				lo = min(lo, a.start[v])
				hi = max(hi, a.start[v]+int32(a.taps))
			}
			us[u] = span{lo, min(hi, int32(t.src.h))}
		}
		s.units[i] = us
		s.left += n
	}
	s.done = make([]bool, s.left)
	return s, nil
}

// Span returns the most source luma rows one piece of work reads: a
// window must hold this many rows beyond the band being decoded.
func (s *Stream) Span() int {
	m := 0
	for i := range s.p.tasks[:s.p.n] {
		f := 1
		if i > 0 {
			f = s.fy
		}
		for _, u := range s.units[i] {
			m = max(m, int(u.hi-u.lo)*f+f)
		}
	}
	return m
}

// Advance computes the output that depends only on source rows before
// avail, reading them from win, which holds the source rows base..avail-1
// at its rows 0.. (a *image.Gray or *image.YCbCr of the layout given to
// NewStream; base a multiple of the chroma subsampling). final says that
// avail is the source height: everything left is computed. It returns the
// first source (luma) row still needed. Errors wrap ErrInvalid (a window
// that does not match) or ErrInternal.
func (s *Stream) Advance(win image.Image, base, avail int, final bool) (keep int, err error) {
	if final {
		avail = s.h
	}
	p := s.p
	var planes [3]plane
	switch m := win.(type) {
	case *image.Gray:
		if p.n != 1 {
			return 0, fmt.Errorf("%w: gray window for a colour stream", ErrInvalid)
		}
		planes[0] = plane{pix: m.Pix, stride: m.Stride, w: s.w, h: m.Rect.Dy()}
	case *image.YCbCr:
		if p.n != 3 || base%s.fy != 0 {
			return 0, fmt.Errorf("%w: YCbCr window for this stream", ErrInvalid)
		}
		rows := m.Rect.Dy()
		cr := (base+rows+s.fy-1)/s.fy - base/s.fy
		planes[0] = plane{pix: m.Y, stride: m.YStride, w: s.w, h: rows}
		planes[1] = plane{pix: m.Cb, stride: m.CStride, w: p.tasks[1].src.w, h: cr}
		planes[2] = plane{pix: m.Cr, stride: m.CStride, w: p.tasks[2].src.w, h: cr}
	default:
		return 0, fmt.Errorf("%w: window of type %T", ErrInvalid, win)
	}
	if m := win.Bounds(); m.Dy() != avail-base || m.Dx() != s.w {
		return 0, fmt.Errorf("%w: window %v for rows %d..%d of a %dx%d source", ErrInvalid, m, base, avail, s.w, s.h)
	}
	// Re-base the axes that index source rows, once per distinct axis.
	for j, a := range s.axes {
		b := base
		if s.chroma[j] {
			b = base / s.fy
		}
		if d := int32(b - s.axisBase[j]); d != 0 {
			for v := range a.start {
				a.start[v] -= d
			}
		}
		s.axisBase[j] = b
	}
	// Collect the runnable units.
	run := s.run[:0] // unit indexes into done
	keep = avail
	k := 0
	for i := range p.tasks[:p.n] {
		t := &p.tasks[i]
		if !planes[i].validRows() {
			return 0, fmt.Errorf("%w: window plane %d too short", ErrInvalid, i)
		}
		t.src = planes[i]
		f, top, lim := 1, base, avail
		if i > 0 {
			f, top, lim = s.fy, base/s.fy, (avail+s.fy-1)/s.fy
			if final {
				lim = t.src.h + top
			}
		}
		for _, u := range s.units[i] {
			if !s.done[k] {
				switch {
				case int(u.hi) <= lim && int(u.lo) >= top:
					run = append(run, k)
				case int(u.lo) < top:
					return 0, fmt.Errorf("%w: source row %d of plane %d dropped before use", ErrInvalid, u.lo, i)
				default:
					keep = min(keep, int(u.lo)*f)
				}
			}
			k++
		}
	}
	s.run = run
	if err := s.runUnits(run); err != nil {
		return 0, err
	}
	if final && s.left > 0 {
		return 0, fmt.Errorf("%w: %d pieces of output not computed at the end", ErrInternal, s.left)
	}
	return keep, nil
}

// validRows is valid for a window plane (its last row may be short of
// stride).
func (p plane) validRows() bool {
	return p.h >= 0 && (p.h == 0 || (len(p.pix) >= (p.h-1)*p.stride+p.w))
}

// runUnits computes the units run (indexes over all tasks' units) with
// the plan's runner and marks them done.
func (s *Stream) runUnits(run []int) error {
	if len(run) == 0 {
		return nil
	}
	if err := s.p.runUnits(run); err != nil {
		return err
	}
	for _, u := range run {
		s.done[u] = true
	}
	s.left -= len(run)
	return nil
}

// Image returns the output; complete once Advance returned after its final
// call.
func (s *Stream) Image() image.Image { return s.dst }

// Close returns the Stream's weights to the pool; the Stream must not be
// used after. The output image stays valid.
func (s *Stream) Close() {
	if s.p == nil {
		return
	}
	p := s.p
	s.p = nil
	p.n = 0
	p.tasks = [3]task{}
	planPool.Put(p)
}
