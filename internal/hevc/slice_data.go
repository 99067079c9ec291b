package hevc

import (
	"fmt"
)

// slice_segment_data() (7.3.8) for I
// slices — the substreams, coding_tree_unit(), sao() and
// coding_quadtree(). coding_unit() and everything below it is in
// coding_unit.go (decoding each transform block in order: prediction,
// residual_coding(), reconstruction); the row scheduling for WPP is in
// wpp.go.

// decodeSlice decodes the slice_segment_data of f.slices[idx] from rbsp
// (the slice NAL unit's payload with emulation prevention removed),
// reconstructing every CTB of the segment; workers bounds the goroutines
// used for WPP rows (1 = serial). Errors wrap ErrCorrupt or
// ErrUnsupported.
func (f *frame) decodeSlice(idx int, rbsp []byte, workers int) error {
	if idx < 0 || idx >= len(f.slices) {
		return fmt.Errorf("%w: slice index %d", ErrCorrupt, idx)
	}
	sh := f.slices[idx]
	if sh.DependentSliceSegment {
		return fmt.Errorf("%w: dependent slice segments", ErrUnsupported)
	}
	if f.pps.TilesEnabled {
		return fmt.Errorf("%w: tiles", ErrUnsupported)
	}
	if sh.SegmentAddress < 0 || sh.SegmentAddress >= f.ctbW*f.ctbH {
		return fmt.Errorf("%w: slice_segment_address %d", ErrCorrupt, sh.SegmentAddress)
	}
	maxSubs := 1
	if f.pps.EntropyCodingSync {
		maxSubs = f.ctbH - sh.SegmentAddress/f.ctbW
	}
	if len(sh.EntryPoints) >= maxSubs {
		return fmt.Errorf("%w: %d entry points for %d substreams", ErrCorrupt, len(sh.EntryPoints), maxSubs)
	}
	// Substream k spans rbsp[start_k:start_k+1] (the last one to the end).
	subs := make([][]byte, len(sh.EntryPoints)+1)
	start := sh.DataOffset
	for k := range subs {
		end := len(rbsp)
		if k < len(sh.EntryPoints) {
			end = sh.EntryPoints[k]
		}
		if start < 0 || end <= start || end > len(rbsp) {
			return fmt.Errorf("%w: substream %d at bytes %d..%d of %d", ErrCorrupt, k, start, end, len(rbsp))
		}
		subs[k] = rbsp[start:end]
		start = end
	}
	if !f.pps.EntropyCodingSync {
		return f.decodeSerial(idx, subs[0])
	}
	return newWPPRows(f, idx, subs).run(workers)
}

// decodeSerial decodes a slice segment without WPP: one substream, CTBs
// in raster order until end_of_slice_segment_flag.
func (f *frame) decodeSerial(idx int, data []byte) error {
	d := newCtuDecoder(f, idx)
	if err := d.startSubstream(data); err != nil {
		return err
	}
	d.ctx.init(d.sh.QpY)
	for addr := d.sh.SegmentAddress; addr < f.ctbW*f.ctbH; addr++ {
		end, err := d.decodeCTU(addr%f.ctbW, addr/f.ctbW)
		if err != nil {
			return err
		}
		if end {
			return nil
		}
	}
	return fmt.Errorf("%w: slice data continues past the last CTB", ErrCorrupt)
}

// ctuDecoder parses and reconstructs coding tree units of one slice
// segment from one CABAC substream at a time. One exists per worker
// goroutine; it touches the frame only in the CTBs it decodes (and reads
// the ones its CTBs depend on, which wpp.go orders before it).
type ctuDecoder struct {
	f        *frame
	sh       *sliceHeader
	sliceIdx int32

	cab cabac
	ctx contexts
	res residual
	tbp tbParams

	// Constants of the picture.
	log2Ctb, ctbMask   int
	minCb, minTb       int
	maxTb              int
	log2QG             int // Log2MinCuQpDeltaSize
	chroma             bool
	pcmEnabled         bool
	pcmMin, pcmMax     int
	pcmBitsY, pcmBitsC int
	pcmNoFilter        bool
	maxTrDepthIntra    int
	qpDelta            bool // cu_qp_delta_enabled_flag
	transquantBypass   bool // transquant_bypass_enabled_flag
	cbOffset, crOffset int  // pps + slice chroma QP offsets
	scaling            *ScalingList
	sao                bool // slice_sao_luma_flag || slice_sao_chroma_flag

	// Quantization parameters (8.6.1). lastQpY is QpY of the last coding
	// unit decoded (qPY_PREV of the next quantization group); qpPred is
	// qPY_PRED of the current quantization group; qpY the QpY of the
	// current coding unit, qpCb/qpCr the derived Qp'Cb / Qp'Cr.
	lastQpY, qpPred, qpY int
	qpCb, qpCr           int
	newQG                bool // a quantization group starts at the next CU
	cuQpDeltaCoded       bool // IsCuQpDeltaCoded

	// Current coding unit.
	bypass     bool   // cu_transquant_bypass_flag
	intraSplit bool   // IntraSplitFlag (PART_NxN)
	cuX, cuY   int    // top-left luma sample
	cuHalf     int    // half the CU size (PB size for PART_NxN)
	lumaModes  [4]int // IntraPredModeY of the PBs (one unless NxN)
	chromaMode int    // IntraPredModeC

	coeff [32 * 32]int16
}

