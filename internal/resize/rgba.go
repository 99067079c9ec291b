package resize

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
)

// The fused path for layouts with interleaved or indexed colour:
// *image.NRGBA and *image.RGBA (4 bytes a pixel: HEIC, PNG, lossless WebP),
// *image.Paletted (PNG) and, when its alpha is opaque, *image.NYCbCrA (lossy
// WebP with an alpha chunk). The two Lanczos passes of the planar path run
// over whole pixels: pass 1 (vertical1 or a variant) sums source rows into
// 4 int32 channels per pixel, repacked as two channels per int64 (see
// rgbpacked.go); pass 2 takes the dot products at the output resolution
// and writes either
//   - for opaque input, the clamped R, G, B of up to 2×tileCols or
//     bandCols×tileRows output pixels into a scratch tile, which
//     storeYCbCr turns into *image.YCbCr 4:2:0 (Y per
//     pixel, Cb and Cr from the 2×2 sums, color.RGBToYCbCr's coefficients):
//     the colour conversion runs on the small output only;
//   - for input with transparency, *image.NRGBA: colour is resampled
//     premultiplied by alpha (as imaging does) and divided by the resampled
//     alpha once, at the end.

// taskKind selects what a task's second pass writes.
type taskKind uint8

const (
	kindPlane      taskKind = iota // an 8-bit plane into an 8-bit plane
	kindRGBToYCbCr                 // opaque R, G, B into a YCbCr 4:2:0 image
	kindToNRGBA                    // premultiplied R, G, B, A into *image.NRGBA
)

// pass1Kind selects how the first pass of a 4-channel task reads the source.
type pass1Kind uint8

const (
	pass1Bytes   pass1Kind = iota // 4 bytes a pixel as stored (opaque, or premultiplied RGBA)
	pass1Premul                   // NRGBA: colour multiplied by alpha on the fly
	pass1Palette                  // 1-byte indexes looked up in task.pal (premultiplied)
)

// rowLen is the number of int32 values pass 1 produces per source row.
func (t *task) rowLen() int {
	if t.pass1 == pass1Palette {
		return 4 * t.src.w
	}
	return t.src.w
}

// paletteLUT holds the colours of a palette for pass 1: premultiplied
// R, G, B, A, and for opaque palettes R|B packed (packRB) and G.
type paletteLUT struct {
	rgba [256][4]int32
	rb   [256]int64
	g    [256]int32
}

// A kindRGBToYCbCr unit converts its output in tiles of at most
// tileCols×2 pixels (row bands) or bandCols×tileRows (column bands), so
// that its scratch does not grow with the output size. Both are even:
// tiles start on 2×2 chroma blocks.
const (
	tileCols = 256
	tileRows = 64
)

// tilePixels is the number of output pixels of a kindRGBToYCbCr unit's
// RGB tile.
func (t *task) tilePixels() int {
	if t.swap {
		return bandCols * tileRows
	}
	return 2 * tileCols
}

// resizeInterleaved is the fused path for *image.NRGBA, *image.RGBA,
// *image.Paletted and opaque *image.NYCbCrA. ok is false when img is none
// of those (or a NYCbCrA with transparency, or with a layout the planar
// path does not take) and the caller should use the generic path.
func resizeInterleaved(img image.Image, o, W, H int) (out image.Image, ok bool, err error) {
	switch m := img.(type) {
	case *image.NRGBA:
		out, err = resize4(m.Pix, m.Stride, m.Rect, pass1Premul, o, W, H)
		return out, true, err
	case *image.RGBA:
		out, err = resize4(m.Pix, m.Stride, m.Rect, pass1Bytes, o, W, H)
		return out, true, err
	case *image.Paletted:
		out, err = resizePaletted(m, o, W, H)
		return out, true, err
	case *image.NYCbCrA:
		a := plane{pix: m.A, stride: m.AStride, w: m.Rect.Dx(), h: m.Rect.Dy()}
		if !a.valid() {
			return nil, true, fmt.Errorf("%w: NYCbCrA alpha too short for %v", ErrInvalid, m.Rect)
		}
		if !opaque1(a) {
			return nil, false, nil
		}
		y, ok, err := resizeYCbCr(&m.YCbCr, o, W, H)
		if err != nil || !ok {
			return nil, ok, err
		}
		return y, true, nil
	}
	return nil, false, nil
}

