package hevc

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

// newTestFrame builds a frame of w×h luma samples (4:2:0) with CTBs of
// 1<<log2Ctb, minimum TBs of 1<<log2MinTb, planes padded to CTB multiples
// and filled with fill, and the CTBs split into slices starting at the
// CTB addresses in sliceStarts (ascending; CTB 0 always starts slice 0).
func newTestFrame(w, h, log2Ctb, log2MinTb int, strong bool, sliceStarts []int) *frame {
	ctb := 1 << log2Ctb
	sps := &SPS{
		ChromaFormatIdc: 1, Width: w, Height: h, BitDepthY: 8, BitDepthC: 8,
		Log2CtbSize: log2Ctb, Log2MinTbSize: log2MinTb, Log2MinCbSize: 3,
		StrongIntraSmoothing: strong,
	}
	f := &frame{sps: sps, w: w, h: h, cw: w / 2, ch: h / 2}
	f.ctbW = (w + ctb - 1) / ctb
	f.ctbH = (h + ctb - 1) / ctb
	sw, sh := f.ctbW*ctb, f.ctbH*ctb
	f.stride = [3]int{sw, sw / 2, sw / 2}
	f.planes = [3][]uint8{make([]uint8, sw*sh), make([]uint8, sw*sh/4), make([]uint8, sw*sh/4)}
	f.w4, f.h4 = (w+3)/4, (h+3)/4
	f.ctbSlice = make([]int32, f.ctbW*f.ctbH)
	s := int32(0)
	for i := range f.ctbSlice {
		for _, a := range sliceStarts {
			if a == i && i > 0 {
				s++
			}
		}
		f.ctbSlice[i] = s
	}
	return f
}

// fillPlanes fills every plane sample: kind 0 random, 1 smooth gradient
// with little noise (flat enough for strong smoothing), 2 random with
// rare outliers on a flat background.
func fillPlanes(f *frame, rng *rand.Rand, kind int) {
	for c := range f.planes {
		p, s := f.planes[c], f.stride[c]
		for i := range p {
			x, y := i%s, i/s
			switch kind {
			case 0:
				p[i] = uint8(rng.Intn(256))
			case 1:
				p[i] = uint8(40 + (x+y)/8 + rng.Intn(3))
			default:
				p[i] = 128
				if rng.Intn(16) == 0 {
					p[i] = uint8(rng.Intn(256))
				}
			}
		}
	}
}

// Spec tables written out independently of intra.go (Tables 8-5, 8-6).
var (
	specAngle = map[int]int{
		2: 32, 3: 26, 4: 21, 5: 17, 6: 13, 7: 9, 8: 5, 9: 2, 10: 0, 11: -2, 12: -5, 13: -9,
		14: -13, 15: -17, 16: -21, 17: -26, 18: -32, 19: -26, 20: -21, 21: -17, 22: -13,
		23: -9, 24: -5, 25: -2, 26: 0, 27: 2, 28: 5, 29: 9, 30: 13, 31: 17, 32: 21,
		33: 26, 34: 32,
	}
	specInvAngle = map[int]int{
		11: -4096, 12: -1638, 13: -910, 14: -630, 15: -482, 16: -390, 17: -315, 18: -256,
		19: -315, 20: -390, 21: -482, 22: -630, 23: -910, 24: -1638, 25: -4096,
	}
)

