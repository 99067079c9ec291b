package hevc

// Tests of the deblocking filter against a
// deliberately literal transcription of 8.7.2 (one edge segment at a time,
// samples read into p[i][k] / q[i][k] arrays, thresholds looked up from
// tables written out again here), plus hand-computed cases.

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

// lftConfig describes a synthetic picture for the filter tests.
type lftConfig struct {
	w, h, log2Ctb, chroma int
	nSlices               int
	cbOff, crOff          int
	pcmLoopFilterDisabled bool
}

// lftFrame builds a frame with random but plausible content and metadata:
// smooth gradients with per-block steps and mild noise (so that both the
// strong and the normal deblocking filters trigger), a random TU quadtree
// per CTB setting flagEdgeV/H, random QpY per leaf, a few noFilter
// leaves, up to cfg.nSlices slices with random flags and offsets, random
// SAO parameters.
func lftFrame(rng *rand.Rand, cfg lftConfig) *frame {
	ctb := 1 << cfg.log2Ctb
	sps := &SPS{
		ChromaFormatIdc: cfg.chroma, Width: cfg.w, Height: cfg.h,
		BitDepthY: 8, BitDepthC: 8, Log2CtbSize: cfg.log2Ctb, CtbSize: ctb,
		Log2MinCbSize: 3, MinCbSize: 8, Log2MinTbSize: 2, Log2MaxTbSize: 5,
		SAOEnabled: true, PCMLoopFilterDisabled: cfg.pcmLoopFilterDisabled,
	}
	pps := &PPS{CbQpOffset: cfg.cbOff, CrQpOffset: cfg.crOff}
	f := &frame{sps: sps, pps: pps, w: cfg.w, h: cfg.h}
	f.ctbW = (cfg.w + ctb - 1) / ctb
	f.ctbH = (cfg.h + ctb - 1) / ctb
	sps.PicWidthInCtbs, sps.PicHeightInCtbs = f.ctbW, f.ctbH
	f.w4, f.h4 = (cfg.w+3)/4, (cfg.h+3)/4
	f.stride[0] = f.ctbW * ctb
	f.planes[0] = make([]uint8, f.stride[0]*f.ctbH*ctb)
	if cfg.chroma == 1 {
		f.cw, f.ch = cfg.w/2, cfg.h/2
		for c := 1; c < 3; c++ {
			f.stride[c] = f.ctbW * ctb / 2
			f.planes[c] = make([]uint8, f.stride[c]*f.ctbH*ctb/2)
		}
	}
	n4 := f.w4 * f.h4
	f.flags = make([]uint8, n4)
	f.qp = make([]int8, n4)
	f.ipm = make([]uint8, n4)
	f.depth = make([]uint8, n4)
	nCtb := f.ctbW * f.ctbH
	f.sao = make([]saoParams, nCtb)
	f.ctbSlice = make([]int32, nCtb)

	// Slices: random start addresses.
	starts := []int{0}
	for i := 1; i < cfg.nSlices && nCtb > 1; i++ {
		starts = append(starts, 1+rng.Intn(nCtb-1))
	}
	lftSortUnique(&starts)
	for i := range starts {
		sh := &sliceHeader{
			SliceType: 2, SegmentAddress: starts[i],
			DeblockingDisabled:     rng.Intn(5) == 0,
			LoopFilterAcrossSlices: rng.Intn(2) == 0,
			BetaOffsetDiv2:         rng.Intn(13) - 6,
			TcOffsetDiv2:           rng.Intn(13) - 6,
			SAOLuma:                rng.Intn(6) != 0,
			SAOChroma:              rng.Intn(6) != 0 && cfg.chroma != 0,
		}
		f.slices = append(f.slices, sh)
	}
	for a := 0; a < nCtb; a++ {
		s := 0
		for i, st := range starts {
			if a >= st {
				s = i
			}
		}
		f.ctbSlice[a] = int32(s)
	}

	// Metadata: a random quadtree per CTB.
	baseQp := 20 + rng.Intn(25)
	for ry := 0; ry < f.ctbH; ry++ {
		for rx := 0; rx < f.ctbW; rx++ {
			lftQuadtree(rng, f, rx*ctb, ry*ctb, cfg.log2Ctb, baseQp)
		}
	}
	// A few stray edge flags off the quadtree (still only on block edges).
	for i := 0; i < n4/50; i++ {
		f.flags[rng.Intn(n4)] |= flagEdgeV << uint(rng.Intn(2))
	}

	// Content: gradient + per-8x8 step + noise, some blocks near 0 / 255.
	lftFill(rng, f.planes[0], f.stride[0], cfg.w, cfg.h, 8)
	if cfg.chroma == 1 {
		lftFill(rng, f.planes[1], f.stride[1], f.cw, f.ch, 4)
		lftFill(rng, f.planes[2], f.stride[2], f.cw, f.ch, 4)
	}

	// SAO parameters.
	for a := range f.sao {
		sp := &f.sao[a]
		for c := 0; c < 3; c++ {
			sp.typeIdx[c] = uint8(rng.Intn(3))
			sp.bandPos[c] = uint8(rng.Intn(32))
			if rng.Intn(3) == 0 {
				sp.bandPos[c] = uint8(28 + rng.Intn(4))
			}
			sp.eoClass[c] = uint8(rng.Intn(4))
			for k := 0; k < 4; k++ {
				sp.offset[c][k] = int8(rng.Intn(15) - 7)
			}
			if sp.typeIdx[c] == 2 {
				// Edge offset: offsets 0,1 are >= 0 and 2,3 are <= 0 in a
				// conforming stream; use the general case now and then too.
				if rng.Intn(4) != 0 {
					for k := 0; k < 4; k++ {
						v := int(sp.offset[c][k])
						if (k < 2) != (v >= 0) {
							sp.offset[c][k] = int8(-v)
						}
					}
				}
			}
		}
		sp.typeIdx[2] = sp.typeIdx[1]
		sp.eoClass[2] = sp.eoClass[1]
	}
	return f
}

