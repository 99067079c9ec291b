package resize

import "unsafe"

// The int16 path of opaque 4-byte pixels (kindRGBToYCbCr with
// pass1Bytes): pass 1 is vertical16 over the row's bytes, pass 2 sums the
// R, G and B of each output pixel from the 4-channel int16 values and
// writes the same clamped values as horizontalRBG / horizontalRBGT.
// Those compute R and B packed in one int64 (rgbpacked.go); the sums
// agree with separate int32 sums as long as the R sum fits in int32, which
// fitsRGB16 guarantees.

// fitsRGB16 reports whether an opaque 4-channel task whose pass 1 uses
// axis p1 and pass 2 axis p2 can take the int16 path: fits16, and every
// pass-2 sum (|value| ≤ max16 times Σ|w| plus the bias) within int32.
func fitsRGB16(p1, p2 *axis) bool {
	if !fits16(p1, p2) {
		return false
	}
	taps := p2.taps
	for v := range p2.start {
		var s int64
		for _, w := range p2.w[v*taps : (v+1)*taps] {
			s += int64(max(w, -w))
		}
		if s*max16+1<<(finalShift-1) > 1<<31-1 {
			return false
		}
	}
	return true
}

// buildPass2RGB fills l.wq, l.tq and l.maxStart from a (a must satisfy
// fits16).
func (l *axis16) buildPass2RGB(a *axis) {
	taps := a.taps
	tq := (taps + 3) &^ 3
	n := len(a.start)*tq + 12
	if cap(l.wq) < n {
		l.wq = make([]int16, n)
	}
	l.wq = l.wq[:n]
	clear(l.wq)
	l.tq = tq
	l.maxStart = 0
	for v, s := range a.start {
		l.maxStart = max(l.maxStart, int(s))
		for k, w := range a.w[v*taps : (v+1)*taps] {
			l.wq[v*tq+k] = int16(w)
		}
	}
}

// as16of64 returns buf's memory as int16s (four times as many).
func as16of64(buf []int64) []int16 {
	if len(buf) == 0 {
		return nil
	}
	return unsafe.Slice((*int16)(unsafe.Pointer(&buf[0])), 4*len(buf))
}

// rgbSlack is the int16 values past the last pass-1 row that pass 2 may
// read (with zero weights): 3 pixels of padding taps.
const rgbSlack = 12

// unitOpaque16 is unitOpaque on the int16 path: the pass-1 rows live in
// buf64's memory as int16 (4 a pixel), the RGB tile in buf.
func (t *task) unitOpaque16(u int, buf []int32, buf64 []int64) {
	n := t.rowLen() // int16 values a pass-1 row
	dst := t.dst
	b := as16of64(buf64)
	if !t.swap {
		r0, r1 := b[:n], b[n:2*n+rgbSlack]
		tile := buf[:6*tileCols]
		taps, np := t.ya.taps, t.v16.np
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y += 2 {
			rows := min(2, dst.h-y)
			vertical16(r0, t.src.pix, t.src.stride, int(t.ya.start[y]), t.ya.w[y*taps:(y+1)*taps], t.v16.wp[y*np:(y+1)*np])
			if rows == 2 {
				vertical16(r1[:n], t.src.pix, t.src.stride, int(t.ya.start[y+1]), t.ya.w[(y+1)*taps:(y+2)*taps], t.v16.wp[(y+1)*np:(y+2)*np])
			}
			for x0 := 0; x0 < dst.w; x0 += tileCols {
				x1 := min(x0+tileCols, dst.w)
				horizontalRGB16(tile[:3*(x1-x0)], b[:n+rgbSlack], t.xa, t.h16, x0)
				if rows == 2 {
					horizontalRGB16(tile[3*tileCols:][:3*(x1-x0)], r1, t.xa, t.h16, x0)
				}
				t.storeYCbCr(tile, 3*tileCols, x0, y, x1-x0, rows)
			}
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	nb := x1 - x0
	taps, np := t.xa.taps, t.v16.np
	for x := x0; x < x1; x++ {
		j := x - x0
		vertical16(b[j*n:(j+1)*n], t.src.pix, t.src.stride, int(t.xa.start[x]), t.xa.w[x*taps:(x+1)*taps], t.v16.wp[x*np:(x+1)*np])
	}
	rows := b[:nb*n+rgbSlack]
	tile := buf[:3*bandCols*tileRows]
	for y0 := 0; y0 < dst.h; y0 += tileRows {
		y1 := min(y0+tileRows, dst.h)
		horizontalRGB16T(tile, 3*nb, nb, rows, n, t.ya, t.h16, y0, y1)
		t.storeYCbCr(tile, 3*nb, x0, y0, nb, y1-y0)
	}
}

// horizontalRGB16Go is horizontalRBG over 4-channel int16 pass-1 values
// (src, 4 a pixel): dst receives the clamped R, G, B of the output pixels
// x0, x0+1, ... (len(dst)/3 of them).
func horizontalRGB16Go(dst []int32, src []int16, a *axis, x0 int) {
	taps := a.taps
	for x := range len(dst) / 3 {
		s := 4 * int(a.start[x0+x])
		storeRGB16(dst[3*x:3*x+3:3*x+3], a.w[(x0+x)*taps:(x0+x+1)*taps], src[s:s+4*taps])
	}
}

// horizontalRGB16TGo is horizontalRBGT over 4-channel int16 pass-1
// values: nb rows (row j at src[j*tstride:]), output rows y0..y1-1 to
// tile[(y-y0)*ts:], 3 values a pixel.
func horizontalRGB16TGo(tile []int32, ts, nb int, src []int16, tstride int, a *axis, y0, y1 int) {
	taps := a.taps
	for y := y0; y < y1; y++ {
		s := 4 * int(a.start[y])
		ws := a.w[y*taps : (y+1)*taps]
		out := tile[(y-y0)*ts : (y-y0)*ts+3*nb]
		for j := range nb {
			o := j*tstride + s
			storeRGB16(out[3*j:3*j+3:3*j+3], ws, src[o:o+4*taps])
		}
	}
}

// storeRGB16 writes to d the clamped R, G, B of the dot products of ws
// with the 4-channel pixels p.
func storeRGB16(d []int32, ws []int32, p []int16) {
	const bias = 1 << (finalShift - 1)
	p = p[:4*len(ws)]
	r, g, b := int32(bias), int32(bias), int32(bias)
	for k, w := range ws {
		q := p[4*k : 4*k+3 : 4*k+3]
		r += w * int32(q[0])
		g += w * int32(q[1])
		b += w * int32(q[2])
	}
	d[0] = int32(clamp8(r >> finalShift))
	d[1] = int32(clamp8(g >> finalShift))
	d[2] = int32(clamp8(b >> finalShift))
}

// use16RGB puts t, an opaque 4-channel task whose axes (p.axes[0] and
// [1]) are built, on the int16 path when use16 is set, its pass 1 reads
// bytes and its weights fit.
func (p *plan) use16RGB(t *task) {
	if !use16 || t.pass1 != pass1Bytes || (t.xa.taps == 1 && t.ya.taps == 1) {
		return
	}
	p1, p2 := t.ya, t.xa
	l1, l2 := &p.ax16[1], &p.ax16[0]
	if t.swap {
		p1, p2, l1, l2 = t.xa, t.ya, l2, l1
	}
	if !fitsRGB16(p1, p2) {
		return
	}
	l1.buildPass1(p1)
	l2.buildPass2RGB(p2)
	t.p16, t.v16, t.h16 = true, l1, l2
}