// specPredict is a per-sample transcription of 8.4.4.2 (availability of
// every reference sample through 6.4.1, substitution, filtering, planar /
// DC / angular). It returns predSamples[x][y] as pred[y*n+x].
func specPredict(f *frame, c, xTb, yTb, log2, mode int) []int {
	n := 1 << log2
	sh := 0
	if c > 0 {
		sh = 1
	}
	xTbY, yTbY := xTb<<sh, yTb<<sh
	// p[x][y] for x, y = -1..2n-1 stored at [x+1][y+1].
	var p, pF [65][65]int
	var avail [65][65]bool
	var scan [][2]int
	for y := 2*n - 1; y >= -1; y-- {
		scan = append(scan, [2]int{-1, y})
	}
	for x := 0; x < 2*n; x++ {
		scan = append(scan, [2]int{x, -1})
	}
	any := false
	for _, q := range scan {
		xN, yN := xTb+q[0], yTb+q[1]
		if f.available(xTbY, yTbY, xN<<sh, yN<<sh) {
			avail[q[0]+1][q[1]+1] = true
			p[q[0]+1][q[1]+1] = int(f.planes[c][yN*f.stride[c]+xN])
			any = true
		}
	}
	// 8.4.4.2.2
	if !any {
		for _, q := range scan {
			p[q[0]+1][q[1]+1] = 128
		}
	} else {
		q0 := scan[0]
		if !avail[q0[0]+1][q0[1]+1] {
			for _, q := range scan {
				if avail[q[0]+1][q[1]+1] {
					p[q0[0]+1][q0[1]+1] = p[q[0]+1][q[1]+1]
					break
				}
			}
		}
		for i := 1; i < len(scan); i++ {
			q, prev := scan[i], scan[i-1]
			if !avail[q[0]+1][q[1]+1] {
				p[q[0]+1][q[1]+1] = p[prev[0]+1][prev[1]+1]
			}
		}
	}
	P := func(x, y int) int { return p[x+1][y+1] }
	// 8.4.4.2.3
	filterFlag := false
	if c == 0 && mode != 1 && n != 4 {
		d := min(iabs(mode-26), iabs(mode-10))
		thres := map[int]int{8: 7, 16: 1, 32: 0}[n]
		filterFlag = d > thres
	}
	if filterFlag {
		biInt := f.sps.StrongIntraSmoothing && c == 0 && n == 32 &&
			iabs(P(-1, -1)+P(n*2-1, -1)-2*P(n-1, -1)) < 1<<(8-5) &&
			iabs(P(-1, -1)+P(-1, n*2-1)-2*P(-1, n-1)) < 1<<(8-5)
		if biInt {
			strongSeen++
			pF[0][0] = P(-1, -1)
			for y := 0; y <= 62; y++ {
				pF[0][y+1] = ((63-y)*P(-1, -1) + (y+1)*P(-1, 63) + 32) >> 6
			}
			pF[0][64] = P(-1, 63)
			for x := 0; x <= 62; x++ {
				pF[x+1][0] = ((63-x)*P(-1, -1) + (x+1)*P(63, -1) + 32) >> 6
			}
			pF[64][0] = P(63, -1)
		} else {
			pF[0][0] = (P(-1, 0) + 2*P(-1, -1) + P(0, -1) + 2) >> 2
			for y := 0; y <= n*2-2; y++ {
				pF[0][y+1] = (P(-1, y+1) + 2*P(-1, y) + P(-1, y-1) + 2) >> 2
			}
			pF[0][n*2] = P(-1, n*2-1)
			for x := 0; x <= n*2-2; x++ {
				pF[x+1][0] = (P(x-1, -1) + 2*P(x, -1) + P(x+1, -1) + 2) >> 2
			}
			pF[n*2][0] = P(n*2-1, -1)
		}
		p = pF
	}
	clip := func(v int) int { return max(0, min(255, v)) }
	pred := make([]int, n*n)
	set := func(x, y, v int) { pred[y*n+x] = v }
	switch {
	case mode == 0: // 8.4.4.2.5
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				set(x, y, ((n-1-x)*P(-1, y)+(x+1)*P(n, -1)+(n-1-y)*P(x, -1)+(y+1)*P(-1, n)+n)>>(log2+1))
			}
		}
	case mode == 1:
		sum := n
		for i := 0; i < n; i++ {
			sum += P(i, -1) + P(-1, i)
		}
		dc := sum >> (log2 + 1)
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				set(x, y, dc)
			}
		}
		if c == 0 && n < 32 {
			set(0, 0, (P(-1, 0)+2*dc+P(0, -1)+2)>>2)
			for x := 1; x < n; x++ {
				set(x, 0, (P(x, -1)+3*dc+2)>>2)
			}
			for y := 1; y < n; y++ {
				set(0, y, (P(-1, y)+3*dc+2)>>2)
			}
		}
	default:
		angle := specAngle[mode]
		// ref[i] for i = -2n..2n+1 at refv[i+64]; reading an entry the
		// spec leaves undefined panics.
		var refv [130]int
		var refok [130]bool
		ref := func(i, v int) { refv[i+64], refok[i+64] = v, true }
		R := func(i int) int {
			if !refok[i+64] {
				panic(fmt.Sprintf("ref[%d] undefined", i))
			}
			return refv[i+64]
		}
		if mode >= 18 {
			for x := 0; x <= n; x++ {
				ref(x, P(-1+x, -1))
			}
			if angle < 0 {
				if (n*angle)>>5 < -1 {
					for x := (n * angle) >> 5; x <= -1; x++ {
						ref(x, P(-1, -1+((x*specInvAngle[mode]+128)>>8)))
					}
				}
			} else {
				for x := n + 1; x <= 2*n; x++ {
					ref(x, P(-1+x, -1))
				}
			}
			for y := 0; y < n; y++ {
				iIdx := ((y + 1) * angle) >> 5
				iFact := ((y + 1) * angle) & 31
				for x := 0; x < n; x++ {
					if iFact != 0 {
						set(x, y, ((32-iFact)*R(x+iIdx+1)+iFact*R(x+iIdx+2)+16)>>5)
					} else {
						set(x, y, R(x+iIdx+1))
					}
				}
			}
			if mode == 26 && c == 0 && n < 32 {
				for y := 0; y < n; y++ {
					set(0, y, clip(P(0, -1)+((P(-1, y)-P(-1, -1))>>1)))
				}
			}
		} else {
			for x := 0; x <= n; x++ {
				ref(x, P(-1, -1+x))
			}
			if angle < 0 {
				if (n*angle)>>5 < -1 {
					for x := (n * angle) >> 5; x <= -1; x++ {
						ref(x, P(-1+((x*specInvAngle[mode]+128)>>8), -1))
					}
				}
			} else {
				for x := n + 1; x <= 2*n; x++ {
					ref(x, P(-1, -1+x))
				}
			}
			for x := 0; x < n; x++ {
				iIdx := ((x + 1) * angle) >> 5
				iFact := ((x + 1) * angle) & 31
				for y := 0; y < n; y++ {
					if iFact != 0 {
						set(x, y, ((32-iFact)*R(y+iIdx+1)+iFact*R(y+iIdx+2)+16)>>5)
					} else {
						set(x, y, R(y+iIdx+1))
					}
				}
			}
			if mode == 10 && c == 0 && n < 32 {
				for x := 0; x < n; x++ {
					set(x, 0, clip(P(-1, 0)+((P(x, -1)-P(-1, -1))>>1)))
				}
			}
		}
	}
	return pred
}

