package jpegenc

import (
	"fmt"
	"image"
)

// frame describes the image being encoded: validated planes, sampling
// factors and the MCU grid. Plane index 0 is the pixel at Rect.Min.
type frame struct {
	gray         bool
	w, h         int // image size in pixels
	hs, vs       int // luma sampling factors (1, 1 for gray)
	mcusX, mcusY int
	y            []byte
	yStride      int
	cb, cr       []byte
	cStride      int
	cw, ch       int  // chroma plane size
	aligned      bool // chroma samples line up with the MCU grid
	src          *image.YCbCr
	quant        [2]*quantizer
}

// nTables is the number of Huffman tables the frame uses.
func (f *frame) nTables() int {
	if f.gray {
		return 2
	}
	return nHuff
}

// samplingFactors maps a subsampling ratio to the luma H and V factors.
func samplingFactors(r image.YCbCrSubsampleRatio) (hs, vs int, ok bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// checkPlane reports whether a plane of len n with stride holds w×h samples.
func checkPlane(n, stride, w, h int) bool {
	return stride >= w && n >= w && (h-1) <= (n-w)/stride
}

// newFrame validates img and describes it.
func newFrame(img image.Image) (*frame, error) {
	f := new(frame)
	if err := f.init(img); err != nil {
		return nil, err
	}
	return f, nil
}

// init validates img and describes it in f.
func (f *frame) init(img image.Image) error {
	var r image.Rectangle
	*f = frame{hs: 1, vs: 1}
	switch m := img.(type) {
	case *image.Gray:
		if m == nil {
			return fmt.Errorf("%w: nil *image.Gray", ErrInvalid)
		}
		r = m.Rect
		f.gray, f.y, f.yStride = true, m.Pix, m.Stride
	case *image.YCbCr:
		if m == nil {
			return fmt.Errorf("%w: nil *image.YCbCr", ErrInvalid)
		}
		hs, vs, ok := samplingFactors(m.SubsampleRatio)
		if !ok {
			return fmt.Errorf("%w: YCbCr subsample ratio %v", ErrUnsupported, m.SubsampleRatio)
		}
		r = m.Rect
		f.hs, f.vs, f.src = hs, vs, m
		f.y, f.yStride = m.Y, m.YStride
		f.cb, f.cr, f.cStride = m.Cb, m.Cr, m.CStride
	default:
		return fmt.Errorf("%w: %T (want *image.YCbCr or *image.Gray)", ErrUnsupported, img)
	}
	f.w, f.h = r.Dx(), r.Dy()
	if f.w <= 0 || f.h <= 0 || f.w > maxDim || f.h > maxDim {
		return fmt.Errorf("%w: image size %dx%d (want 1..%d on each side)", ErrInvalid, f.w, f.h, maxDim)
	}
	if !checkPlane(len(f.y), f.yStride, f.w, f.h) {
		return fmt.Errorf("%w: luma plane of %d bytes with stride %d cannot hold %dx%d", ErrInvalid, len(f.y), f.yStride, f.w, f.h)
	}
	f.mcusX = (f.w + 8*f.hs - 1) / (8 * f.hs)
	f.mcusY = (f.h + 8*f.vs - 1) / (8 * f.vs)
	if f.gray {
		return nil
	}
	// Chroma index of pixel x is x/hs - Min.X/hs, as in image.YCbCr.COffset.
	f.cw = (r.Max.X-1)/f.hs - r.Min.X/f.hs + 1
	f.ch = (r.Max.Y-1)/f.vs - r.Min.Y/f.vs + 1
	if !checkPlane(len(f.cb), f.cStride, f.cw, f.ch) || !checkPlane(len(f.cr), f.cStride, f.cw, f.ch) {
		return fmt.Errorf("%w: chroma planes of %d and %d bytes with stride %d cannot hold %dx%d", ErrInvalid, len(f.cb), len(f.cr), f.cStride, f.cw, f.ch)
	}
	f.aligned = (f.hs == 1 || r.Min.X >= 0 && r.Min.X%f.hs == 0) &&
		(f.vs == 1 || r.Min.Y >= 0 && r.Min.Y%f.vs == 0)
	return nil
}

// edgeBlock is the scratch for blocks that are not read from a plane in
// place: those crossing the image edge, and unaligned chroma.
type edgeBlock [blockSize]byte

// blockAt returns where the 8×8 samples at (x0, y0) of a w×h plane are:
// the plane itself when the block lies inside, else e filled with the
// block, repeating the last column and row past the edges.
func blockAt(e *edgeBlock, pix []byte, stride, x0, y0, w, h int) ([]byte, int, int) {
	if x0+8 <= w && y0+8 <= h {
		return pix, y0*stride + x0, stride
	}
	for r := range 8 {
		row := pix[min(y0+r, h-1)*stride:]
		d := (*[8]byte)(e[r*8 : r*8+8])
		for c := range d {
			d[c] = row[min(x0+c, w-1)]
		}
	}
	return e[:], 0, 8
}

// chromaAt is blockAt for the chroma block of MCU (mx, my) in plane (f.cb
// or f.cr). When the chroma grid is not aligned with the MCUs (odd
// Rect.Min with subsampling) each sample is the rounded mean of the
// chroma of the hs×vs pixels it covers, as image/jpeg computes it.
func (f *frame) chromaAt(e *edgeBlock, plane []byte, mx, my int) ([]byte, int, int) {
	if f.aligned {
		return blockAt(e, plane, f.cStride, mx*8, my*8, f.cw, f.ch)
	}
	r := f.src.Rect
	n := f.hs * f.vs
	for j := range 8 {
		py := r.Min.Y + (my*8+j)*f.vs
		for i := range 8 {
			px := r.Min.X + (mx*8+i)*f.hs
			var sum int
			for v := range f.vs {
				y := min(py+v, r.Max.Y-1)
				for u := range f.hs {
					x := min(px+u, r.Max.X-1)
					sum += int(plane[f.src.COffset(x, y)])
				}
			}
			e[j*8+i] = byte((sum + n/2) / n)
		}
	}
	return e[:], 0, 8
}

// eachBlock walks the MCU rows [my0, my1) in scan order and passes every
// block's samples (pix[off:] with stride) to fn with its component index
// (0 Y, 1 Cb, 2 Cr). e is scratch for edge blocks.
func (f *frame) eachBlock(my0, my1 int, e *edgeBlock, fn func(pix []byte, off, stride, comp int)) {
	for my := my0; my < my1; my++ {
		for mx := range f.mcusX {
			f.mcuBlocks(mx, my, e, fn)
		}
	}
}

// mcuBlocks passes the blocks of MCU (mx, my) to fn in scan order, as
// eachBlock does.
func (f *frame) mcuBlocks(mx, my int, e *edgeBlock, fn func(pix []byte, off, stride, comp int)) {
	x0, y0 := mx*8*f.hs, my*8*f.vs
	for v := range f.vs {
		for h := range f.hs {
			pix, off, stride := blockAt(e, f.y, f.yStride, x0+8*h, y0+8*v, f.w, f.h)
			fn(pix, off, stride, 0)
		}
	}
	if f.gray {
		return
	}
	pix, off, stride := f.chromaAt(e, f.cb, mx, my)
	fn(pix, off, stride, 1)
	pix, off, stride = f.chromaAt(e, f.cr, mx, my)
	fn(pix, off, stride, 2)
}