func lftSortUnique(s *[]int) {
	v := *s
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	out := v[:1]
	for _, x := range v[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	*s = out
}

// lftQuadtree splits the block at (x, y) of size 1<<log2 at random and marks
// the leaves' left and top edges, QpY and noFilter.
func lftQuadtree(rng *rand.Rand, f *frame, x, y, log2, baseQp int) {
	if x >= f.w || y >= f.h {
		return
	}
	if log2 > 2 && (log2 > 5 || rng.Intn(3) != 0) {
		h := 1 << (log2 - 1)
		lftQuadtree(rng, f, x, y, log2-1, baseQp)
		lftQuadtree(rng, f, x+h, y, log2-1, baseQp)
		lftQuadtree(rng, f, x, y+h, log2-1, baseQp)
		lftQuadtree(rng, f, x+h, y+h, log2-1, baseQp)
		return
	}
	n := 1 << log2
	qp := baseQp + rng.Intn(15) - 7
	if rng.Intn(10) == 0 {
		qp = rng.Intn(52)
	}
	qp = min(max(qp, 0), 51)
	noFilter := rng.Intn(12) == 0
	for by := y; by < min(y+n, f.h); by += 4 {
		for bx := x; bx < min(x+n, f.w); bx += 4 {
			i := f.b4(bx, by)
			fl := flagIntra
			if bx == x {
				fl |= flagEdgeV
			}
			if by == y {
				fl |= flagEdgeH
			}
			if noFilter {
				fl |= flagNoFilter
			}
			f.flags[i] = fl
			f.qp[i] = int8(qp)
		}
	}
}

// lftFill fills a w x h plane with a smooth picture that deblocking acts on.
func lftFill(rng *rand.Rand, pl []uint8, stride, w, h, blk int) {
	gx, gy := rng.Float64()*2-1, rng.Float64()*2-1
	base := 40 + rng.Intn(170)
	bw := (w + blk - 1) / blk
	steps := make([]int, bw*((h+blk-1)/blk))
	for i := range steps {
		switch rng.Intn(8) {
		case 0:
			steps[i] = rng.Intn(61) - 30
		case 1:
			steps[i] = -300 // near black
		case 2:
			steps[i] = 300 // near white
		default:
			steps[i] = rng.Intn(9) - 4
		}
	}
	noise := rng.Intn(4)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := base + int(gx*float64(x%64)+gy*float64(y%64)) + steps[(y/blk)*bw+x/blk]
			if noise > 0 {
				v += rng.Intn(2*noise+1) - noise
			}
			if steps[(y/blk)*bw+x/blk] == -300 {
				v = rng.Intn(4)
			} else if steps[(y/blk)*bw+x/blk] == 300 {
				v = 252 + rng.Intn(4)
			}
			pl[y*stride+x] = uint8(min(max(v, 0), 255))
		}
	}
}

