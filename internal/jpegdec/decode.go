package jpegdec

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"runtime"
)

// Options configures Decode. A nil *Options, and the zero value of each
// field, mean the defaults.
type Options struct {
	// Scale is the downscaling denominator: 1, 2, 4 or 8 (0 means 1). The
	// output is ceil(w/Scale)×ceil(h/Scale), computed with reduced-size
	// inverse DCTs (8×8 → 4×4, 2×2 or DC only), like libjpeg's
	// scale_denom; each output pixel is the box average of Scale×Scale
	// full-size pixels. Other values are refused with ErrUnsupported.
	Scale int
	// MaxPixels refuses images whose declared width×height exceeds it with
	// ErrTooLarge before any pixel memory is allocated (0 = no limit).
	MaxPixels int64
	// Workers is the number of goroutines used (0 = GOMAXPROCS, at most
	// 64 are used). With
	// restart markers the scan is split at the markers; otherwise entropy
	// decoding and the inverse DCT run in a pipeline.
	Workers int
	// Buf, when its capacity suffices (see PlaneBytes), is the backing
	// store of the output planes, so a caller that decodes repeatedly can
	// reuse one buffer instead of allocating 1.5 bytes a pixel per call.
	// The returned image then aliases Buf. nil means allocate.
	Buf []byte
}

// DecodeConfig returns the dimensions and color model of the JPEG in b.
// It reads only the markers up to the frame header (SOF). Baseline,
// extended and progressive Huffman JPEGs are described; other coding
// processes return ErrUnsupported, malformed headers ErrCorrupt.
// It is safe for concurrent use and does not allocate in proportion to the
// image size.
func DecodeConfig(b []byte) (image.Config, error) {
	hd, err := parseHeader(b, true, 0)
	if err != nil {
		return image.Config{}, err
	}
	cfg := image.Config{Width: hd.w, Height: hd.h}
	switch hd.nComp {
	case 1:
		cfg.ColorModel = color.GrayModel
	case 3:
		cfg.ColorModel = color.YCbCrModel
		if hd.isRGB() {
			cfg.ColorModel = color.RGBAModel
		}
	default:
		cfg.ColorModel = color.CMYKModel
	}
	return cfg, nil
}

// ScaleFor returns the largest denominator in {1, 2, 4, 8} such that the
// scaled image's longer side, ceil(max(w, h)/Scale), is still ≥ maxSide,
// so that a following high-quality resample only downscales. It returns 1
// if no reduction keeps the longer side ≥ maxSide (or maxSide ≤ 0 makes
// every scale qualify, in which case it returns 8).
func ScaleFor(w, h, maxSide int) int {
	long := max(w, h)
	for _, s := range [...]int{8, 4, 2} {
		if (long+s-1)/s >= maxSide {
			return s
		}
	}
	return 1
}

// Decode decodes a baseline (SOF0) or extended sequential (SOF1) 8-bit
// Huffman-coded JPEG with 1 (gray) or 3 (YCbCr) components and 4:4:4,
// 4:4:0, 4:2:2, 4:2:0, 4:1:1 or 4:1:0 sampling, with or without restart
// markers. It returns *image.Gray or *image.YCbCr at the scaled size with
// the subsampling preserved; at Scale 1 the pixels are identical to
// image/jpeg's.
//
// Progressive, arithmetic-coded, 12-bit, lossless, CMYK/YCCK, RGB and
// multi-scan sequential JPEGs return ErrUnsupported (fall back to
// image/jpeg); malformed or truncated data returns ErrCorrupt; more than
// Options.MaxPixels declared pixels returns ErrTooLarge. Decode never
// panics.
//
// Cost: one allocation for the output planes (padded to whole MCUs) plus
// per-worker row buffers of about 128 bytes per 8×8 block in an MCU row,
// pooled across calls. Decode is safe for concurrent use.
func Decode(b []byte, o *Options) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: internal error: %v", ErrCorrupt, p)
		}
	}()
	s, err := setup(b, o)
	if err != nil {
		return nil, err
	}
	img = s.p.allocate(s.ratio, s.scale, s.buf)
	if err := s.p.decodeScan(b, s.workers); err != nil {
		return nil, err
	}
	return img, nil
}

// decoding is what Decode and NewStream work out from the options and the
// headers before any pixel memory is allocated.
type decoding struct {
	p       *plan
	ratio   int // luma sampling factors, h<<4|v
	scale   int
	workers int
	buf     []byte // Options.Buf
}

