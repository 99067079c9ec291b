package hevc

import (
	"math/bits"
	"sync"
)

// This file implements sample adaptive offset (H.265 8.7.3) in place. SAO
// must read only deblocked samples, so each CTB row is processed line by
// line with a copy of the deblocked current and previous lines; the line
// below is still unmodified in the plane, except across a CTB row boundary
// (another worker's row), where a copy saved before the parallel pass is
// used. The extra memory is two lines per CTB row boundary and two lines
// per worker, instead of a second picture.

// saoPos is (hPos, vPos) of Table 8-13 for the two neighbours (k = 0, 1) of
// each edge offset class: [class][k] = {h, v}.
var saoPos = [4][2][2]int{
	{{-1, 0}, {1, 0}},
	{{0, -1}, {0, 1}},
	{{-1, -1}, {1, 1}},
	{{1, -1}, {-1, 1}},
}

// saoBoundary holds, per component, the deblocked lines on both sides of
// every CTB row boundary: for boundary r (1..ctbH-1) the last line of CTB
// row r-1 at [(2r-2)*stride, (2r-1)*stride) and the first line of row r
// after it.
type saoBoundary struct{ p [3][]uint8 }

var saoBoundaryPool sync.Pool

// saoScratch is one row worker's scratch space.
type saoScratch struct {
	prev, cur []uint8
	ctbs      []saoCtb
}

var saoScratchPool sync.Pool

// saoCtb is what saoRow needs of one CTB of the row for one component.
type saoCtb struct {
	typ      uint8 // SaoTypeIdx, 0 when the slice does not apply SAO to this component
	cls      uint8 // SaoEoClass
	noFilter bool  // some block of the CTB has flagNoFilter
	all      bool  // every neighbouring CTB may be read (edge offset)
	x0, x1   int   // columns in component samples, clipped to the picture
	nb       [3][3]bool
	tbl      [16]int8 // edge offset: SaoOffsetVal by raw edgeIdx
	band     saoBandTab
}

// applySAO applies sample adaptive offset (8.7.3) in place to the
// deblocked picture, using up to workers goroutines. It must run after
// deblock.
func (f *frame) applySAO(workers int) {
	if f.sps == nil || !f.sps.SAOEnabled || f.ctbW == 0 || f.ctbH == 0 || len(f.sao) < f.ctbW*f.ctbH {
		return
	}
	nComp := 1
	if f.sps.ChromaFormatIdc == 1 && f.cw > 0 && len(f.planes[1]) > 0 && len(f.planes[2]) > 0 {
		nComp = 3
	}
	var need [3]bool
	for ctb := 0; ctb < f.ctbW*f.ctbH; ctb++ {
		sh, _, ok := f.lfSlice(ctb)
		if !ok {
			continue
		}
		sp := &f.sao[ctb]
		if sh.SAOLuma && sp.typeIdx[0] != 0 {
			need[0] = true
		}
		if sh.SAOChroma && nComp == 3 {
			need[1] = need[1] || sp.typeIdx[1] != 0
			need[2] = need[2] || sp.typeIdx[2] != 0
		}
	}
	if !need[0] && !need[1] && !need[2] {
		return
	}
	bnd, _ := saoBoundaryPool.Get().(*saoBoundary)
	if bnd == nil {
		bnd = new(saoBoundary)
	}
	for c := 0; c < 3; c++ {
		if !need[c] {
			continue
		}
		stride := f.stride[c]
		ctbC := f.sps.CtbSize
		if c > 0 {
			ctbC >>= 1
		}
		n := 2 * (f.ctbH - 1) * stride
		if cap(bnd.p[c]) < n {
			bnd.p[c] = make([]uint8, n)
		}
		b := bnd.p[c][:n]
		bnd.p[c] = b
		src := f.planes[c]
		for r := 1; r < f.ctbH; r++ {
			y := r * ctbC
			copy(b[(2*r-2)*stride:(2*r)*stride], src[(y-1)*stride:(y+1)*stride])
		}
	}
	lfRows(workers, f.ctbH, func(ry int) {
		sc, _ := saoScratchPool.Get().(*saoScratch)
		if sc == nil {
			sc = new(saoScratch)
		}
		for c := 0; c < 3; c++ {
			if need[c] {
				f.saoRow(c, ry, bnd.p[c], sc)
			}
		}
		saoScratchPool.Put(sc)
	})
	saoBoundaryPool.Put(bnd)
}

