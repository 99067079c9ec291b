package hevc

import (
	"sync"
	"sync/atomic"
)

// This file implements the deblocking filter (H.265 8.7.2) for an all-intra
// picture: every transform/prediction edge on the 8x8 luma grid has
// boundary strength 2, so the filter decisions reduce to the slice rules,
// the QP-dependent thresholds and the sample decisions. All vertical edges
// of the picture are filtered first, then all horizontal edges on the
// result. Within one direction the edges are independent (they are 8
// samples apart and the filter reads 4 and writes at most 3 samples on
// each side), so each pass runs over CTB rows in parallel.

// dbkBeta is β′ of Table 8-12, indexed by Q = 0..51.
var dbkBeta = [52]uint8{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64,
}

// dbkTc is tC′ of Table 8-12, indexed by Q = 0..53.
var dbkTc = [54]uint8{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
	5, 5, 6, 6, 7, 8, 9, 10, 11, 13, 14, 16, 18, 20, 22, 24,
}

// dbkChromaQp maps qPi to QpC for ChromaArrayType 1 (Table 8-10).
func dbkChromaQp(qPi int) int {
	switch {
	case qPi < 30:
		return qPi
	case qPi > 43:
		return qPi - 6
	}
	return int(dbkChromaQpTab[qPi-30])
}

// dbkChromaQpTab is Table 8-10 for qPi = 30..43.
var dbkChromaQpTab = [14]uint8{29, 30, 31, 32, 33, 33, 34, 34, 35, 35, 36, 36, 37, 37}