// strongSeen counts the blocks specPredict smoothed bilinearly, so the
// tests can check that they exercise that path.
var strongSeen int

func iabs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// checkPredict runs predict on f and compares the block with specPredict
// and the rest of every plane with its previous content.
func checkPredict(t *testing.T, f *frame, c, x, y, log2, mode int) {
	t.Helper()
	want := specPredict(f, c, x, y, log2, mode)
	before := append([]uint8(nil), f.planes[c]...)
	f.predict(c, x, y, log2, mode)
	n := 1 << log2
	s := f.stride[c]
	p := f.planes[c]
	for py := 0; py < len(p)/s; py++ {
		row, old := p[py*s:py*s+s], before[py*s:py*s+s]
		if py < y || py >= y+n {
			if !bytes.Equal(row, old) {
				t.Fatalf("c%d (%d,%d) n%d mode %d: wrote outside the block in row %d", c, x, y, n, mode, py)
			}
			continue
		}
		if !bytes.Equal(row[:x], old[:x]) || !bytes.Equal(row[x+n:], old[x+n:]) {
			t.Fatalf("c%d (%d,%d) n%d mode %d: wrote outside the block in row %d", c, x, y, n, mode, py)
		}
		for px := x; px < x+n; px++ {
			if w := want[(py-y)*n+px-x]; int(row[px]) != w {
				t.Fatalf("c%d (%d,%d) n%d mode %d: pred[%d][%d] = %d, spec %d", c, x, y, n, mode, px-x, py-y, row[px], w)
			}
		}
	}
	copy(f.planes[c], before) // keep the neighbourhood random for the next case
}

