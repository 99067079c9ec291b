//go:build !amd64 || purego

package resize

// haveAVX2 and useAVX2 are false: this build has no assembly kernels.
var haveAVX2, useAVX2 = false, false

// use16 makes planar tasks take the int16 path (fast16.go) when their
// weights allow it. Without assembly it does not pay, so it is off unless
// a test turns it on.
var use16 = false

// vertical1 is pass 1 along columns: dst[x] = Σk ws[k]·src[(start+k)·stride+x]
// (plus rounding, shifted by midShift) for every x in dst, i.e. a weighted
// sum of len(ws) consecutive source rows.
func vertical1(dst []int32, src []uint8, stride, start int, ws []int32) {
	vertical1Go(dst, src, stride, start, ws)
}

// vertical16 is vertical1 into int16 values, for a task that satisfies
// fits16.
func vertical16(dst []int16, src []uint8, stride, start int, ws []int32, _ []uint32) {
	vertical16Go(dst, src, stride, start, ws)
}

// horizontal16 is horizontal2 over int16 pass-1 values, for a task that
// satisfies fits16.
func horizontal16(dst []uint8, src []int16, a *axis, _ *axis16) {
	horizontal16Go(dst, src, a, 0)
}

// horizontal16T is horizontal2T over int16 pass-1 values, for a task that
// satisfies fits16.
func horizontal16T(dst []uint8, dstride, nb int, tmp []int16, tstride int, a *axis, _ *axis16) {
	horizontal16TGo(dst, dstride, 0, nb, tmp, tstride, a)
}

// horizontalRGB16 is horizontalRBG over 4-channel int16 pass-1 values,
// for a task that satisfies fitsRGB16.
func horizontalRGB16(dst []int32, src []int16, a *axis, _ *axis16, x0 int) {
	horizontalRGB16Go(dst, src, a, x0)
}

// horizontalRGB16T is horizontalRBGT over 4-channel int16 pass-1 values,
// for a task that satisfies fitsRGB16.
func horizontalRGB16T(tile []int32, ts, nb int, src []int16, tstride int, a *axis, _ *axis16, y0, y1 int) {
	horizontalRGB16TGo(tile, ts, nb, src, tstride, a, y0, y1)
}
