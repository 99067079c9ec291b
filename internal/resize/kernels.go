package resize

// The two resampling passes in Go. Pass 1 reads bytes and writes int32
// values carrying weightBits-midShift fraction bits; pass 2 reads those
// values and writes clamped bytes. Both are written so that the compiler
// can drop the bounds checks from the inner loops. They are the reference
// for the AVX2 kernels (kernels_amd64.s, used through kernels_amd64.go
// and fast16.go), which must write the same values.

// vertical1Go is the Go version of vertical1 (kernels_amd64.go,
// kernels_generic.go): dst[x] = Σk ws[k]·src[(start+k)·stride+x] for every
// x in dst, i.e. a weighted sum of len(ws) consecutive source rows.
func vertical1Go(dst []int32, src []uint8, stride, start int, ws []int32) {
	n := len(dst)
	row := func(k int) []uint8 {
		o := (start + k) * stride
		return src[o : o+n : o+n]
	}
	const bias = 1 << (midShift - 1)
	k := 0
	if len(ws) >= 2 {
		r0, r1 := row(0)[:len(dst)], row(1)[:len(dst)]
		w0, w1 := ws[0], ws[1]
		for x := range dst {
			dst[x] = bias + w0*int32(r0[x]) + w1*int32(r1[x])
		}
		k = 2
	} else {
		r0 := row(0)[:len(dst)]
		w0 := ws[0]
		for x := range dst {
			dst[x] = bias + w0*int32(r0[x])
		}
		k = 1
	}
	for ; k+4 <= len(ws); k += 4 {
		r0, r1, r2, r3 := row(k)[:len(dst)], row(k + 1)[:len(dst)], row(k + 2)[:len(dst)], row(k + 3)[:len(dst)]
		w0, w1, w2, w3 := ws[k], ws[k+1], ws[k+2], ws[k+3]
		for x := range dst {
			dst[x] += w0*int32(r0[x]) + w1*int32(r1[x]) + w2*int32(r2[x]) + w3*int32(r3[x])
		}
	}
	for ; k+2 <= len(ws); k += 2 {
		r0, r1 := row(k)[:len(dst)], row(k + 1)[:len(dst)]
		w0, w1 := ws[k], ws[k+1]
		for x := range dst {
			dst[x] += w0*int32(r0[x]) + w1*int32(r1[x])
		}
	}
	if k < len(ws) {
		r0 := row(k)[:len(dst)]
		w0 := ws[k]
		for x := range dst {
			dst[x] += w0 * int32(r0[x])
		}
	}
	for x := range dst {
		dst[x] >>= midShift
	}
}

// horizontal2 is pass 2 along a row of pass-1 values: dst[x] receives the
// clamped weighted sum of src around a.start[x].
func horizontal2(dst []uint8, src []int32, a *axis) {
	taps := a.taps
	const bias = 1 << (finalShift - 1)
	st := a.start[:len(dst)]
	switch taps {
	case 1:
		w := a.w[:len(dst)]
		for x := range dst {
			dst[x] = clamp8((w[x]*src[st[x]] + bias) >> finalShift)
		}
		return
	}
	for x := range dst {
		s := int(st[x])
		dst[x] = clamp8(dot(bias, a.w[x*taps:x*taps+taps], src[s:s+taps]) >> finalShift)
	}
}

// horizontal2T is pass 2 for the orientations that swap axes: tmp holds
// len(dst columns) rows of pass-1 values (row j at tmp[j*tstride:]), one per
// output column of a band; for every output row y it writes the band's
// bytes dst[y*dstride : y*dstride+nb], each the weighted sum of its tmp row
// around a.start[y].
func horizontal2T(dst []uint8, dstride, nb int, tmp []int32, tstride int, a *axis) {
	taps := a.taps
	const bias = 1 << (finalShift - 1)
	for y, st := range a.start {
		s := int(st)
		ws := a.w[y*taps : y*taps+taps]
		out := dst[y*dstride : y*dstride+nb]
		for j := range out {
			o := j*tstride + s
			out[j] = clamp8(dot(bias, ws, tmp[o:o+taps]) >> finalShift)
		}
	}
}

// dot returns sum + Σ ws[k]·r[k] (len(r) ≥ len(ws)). (Unrolled variants
// measured no faster: the Go compiler spills their partial sums.)
func dot(sum int32, ws, r []int32) int32 {
	r = r[:len(ws)]
	for k, w := range ws {
		sum += w * r[k]
	}
	return sum
}

func clamp8(v int32) uint8 {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}