func TestPredictMatchesSpec(t *testing.T) {
	type geom struct {
		w, h, log2Ctb, log2MinTb int
		slices                   []int
	}
	geoms := []geom{
		{200, 136, 5, 2, []int{5, 13}}, // partial CTBs at the right/bottom, 3 slices
		{128, 64, 6, 2, nil},
		{96, 48, 4, 2, []int{7}},
		{160, 96, 5, 3, []int{3}}, // min TB 8
	}
	rng := rand.New(rand.NewSource(1))
	strongSeen = 0
	defer func() {
		if strongSeen < 10 {
			t.Errorf("strong intra smoothing exercised %d times only", strongSeen)
		}
		t.Logf("strong intra smoothing exercised %d times", strongSeen)
	}()
	for gi, g := range geoms {
		for _, strong := range []bool{false, true} {
			t.Run(fmt.Sprintf("geom%d/strong=%v", gi, strong), func(t *testing.T) {
				f := newTestFrame(g.w, g.h, g.log2Ctb, g.log2MinTb, strong, g.slices)
				for kind := 0; kind < 3; kind++ {
					fillPlanes(f, rng, kind)
					for c := 0; c < 3; c++ {
						cw, ch, sh := g.w, g.h, 0
						if c > 0 {
							cw, ch, sh = g.w/2, g.h/2, 1
						}
						for log2 := 2; log2 <= 5; log2++ {
							n := 1 << log2
							if log2+sh > g.log2Ctb || n > cw || n > ch {
								continue
							}
							if c == 0 && log2 < g.log2MinTb {
								continue
							}
							for mode := 0; mode < 35; mode++ {
								for k := 0; k < 3; k++ {
									x := rng.Intn(cw/n) * n
									y := rng.Intn(ch/n) * n
									checkPredict(t, f, c, x, y, log2, mode)
								}
							}
						}
					}
				}
			})
		}
	}
}

// TestPredictEdges covers the picture corners and edges, where the
// substitution process does the most work, for every mode and size.
func TestPredictEdges(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	f := newTestFrame(136, 72, 6, 2, true, []int{1})
	for kind := 0; kind < 2; kind++ {
		fillPlanes(f, rng, kind)
		for c := 0; c < 3; c++ {
			cw, ch := f.w, f.h
			if c > 0 {
				cw, ch = f.cw, f.ch
			}
			for log2 := 2; log2 <= 5; log2++ {
				n := 1 << log2
				if n > ch {
					continue
				}
				xs := []int{0, cw/n*n - n, (cw/2/n)*n - n, (cw/2/n)*n + n}
				ys := []int{0, ch/n*n - n, n}
				for mode := 0; mode < 35; mode++ {
					for _, x := range xs {
						for _, y := range ys {
							if x < 0 || y < 0 || x+n > cw || y+n > ch {
								continue
							}
							checkPredict(t, f, c, x, y, log2, mode)
						}
					}
				}
			}
		}
	}
}

