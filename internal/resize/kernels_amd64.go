//go:build !purego

package resize

import "golang.org/x/sys/cpu"

// haveAVX2 reports whether the CPU runs the AVX2 kernels.
var haveAVX2 = cpu.X86.HasAVX2

// useAVX2 selects the AVX2 assembly kernels (kernels_amd64.s). It is set
// once at start-up from the CPU's features; tests flip it to compare the
// assembly with the Go kernels, which it must match bit for bit.
var useAVX2 = haveAVX2

// use16 makes planar tasks take the int16 path (fast16.go) when their
// weights allow it. It pays only with the AVX2 kernels.
var use16 = useAVX2

//go:noescape
func v1AVX2(dst *int32, n int, src *uint8, stride int, wp *uint32, np int, odd int)

//go:noescape
func v16AVX2(dst *int16, n int, src *uint8, stride int, wp *uint32, np int, odd int)

//go:noescape
func h16AVX2(dst *uint8, ng int, src *int16, st *int32, w *int16, ncb int, tail int)

//go:noescape
func h16TAVX2(dst *uint8, dstride int, ny int, tmp *int16, tstride int, st *int32, w *int16, nc int, gb int, tailoff int, tail int)

// maxPairsV1 is the most weight pairs vertical1 packs on the stack for the
// assembly kernel; longer filters (downscales above ~10×) run in Go.
const maxPairsV1 = 32

// vertical1 is pass 1 along columns: dst[x] = Σk ws[k]·src[(start+k)·stride+x]
// (plus rounding, shifted by midShift) for every x in dst, i.e. a weighted
// sum of len(ws) consecutive source rows. With AVX2 it runs the assembly
// kernel over the first len(dst)&^15 columns and vertical1Go over the rest.
func vertical1(dst []int32, src []uint8, stride, start int, ws []int32) {
	n := len(dst) &^ 15
	if !useAVX2 || n == 0 || len(ws) == 0 || len(ws) > 2*maxPairsV1 {
		vertical1Go(dst, src, stride, start, ws)
		return
	}
	var wp [maxPairsV1]uint32
	for _, w := range ws {
		if w < -max16 || w > max16 {
			vertical1Go(dst, src, stride, start, ws)
			return
		}
	}
	np := (len(ws) + 1) / 2
	packPairs(wp[:np], ws)
	_ = src[(start+len(ws)-1)*stride+n-1] // the last byte the kernel reads
	v1AVX2(&dst[0], n, &src[start*stride], stride, &wp[0], len(ws)/2, len(ws)&1)
	if n < len(dst) {
		vertical1Go(dst[n:], src[n:], stride, start, ws)
	}
}

// vertical16 is vertical1 into int16 values, for a task that satisfies
// fits16; wp holds ws as packed pairs (axis16.buildPass1).
func vertical16(dst []int16, src []uint8, stride, start int, ws []int32, wp []uint32) {
	n := len(dst) &^ 15
	if useAVX2 && n > 0 && len(ws) > 0 {
		_ = wp[(len(ws)+1)/2-1]
		_ = src[(start+len(ws)-1)*stride+n-1]
		v16AVX2(&dst[0], n, &src[start*stride], stride, &wp[0], len(ws)/2, len(ws)&1)
	} else {
		n = 0
	}
	if n < len(dst) {
		vertical16Go(dst[n:], src[n:], stride, start, ws)
	}
}

// horizontal16 is horizontal2 over int16 pass-1 values, for a task that
// satisfies fits16; l holds a's weights in the group layout. src must
// extend 8 values past the source row (read with zero weights).
func horizontal16(dst []uint8, src []int16, a *axis, l *axis16) {
	ng := len(dst) / 8
	if useAVX2 && ng > 0 {
		_ = a.start[ng*8-1]
		_ = l.w[ng*8*l.tp-1]
		_ = src[l.maxStart+l.tp-1]
		h16AVX2(&dst[0], ng, &src[0], &a.start[0], &l.w[0], 32*(l.tp/16), l.tp%16)
	} else {
		ng = 0
	}
	horizontal16Go(dst, src, a, ng*8)
}

// horizontal16T is horizontal2T over int16 pass-1 values, for a task that
// satisfies fits16; l holds a's weights in the group layout. tmp must
// extend 8 values past its last row (read with zero weights).
func horizontal16T(dst []uint8, dstride, nb int, tmp []int16, tstride int, a *axis, l *axis16) {
	ny := len(a.start)
	nb8 := nb &^ 7
	if useAVX2 && nb8 > 0 && ny > 0 {
		_ = l.w[(ny+7)/8*8*l.tp-1]
		_ = tmp[(nb8-1)*tstride+l.maxStart+l.tp-1]
		_ = dst[(ny-1)*dstride+nb8-1]
		nc := l.tp / 16
		for j0 := 0; j0 < nb8; j0 += 8 {
			h16TAVX2(&dst[j0], dstride, ny, &tmp[j0*tstride], 2*tstride, &a.start[0], &l.w[0], nc, 16*l.tp, 256*nc, l.tp%16)
		}
	} else {
		nb8 = 0
	}
	horizontal16TGo(dst, dstride, nb8, nb, tmp, tstride, a)
}

//go:noescape
func rgb16AVX2(dst *int32, n int, src *int16, srcStep int, st *int32, stStep int, w *int16, wStep int, nc int)

// horizontalRGB16 is horizontalRBG over 4-channel int16 pass-1 values
// (src, 4 a pixel, extending rgbSlack values past the row), for a task
// that satisfies fitsRGB16; l holds a's weights (buildPass2RGB).
func horizontalRGB16(dst []int32, src []int16, a *axis, l *axis16, x0 int) {
	n := len(dst) / 3
	if !useAVX2 || n == 0 {
		horizontalRGB16Go(dst, src, a, x0)
		return
	}
	_ = a.start[x0+n-1]
	_ = l.wq[(x0+n)*l.tq+rgbSlack-1]
	_ = src[4*(l.maxStart+l.tq)-1]
	rgb16AVX2(&dst[0], n, &src[0], 0, &a.start[x0], 4, &l.wq[x0*l.tq], 2*l.tq, l.tq/4)
}

// horizontalRGB16T is horizontalRBGT over 4-channel int16 pass-1 values
// (nb rows, row j at src[j*tstride:], the last extending rgbSlack values
// past its end), for a task that satisfies fitsRGB16.
func horizontalRGB16T(tile []int32, ts, nb int, src []int16, tstride int, a *axis, l *axis16, y0, y1 int) {
	if !useAVX2 || nb == 0 || y1 <= y0 {
		horizontalRGB16TGo(tile, ts, nb, src, tstride, a, y0, y1)
		return
	}
	_ = a.start[y1-1]
	_ = l.wq[y1*l.tq+rgbSlack-1]
	_ = src[(nb-1)*tstride+4*(l.maxStart+l.tq)-1]
	_ = tile[(y1-y0-1)*ts+3*nb-1]
	for y := y0; y < y1; y++ {
		rgb16AVX2(&tile[(y-y0)*ts], nb, &src[0], 2*tstride, &a.start[y], 0, &l.wq[y*l.tq], 0, l.tq/4)
	}
}