func dbkClip3(lo, hi, v int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func dbkClip1(v int) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

func dbkAbs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// lfSlice returns the header of the slice containing CTB ctb (raster
// address) and an identifier of that slice: the index of its independent
// slice segment, so that the segments of one slice compare equal. ok is
// false for a CTB that was never decoded.
func (f *frame) lfSlice(ctb int) (sh *sliceHeader, id int, ok bool) {
	if ctb < 0 || ctb >= len(f.ctbSlice) {
		return nil, -1, false
	}
	i := int(f.ctbSlice[ctb])
	if i < 0 || i >= len(f.slices) {
		return nil, -1, false
	}
	for i > 0 && f.slices[i] != nil && f.slices[i].DependentSliceSegment {
		i--
	}
	if f.slices[i] == nil {
		return nil, -1, false
	}
	return f.slices[i], i, true
}

// lfRows calls fn(row) for row = 0..n-1 on up to workers goroutines
// (serially when workers <= 1). It returns when every call has returned;
// a panic in fn is re-raised in the caller's goroutine.
func lfRows(workers, n int, fn func(row int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for r := 0; r < n; r++ {
			fn(r)
		}
		return
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	// A panic on a worker would end the process (Decode's recover sees
	// only its own goroutine): the first one is re-raised here instead,
	// once every worker has returned.
	var mu sync.Mutex
	var panicked any
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					if panicked == nil {
						panicked = p
					}
					mu.Unlock()
				}
			}()
			for {
				r := int(next.Add(1)) - 1
				if r >= n {
					return
				}
				fn(r)
			}
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// deblock applies the deblocking filter (8.7.2) to the whole picture in
// place, using up to workers goroutines. It must run after every CTB has
// been decoded and before applySAO.
func (f *frame) deblock(workers int) {
	if len(f.planes[0]) == 0 || f.ctbW == 0 || f.ctbH == 0 {
		return
	}
	enabled := false
	for _, sh := range f.slices {
		if sh != nil && !sh.DeblockingDisabled {
			enabled = true
			break
		}
	}
	if !enabled {
		return
	}
	lfRows(workers, f.ctbH, f.deblockRowV)
	lfRows(workers, f.ctbH, f.deblockRowH)
}

// dbkEdgeParams holds the per-CTB values used by the edge filters.
type dbkEdgeParams struct {
	betaOff, tcOff int // slice_beta_offset_div2 << 1, slice_tc_offset_div2 << 1
	cbOff, crOff   int // pps_cb_qp_offset, pps_cr_qp_offset
}

// dbkCtb returns the parameters of CTB (rx, ry) and whether its edges are
// filtered at all (slice_deblocking_filter_disabled_flag of its slice), and
// whether its left (vertical pass) or top (horizontal pass) CTB boundary
// may be filtered.
func (f *frame) dbkCtb(rx, ry int, vertical bool) (p dbkEdgeParams, filter, boundary bool) {
	ctb := ry*f.ctbW + rx
	sh, id, ok := f.lfSlice(ctb)
	if !ok || sh.DeblockingDisabled {
		return p, false, false
	}
	p.betaOff = sh.BetaOffsetDiv2 * 2
	p.tcOff = sh.TcOffsetDiv2 * 2
	if f.pps != nil {
		p.cbOff = f.pps.CbQpOffset
		p.crOff = f.pps.CrQpOffset
	}
	var n int
	if vertical {
		if rx == 0 {
			return p, true, false
		}
		n = ctb - 1
	} else {
		if ry == 0 {
			return p, true, false
		}
		n = ctb - f.ctbW
	}
	_, nid, nok := f.lfSlice(n)
	switch {
	case !nok:
		boundary = false
	case nid != id:
		boundary = sh.LoopFilterAcrossSlices
	default:
		boundary = true
	}
	return p, true, boundary
}

// deblockRowV filters the vertical edges of CTB row ry (luma and chroma).
func (f *frame) deblockRowV(ry int) { f.deblockRow(ry, true) }

// deblockRowH filters the horizontal edges of CTB row ry (luma and chroma).
func (f *frame) deblockRowH(ry int) { f.deblockRow(ry, false) }

// deblockRow filters the vertical (vertical = true) or horizontal edges of
// CTB row ry, luma and chroma. Edges of one direction are 8 samples apart
// and a filter reads at most 4 samples and writes at most 3 on each side,
// so the segments of one pass can be filtered in any order. (The luma and
// chroma loops repeat their edge lookup: an inlined helper for it measured
// 1-3 % slower.)
func (f *frame) deblockRow(ry int, vertical bool) {
	s := uint(f.sps.Log2CtbSize)
	ctb := 1 << s
	y0 := ry << s
	y1 := min(y0+ctb, f.h)
	luma := f.planes[0]
	stride := f.stride[0]
	chroma := f.sps.ChromaFormatIdc == 1 && f.cw > 0 && len(f.planes[1]) > 0 && len(f.planes[2]) > 0
	cs := f.stride[1]
	// Per direction: the edge flag, the 4x4-block index step to the P side
	// and the luma-sample steps between luma and chroma edge segments (an
	// edge every 8 luma samples across it, a segment every 4 along it;
	// chroma edges lie on the 8-sample chroma grid, i.e. every 16 luma
	// samples, and each 4-sample chroma segment takes bS at a luma
	// position that is a multiple of 8 along the edge).
	edge, nb, dx, dy, cdx, cdy := flagEdgeH, f.w4, 4, 8, 8, 16
	if vertical {
		edge, nb, dx, dy, cdx, cdy = flagEdgeV, 1, 8, 4, 16, 8
	}
	for rx := 0; rx < f.ctbW; rx++ {
		p, filter, boundary := f.dbkCtb(rx, ry, vertical)
		if !filter {
			continue
		}
		x0 := rx << s
		x1 := min(x0+ctb, f.w)
		xs, ys := x0, y0 // the first edge: the CTB boundary, if filtered
		if !boundary && vertical {
			xs += 8
		} else if !boundary {
			ys += 8
		}
		for y := ys; y < y1; y += dy {
			for x := xs; x < x1; x += dx {
				bi := f.b4(x, y)
				fq := f.flags[bi]
				if fq&edge == 0 {
					continue
				}
				fp := f.flags[bi-nb]
				qpL := (int(f.qp[bi]) + int(f.qp[bi-nb]) + 1) >> 1
				beta := int(dbkBeta[dbkClip3(0, 51, qpL+p.betaOff)])
				tc := int(dbkTc[dbkClip3(0, 53, qpL+2+p.tcOff)])
				noP, noQ := fp&flagNoFilter != 0, fq&flagNoFilter != 0
				if vertical {
					dbkLumaV(luma, y*stride+x, stride, beta, tc, noP, noQ)
				} else {
					dbkLumaH(luma, y*stride+x, stride, beta, tc, noP, noQ)
				}
			}
		}
		if !chroma {
			continue
		}
		if vertical {
			xs = (xs + 15) &^ 15
		} else {
			ys = (ys + 15) &^ 15
		}
		for y := ys; y < y1; y += cdy {
			for x := xs; x < x1; x += cdx {
				bi := f.b4(x, y)
				fq := f.flags[bi]
				if fq&edge == 0 {
					continue
				}
				fp := f.flags[bi-nb]
				qpL := (int(f.qp[bi]) + int(f.qp[bi-nb]) + 1) >> 1
				noP, noQ := fp&flagNoFilter != 0, fq&flagNoFilter != 0
				pos := (y>>1)*cs + x>>1
				tcb := int(dbkTc[dbkClip3(0, 53, dbkChromaQp(qpL+p.cbOff)+2+p.tcOff)])
				tcr := int(dbkTc[dbkClip3(0, 53, dbkChromaQp(qpL+p.crOff)+2+p.tcOff)])
				if vertical {
					dbkChromaV(f.planes[1], pos, cs, tcb, noP, noQ)
					dbkChromaV(f.planes[2], pos, cs, tcr, noP, noQ)
				} else {
					dbkChromaH(f.planes[1], pos, cs, tcb, noP, noQ)
					dbkChromaH(f.planes[2], pos, cs, tcr, noP, noQ)
				}
			}
		}
	}
}

// dbkLumaV filters one vertical luma edge segment: 4 lines starting with
// q0 of line 0 at pix[pos] (see dbkLumaBlock).
func dbkLumaV(pix []uint8, pos, stride, beta, tc int, noP, noQ bool) {
	if tc == 0 || beta == 0 || (noP && noQ) {
		return
	}
	var b [4][8]uint8
	for k := 0; k < 4; k++ {
		b[k] = *(*[8]uint8)(pix[pos+k*stride-4:])
	}
	if !dbkLumaBlock(&b, beta, tc, noP, noQ) {
		return
	}
	for k := 0; k < 4; k++ {
		*(*[8]uint8)(pix[pos+k*stride-4:]) = b[k]
	}
}

// dbkLumaH filters one horizontal luma edge segment: 4 columns starting
// with q0 of column 0 at pix[pos] (see dbkLumaBlock).
func dbkLumaH(pix []uint8, pos, stride, beta, tc int, noP, noQ bool) {
	if tc == 0 || beta == 0 || (noP && noQ) {
		return
	}
	var b [4][8]uint8
	for i := 0; i < 8; i++ {
		r := (*[4]uint8)(pix[pos+(i-4)*stride:])
		b[0][i], b[1][i], b[2][i], b[3][i] = r[0], r[1], r[2], r[3]
	}
	if !dbkLumaBlock(&b, beta, tc, noP, noQ) {
		return
	}
	for i := 1; i < 7; i++ {
		r := (*[4]uint8)(pix[pos+(i-4)*stride:])
		r[0], r[1], r[2], r[3] = b[0][i], b[1][i], b[2][i], b[3][i]
	}
}

// dbkLumaBlock decides and filters one 4-line luma edge segment in b
// (8.7.2.5.3, 8.7.2.5.6, 8.7.2.5.7): b[k] is line k, p3 p2 p1 p0 q0 q1 q2
// q3. noP / noQ keep the samples of that side unmodified (nDp / nDq = 0).
// It reports whether b may have changed.
func dbkLumaBlock(b *[4][8]uint8, beta, tc int, noP, noQ bool) bool {
	l0, l3 := &b[0], &b[3]
	dp0 := dbkAbs(int(l0[1]) - 2*int(l0[2]) + int(l0[3]))
	dq0 := dbkAbs(int(l0[6]) - 2*int(l0[5]) + int(l0[4]))
	dp3 := dbkAbs(int(l3[1]) - 2*int(l3[2]) + int(l3[3]))
	dq3 := dbkAbs(int(l3[6]) - 2*int(l3[5]) + int(l3[4]))
	dpq0 := dp0 + dq0
	dpq3 := dp3 + dq3
	if dpq0+dpq3 >= beta {
		return false
	}
	// dSam0 and dSam3 (8.7.2.5.6).
	b2, b3, tc5 := beta>>2, beta>>3, (5*tc+1)>>1
	if 2*dpq0 < b2 && 2*dpq3 < b2 &&
		dbkAbs(int(l0[0])-int(l0[3]))+dbkAbs(int(l0[4])-int(l0[7])) < b3 &&
		dbkAbs(int(l3[0])-int(l3[3]))+dbkAbs(int(l3[4])-int(l3[7])) < b3 &&
		dbkAbs(int(l0[3])-int(l0[4])) < tc5 && dbkAbs(int(l3[3])-int(l3[4])) < tc5 {
		tc2 := 2 * tc
		for k := range b {
			l := &b[k]
			p3, p2, p1, p0 := int(l[0]), int(l[1]), int(l[2]), int(l[3])
			q0, q1, q2, q3 := int(l[4]), int(l[5]), int(l[6]), int(l[7])
			if !noP {
				l[3] = uint8(dbkClip3(p0-tc2, p0+tc2, (p2+2*p1+2*p0+2*q0+q1+4)>>3))
				l[2] = uint8(dbkClip3(p1-tc2, p1+tc2, (p2+p1+p0+q0+2)>>2))
				l[1] = uint8(dbkClip3(p2-tc2, p2+tc2, (2*p3+3*p2+p1+p0+q0+4)>>3))
			}
			if !noQ {
				l[4] = uint8(dbkClip3(q0-tc2, q0+tc2, (p1+2*p0+2*q0+2*q1+q2+4)>>3))
				l[5] = uint8(dbkClip3(q1-tc2, q1+tc2, (p0+q0+q1+q2+2)>>2))
				l[6] = uint8(dbkClip3(q2-tc2, q2+tc2, (p0+q0+q1+3*q2+2*q3+4)>>3))
			}
		}
		return true
	}
	side := (beta + beta>>1) >> 3
	dEp := dp0+dp3 < side && !noP
	dEq := dq0+dq3 < side && !noQ
	tc10 := tc * 10
	tcH := tc >> 1
	changed := false
	for k := range b {
		l := &b[k]
		p2, p1, p0 := int(l[1]), int(l[2]), int(l[3])
		q0, q1, q2 := int(l[4]), int(l[5]), int(l[6])
		delta := (9*(q0-p0) - 3*(q1-p1) + 8) >> 4
		if delta >= tc10 || delta <= -tc10 {
			continue
		}
		changed = true
		delta = dbkClip3(-tc, tc, delta)
		if !noP {
			l[3] = dbkClip1(p0 + delta)
			if dEp {
				l[2] = dbkClip1(p1 + dbkClip3(-tcH, tcH, (((p2+p0+1)>>1)-p1+delta)>>1))
			}
		}
		if !noQ {
			l[4] = dbkClip1(q0 - delta)
			if dEq {
				l[5] = dbkClip1(q1 + dbkClip3(-tcH, tcH, (((q2+q0+1)>>1)-q1-delta)>>1))
			}
		}
	}
	return changed
}

// dbkChromaV filters one vertical chroma edge segment (8.7.2.5.5): 4 lines
// starting with q0 of line 0 at pix[pos].
func dbkChromaV(pix []uint8, pos, stride, tc int, noP, noQ bool) {
	if tc == 0 || (noP && noQ) {
		return
	}
	for k := 0; k < 4; k++ {
		l := (*[4]uint8)(pix[pos+k*stride-2:])
		p1, p0, q0, q1 := int(l[0]), int(l[1]), int(l[2]), int(l[3])
		delta := dbkClip3(-tc, tc, ((((q0 - p0) << 2) + p1 - q1 + 4) >> 3))
		if !noP {
			l[1] = dbkClip1(p0 + delta)
		}
		if !noQ {
			l[2] = dbkClip1(q0 - delta)
		}
	}
}

// dbkChromaH filters one horizontal chroma edge segment (8.7.2.5.5): 4
// columns starting with q0 of column 0 at pix[pos].
func dbkChromaH(pix []uint8, pos, stride, tc int, noP, noQ bool) {
	if tc == 0 || (noP && noQ) {
		return
	}
	rp1 := (*[4]uint8)(pix[pos-2*stride:])
	rp0 := (*[4]uint8)(pix[pos-stride:])
	rq0 := (*[4]uint8)(pix[pos:])
	rq1 := (*[4]uint8)(pix[pos+stride:])
	for k := 0; k < 4; k++ {
		p1, p0, q0, q1 := int(rp1[k]), int(rp0[k]), int(rq0[k]), int(rq1[k])
		delta := dbkClip3(-tc, tc, ((((q0 - p0) << 2) + p1 - q1 + 4) >> 3))
		if !noP {
			rp0[k] = dbkClip1(p0 + delta)
		}
		if !noQ {
			rq0[k] = dbkClip1(q0 - delta)
		}
	}
}
