package resize

// The resampling passes of the 4-channel tasks (see rgba.go). Pass-1
// values are laid out 4 int32s a pixel (R, G, B, A) and carry the same
// weightBits-midShift fraction bits as the planar passes; colour is
// premultiplied by alpha (for opaque input, alpha is 255 and this is the
// colour itself).

// vertical1Premul is vertical1 for *image.NRGBA rows: it multiplies each
// pixel's colour by its alpha before summing, so dst holds premultiplied
// colour (c·a/255) and alpha, both with 6 fraction bits. Each tap weighs
// colour by t = w·a (one multiply for the pixel, not one per channel),
// halved so that the int32 sums cannot overflow whatever the weights'
// overshoot (|Σ(w·a/2)·c| < 2^31 for Σ|w| < 2.5·weightOne).
func vertical1Premul(dst []int32, src []uint8, stride, start int, ws []int32) {
	n := len(dst) &^ 3
	dst = dst[:n]
	row := func(k int) []uint8 {
		o := (start + k) * stride
		return src[o : o+n : o+n]
	}
	clear(dst)
	k := 0
	for ; k+2 <= len(ws); k += 2 {
		w0, w1 := ws[k], ws[k+1]
		r0, r1 := row(k), row(k+1)
		for i := 0; i < n; i += 4 {
			p := r0[i : i+4 : i+4]
			q := r1[i : i+4 : i+4]
			d := dst[i : i+4 : i+4]
			t0, t1 := w0*int32(p[3]), w1*int32(q[3])
			h0, h1 := t0>>1, t1>>1
			d[0] += h0*int32(p[0]) + h1*int32(q[0])
			d[1] += h0*int32(p[1]) + h1*int32(q[1])
			d[2] += h0*int32(p[2]) + h1*int32(q[2])
			d[3] += t0 + t1
		}
	}
	if k < len(ws) {
		w0 := ws[k]
		r0 := row(k)
		for i := 0; i < n; i += 4 {
			p := r0[i : i+4 : i+4]
			d := dst[i : i+4 : i+4]
			t0 := w0 * int32(p[3])
			h0 := t0 >> 1
			d[0] += h0 * int32(p[0])
			d[1] += h0 * int32(p[1])
			d[2] += h0 * int32(p[2])
			d[3] += t0
		}
	}
	// Colour: Σ(w·a/2)·c → 64·c·a/255 = Σ/32640 ≈ Σ·514/2^24 (relative
	// error 1.5e-5). Alpha: Σw·a → 64·a, as vertical1.
	for i := 0; i < n; i += 4 {
		d := dst[i : i+4 : i+4]
		d[0] = int32((int64(d[0])*514 + 1<<23) >> 24)
		d[1] = int32((int64(d[1])*514 + 1<<23) >> 24)
		d[2] = int32((int64(d[2])*514 + 1<<23) >> 24)
		d[3] = (d[3] + 1<<(midShift-1)) >> midShift
	}
}

// vertical1Palette is vertical1 for *image.Paletted rows: each index is
// looked up in lut (premultiplied R, G, B, A) and dst receives 4 values a
// pixel (len(dst) = 4 × the row's pixels).
func vertical1Palette(dst []int32, src []uint8, stride, start int, ws []int32, lut *[256][4]int32) {
	n := len(dst) / 4
	dst = dst[:4*n]
	const bias = 1 << (midShift - 1)
	for k, w := range ws {
		o := (start + k) * stride
		row := src[o : o+n : o+n]
		if k == 0 {
			for x, c := range row {
				e := &lut[c]
				d := dst[4*x : 4*x+4 : 4*x+4]
				d[0] = bias + w*e[0]
				d[1] = bias + w*e[1]
				d[2] = bias + w*e[2]
				d[3] = bias + w*e[3]
			}
			continue
		}
		for x, c := range row {
			e := &lut[c]
			d := dst[4*x : 4*x+4 : 4*x+4]
			d[0] += w * e[0]
			d[1] += w * e[1]
			d[2] += w * e[2]
			d[3] += w * e[3]
		}
	}
	for x := range dst {
		dst[x] >>= midShift
	}
}

// packRBGA converts one row of 4-channel pass-1 values (acc, 4 int32s a
// pixel) into packed R|B and G|A values (see packRB).
func packRBGA(rb, ga []int64, acc []int32) {
	ga = ga[:len(rb)]
	acc = acc[:4*len(rb)]
	for x := range rb {
		p := acc[4*x : 4*x+4 : 4*x+4]
		rb[x] = packRB(p[0], p[2])
		ga[x] = packRB(p[1], p[3])
	}
}

// horizontalNRGBA is pass 2 of a task with transparency along a row of
// packed premultiplied pass-1 values: dst receives 4 bytes (NRGBA) per
// pixel.
func horizontalNRGBA(dst []uint8, rb, ga []int64, a *axis) {
	taps := a.taps
	st := a.start[:len(dst)/4]
	for x, s0 := range st {
		s := int(s0)
		ws := a.w[x*taps : x*taps+taps]
		dotNRGBA(dst[4*x:4*x+4:4*x+4], ws, rb[s:s+len(ws)], ga[s:s+len(ws)])
	}
}

// horizontalNRGBAT is horizontalNRGBA for the orientations that swap axes:
// rb and ga hold nb rows of pass-1 values (row j at [j*tstride:]), one per
// output column of a band; output row y of the band goes to
// dst[y*dstride:], 4 bytes a pixel.
func horizontalNRGBAT(dst []uint8, dstride, nb int, rb, ga []int64, tstride int, a *axis) {
	taps := a.taps
	for y, st := range a.start {
		s := int(st)
		ws := a.w[y*taps : y*taps+taps]
		out := dst[y*dstride : y*dstride+4*nb]
		for j := range nb {
			o := j*tstride + s
			dotNRGBA(out[4*j:4*j+4:4*j+4], ws, rb[o:o+len(ws)], ga[o:o+len(ws)])
		}
	}
}

// dotNRGBA writes to d the NRGBA pixel of the dot products of ws with the
// packed premultiplied R|B and G|A values rb and ga.
func dotNRGBA(d []uint8, ws []int32, rb, ga []int64) {
	rb = rb[:len(ws)]
	ga = ga[:len(ws)]
	var srb, sga int64
	for k, w := range ws {
		srb += int64(w) * rb[k]
		sga += int64(w) * ga[k]
	}
	r, b := unpackRB(srb)
	g, al := unpackRB(sga)
	storeNRGBA(d, r, g, b, al)
}

// storeNRGBA writes the pass-2 sums of premultiplied r, g, b and alpha
// (each 1<<finalShift per unit) as a non-premultiplied pixel: alpha
// rounded and clamped, colour divided by the unrounded alpha and clamped.
// A pixel whose alpha rounds to 0 becomes transparent black.
func storeNRGBA(d []uint8, r, g, b, a int32) {
	a8 := clamp8((a + 1<<(finalShift-1)) >> finalShift)
	if a8 == 0 {
		d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		return
	}
	f := 255 / float32(a)
	d[0] = clampF32(float32(r) * f)
	d[1] = clampF32(float32(g) * f)
	d[2] = clampF32(float32(b) * f)
	d[3] = a8
}

// clampF32 rounds v to the nearest byte, clamping to 0..255.
func clampF32(v float32) uint8 {
	v += 0.5
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v)
}