// lftClone returns a deep copy of the frame's planes and a frame sharing
// all metadata but owning those copies.
func lftClone(f *frame) *frame {
	g := *f
	for c := 0; c < 3; c++ {
		if f.planes[c] != nil {
			g.planes[c] = append([]uint8(nil), f.planes[c]...)
		}
	}
	return &g
}

// --- Reference implementation (literal transcription of 8.7.2) ---

var refBetaTable = map[int]int{} // filled by init from the spec's rows
var refTcTable = map[int]int{}

func init() {
	// Table 8-12, written as the spec prints it: Q and β′ / tC′ columns.
	betas := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64}
	tcs := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 11, 13, 14, 16, 18, 20, 22, 24}
	for q, v := range betas {
		refBetaTable[q] = v
	}
	for q, v := range tcs {
		refTcTable[q] = v
	}
}

func refClip3(x, y, z int) int {
	if z < x {
		return x
	}
	if z > y {
		return y
	}
	return z
}

func refAbs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// refChromaQp is Table 8-10 (ChromaArrayType 1) as a list of (qPi, QpC).
func refChromaQp(qPi int) int {
	if qPi < 30 {
		return qPi
	}
	if qPi > 43 {
		return qPi - 6
	}
	return map[int]int{30: 29, 31: 30, 32: 31, 33: 32, 34: 33, 35: 33, 36: 34, 37: 34, 38: 35, 39: 35, 40: 36, 41: 36, 42: 37, 43: 37}[qPi]
}

type refStats struct{ strong, normal, normalNoop, chroma, skippedSlice int }

// refPlane accesses a plane as recPicture[x][y].
type refPlane struct {
	pix    []uint8
	stride int
}

func (p refPlane) get(x, y int) int    { return int(p.pix[y*p.stride+x]) }
func (p refPlane) set(x, y int, v int) { p.pix[y*p.stride+x] = uint8(refClip3(0, 255, v)) }

// refLumaFlags returns the flags / QpY of the 4x4 block holding luma (x, y).
func refBlock(f *frame, x, y int) (uint8, int) {
	i := (y/4)*f.w4 + x/4
	return f.flags[i], int(f.qp[i])
}

// refFilterEdgeFlag decides 8.7.2's slice conditions for the edge between
// the luma samples (xp, yp) and (xq, yq).
func refFilterEdgeFlag(f *frame, xp, yp, xq, yq int) bool {
	if xp < 0 || yp < 0 {
		return false // picture edge
	}
	ctb := f.sps.CtbSize
	cq := (yq/ctb)*f.ctbW + xq/ctb
	cp := (yp/ctb)*f.ctbW + xp/ctb
	sq := f.slices[f.ctbSlice[cq]]
	if sq.DeblockingDisabled {
		return false
	}
	if f.ctbSlice[cq] != f.ctbSlice[cp] && !sq.LoopFilterAcrossSlices {
		return false
	}
	return true
}