// TestPredictFlat: with every neighbour equal, every mode predicts that
// value (no filter, boundary smoothing or substitution may change it), and
// a block with no available neighbour predicts 1 << (BitDepth - 1).
func TestPredictFlat(t *testing.T) {
	f := newTestFrame(64, 64, 5, 2, true, nil)
	for c := 0; c < 3; c++ {
		for i := range f.planes[c] {
			f.planes[c][i] = 77
		}
	}
	for mode := 0; mode < 35; mode++ {
		for log2 := 2; log2 <= 4; log2++ {
			n := 1 << log2
			f.predict(0, 0, 0, log2, mode)
			f.predict(0, 32, 32-n, log2, mode)
			for y := 0; y < n; y++ {
				for x := 0; x < n; x++ {
					if v := f.planes[0][y*f.stride[0]+x]; v != 128 {
						t.Fatalf("mode %d n %d at the picture origin: %d, want 128", mode, n, v)
					}
					if v := f.planes[0][(32-n+y)*f.stride[0]+32+x]; v != 77 {
						t.Fatalf("mode %d n %d flat neighbours: %d, want 77", mode, n, v)
					}
				}
			}
			for i := range f.planes[0] {
				f.planes[0][i] = 77
			}
		}
	}
}

// TestPredictKnownValues pins a few hand-computed predictions, so that a
// mistake shared by predict and specPredict cannot go unnoticed.
func TestPredictKnownValues(t *testing.T) {
	f := newTestFrame(64, 64, 5, 2, false, nil)
	s := f.stride[0]
	set := func(x, y int, v uint8) { f.planes[0][y*s+x] = v }
	// 4x4 block at (4, 4) in the first CTB: corner 10, top row 20 30 40
	// 50, left column 100 110 120 130. Below-left (3, 8) is 4x4 unit (0, 2)
	// of z-order 8 and above-right (8, 3) is unit (2, 0) of z-order 4, both
	// after the current unit (1, 1) of z-order 3: unavailable, so
	// substituted by p[-1][3] = 130 and p[3][-1] = 50 (the 140s and 60s
	// written there must not be read).
	set(3, 3, 10)
	for i, v := range []uint8{20, 30, 40, 50, 60, 60, 60, 60} {
		set(4+i, 3, v)
	}
	for i, v := range []uint8{100, 110, 120, 130, 140, 140, 140, 140} {
		set(3, 4+i, v)
	}
	f.predict(0, 4, 4, 2, 1) // DC: (20+30+40+50+100+110+120+130+4)>>3 = 75
	want := [][]uint8{
		{(100 + 2*75 + 20 + 2) >> 2, (30 + 225 + 2) >> 2, (40 + 225 + 2) >> 2, (50 + 225 + 2) >> 2},
		{(110 + 225 + 2) >> 2, 75, 75, 75},
		{(120 + 225 + 2) >> 2, 75, 75, 75},
		{(130 + 225 + 2) >> 2, 75, 75, 75},
	}
	for y := range want {
		for x, w := range want[y] {
			if v := f.planes[0][(4+y)*s+4+x]; v != w {
				t.Fatalf("DC pred[%d][%d] = %d, want %d", x, y, v, w)
			}
		}
	}
	// Mode 2 (angle 32, from the bottom-left): predSamples[x][y] =
	// ref[x+y+2] = p[-1][x+y+1]; p[-1][4..7] substituted by 130.
	f.predict(0, 4, 4, 2, 2)
	left := []uint8{100, 110, 120, 130, 130, 130, 130, 130}
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			if v, w := f.planes[0][(4+y)*s+4+x], left[x+y+1]; v != w {
				t.Fatalf("mode 2 pred[%d][%d] = %d, want %d", x, y, v, w)
			}
		}
	}
}