// resize4 resamples a 4-byte-a-pixel image (pix, stride, bounds r) whose
// colour is premultiplied (pass1Bytes) or not (pass1Premul).
func resize4(pix []uint8, stride int, r image.Rectangle, p1 pass1Kind, o, W, H int) (image.Image, error) {
	src := plane{pix: pix, stride: stride, w: 4 * r.Dx(), h: r.Dy()}
	if r.Dx() > len(pix)/4 || !src.valid() { // (the first test also keeps 4·Dx from overflowing)
		return nil, fmt.Errorf("%w: pixels too short for %v (stride %d, %d bytes)", ErrInvalid, r, stride, len(pix))
	}
	opaque := opaque4(src)
	if opaque {
		p1 = pass1Bytes // alpha is 255 everywhere: nothing to multiply
	}
	return run4(planPool.Get().(*plan), task{src: src, pass1: p1}, r.Dx(), opaque, o, W, H)
}

// resizePaletted resamples m through a premultiplied lookup table built
// from the palette entries m uses; any index outside the palette is an
// error.
func resizePaletted(m *image.Paletted, o, W, H int) (image.Image, error) {
	src := plane{pix: m.Pix, stride: m.Stride, w: m.Rect.Dx(), h: m.Rect.Dy()}
	if !src.valid() {
		return nil, fmt.Errorf("%w: Paletted pixels too short for %v", ErrInvalid, m.Rect)
	}
	var used [256]bool
	for y := range src.h {
		for _, c := range src.pix[y*src.stride:][:src.w] {
			used[c] = true
		}
	}
	p := planPool.Get().(*plan)
	lut := &p.pal
	opaque := true
	for i, u := range used {
		if !u {
			continue
		}
		if i >= len(m.Palette) {
			planPool.Put(p)
			return nil, fmt.Errorf("%w: palette index %d out of range (%d colours)", ErrInvalid, i, len(m.Palette))
		}
		r, g, b, a, err := paletteRGBA(m.Palette, i)
		if err != nil {
			planPool.Put(p)
			return nil, err
		}
		lut.rgba[i] = [4]int32{int32(r >> 8), int32(g >> 8), int32(b >> 8), int32(a >> 8)}
		lut.rb[i] = packRB(int32(r>>8), int32(b>>8))
		lut.g[i] = int32(g >> 8)
		opaque = opaque && a == 0xffff
	}
	return run4(p, task{src: src, pass1: pass1Palette, pal: lut}, src.w, opaque, o, W, H)
}

// paletteRGBA returns the premultiplied 16-bit RGBA of palette entry i,
// turning a nil entry or a panicking custom colour into ErrInvalid.
func paletteRGBA(p color.Palette, i int) (r, g, b, a uint32, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: palette entry %d: %v", ErrInvalid, i, v)
		}
	}()
	if p[i] == nil {
		return 0, 0, 0, 0, fmt.Errorf("%w: palette entry %d is nil", ErrInvalid, i)
	}
	r, g, b, a = p[i].RGBA()
	return r, g, b, a, nil
}

// run4 completes task t (src and pass1 set; src pxW pixels wide) and runs
// it with plan p (from planPool, returned to it) into a new W×H image:
// *image.YCbCr 4:2:0 when opaque, else *image.NRGBA.
func run4(p *plan, t task, pxW int, opaque bool, o, W, H int) (image.Image, error) {
	g := srcGeom{fx: 1, fy: 1, extW: pxW, extH: t.src.h}
	xs, ys := axisSpecs(o, W, H, 1, plane{w: pxW, h: t.src.h}, g)
	t.xa, t.ya = &p.axes[0], &p.axes[1]
	t.xa.build(xs, lanczos3)
	t.ya.build(ys, lanczos3)
	t.swap = swapsAxes(o)
	var out image.Image
	if opaque {
		p.use16RGB(&t)
		m := image.NewYCbCr(image.Rect(0, 0, W, H), image.YCbCrSubsampleRatio420)
		cw, ch := (W+1)/2, (H+1)/2
		t.kind = kindRGBToYCbCr
		t.dst = plane{pix: m.Y, stride: m.YStride, w: W, h: H}
		t.cb = plane{pix: m.Cb, stride: m.CStride, w: cw, h: ch}
		t.cr = plane{pix: m.Cr, stride: m.CStride, w: cw, h: ch}
		out = m
	} else {
		m := image.NewNRGBA(image.Rect(0, 0, W, H))
		t.kind = kindToNRGBA
		t.dst = plane{pix: m.Pix, stride: m.Stride, w: W, h: H}
		out = m
	}
	p.tasks[0] = t
	p.n = 1
	if err := runPlan(p); err != nil {
		return nil, err
	}
	return out, nil
}

