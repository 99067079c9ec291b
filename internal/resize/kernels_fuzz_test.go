package resize

import (
	"bytes"
	"testing"
)

// FuzzKernels feeds arbitrary rows, values, starts and weights to the
// planar kernels and asserts that the AVX2 kernels (when the CPU has
// them) and the Go int16 kernels write exactly what the Go int32 kernels
// write: vertical1, vertical16 (when the pass-1 values fit int16),
// horizontal16, horizontal16T and the 4-channel horizontalRGB16 and
// horizontalRGB16T (against the packed horizontalRBG / horizontalRBGT).
func FuzzKernels(f *testing.F) {
	f.Add([]byte{13, 63, 39, 15, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 16, 8, 8, 0x10, 1, 255, 127, 0, 128})
	f.Add([]byte{40, 33, 17, 16, 0x21, 30, 255, 255, 255, 127, 1, 128, 0, 0})
	f.Add([]byte{21, 79, 24, 9, 0x05, 12, 0, 64, 0, 192, 255, 63, 17, 200, 99})
	f.Add(bytes.Repeat([]byte{0xff, 0x7f, 0x01, 0x80}, 64))
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) < 6 || len(d) > 4096 {
			return
		}
		taps := 1 + int(d[0])%48
		w := 1 + int(d[1])%80
		n := 1 + int(d[2])%40
		nb := 1 + int(d[3])%20
		shift := int(d[4]) % 16 // weights >> shift: small weights fit vertical16
		body := d[5:]
		pos := 0
		next := func() uint8 {
			v := body[pos%len(body)] + uint8(pos/len(body)*31)
			pos++
			return v
		}
		next16 := func() int32 {
			v := int32(int16(uint16(next()) | uint16(next())<<8))
			return max(-max16, min(max16, v))
		}
		weights := func(k int) []int32 {
			ws := make([]int32, k)
			for i := range ws {
				ws[i] = next16() >> shift
			}
			return ws
		}

		stride, start := w+int(d[3])%3, int(d[2])%3
		src := make([]uint8, (start+taps-1)*stride+w)
		for i := range src {
			src[i] = next()
		}
		ws := weights(taps)
		want := make([]int32, w)
		vertical1Go(want, src, stride, start, ws)
		wp := make([]uint32, (taps+1)/2)
		packPairs(wp, ws)
		for _, m := range kernelModes {
			got := make([]int32, w)
			withKernels(m, func() { vertical1(got, src, stride, start, ws) })
			if i := firstDiff32(got, want); i >= 0 {
				t.Fatalf("%s: vertical1[%d] = %d, want %d", m.name, i, got[i], want[i])
			}
			if p1Fits(ws) {
				got16 := make([]int16, w)
				withKernels(m, func() { vertical16(got16, src, stride, start, ws, wp) })
				for i := range want {
					if int32(got16[i]) != want[i] {
						t.Fatalf("%s: vertical16[%d] = %d, want %d", m.name, i, got16[i], want[i])
					}
				}
			}
		}

		srcN := taps + int(next())%32
		for _, ny := range []int{n, 1 + n%9} {
			a := &axis{taps: taps, start: make([]int32, ny), w: weights(ny * taps)}
			for v := range a.start {
				a.start[v] = int32(int(next()) % (srcN - taps + 1))
			}
			var l axis16
			l.buildPass2(a)
			rows := nb
			if ny == n {
				rows = 1 // horizontal16 over one row
			}
			v16 := make([]int16, rows*srcN+8)
			v32 := make([]int32, rows*srcN)
			for i := range v16 {
				x := next16()
				v16[i] = int16(x)
				if i < len(v32) {
					v32[i] = x
				}
			}
			if rows == 1 {
				want := make([]uint8, ny)
				horizontal2(want, v32, a)
				for _, m := range kernelModes {
					got := make([]uint8, ny)
					withKernels(m, func() { horizontal16(got, v16, a, &l) })
					if !bytes.Equal(got, want) {
						t.Fatalf("%s: horizontal16 = %v, want %v", m.name, got, want)
					}
				}
				continue
			}
			want := make([]uint8, (ny-1)*nb+nb)
			horizontal2T(want, nb, nb, v32, srcN, a)
			for _, m := range kernelModes {
				got := make([]uint8, len(want))
				withKernels(m, func() { horizontal16T(got, nb, nb, v16, srcN, a, &l) })
				if !bytes.Equal(got, want) {
					t.Fatalf("%s: horizontal16T = %v, want %v", m.name, got, want)
				}
			}
		}

		// Pass 2 of opaque 4-channel rows, weights bounded so that the
		// sums fit int32 (as fitsRGB16 requires).
		for _, swap := range []bool{false, true} {
			rows := 1
			if swap {
				rows = nb
			}
			a := &axis{taps: taps, start: make([]int32, n), w: weights(n * taps)}
			lim := int32(min(max16, 65000/taps))
			for i, w := range a.w {
				a.w[i] = max(-lim, min(lim, w))
			}
			for v := range a.start {
				a.start[v] = int32(int(next()) % (srcN - taps + 1))
			}
			v16 := make([]int16, 4*rows*srcN+rgbSlack)
			v32 := make([]int32, 4*rows*srcN)
			for i := range v16 {
				x := next16()
				v16[i] = int16(x)
				if i < len(v32) {
					v32[i] = x
				}
			}
			y0 := int(next()) % n
			want := rgbReference(v32, rows, srcN, a, swap, y0, n)
			var l axis16
			l.buildPass2RGB(a)
			for _, m := range kernelModes {
				got := make([]int32, len(want))
				withKernels(m, func() {
					if swap {
						horizontalRGB16T(got, 3*rows, rows, v16, 4*srcN, a, &l, y0, n)
					} else {
						horizontalRGB16(got, v16, a, &l, y0)
					}
				})
				if i := firstDiff32(got, want); i >= 0 {
					t.Fatalf("%s swap %v: RGB value %d = %d, want %d", m.name, swap, i, got[i], want[i])
				}
			}
		}
	})
}