// newCtuDecoder returns a decoder for slice segment idx of f.
func newCtuDecoder(f *frame, idx int) *ctuDecoder {
	sps, pps, sh := f.sps, f.pps, f.slices[idx]
	d := &ctuDecoder{f: f, sh: sh, sliceIdx: int32(idx)}
	d.log2Ctb = sps.Log2CtbSize
	d.ctbMask = 1<<sps.Log2CtbSize - 1
	d.minCb = sps.Log2MinCbSize
	d.minTb = sps.Log2MinTbSize
	d.maxTb = sps.Log2MaxTbSize
	d.qpDelta = pps.CuQpDeltaEnabled
	d.log2QG = sps.Log2CtbSize
	if d.qpDelta {
		d.log2QG = sps.Log2CtbSize - pps.DiffCuQpDeltaDepth
	}
	d.chroma = sps.ChromaFormatIdc != 0
	d.pcmEnabled = sps.PCMEnabled
	d.pcmMin, d.pcmMax = sps.Log2MinPCMCbSize, sps.Log2MaxPCMCbSize
	d.pcmBitsY, d.pcmBitsC = sps.PCMBitDepthY, sps.PCMBitDepthC
	d.pcmNoFilter = sps.PCMLoopFilterDisabled
	d.maxTrDepthIntra = sps.MaxTrHierarchyDepthIntra
	d.transquantBypass = pps.TransquantBypassEnabled
	d.cbOffset = pps.CbQpOffset + sh.CbQpOffset
	d.crOffset = pps.CrQpOffset + sh.CrQpOffset
	if sps.ScalingListEnabled {
		d.scaling = sps.ScalingList
		if pps.ScalingList != nil {
			d.scaling = pps.ScalingList
		}
	}
	d.sao = sh.SAOLuma || sh.SAOChroma
	d.res.coeff = d.coeff[:]
	d.tbp.transformSkipEnabled = pps.TransformSkipEnabled
	d.tbp.signHiding = pps.SignDataHiding
	return d
}

// startSubstream initialises the arithmetic decoder on data and resets the
// QP prediction (the first quantization group of a slice or, with WPP, of
// a CTB row uses SliceQpY as qPY_PREV).
func (d *ctuDecoder) startSubstream(data []byte) error {
	if err := d.cab.init(data); err != nil {
		return err
	}
	d.lastQpY = d.sh.QpY
	return nil
}

// decodeCTU parses and reconstructs the coding tree unit at CTB (rx, ry),
// followed by end_of_slice_segment_flag, which it returns.
func (d *ctuDecoder) decodeCTU(rx, ry int) (bool, error) {
	f := d.f
	addr := ry*f.ctbW + rx
	if f.ctbSlice[addr] >= 0 {
		return false, fmt.Errorf("%w: CTB %d decoded twice", ErrCorrupt, addr)
	}
	f.ctbSlice[addr] = d.sliceIdx
	if d.sao {
		if addr >= len(f.sao) {
			return false, fmt.Errorf("%w: SAO in a picture without SAO storage", ErrCorrupt)
		}
		d.parseSAO(rx, ry, addr)
	} else if addr < len(f.sao) {
		f.sao[addr] = saoParams{}
	}
	if err := d.codingQuadtree(rx<<d.log2Ctb, ry<<d.log2Ctb, d.log2Ctb, 0); err != nil {
		return false, err
	}
	end := d.cab.decodeTerminate() != 0
	if err := d.cab.err(); err != nil {
		return false, err
	}
	return end, nil
}