// saoRow applies SAO to CTB row ry of component c in place. bnd holds the
// saved CTB row boundary lines of the component (see saoBoundary).
func (f *frame) saoRow(c, ry int, bnd []uint8, sc *saoScratch) {
	pl := f.planes[c]
	stride := f.stride[c]
	s := uint(f.sps.Log2CtbSize)
	pw, ph := f.w, f.h
	if c > 0 {
		s--
		pw, ph = f.cw, f.ch
	}
	ctbC := 1 << s
	cy0 := ry << s
	ye := min(cy0+ctbC, ph)
	if cy0 >= ye || ye*stride > len(pl) {
		return
	}
	// Per-CTB parameters of this row.
	if cap(sc.ctbs) < f.ctbW {
		sc.ctbs = make([]saoCtb, f.ctbW)
	}
	ctbs := sc.ctbs[:f.ctbW]
	active := false
	for rx := range ctbs {
		t := &ctbs[rx]
		*t = saoCtb{x0: rx << s}
		t.x1 = min(t.x0+ctbC, pw)
		ctb := ry*f.ctbW + rx
		sh, id, ok := f.lfSlice(ctb)
		if t.x0 >= t.x1 || !ok || (c == 0 && !sh.SAOLuma) || (c > 0 && !sh.SAOChroma) {
			continue
		}
		sp := &f.sao[ctb]
		t.typ = sp.typeIdx[c]
		switch t.typ {
		case 1:
			pos := int(sp.bandPos[c])
			t.band.pos = pos & 31
			for k := 0; k < 4; k++ {
				t.band.bt[(k+pos)&31] = sp.offset[c][k]
				t.band.off[k] = sp.offset[c][k]
			}
		case 2:
			o := &sp.offset[c]
			t.tbl = [16]int8{o[0], o[1], 0, o[2], o[3]}
			t.cls = sp.eoClass[c] & 3
			t.nb = f.saoNeighbours(rx, ry, sh, id)
			t.all = t.nb == saoAllNeighbours
		default:
			t.typ = 0
			continue
		}
		active = true
		t.noFilter = f.saoHasNoFilter(c, t.x0, t.x1, cy0, ye)
	}
	if !active {
		return
	}
	if cap(sc.prev) < stride {
		sc.prev = make([]uint8, stride)
		sc.cur = make([]uint8, stride)
	}
	prev, cur := sc.prev[:stride], sc.cur[:stride]
	var above, below []uint8
	if ry > 0 {
		above = bnd[(2*ry-2)*stride : (2*ry-1)*stride]
		copy(prev, above)
	}
	if ry+1 < f.ctbH {
		below = bnd[(2*ry+1)*stride : (2*ry+2)*stride]
	}
	band, edge := saoK.band, saoK.edge
	for y := cy0; y < ye; y++ {
		row := pl[y*stride : (y+1)*stride]
		copy(cur, row)
		// lines[1+dy] is the deblocked line y+dy (nil when it may not be
		// read: the CTB neighbour tables then forbid it too).
		var lines [3][]uint8
		if y > cy0 || above != nil {
			lines[0] = prev
		}
		lines[1] = cur
		if y+1 < ye {
			lines[2] = pl[(y+1)*stride : (y+2)*stride]
		} else if y+1 < ph {
			lines[2] = below
		}
		for i := range ctbs {
			t := &ctbs[i]
			x0, x1 := t.x0, t.x1
			switch t.typ {
			case 0:
				continue
			case 1:
				band(row[x0:x1], cur[x0:x1], t.band)
			case 2:
				ha, va := saoPos[t.cls][0][0], saoPos[t.cls][0][1]
				hb, vb := saoPos[t.cls][1][0], saoPos[t.cls][1][1]
				la, lb := lines[1+va], lines[1+vb]
				if t.all {
					edge(row[x0:x1], cur[x0:x1], la[x0+ha:x1+ha], lb[x0+hb:x1+hb], t.tbl)
					break
				}
				dya := saoSide(y+va, cy0, ye)
				dyb := saoSide(y+vb, cy0, ye)
				// Interior columns: both neighbours are in this CTB column.
				if x0+1 < x1-1 && t.nb[dya+1][1] && t.nb[dyb+1][1] {
					edge(row[x0+1:x1-1], cur[x0+1:x1-1], la[x0+1+ha:x1-1+ha], lb[x0+1+hb:x1-1+hb], t.tbl)
				}
				// Border columns: the neighbours may be in another CTB column.
				for x := x0; ; x = x1 - 1 {
					dxa := saoSide(x+ha, x0, x1)
					dxb := saoSide(x+hb, x0, x1)
					if t.nb[dya+1][dxa+1] && t.nb[dyb+1][dxb+1] {
						sv := int(cur[x])
						e := 2 + saoSign(sv-int(la[x+ha])) + saoSign(sv-int(lb[x+hb]))
						row[x] = clipPel(sv + int(t.tbl[e]))
					}
					if x == x1-1 {
						break
					}
				}
			}
			if t.noFilter {
				f.saoRestoreLine(c, row, cur, x0, x1, y)
			}
		}
		prev, cur = cur, prev
	}
}

// saoAllNeighbours is saoNeighbours' result for a CTB whose eight
// neighbours may all be used.
var saoAllNeighbours = [3][3]bool{{true, true, true}, {true, true, true}, {true, true, true}}