// refDeblock runs the whole deblocking process on f: vertical edges, then
// horizontal edges.
func refDeblock(f *frame, st *refStats) {
	for _, vertical := range []bool{true, false} {
		refLumaPass(f, vertical, st)
		if f.sps.ChromaFormatIdc == 1 {
			for c := 1; c < 3; c++ {
				refChromaPass(f, c, vertical, st)
			}
		}
	}
}

func refLumaPass(f *frame, vertical bool, st *refStats) {
	P := refPlane{f.planes[0], f.stride[0]}
	for y := 0; y < f.h; y += 4 {
		for x := 0; x < f.w; x += 4 {
			var xp, yp int
			if vertical {
				if x%8 != 0 {
					continue
				}
				xp, yp = x-1, y
			} else {
				if y%8 != 0 {
					continue
				}
				xp, yp = x, y-1
			}
			flQ, qpQ := refBlock(f, x, y)
			edge := flQ&flagEdgeV != 0
			if !vertical {
				edge = flQ&flagEdgeH != 0
			}
			if !edge {
				continue
			}
			if !refFilterEdgeFlag(f, xp, yp, x, y) {
				if xp >= 0 && yp >= 0 {
					st.skippedSlice++
				}
				continue
			}
			flP, qpP := refBlock(f, xp, yp)
			bS := 0
			if flQ&flagIntra != 0 || flP&flagIntra != 0 {
				bS = 2
			}
			if bS == 0 {
				continue
			}
			// Samples p[i][k], q[i][k].
			var p, q [4][4]int
			at := func(i, k int, qside bool) (int, int) {
				if vertical {
					if qside {
						return x + i, y + k
					}
					return x - i - 1, y + k
				}
				if qside {
					return x + k, y + i
				}
				return x + k, y - i - 1
			}
			for i := 0; i < 4; i++ {
				for k := 0; k < 4; k++ {
					p[i][k] = P.get(at(i, k, false))
					q[i][k] = P.get(at(i, k, true))
				}
			}
			sh := f.slices[f.ctbSlice[(y/f.sps.CtbSize)*f.ctbW+x/f.sps.CtbSize]]
			qPL := (qpQ + qpP + 1) >> 1
			Q := refClip3(0, 51, qPL+(sh.BetaOffsetDiv2<<1))
			beta := refBetaTable[Q] * (1 << (f.sps.BitDepthY - 8))
			Q = refClip3(0, 53, qPL+2*(bS-1)+(sh.TcOffsetDiv2<<1))
			tC := refTcTable[Q] * (1 << (f.sps.BitDepthY - 8))
			dp0 := refAbs(p[2][0] - 2*p[1][0] + p[0][0])
			dp3 := refAbs(p[2][3] - 2*p[1][3] + p[0][3])
			dq0 := refAbs(q[2][0] - 2*q[1][0] + q[0][0])
			dq3 := refAbs(q[2][3] - 2*q[1][3] + q[0][3])
			dpq0, dpq3 := dp0+dq0, dp3+dq3
			dp, dq := dp0+dp3, dq0+dq3
			d := dpq0 + dpq3
			dE, dEp, dEq := 0, 0, 0
			if d < beta {
				dSam := func(k, dpq int) int {
					if dpq < (beta>>2) && refAbs(p[3][k]-p[0][k])+refAbs(q[0][k]-q[3][k]) < (beta>>3) &&
						refAbs(p[0][k]-q[0][k]) < ((5*tC+1)>>1) {
						return 1
					}
					return 0
				}
				dSam0 := dSam(0, 2*dpq0)
				dSam3 := dSam(3, 2*dpq3)
				dE = 1
				if dSam0 == 1 && dSam3 == 1 {
					dE = 2
				}
				if dp < (beta+(beta>>1))>>3 {
					dEp = 1
				}
				if dq < (beta+(beta>>1))>>3 {
					dEq = 1
				}
			}
			if dE == 0 {
				continue
			}
			for k := 0; k < 4; k++ {
				p0, p1, p2, p3 := p[0][k], p[1][k], p[2][k], p[3][k]
				q0, q1, q2, q3 := q[0][k], q[1][k], q[2][k], q[3][k]
				var pn, qn [3]int
				nDp, nDq := 0, 0
				if dE == 2 {
					pn[0] = refClip3(p0-2*tC, p0+2*tC, (p2+2*p1+2*p0+2*q0+q1+4)>>3)
					pn[1] = refClip3(p1-2*tC, p1+2*tC, (p2+p1+p0+q0+2)>>2)
					pn[2] = refClip3(p2-2*tC, p2+2*tC, (2*p3+3*p2+p1+p0+q0+4)>>3)
					qn[0] = refClip3(q0-2*tC, q0+2*tC, (p1+2*p0+2*q0+2*q1+q2+4)>>3)
					qn[1] = refClip3(q1-2*tC, q1+2*tC, (p0+q0+q1+q2+2)>>2)
					qn[2] = refClip3(q2-2*tC, q2+2*tC, (p0+q0+q1+3*q2+2*q3+4)>>3)
					nDp, nDq = 3, 3
					if k == 0 {
						st.strong++
					}
				} else {
					delta := (9*(q0-p0) - 3*(q1-p1) + 8) >> 4
					if refAbs(delta) < tC*10 {
						delta = refClip3(-tC, tC, delta)
						pn[0] = refClip3(0, 255, p0+delta)
						qn[0] = refClip3(0, 255, q0-delta)
						if dEp == 1 {
							deltaP := refClip3(-(tC >> 1), tC>>1, (((p2+p0+1)>>1)-p1+delta)>>1)
							pn[1] = refClip3(0, 255, p1+deltaP)
						}
						if dEq == 1 {
							deltaQ := refClip3(-(tC >> 1), tC>>1, (((q2+q0+1)>>1)-q1-delta)>>1)
							qn[1] = refClip3(0, 255, q1+deltaQ)
						}
						nDp, nDq = dEp+1, dEq+1
						st.normal++
					} else {
						st.normalNoop++
					}
				}
				// pcm_loop_filter_disabled + pcm, or cu_transquant_bypass.
				if flP&flagNoFilter != 0 {
					nDp = 0
				}
				if flQ&flagNoFilter != 0 {
					nDq = 0
				}
				for i := 0; i < nDp; i++ {
					xx, yy := at(i, k, false)
					P.set(xx, yy, pn[i])
				}
				for i := 0; i < nDq; i++ {
					xx, yy := at(i, k, true)
					P.set(xx, yy, qn[i])
				}
			}
		}
	}
}