// FuzzPredict compares predict with specPredict on fuzzed pictures:
// data[0..5] choose the geometry, slices, component, size, mode and block
// position; the rest seeds the sample values.
func FuzzPredict(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 1, 2, 3})
	f.Add([]byte{1, 3, 1, 1, 26, 77, 9})
	f.Add([]byte{2, 5, 2, 2, 10, 200})
	f.Add([]byte{3, 1, 0, 3, 0, 13, 255, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 || len(data) > 4096 {
			return
		}
		geoms := [][4]int{{200, 136, 5, 2}, {128, 64, 6, 2}, {96, 48, 4, 2}, {160, 96, 5, 3}}
		g := geoms[int(data[0])%len(geoms)]
		ctbs := ((g[0] + 1<<g[2] - 1) >> g[2]) * ((g[1] + 1<<g[2] - 1) >> g[2])
		var slices []int
		if s := int(data[1]) % ctbs; s > 0 {
			slices = []int{s}
		}
		fr := newTestFrame(g[0], g[1], g[2], g[3], data[1]&0x80 != 0, slices)
		seed := int64(0)
		for _, b := range data[6:] {
			seed = seed*131 + int64(b)
		}
		fillPlanes(fr, rand.New(rand.NewSource(seed)), int(data[2]>>4)%3)
		c := int(data[2]) % 3
		cw, ch := g[0], g[1]
		sh := 0
		if c > 0 {
			cw, ch, sh = g[0]/2, g[1]/2, 1
		}
		log2 := 2 + int(data[3])%4
		n := 1 << log2
		if log2+sh > g[2] || n > cw || n > ch || (c == 0 && log2 < g[3]) {
			return
		}
		mode := int(data[4]) % 35
		k := int(data[5])
		x := (k % (cw / n)) * n
		y := (k / (cw / n) % (ch / n)) * n
		checkPredict(t, fr, c, x, y, log2, mode)
	})
}

// TestPlanarKernelsAgree is the differential test of the planar kernels
// (the assembly one where the CPU has it) against the portable one, on
// random and extreme reference samples; TestPredictMatchesSpec checks the
// selected kernel against the spec as well.
func TestPlanarKernelsAgree(t *testing.T) {
	if len(planarKernels) < 2 {
		t.Skip("only the portable kernel runs on this machine")
	}
	rng := rand.New(rand.NewSource(7))
	const stride = 40
	for log2 := 2; log2 <= 5; log2++ {
		n := 1 << log2
		top := make([]uint8, 2*n+1)
		left := make([]uint8, 2*n+1)
		for it := 0; it < 300; it++ {
			for i := range top {
				switch it % 4 {
				case 0:
					top[i], left[i] = uint8(rng.Intn(256)), uint8(rng.Intn(256))
				case 1:
					top[i], left[i] = uint8(255*rng.Intn(2)), uint8(255*rng.Intn(2))
				case 2:
					top[i], left[i] = 255, 0
				default:
					top[i], left[i] = 0, 255
				}
			}
			var want []uint8
			for ki, k := range planarKernels {
				dst := make([]uint8, stride*n)
				for i := range dst {
					dst[i] = 0xA5
				}
				k.run(dst, stride, n, log2, top, left)
				if ki == 0 {
					want = dst
					continue
				}
				for i := range dst {
					if dst[i] != want[i] {
						t.Fatalf("%s n%d: sample (%d,%d) = %d, %s gives %d", k.name, n, i%stride, i/stride, dst[i], planarKernels[0].name, want[i])
					}
				}
			}
		}
	}
}

// TestPredictAllocs: prediction allocates nothing.
func TestPredictAllocs(t *testing.T) {
	f := newTestFrame(128, 128, 6, 2, true, nil)
	fillPlanes(f, rand.New(rand.NewSource(8)), 0)
	for log2 := 2; log2 <= 5; log2++ {
		for _, mode := range []int{0, 1, 2, 10, 18, 26, 34} {
			allocs := testing.AllocsPerRun(20, func() { f.predict(0, 64, 64, log2, mode) })
			if allocs != 0 {
				t.Errorf("n%d mode %d: %v allocations per block", 1<<log2, mode, allocs)
			}
		}
	}
}