// saoBlock is the size in component samples of the 4x4 luma blocks that
// carry flagNoFilter: 4 for luma, 2 for 4:2:0 chroma.
func saoBlock(c int) int {
	if c > 0 {
		return 2
	}
	return 4
}

// saoHasNoFilter reports whether any 4x4 luma block under the rectangle
// [x0,x1)x[y0,y1) of component c has flagNoFilter (pcm with
// pcm_loop_filter_disabled_flag, or cu_transquant_bypass).
func (f *frame) saoHasNoFilter(c, x0, x1, y0, y1 int) bool {
	bs := saoBlock(c)
	for by := y0 / bs; by*bs < y1; by++ {
		for _, fl := range f.flags[by*f.w4+x0/bs : by*f.w4+(x1+bs-1)/bs] {
			if fl&flagNoFilter != 0 {
				return true
			}
		}
	}
	return false
}

// saoRestoreLine puts back the deblocked samples (from cur) of line y of
// component c in [x0,x1) that lie in blocks with flagNoFilter.
func (f *frame) saoRestoreLine(c int, row, cur []uint8, x0, x1, y int) {
	bs := saoBlock(c)
	fl := f.flags[(y/bs)*f.w4:]
	for bx := x0 / bs; bx*bs < x1; bx++ {
		if fl[bx]&flagNoFilter != 0 {
			xa, xb := bx*bs, min(bx*bs+bs, x1)
			copy(row[xa:xb], cur[xa:xb])
		}
	}
}

// saoNeighbours returns, for CTB (rx, ry) of slice sh (identifier id), which
// of the 3x3 surrounding CTBs ([dy+1][dx+1]) may be used as edge offset
// neighbours: inside the picture and, when in another slice, allowed by
// slice_loop_filter_across_slices_enabled_flag of the later of the two
// slices (8.7.3: the current slice's flag for an earlier neighbour, the
// neighbour's flag for a later one).
func (f *frame) saoNeighbours(rx, ry int, sh *sliceHeader, id int) (nb [3][3]bool) {
	cur := ry*f.ctbW + rx
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			x, y := rx+dx, ry+dy
			if x < 0 || y < 0 || x >= f.ctbW || y >= f.ctbH {
				continue
			}
			n := y*f.ctbW + x
			nsh, nid, ok := f.lfSlice(n)
			switch {
			case !ok:
			case nid == id:
				nb[dy+1][dx+1] = true
			case n < cur:
				nb[dy+1][dx+1] = sh.LoopFilterAcrossSlices
			default:
				nb[dy+1][dx+1] = nsh.LoopFilterAcrossSlices
			}
		}
	}
	return nb
}

// saoSign is Sign(d): -1, 0 or 1.
func saoSign(d int) int {
	return d>>(bits.UintSize-1) | int(uint(-d)>>(bits.UintSize-1))
}

// saoKernels are the row kernels of SAO: edge computes, for each i,
// d[i] = Clip1(s[i] + tbl[2 + Sign(s[i]-a[i]) + Sign(s[i]-b[i])]) (a, b:
// the two neighbours; tbl: SaoOffsetVal by raw edgeIdx, entries 5..15
// zero); band computes d[i] = Clip1(s[i] + bandOffset(s[i] >> 3)) from a
// saoBandTab. d, a and b hold at least len(s) samples; d must not overlap
// s, a or b (the SIMD kernels may write a sample twice).
type saoKernels struct {
	name string
	edge func(d, s, a, b []uint8, tbl [16]int8)
	band func(d, s []uint8, t saoBandTab)
}

// saoKernelsGo are the portable kernels.
var saoKernelsGo = saoKernels{"go", saoEdgeRowGo, saoBandRowGo}

// saoBandTab describes one CTB's band offset: bt[band] is the offset of
// each of the 32 bands; off[k] (k = 0..3, rest zero) is the offset of band
// (pos + k) & 31.
type saoBandTab struct {
	bt  [32]int8
	off [16]int8
	pos int
}

func saoEdgeRowGo(d, s, a, b []uint8, tbl [16]int8) {
	a = a[:len(s)]
	b = b[:len(s)]
	d = d[:len(s)]
	for i, v := range s {
		sv := int(v)
		e := 2 + saoSign(sv-int(a[i])) + saoSign(sv-int(b[i]))
		d[i] = clipPel(sv + int(tbl[e&15]))
	}
}

func saoBandRowGo(d, s []uint8, t saoBandTab) {
	d = d[:len(s)]
	for i, v := range s {
		d[i] = clipPel(int(v) + int(t.bt[v>>3]))
	}
}

// saoSide is -1, 0 or 1 as v is below, inside or above [lo, hi).
func saoSide(v, lo, hi int) int {
	if v < lo {
		return -1
	}
	if v >= hi {
		return 1
	}
	return 0
}