// refChromaPass filters the chroma edges of component c (4:2:0): edges on
// the 8x8 chroma sample grid, segments of 4 chroma lines, bS taken at the
// corresponding luma position.
func refChromaPass(f *frame, c int, vertical bool, st *refStats) {
	P := refPlane{f.planes[c], f.stride[c]}
	cQpPicOffset := f.pps.CbQpOffset
	if c == 2 {
		cQpPicOffset = f.pps.CrQpOffset
	}
	for yc := 0; yc < f.ch; yc += 4 {
		for xc := 0; xc < f.cw; xc += 4 {
			if vertical && xc%8 != 0 || !vertical && yc%8 != 0 {
				continue
			}
			if vertical && yc%4 != 0 || !vertical && xc%4 != 0 {
				continue
			}
			xL, yL := xc*2, yc*2
			var xpL, ypL int
			if vertical {
				xpL, ypL = xL-1, yL
			} else {
				xpL, ypL = xL, yL-1
			}
			flQ, qpQ := refBlock(f, xL, yL)
			edge := flQ&flagEdgeV != 0
			if !vertical {
				edge = flQ&flagEdgeH != 0
			}
			if !edge || !refFilterEdgeFlag(f, xpL, ypL, xL, yL) {
				continue
			}
			flP, qpP := refBlock(f, xpL, ypL)
			bS := 0
			if flQ&flagIntra != 0 || flP&flagIntra != 0 {
				bS = 2
			}
			if bS != 2 {
				continue
			}
			sh := f.slices[f.ctbSlice[(yL/f.sps.CtbSize)*f.ctbW+xL/f.sps.CtbSize]]
			QpC := refChromaQp(((qpQ + qpP + 1) >> 1) + cQpPicOffset)
			Q := refClip3(0, 53, QpC+2*(bS-1)+(sh.TcOffsetDiv2<<1))
			tC := refTcTable[Q]
			for k := 0; k < 4; k++ {
				var xp0, yp0, xp1, yp1, xq0, yq0, xq1, yq1 int
				if vertical {
					xp0, yp0, xp1, yp1 = xc-1, yc+k, xc-2, yc+k
					xq0, yq0, xq1, yq1 = xc, yc+k, xc+1, yc+k
				} else {
					xp0, yp0, xp1, yp1 = xc+k, yc-1, xc+k, yc-2
					xq0, yq0, xq1, yq1 = xc+k, yc, xc+k, yc+1
				}
				p0, p1 := P.get(xp0, yp0), P.get(xp1, yp1)
				q0, q1 := P.get(xq0, yq0), P.get(xq1, yq1)
				delta := refClip3(-tC, tC, ((((q0 - p0) << 2) + p1 - q1 + 4) >> 3))
				if flP&flagNoFilter == 0 {
					P.set(xp0, yp0, p0+delta)
				}
				if flQ&flagNoFilter == 0 {
					P.set(xq0, yq0, q0-delta)
				}
				if delta != 0 && k == 0 {
					st.chroma++
				}
			}
		}
	}
}

