package heif

import (
	"image"
	"sync"
)

// colour is the YCbCr to RGB conversion of an image: the matrix and range
// signalled by a colr nclx property or, without one, by the SPS VUI.
type colour struct {
	matrix    int
	fullRange bool
}

// krkb returns the luma weights of a matrix_coefficients code point, as
// libheif 1.15 uses them (2, unspecified, means BT.601 there too). Matrices
// libheif treats specially (0 identity/GBR, 8 YCgCo, 11..14) and reserved
// values are not handled.
func krkb(matrix int) (kr, kb float32, ok bool) {
	switch matrix {
	case 1:
		return 0.2126, 0.0722, true
	case 2, 5, 6:
		return 0.299, 0.114, true
	case 4:
		return 0.30, 0.11, true
	case 7:
		return 0.212, 0.087, true
	case 9, 10:
		return 0.2627, 0.0593, true
	}
	return 0, 0, false
}

// jpegLike reports whether the colour is exactly JFIF's YCbCr (BT.601
// weights, full range), so the planes can be returned as *image.YCbCr.
func (c colour) jpegLike() bool {
	kr, kb, _ := krkb(c.matrix)
	return c.fullRange && kr == 0.299 && kb == 0.114
}

// same reports whether two colours convert identically.
func (c colour) same(d colour) bool {
	kr1, kb1, _ := krkb(c.matrix)
	kr2, kb2, _ := krkb(d.matrix)
	return kr1 == kr2 && kb1 == kb2 && c.fullRange == d.fullRange
}

// rgbTables holds the per-sample terms of the conversion. The arithmetic
// is libheif 1.15's (heif-convert): float32, limited range expanded with
// the factors 1.1689 and 1.1429, chroma taken from the co-sited sample
// (no interpolation), each channel rounded half up after clipping. Every
// product is stored rounded to float32 in a table, so no fused
// multiply-add can change a result: the output matches heif-convert
// bit for bit on the fixtures.
type rgbTables struct {
	y, rv, gu, gv, bu [256]float32
}

func newRGBTables(c colour) (*rgbTables, error) {
	kr, kb, ok := krkb(c.matrix)
	if !ok {
		return nil, unsupported("matrix_coefficients %d", c.matrix)
	}
	rcr := 2 * (-kr + 1)
	gcb := 2 * kb * (-kb + 1) / (kb + kr - 1)
	gcr := 2 * kr * (-kr + 1) / (kb + kr - 1)
	bcb := 2 * (-kb + 1)
	t := &rgbTables{}
	for i := range 256 {
		y, ch := float32(i), float32(i-128)
		if !c.fullRange {
			y = float32((y - 16) * 1.1689)
			ch = float32(ch * 1.1429)
		}
		t.y[i] = y
		t.rv[i] = float32(rcr * ch)
		t.gu[i] = float32(gcb * ch)
		t.gv[i] = float32(gcr * ch)
		t.bu[i] = float32(bcb * ch)
	}
	return t, nil
}

// clip8 rounds a channel value to 0..255 as libheif does.
func clip8(v float32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// planes is a decoded image: 8-bit planes, chroma 4:2:0 or none.
type planes struct {
	w, h             int
	y, cb, cr        []byte
	yStride, cStride int
	chroma           int // 0 or 1
}

// toNRGBA converts the w x h rectangle at (x0, y0) of p, on up to workers
// goroutines (bands of rows).
func (p *planes) toNRGBA(c colour, x0, y0, w, h, workers int) (*image.NRGBA, error) {
	t, err := newRGBTables(c)
	if err != nil {
		return nil, err
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	rows := func(r0, r1 int) {
		for y := r0; y < r1; y++ {
			sy := y0 + y
			yr := p.y[sy*p.yStride+x0 : sy*p.yStride+x0+w]
			cbr := p.cb[(sy/2)*p.cStride:]
			crr := p.cr[(sy/2)*p.cStride:]
			o := out.Pix[y*out.Stride : y*out.Stride+4*w]
			x := 0
			if x0%2 == 1 { // the first pixel shares its chroma with the one left of the crop
				u, v := cbr[x0/2], crr[x0/2]
				yv := t.y[yr[0]]
				o[0], o[1], o[2], o[3] = clip8(yv+t.rv[v]), clip8(yv+t.gu[u]+t.gv[v]), clip8(yv+t.bu[u]), 0xff
				x = 1
			}
			// Pairs of pixels sharing a chroma sample.
			for ; x+1 < w; x += 2 {
				ci := (x0 + x) / 2
				u, v := cbr[ci], crr[ci]
				rv, gu, gv, bu := t.rv[v], t.gu[u], t.gv[v], t.bu[u]
				d := o[4*x : 4*x+8 : 4*x+8]
				yv := t.y[yr[x]]
				d[0], d[1], d[2], d[3] = clip8(yv+rv), clip8(yv+gu+gv), clip8(yv+bu), 0xff
				yv = t.y[yr[x+1]]
				d[4], d[5], d[6], d[7] = clip8(yv+rv), clip8(yv+gu+gv), clip8(yv+bu), 0xff
			}
			if x < w {
				ci := (x0 + x) / 2
				u, v := cbr[ci], crr[ci]
				yv := t.y[yr[x]]
				d := o[4*x : 4*x+4 : 4*x+4]
				d[0], d[1], d[2], d[3] = clip8(yv+t.rv[v]), clip8(yv+t.gu[u]+t.gv[v]), clip8(yv+t.bu[u]), 0xff
			}
		}
	}
	workers = max(1, min(workers, h/64))
	if workers == 1 {
		rows(0, h)
		return out, nil
	}
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() { rows(k*h/workers, (k+1)*h/workers) })
	}
	wg.Wait()
	return out, nil
}

// image returns the w x h rectangle at (x0, y0) of p in the output model
// DecodeNative promises: *image.Gray for 4:0:0 (samples as coded, as
// libheif shows them), *image.YCbCr sharing p's memory when the colour is
// JFIF's and the corner is on the chroma grid, *image.NRGBA otherwise.
func (p *planes) image(c colour, x0, y0, w, h, workers int) (image.Image, error) {
	r := image.Rect(0, 0, w, h)
	switch {
	case p.chroma == 0:
		off := y0*p.yStride + x0
		return &image.Gray{Pix: p.y[off:], Stride: p.yStride, Rect: r}, nil
	case c.jpegLike() && x0%2 == 0 && y0%2 == 0:
		coff := (y0/2)*p.cStride + x0/2
		return &image.YCbCr{
			Y: p.y[y0*p.yStride+x0:], Cb: p.cb[coff:], Cr: p.cr[coff:],
			YStride: p.yStride, CStride: p.cStride,
			SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: r,
		}, nil
	}
	return p.toNRGBA(c, x0, y0, w, h, workers)
}
