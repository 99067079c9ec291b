package resize

// The passes of the opaque 4-channel tasks (kindRGBToYCbCr). Pass 1 of
// 4-byte pixels is the planar vertical1 over the row's bytes (alpha
// included: measured, the plain byte loop is faster than any packed
// variant), whose result packRBG repacks; pass 1 of palette indexes and
// pass 2 skip alpha and let R and B share one int64 multiply: v = r + b·2³² holds
// two signed 32-bit lanes, and since w·v = w·r + (w·b)·2³² (mod 2⁶⁴) a sum
// of such products is R + B·2³², from which unpackRB recovers R and B
// exactly as long as each lies in int32 range. Pass-1 lanes stay below
// 2^24 and pass-2 lanes below 2^31 (255·64·Σ|w|·Σ|w|·weightOne with
// Σ|w| < 1.6), so G alone needs its own multiply: 2 per pixel and tap
// instead of 3 (measured: pass 2 twice as fast).

// packRB returns r and b as the low and high lanes of an int64.
func packRB(r, b int32) int64 { return int64(r) + int64(b)<<32 }

// unpackRB is the inverse of packRB (and of any sum of weighted packRB
// values whose lanes fit in int32).
func unpackRB(v int64) (r, b int32) {
	r = int32(v)
	return r, int32((v - int64(r)) >> 32)
}

// packRBG converts one row of 4-channel pass-1 values (acc, 4 int32s a
// pixel) into packed R|B values rb and G values g.
func packRBG(rb []int64, g []int32, acc []int32) {
	rb = rb[:len(g)]
	acc = acc[:4*len(g)]
	for x := range g {
		p := acc[4*x : 4*x+3 : 4*x+3]
		rb[x] = packRB(p[0], p[2])
		g[x] = p[1]
	}
}

// vertical1RBGPalette is pass 1 of an opaque task for 1-byte palette
// indexes, looked up in pal.rb and pal.g: rb[x] and g[x] receive the
// weighted sums of R|B and G of pixel x over len(ws) source rows from
// start, with midShift fraction bits removed (rounded).
func vertical1RBGPalette(rb []int64, g []int32, src []uint8, stride, start int, ws []int32, pal *paletteLUT) {
	n := len(g)
	rb = rb[:n]
	const bias = 1 << (midShift - 1)
	const bias2 = bias + bias<<32
	for k, w := range ws {
		o := (start + k) * stride
		row := src[o : o+n : o+n]
		l := int64(w)
		if k == 0 {
			for x, c := range row {
				rb[x] = bias2 + l*pal.rb[c]
				g[x] = bias + w*pal.g[c]
			}
			continue
		}
		for x, c := range row {
			rb[x] += l * pal.rb[c]
			g[x] += w * pal.g[c]
		}
	}
	for x := range g {
		r, b := unpackRB(rb[x])
		rb[x] = packRB(r>>midShift, b>>midShift)
		g[x] >>= midShift
	}
}

// horizontalRBG is pass 2 of an opaque task along one row of pass-1
// values: dst receives the clamped R, G, B (3 int32s each) of the output
// pixels x0, x0+1, ... (len(dst)/3 of them).
func horizontalRBG(dst []int32, rb []int64, g []int32, a *axis, x0 int) {
	taps := a.taps
	st := a.start[x0 : x0+len(dst)/3]
	ws := a.w[x0*taps:]
	for x, s0 := range st {
		s := int(s0)
		storeRBG(dst[3*x:3*x+3:3*x+3], ws[x*taps:x*taps+taps], rb[s:s+taps], g[s:s+taps])
	}
}

// horizontalRBGT is horizontalRBG for the orientations that swap axes (see
// horizontal2T): rb and g hold nb rows of pass-1 values (row j at
// [j*tstride:]), one per output column of a band; output rows y0..y1-1 of
// the band go to tile[(y-y0)*ts:], 3 values a pixel.
func horizontalRBGT(tile []int32, ts, nb int, rb []int64, g []int32, tstride int, a *axis, y0, y1 int) {
	taps := a.taps
	for y := y0; y < y1; y++ {
		s := int(a.start[y])
		ws := a.w[y*taps : y*taps+taps]
		out := tile[(y-y0)*ts : (y-y0)*ts+3*nb]
		for j := range nb {
			o := j*tstride + s
			storeRBG(out[3*j:3*j+3:3*j+3], ws, rb[o:o+taps], g[o:o+taps])
		}
	}
}

// storeRBG writes to d the clamped R, G, B of the dot products of ws with
// the packed R|B values rb and the G values g.
func storeRBG(d []int32, ws []int32, rb []int64, g []int32) {
	const bias = 1 << (finalShift - 1)
	const bias2 = bias + bias<<32
	rb = rb[:len(ws)]
	g = g[:len(ws)]
	srb, sg := int64(bias2), int32(bias)
	for k, w := range ws {
		srb += int64(w) * rb[k]
		sg += w * g[k]
	}
	r, b := unpackRB(srb)
	d[0] = int32(clamp8(r >> finalShift))
	d[1] = int32(clamp8(sg >> finalShift))
	d[2] = int32(clamp8(b >> finalShift))
}