// --- Tests ---

func lftComparePlanes(t *testing.T, name string, got, want *frame) {
	t.Helper()
	for c := 0; c < 3; c++ {
		if bytes.Equal(got.planes[c], want.planes[c]) {
			continue
		}
		w, h, stride := got.w, got.h, got.stride[c]
		if c > 0 {
			w, h = got.cw, got.ch
		}
		bad := 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g, e := got.planes[c][y*stride+x], want.planes[c][y*stride+x]
				if g != e {
					if bad < 5 {
						t.Errorf("%s: plane %d (%d,%d) = %d, want %d", name, c, x, y, g, e)
					}
					bad++
				}
			}
		}
		if bad == 0 {
			t.Errorf("%s: plane %d differs outside the picture area", name, c)
		} else {
			t.Errorf("%s: plane %d: %d samples differ", name, c, bad)
		}
	}
}

// lftMatchReference filters, for each config and 6 seeds, a random
// picture with ref (into want, a clone of f) and with run on 1 and 3
// workers, and compares the planes. seedMul spreads the seeds.
func lftMatchReference(t *testing.T, cases []lftConfig, seedMul int64, ref func(f, want *frame), run func(f *frame, workers int)) {
	for ci, cfg := range cases {
		for seed := int64(0); seed < 6; seed++ {
			name := fmt.Sprintf("%dx%d_ctb%d_c%d_s%d/seed%d", cfg.w, cfg.h, 1<<cfg.log2Ctb, cfg.chroma, cfg.nSlices, seed)
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewSource(seed*seedMul + int64(ci)))
				f := lftFrame(rng, cfg)
				want := lftClone(f)
				ref(f, want)
				for _, workers := range []int{1, 3} {
					got := lftClone(f)
					run(got, workers)
					lftComparePlanes(t, fmt.Sprintf("workers=%d", workers), got, want)
				}
			})
		}
	}
}