// parseSAO parses sao() (7.3.8.3) for CTB (rx, ry) and stores the resolved
// parameters in f.sao[addr].
func (d *ctuDecoder) parseSAO(rx, ry, addr int) {
	f := d.f
	c := &d.cab
	sliceAddr := d.sh.SegmentAddress
	if rx > 0 && addr-1 >= sliceAddr {
		if c.decodeBin(&d.ctx[ctxSAOMergeFlag]) != 0 {
			f.sao[addr] = f.sao[addr-1]
			return
		}
	}
	if ry > 0 && addr-f.ctbW >= sliceAddr {
		if c.decodeBin(&d.ctx[ctxSAOMergeFlag]) != 0 {
			f.sao[addr] = f.sao[addr-f.ctbW]
			return
		}
	}
	var p saoParams
	n := 1
	if d.chroma {
		n = 3
	}
	for ci := 0; ci < n; ci++ {
		if (ci == 0 && !d.sh.SAOLuma) || (ci > 0 && !d.sh.SAOChroma) {
			continue
		}
		if ci == 2 {
			p.typeIdx[2] = p.typeIdx[1]
			p.eoClass[2] = p.eoClass[1]
		} else {
			// sao_type_idx: TR cMax 2, first bin context coded, second bypass.
			t := uint8(0)
			if c.decodeBin(&d.ctx[ctxSAOTypeIdx]) != 0 {
				t = 1 + uint8(c.decodeBypass())
			}
			p.typeIdx[ci] = t
		}
		if p.typeIdx[ci] == 0 {
			continue
		}
		// sao_offset_abs: TR bypass, cMax (1 << (Min(bitDepth, 10) - 5)) - 1
		// = 7 at 8 bits.
		var abs [4]int
		for i := range abs {
			v := 0
			for v < 7 && c.decodeBypass() != 0 {
				v++
			}
			abs[i] = v
		}
		if p.typeIdx[ci] == 1 {
			for i := range abs {
				if abs[i] != 0 && c.decodeBypass() != 0 {
					abs[i] = -abs[i]
				}
			}
			p.bandPos[ci] = uint8(c.decodeBypassBits(5))
		} else {
			abs[2], abs[3] = -abs[2], -abs[3]
			if ci < 2 {
				p.eoClass[ci] = uint8(c.decodeBypassBits(2))
			}
		}
		for i := range abs {
			p.offset[ci][i] = int8(abs[i])
		}
	}
	f.sao[addr] = p
}

// availLeft reports whether the luma location (x-1, y) is available to a
// block at (x, y) aligned to its size (6.4.1): always inside the same CTB,
// else when the left CTB belongs to the same slice segment.
func (d *ctuDecoder) availLeft(x, y int) bool {
	if x&d.ctbMask != 0 {
		return true
	}
	if x == 0 {
		return false
	}
	f := d.f
	return f.ctbSlice[(y>>d.log2Ctb)*f.ctbW+(x>>d.log2Ctb)-1] == d.sliceIdx
}

// availUp is availLeft for the location (x, y-1).
func (d *ctuDecoder) availUp(x, y int) bool {
	if y&d.ctbMask != 0 {
		return true
	}
	if y == 0 {
		return false
	}
	f := d.f
	return f.ctbSlice[((y>>d.log2Ctb)-1)*f.ctbW+(x>>d.log2Ctb)] == d.sliceIdx
}

// codingQuadtree parses coding_quadtree() (7.3.8.4).
func (d *ctuDecoder) codingQuadtree(x0, y0, log2 int, depth int) error {
	f := d.f
	size := 1 << log2
	split := log2 > d.minCb
	if split && x0+size <= f.w && y0+size <= f.h {
		inc := 0
		if d.availLeft(x0, y0) && int(f.depth[f.b4(x0-1, y0)]) > depth {
			inc++
		}
		if d.availUp(x0, y0) && int(f.depth[f.b4(x0, y0-1)]) > depth {
			inc++
		}
		split = d.cab.decodeBin(&d.ctx[ctxSplitCUFlag+inc]) != 0
	}
	if log2 >= d.log2QG {
		d.newQG = true
		d.cuQpDeltaCoded = false
	}
	if !split {
		return d.codingUnit(x0, y0, log2, depth)
	}
	h := size >> 1
	x1, y1 := x0+h, y0+h
	if err := d.codingQuadtree(x0, y0, log2-1, depth+1); err != nil {
		return err
	}
	if x1 < f.w {
		if err := d.codingQuadtree(x1, y0, log2-1, depth+1); err != nil {
			return err
		}
	}
	if y1 < f.h {
		if err := d.codingQuadtree(x0, y1, log2-1, depth+1); err != nil {
			return err
		}
		if x1 < f.w {
			if err := d.codingQuadtree(x1, y1, log2-1, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