// setup resolves o (nil means the defaults), parses the headers of b and
// checks that the scan can hold the declared size.
func setup(b []byte, o *Options) (decoding, error) {
	var opt Options
	if o != nil {
		opt = *o
	}
	scale := opt.Scale
	if scale == 0 {
		scale = 1
	}
	var shift uint
	switch scale {
	case 1:
	case 2:
		shift = 1
	case 4:
		shift = 2
	case 8:
		shift = 3
	default:
		return decoding{}, unsupported("Options.Scale %d (want 1, 2, 4 or 8)", opt.Scale)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	hd, err := parseHeader(b, false, opt.MaxPixels)
	if err != nil {
		return decoding{}, err
	}
	ratio, err := hd.subsampling()
	if err != nil {
		return decoding{}, err
	}
	p := newPlan(hd, shift)
	// Every block costs at least two bits (a DC code and an EOB code), so
	// data this short cannot encode the declared size: refuse it before
	// allocating the planes.
	if blocks := int64(p.mcusX) * int64(p.mcusY) * int64(p.bpm); int64(len(b)-hd.scanStart) < blocks/4 {
		return decoding{}, corrupt("%d bytes of entropy-coded data cannot hold %dx%d pixels", len(b)-hd.scanStart, hd.w, hd.h)
	}
	return decoding{p: p, ratio: ratio, scale: scale, workers: workers, buf: opt.Buf}, nil
}

// planComp is a component's decoding state.
type planComp struct {
	h, v   int // blocks per MCU across and down
	nb     int // h*v
	quant  *[64]int32
	dc, ac *huffTable
	plane  []byte
	stride int
}

// plan holds everything needed to decode the scan of one image.
type plan struct {
	hd           *header
	nComp        int
	comp         [3]planComp
	mcusX, mcusY int
	bpm          int // blocks per MCU
	shift        uint
}

func newPlan(hd *header, shift uint) *plan {
	p := &plan{hd: hd, nComp: hd.nComp, shift: shift}
	hmax, vmax := 1, 1
	for i := 0; i < hd.nComp; i++ {
		c := &hd.comp[i]
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
		p.comp[i] = planComp{h: c.h, v: c.v, nb: c.h * c.v, quant: &hd.quant[c.tq], dc: hd.dc[c.td], ac: hd.ac[c.ta]}
		p.bpm += c.h * c.v
	}
	p.mcusX = (hd.w + 8*hmax - 1) / (8 * hmax)
	p.mcusY = (hd.h + 8*vmax - 1) / (8 * vmax)
	return p
}

// allocate creates the output image (planes padded to whole MCUs, carved
// out of buf when it is large enough) and returns it cropped to the scaled
// size.
func (p *plan) allocate(ratio, scale int, buf []byte) image.Image {
	m := p.planes(ratio, p.mcusY, buf)
	r := image.Rect(0, 0, (p.hd.w+scale-1)/scale, (p.hd.h+scale-1)/scale)
	if g, ok := m.(*image.Gray); ok {
		return g.SubImage(r)
	}
	return m.(*image.YCbCr).SubImage(r)
}

// planesLayout returns the luma plane's width and height and the chroma
// planes' for mcuRows MCU rows of output.
func (p *plan) planesLayout(ratio, mcuRows int) (pw, ph, cw, ch int) {
	bs := 8 >> p.shift
	pw, ph = p.mcusX*p.comp[0].h*bs, mcuRows*p.comp[0].v*bs // luma has the largest factors (see subsampling)
	if p.nComp == 1 {
		return pw, ph, 0, 0
	}
	_, cw, ch = chromaLayout(ratio, pw, ph)
	return pw, ph, cw, ch
}

// planes returns an image of mcuRows MCU rows of output, uncropped, carved
// out of buf when it is large enough, and points the plan's components at
// its planes.
func (p *plan) planes(ratio, mcuRows int, buf []byte) image.Image {
	pw, ph, cw, ch := p.planesLayout(ratio, mcuRows)
	if p.nComp == 1 {
		n := pw * ph
		if cap(buf) < n {
			buf = make([]byte, n)
		}
		m := &image.Gray{Pix: buf[:n], Stride: pw, Rect: image.Rect(0, 0, pw, ph)}
		p.comp[0].plane, p.comp[0].stride = m.Pix, m.Stride
		return m
	}
	sr, _, _ := chromaLayout(ratio, pw, ph)
	yn, cn := pw*ph, cw*ch
	if cap(buf) < yn+2*cn {
		buf = make([]byte, yn+2*cn)
	}
	m := &image.YCbCr{
		Y:              buf[:yn], // full capacity: see Backing
		Cb:             buf[yn : yn+cn : yn+cn],
		Cr:             buf[yn+cn : yn+2*cn : yn+2*cn],
		YStride:        pw,
		CStride:        cw,
		SubsampleRatio: sr,
		Rect:           image.Rect(0, 0, pw, ph),
	}
	p.comp[0].plane, p.comp[0].stride = m.Y, m.YStride
	p.comp[1].plane, p.comp[1].stride = m.Cb, m.CStride
	p.comp[2].plane, p.comp[2].stride = m.Cr, m.CStride
	return m
}

// chromaLayout returns the subsample ratio for the luma sampling factors
// packed in ratio (h<<4|v) and the chroma plane size for a pw×ph luma
// plane (whole MCUs, so the divisions are exact).
func chromaLayout(ratio, pw, ph int) (image.YCbCrSubsampleRatio, int, int) {
	switch ratio {
	case 0x11:
		return image.YCbCrSubsampleRatio444, pw, ph
	case 0x12:
		return image.YCbCrSubsampleRatio440, pw, ph / 2
	case 0x21:
		return image.YCbCrSubsampleRatio422, pw / 2, ph
	case 0x22:
		return image.YCbCrSubsampleRatio420, pw / 2, ph / 2
	case 0x41:
		return image.YCbCrSubsampleRatio411, pw / 4, ph
	}
	return image.YCbCrSubsampleRatio410, pw / 4, ph / 2
}

// Backing returns the buffer behind the planes of an image returned by
// Decode (whole capacity), for the caller to pass as Options.Buf to a later
// Decode once it is done with img; nil for images of other origins.
func Backing(img image.Image) []byte {
	switch m := img.(type) {
	case *image.YCbCr:
		if m.YStride > 0 && len(m.Y) > 0 && cap(m.Y) >= len(m.Y)+len(m.Cb)+len(m.Cr) && &m.Y[:cap(m.Y)][len(m.Y)+len(m.Cb)+len(m.Cr)-1] == &m.Cr[len(m.Cr)-1] {
			return m.Y[:cap(m.Y)]
		}
	case *image.Gray:
		return m.Pix[:cap(m.Pix)]
	}
	return nil
}

// decodeMCUs entropy-decodes MCUs mx0..mx1-1 of MCU row my into buf.
func (p *plan) decodeMCUs(r *bitReader, buf *rowBuf, mx0, mx1 int, pred *[3]int32) error {
	bi := mx0 * p.bpm
	for mx := mx0; mx < mx1; mx++ {
		for c := 0; c < p.nComp; c++ {
			pc := &p.comp[c]
			for j := 0; j < pc.nb; j++ {
				last, err := r.decodeBlock((*[64]int16)(buf.coef[bi*64:bi*64+64]), &pred[c], pc.dc, pc.ac)
				if err != nil {
					return err
				}
				buf.last[bi] = uint8(last)
				bi++
			}
		}
	}
	return nil
}

// reconstruct dequantizes, inverse-transforms and stores MCUs mx0..mx1-1
// of MCU row my from buf, and re-zeroes the coefficients it used.
func (p *plan) reconstruct(buf *rowBuf, my, mx0, mx1 int, tmp *block) {
	bs := 8 >> p.shift
	bi := mx0 * p.bpm
	for mx := mx0; mx < mx1; mx++ {
		for c := 0; c < p.nComp; c++ {
			pc := &p.comp[c]
			// Block (jx, jy) of the component in this MCU is block
			// (h*mx+jx, v*my+jy) of its plane.
			off := (pc.v*my*pc.stride + pc.h*mx) * bs
			for jy := 0; jy < pc.v; jy++ {
				for jx := 0; jx < pc.h; jx++ {
					coef := (*[64]int16)(buf.coef[bi*64 : bi*64+64])
					p.reconstructBlock(coef, int(buf.last[bi]), pc.quant, pc.plane[off+jx*bs:], pc.stride, tmp)
					bi++
				}
				off += bs * pc.stride
			}
		}
	}
}

// reconstructBlock dequantizes coef (whose last non-zero coefficient has
// zig-zag index last) with q, stores its inverse DCT at the plan's scale
// to dst, and re-zeroes coef.
func (p *plan) reconstructBlock(coef *[64]int16, last int, q *[64]int32, dst []byte, stride int, tmp *block) {
	if p.shift == 0 {
		if last == 0 {
			fillBlock8(dst, stride, idct8DC(int32(coef[0])*q[0]))
			coef[0] = 0
			return
		}
		idct8Store(coef, q, int(rowsUsed[last]), dst, stride, tmp)
		return
	}
	bs := 8 >> p.shift
	if p.shift == 3 {
		// Scale 8 needs only the DC coefficient.
		dst[0] = dcPixel(int32(coef[0]) * q[0])
		for k := 0; k <= last; k++ {
			coef[unzig[k]] = 0
		}
		return
	}
	if last == 0 {
		fillBlock(dst, stride, bs, dcPixel(int32(coef[0])*q[0]))
		coef[0] = 0
		return
	}
	rows := int(rowsUsed[last])
	if p.shift == 1 {
		idct4Store(coef, q, rows, dst, stride, tmp)
	} else {
		idct2Store(coef, q, rows, dst, stride, tmp)
	}
}

// fillBlock sets an n×n block of dst to v.
func fillBlock(dst []byte, stride, n int, v uint8) {
	for y := 0; y < n; y++ {
		row := dst[y*stride : y*stride+n]
		for x := range row {
			row[x] = v
		}
	}
}

// fillBlock8 sets an 8×8 block of dst to v, a row per 64-bit store.
func fillBlock8(dst []byte, stride int, v uint8) {
	_ = dst[7*stride+7]
	w := uint64(v) * 0x0101010101010101
	for y := 0; y < 8; y++ {
		binary.LittleEndian.PutUint64(dst[y*stride:], w)
	}
}