func TestDeblockMatchesReference(t *testing.T) {
	cases := []lftConfig{
		{w: 64, h: 64, log2Ctb: 4, chroma: 1, nSlices: 1},
		{w: 120, h: 72, log2Ctb: 4, chroma: 1, nSlices: 3},
		{w: 200, h: 136, log2Ctb: 5, chroma: 1, nSlices: 2, cbOff: -5, crOff: 7},
		{w: 256, h: 200, log2Ctb: 6, chroma: 1, nSlices: 3, cbOff: 12, crOff: -12},
		{w: 136, h: 96, log2Ctb: 5, chroma: 0, nSlices: 2},
		{w: 328, h: 248, log2Ctb: 6, chroma: 1, nSlices: 4, pcmLoopFilterDisabled: true},
	}
	var total refStats
	lftMatchReference(t, cases, 131, func(f, want *frame) { refDeblock(want, &total) },
		func(f *frame, workers int) { f.deblock(workers) })
	// The random pictures must exercise every branch of the filter.
	t.Logf("reference: %+v", total)
	if total.strong == 0 || total.normal == 0 || total.normalNoop == 0 || total.chroma == 0 || total.skippedSlice == 0 {
		t.Errorf("test pictures do not cover all filter paths: %+v", total)
	}
}

func TestDeblockTables(t *testing.T) {
	// Spot checks of Table 8-12 and Table 8-10.
	betas := map[int]int{0: 0, 15: 0, 16: 6, 20: 10, 28: 18, 29: 20, 37: 36, 45: 52, 51: 64}
	for q, want := range betas {
		if got := int(dbkBeta[q]); got != want {
			t.Errorf("β′(%d) = %d, want %d", q, got, want)
		}
	}
	tcs := map[int]int{17: 0, 18: 1, 26: 1, 27: 2, 31: 3, 35: 4, 38: 5, 40: 6, 42: 7, 46: 11, 47: 13, 49: 16, 53: 24}
	for q, want := range tcs {
		if got := int(dbkTc[q]); got != want {
			t.Errorf("tC′(%d) = %d, want %d", q, got, want)
		}
	}
	qpc := map[int]int{-5: -5, 29: 29, 30: 29, 34: 33, 35: 33, 39: 35, 42: 37, 43: 37, 44: 38, 51: 45, 57: 51}
	for qpi, want := range qpc {
		if got := dbkChromaQp(qpi); got != want {
			t.Errorf("QpC(%d) = %d, want %d", qpi, got, want)
		}
	}
}

// lftFlatFrame returns a 32x32 frame (CTB 16, one slice, QpY qp) whose only
// edge is the vertical one at luma x = 16 (chroma x = 8).
func lftFlatFrame(qp int) *frame {
	rng := rand.New(rand.NewSource(1))
	f := lftFrame(rng, lftConfig{w: 32, h: 32, log2Ctb: 4, chroma: 1, nSlices: 1})
	sh := f.slices[0]
	sh.DeblockingDisabled, sh.BetaOffsetDiv2, sh.TcOffsetDiv2 = false, 0, 0
	for i := range f.flags {
		f.flags[i] = flagIntra
		f.qp[i] = int8(qp)
	}
	for by := 0; by < 8; by++ {
		f.flags[by*f.w4+4] |= flagEdgeV
	}
	return f
}

// lftFillSplit fills plane c of a lftFlatFrame (32x32 luma) with p left
// of its middle column (the luma edge x = 16) and q from there on.
func lftFillSplit(f *frame, c int, p, q uint8) {
	n := 32
	if c > 0 {
		n = 16
	}
	for y := 0; y < n; y++ {
		row := f.planes[c][y*f.stride[c]:][:n]
		for x := range row {
			row[x] = p
			if x >= n/2 {
				row[x] = q
			}
		}
	}
}