// unitOpaque is task.unit for kindRGBToYCbCr: a band of bandRows output
// rows, or of bandCols output columns when the orientation swaps axes.
// Pass 1 results are repacked as R|B int64s and G int32s (packRBG) so
// that pass 2 takes 2 multiplies per pixel and tap instead of 3; pass 2
// fills an RGB tile that storeYCbCr converts.
func (t *task) unitOpaque(u int, buf []int32, buf64 []int64) {
	if t.p16 {
		t.unitOpaque16(u, buf, buf64)
		return
	}
	n := t.rowLen() / 4 // source pixels along pass 1
	dst := t.dst
	acc4, buf := buf[:4*n], buf[4*n:]
	if !t.swap {
		// Output rows in pairs (one chroma row), converted in tiles of
		// tileCols columns.
		rb0, rb1 := buf64[:n], buf64[n:2*n]
		g0, g1 := buf[:n], buf[n:2*n]
		tile := buf[2*n : 2*n+6*tileCols]
		taps := t.ya.taps
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y += 2 {
			rows := min(2, dst.h-y)
			t.verticalRBG(rb0, g0, acc4, int(t.ya.start[y]), t.ya.w[y*taps:(y+1)*taps])
			if rows == 2 {
				t.verticalRBG(rb1, g1, acc4, int(t.ya.start[y+1]), t.ya.w[(y+1)*taps:(y+2)*taps])
			}
			for x0 := 0; x0 < dst.w; x0 += tileCols {
				x1 := min(x0+tileCols, dst.w)
				horizontalRBG(tile[:3*(x1-x0)], rb0, g0, t.xa, x0)
				if rows == 2 {
					horizontalRBG(tile[3*tileCols:][:3*(x1-x0)], rb1, g1, t.xa, x0)
				}
				t.storeYCbCr(tile, 3*tileCols, x0, y, x1-x0, rows)
			}
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	nb := x1 - x0
	taps := t.xa.taps
	for x := x0; x < x1; x++ {
		j := x - x0
		t.verticalRBG(buf64[j*n:(j+1)*n], buf[j*n:(j+1)*n], acc4, int(t.xa.start[x]), t.xa.w[x*taps:(x+1)*taps])
	}
	tile := buf[bandCols*n:][:3*bandCols*tileRows]
	for y0 := 0; y0 < dst.h; y0 += tileRows {
		y1 := min(y0+tileRows, dst.h)
		horizontalRBGT(tile, 3*nb, nb, buf64, buf, n, t.ya, y0, y1)
		t.storeYCbCr(tile, 3*nb, x0, y0, nb, y1-y0)
	}
}

// unitAlpha is task.unit for kindToNRGBA, banded as unitOpaque. Pass 1
// sums 4 int32s a pixel, repacked (packRBGA) as R|B and G|A int64s so
// that pass 2 takes 2 multiplies per pixel and tap instead of 4.
func (t *task) unitAlpha(u int, buf []int32, buf64 []int64) {
	n := t.rowLen() / 4 // source pixels along pass 1
	acc := buf[:4*n]
	dst := t.dst
	if !t.swap {
		rb, ga := buf64[:n], buf64[n:2*n]
		taps := t.ya.taps
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y++ {
			t.vertical(acc, int(t.ya.start[y]), t.ya.w[y*taps:(y+1)*taps])
			packRBGA(rb, ga, acc)
			horizontalNRGBA(dst.pix[y*dst.stride:][:4*dst.w], rb, ga, t.xa)
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	taps := t.xa.taps
	rb, ga := buf64[:bandCols*n], buf64[bandCols*n:2*bandCols*n]
	for x := x0; x < x1; x++ {
		j := x - x0
		t.vertical(acc, int(t.xa.start[x]), t.xa.w[x*taps:(x+1)*taps])
		packRBGA(rb[j*n:(j+1)*n], ga[j*n:(j+1)*n], acc)
	}
	horizontalNRGBAT(dst.pix[4*x0:], dst.stride, x1-x0, rb, ga, n, t.ya)
}

// verticalRBG is pass 1 of an opaque task into packed R|B and G values,
// using acc4 (4 int32s a pixel) as scratch for 4-byte pixels.
func (t *task) verticalRBG(rb []int64, g, acc4 []int32, start int, ws []int32) {
	if t.pass1 == pass1Palette {
		vertical1RBGPalette(rb, g, t.src.pix, t.src.stride, start, ws, t.pal)
		return
	}
	vertical1(acc4, t.src.pix, t.src.stride, start, ws)
	packRBG(rb, g, acc4)
}

// vertical is pass 1 of a 4-channel task: dst receives the weighted sum
// (weights ws) of source rows start.. as 4 channels a pixel.
func (t *task) vertical(dst []int32, start int, ws []int32) {
	switch t.pass1 {
	case pass1Premul:
		vertical1Premul(dst, t.src.pix, t.src.stride, start, ws)
	case pass1Palette:
		vertical1Palette(dst, t.src.pix, t.src.stride, start, ws, &t.pal.rgba)
	default:
		vertical1(dst, t.src.pix, t.src.stride, start, ws)
	}
}

// storeYCbCr converts the w×h tile of clamped R, G, B values (row j at
// tile[j*ts:]) whose top-left pixel is output pixel (x0, y0), x0 and y0
// even, into t's Y plane and 4:2:0 chroma planes. Y is color.RGBToYCbCr's
// luma of each pixel; Cb and Cr are its chroma of the mean colour of each
// 2×2 block (of the 1 or 2 pixels of a block cut by an odd edge), which
// equals image/jpeg's mean of the per-pixel chroma within rounding.
func (t *task) storeYCbCr(tile []int32, ts, x0, y0, w, h int) {
	Y, cb, cr := t.dst, t.cb, t.cr
	for j := 0; j < h; j += 2 {
		r0 := tile[j*ts:][:3*w]
		r1 := r0
		rows := 1
		if j+1 < h {
			r1 = tile[(j+1)*ts:][:3*w]
			rows = 2
		}
		y0row := Y.pix[(y0+j)*Y.stride+x0:][:w]
		y1row := y0row
		if rows == 2 {
			y1row = Y.pix[(y0+j+1)*Y.stride+x0:][:w]
		}
		ci := (y0+j)/2*cb.stride + x0/2
		cbrow, crrow := cb.pix[ci:][:(w+1)/2], cr.pix[ci:][:(w+1)/2]
		for i := 0; i < w; i += 2 {
			cols := min(2, w-i)
			var rs, gs, bs int32
			for dx := range cols {
				p := r0[3*(i+dx):][:3]
				q := r1[3*(i+dx):][:3]
				y0row[i+dx] = lumaOf(p[0], p[1], p[2])
				y1row[i+dx] = lumaOf(q[0], q[1], q[2])
				rs += p[0] + q[0]
				gs += p[1] + q[1]
				bs += p[2] + q[2]
			}
			// rs, gs, bs now sum 4 pixels, 2 (one of them counted twice
			// when rows == 1, which keeps the mean), or 2 counted twice.
			shift := 18
			if cols == 1 {
				shift = 17
			}
			cbrow[i/2] = chromaOf8(-11056*rs-21712*gs+32768*bs, shift)
			crrow[i/2] = chromaOf8(32768*rs-27440*gs-5328*bs, shift)
		}
	}
}

// lumaOf is color.RGBToYCbCr's Y.
func lumaOf(r, g, b int32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}

// chromaOf8 turns a chroma sum over 1<<(shift-16) pixels with
// color.RGBToYCbCr's coefficients into the rounded, clamped 8-bit value.
func chromaOf8(sum int32, shift int) uint8 {
	v := (sum + 257<<(shift-1)) >> shift
	return clamp8(v)
}

// opaque4 reports whether every alpha byte (every 4th, from index 3) of
// the 4-byte-a-pixel plane p is 255. It reads 8 bytes at a time and stops
// at the first row with a translucent pixel.
func opaque4(p plane) bool {
	const mask = 0xff000000ff000000
	for y := range p.h {
		row := p.pix[y*p.stride:][:p.w]
		acc := uint64(mask)
		for len(row) >= 32 {
			acc &= binary.LittleEndian.Uint64(row) & binary.LittleEndian.Uint64(row[8:]) &
				binary.LittleEndian.Uint64(row[16:]) & binary.LittleEndian.Uint64(row[24:])
			row = row[32:]
		}
		for len(row) >= 8 {
			acc &= binary.LittleEndian.Uint64(row)
			row = row[8:]
		}
		if acc&mask != mask || (len(row) == 4 && row[3] != 255) {
			return false
		}
	}
	return true
}

// opaque1 reports whether every byte of plane p is 255.
func opaque1(p plane) bool {
	for y := range p.h {
		row := p.pix[y*p.stride:][:p.w]
		acc := ^uint64(0)
		for len(row) >= 32 {
			acc &= binary.LittleEndian.Uint64(row) & binary.LittleEndian.Uint64(row[8:]) &
				binary.LittleEndian.Uint64(row[16:]) & binary.LittleEndian.Uint64(row[24:])
			row = row[32:]
		}
		for _, a := range row {
			acc &= 0xffffffffffffff00 | uint64(a)
		}
		if acc != ^uint64(0) {
			return false
		}
	}
	return true
}