func TestDeblockHandComputed(t *testing.T) {
	tests := []struct {
		name       string
		p, q       uint8 // luma left / right of x = 16
		wantLuma   [8]uint8
		cp, cq     uint8 // Cb left / right of chroma x = 8
		wantChroma [4]uint8
	}{
		// QpY 37: β = 36, tC = tC′(39) = 5. Step 10 < (5*5+1)>>1 = 13 → strong.
		{"strong", 100, 110, [8]uint8{100, 101, 103, 104, 106, 108, 109, 110},
			// QpC = table(37) = 34, tC = tC′(36) = 4, Δ = (80-20+4)>>3 = 8 → 4.
			100, 120, [4]uint8{100, 104, 116, 120}},
		// Step 20 ≥ 13 → normal: Δ = (180-60+8)>>4 = 8 → 5; Δp = 2, Δq = -3 → -2.
		{"normal", 100, 120, [8]uint8{100, 100, 102, 105, 115, 118, 120, 120},
			120, 100, [4]uint8{120, 116, 104, 100}},
		// Step 60: |Δ| = (540-180+8)>>4 = 23 < 50 → clipped to 5, p1/q1 move by ±2.
		{"normal_clipped", 50, 110, [8]uint8{50, 50, 52, 55, 105, 108, 110, 110},
			// Δ = (12+0-3+4)>>3 = 1.
			0, 3, [4]uint8{0, 1, 2, 3}},
		// Step 150: |Δ| = (1350-450+8)>>4 = 56 ≥ 10*tC → luma unchanged;
		// chroma Δ = (600+50-200+4)>>3 = 56 → 4.
		{"too_large", 50, 200, [8]uint8{50, 50, 50, 50, 200, 200, 200, 200},
			50, 200, [4]uint8{50, 54, 196, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lftFlatFrame(37)
			lftFillSplit(f, 0, tt.p, tt.q)
			lftFillSplit(f, 1, tt.cp, tt.cq)
			lftFillSplit(f, 2, tt.cp, tt.cq)
			f.deblock(1)
			for y := 0; y < 32; y++ {
				row := f.planes[0][y*f.stride[0]+12 : y*f.stride[0]+20]
				if !bytes.Equal(row, tt.wantLuma[:]) {
					t.Fatalf("luma row %d = %v, want %v", y, row, tt.wantLuma)
				}
			}
			for y := 0; y < 16; y++ {
				row := f.planes[1][y*f.stride[1]+6 : y*f.stride[1]+10]
				if !bytes.Equal(row, tt.wantChroma[:]) {
					t.Fatalf("Cb row %d = %v, want %v", y, row, tt.wantChroma)
				}
			}
		})
	}
}

func TestDeblockNoFilterAndDisabled(t *testing.T) {
	// noFilter on the q side keeps it; the p side is still filtered.
	f := lftFlatFrame(37)
	lftFillSplit(f, 0, 100, 110)
	for i := range f.flags {
		if (i%f.w4)*4 >= 16 {
			f.flags[i] |= flagNoFilter
		}
	}
	g := lftClone(f)
	f.deblock(2)
	want := []uint8{100, 101, 103, 104, 110, 110, 110, 110}
	if row := f.planes[0][12:20]; !bytes.Equal(row, want) {
		t.Errorf("noFilter q: row = %v, want %v", row, want)
	}
	// A slice with deblocking disabled leaves everything alone.
	g.slices[0].DeblockingDisabled = true
	before := append([]uint8(nil), g.planes[0]...)
	g.deblock(2)
	if !bytes.Equal(before, g.planes[0]) {
		t.Errorf("deblocking-disabled slice was modified")
	}
}

// TestLfRowsPanic: a panic in a filter row on a worker goroutine reaches
// lfRows's caller (so that Decode's guard turns it into ErrCorrupt) after
// every worker has stopped, instead of crashing the process.
func TestLfRowsPanic(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var p any
			func() {
				defer func() { p = recover() }()
				lfRows(workers, 16, func(row int) {
					if row == 5 {
						panic("row 5")
					}
				})
			}()
			if p == nil {
				t.Fatal("panic not propagated")
			}
		})
	}
}
