package hevc

import "fmt"

// This file: coding_unit() (7.3.8.5) of an I slice and what hangs below it — intra prediction modes (8.4.2, 8.4.3),
// pcm_sample() (7.3.8.7), transform_tree() (7.3.8.8), transform_unit()
// (7.3.8.10) with cu_qp_delta and the QP derivation (8.6.1) — calling
// prediction, residual_coding() and reconstruction for every transform
// block in decoding order, and recording the block metadata the in-loop
// filters read. The CTU level is in slice_data.go.

// startQG derives qPY_PRED (8.6.1) for the quantization group at
// (xQg, yQg): the mean of the QpY left of and above it when those are in
// the same CTB, qPY_PREV otherwise.
func (d *ctuDecoder) startQG(xQg, yQg int) {
	f := d.f
	qa, qb := d.lastQpY, d.lastQpY
	if xQg&d.ctbMask != 0 {
		qa = int(f.qp[f.b4(xQg-1, yQg)])
	}
	if yQg&d.ctbMask != 0 {
		qb = int(f.qp[f.b4(xQg, yQg-1)])
	}
	d.qpPred = (qa + qb + 1) >> 1
	d.setQpY(d.qpPred)
}

// setQpY sets QpY of the current coding unit and derives the chroma QPs
// (8.6.1, Table 8-10 for ChromaArrayType 1; QpBdOffset is 0 at 8 bits).
func (d *ctuDecoder) setQpY(qp int) {
	d.qpY = qp
	if d.chroma {
		d.qpCb = chromaQp(qp + d.cbOffset)
		d.qpCr = chromaQp(qp + d.crOffset)
	}
}

// qpcTable maps qPi 30..43 to QpC (Table 8-10).
var qpcTable = [14]int8{29, 30, 31, 32, 33, 33, 34, 34, 35, 35, 36, 36, 37, 37}

// chromaQp maps qPi (before clipping) to QpC for ChromaArrayType 1 at
// 8 bits (Table 8-10).
func chromaQp(qPi int) int {
	qPi = min(max(qPi, 0), 57)
	switch {
	case qPi < 30:
		return qPi
	case qPi > 43:
		return qPi - 6
	}
	return int(qpcTable[qPi-30])
}

// fill4 sets the per-4x4 metadata v over the n x n luma samples at (x, y).
func fill4[T uint8 | int8](f *frame, s []T, x, y, n int, v T) {
	n4 := n >> 2
	i := f.b4(x, y)
	for j := 0; j < n4; j++ {
		row := s[i : i+n4]
		for k := range row {
			row[k] = v
		}
		i += f.w4
	}
}

// codingUnit parses coding_unit() (7.3.8.5) of an I slice and decodes it.
func (d *ctuDecoder) codingUnit(x0, y0, log2, depth int) error {
	f := d.f
	c := &d.cab
	nCbS := 1 << log2
	if d.newQG {
		mask := 1<<d.log2QG - 1
		d.startQG(x0&^mask, y0&^mask)
		d.newQG = false
	}
	d.bypass = false
	if d.transquantBypass {
		d.bypass = c.decodeBin(&d.ctx[ctxCuTransquantBypassFlag]) != 0
	}
	flags := flagIntra
	if d.bypass {
		flags |= flagNoFilter
	}
	d.intraSplit = false
	if log2 == d.minCb {
		d.intraSplit = c.decodeBin(&d.ctx[ctxPartMode]) == 0
	}
	fill4(f, f.depth, x0, y0, nCbS, uint8(depth))
	d.cuX, d.cuY = x0, y0
	pcm := false
	if !d.intraSplit && d.pcmEnabled && log2 >= d.pcmMin && log2 <= d.pcmMax {
		pcm = c.decodeTerminate() != 0
	}
	if pcm {
		if d.pcmNoFilter {
			flags |= flagNoFilter
		}
		fill4(f, f.flags, x0, y0, nCbS, flags)
		d.markEdges(x0, y0, log2)
		fill4(f, f.ipm, x0, y0, nCbS, 1) // DC for MPM derivation (8.4.2)
		if err := d.pcmSample(x0, y0, log2); err != nil {
			return err
		}
	} else {
		fill4(f, f.flags, x0, y0, nCbS, flags)
		d.parseIntraModes(x0, y0, log2)
		if err := d.transformTree(x0, y0, x0, y0, log2, 0, 0, false, false); err != nil {
			return err
		}
	}
	fill4(f, f.qp, x0, y0, nCbS, int8(d.qpY))
	d.lastQpY = d.qpY
	return nil
}

// parseIntraModes parses prev_intra_luma_pred_flag, mpm_idx,
// rem_intra_luma_pred_mode and intra_chroma_pred_mode of the current CU
// and derives IntraPredModeY (8.4.2) and IntraPredModeC (8.4.3).
func (d *ctuDecoder) parseIntraModes(x0, y0, log2 int) {
	f := d.f
	c := &d.cab
	nPb, nParts := 1<<log2, 1
	if d.intraSplit {
		nPb, nParts = nPb>>1, 4
	}
	d.cuHalf = 1 << (log2 - 1)
	var prev [4]bool
	for i := 0; i < nParts; i++ {
		prev[i] = c.decodeBin(&d.ctx[ctxPrevIntraLumaPredFlag]) != 0
	}
	for i := 0; i < nParts; i++ {
		xPb, yPb := x0+(i&1)*nPb, y0+(i>>1)*nPb
		// Candidates A (left) and B (above, only inside the CTB).
		a, b := 1, 1
		if d.availLeft(xPb, yPb) {
			a = int(f.ipm[f.b4(xPb-1, yPb)])
		}
		if yPb&d.ctbMask != 0 {
			b = int(f.ipm[f.b4(xPb, yPb-1)])
		}
		cand := mpmCandidates(a, b)
		var mode int
		if prev[i] {
			idx := 0
			if c.decodeBypass() != 0 {
				idx = 1 + c.decodeBypass()
			}
			mode = cand[idx]
		} else {
			mode = remIntraMode(c.decodeBypassBits(5), cand)
		}
		d.lumaModes[i] = mode
		fill4(f, f.ipm, xPb, yPb, nPb, uint8(mode))
	}
	if !d.chroma {
		return
	}
	luma := d.lumaModes[0]
	icpm := 4
	if c.decodeBin(&d.ctx[ctxIntraChromaPredMode]) != 0 {
		icpm = c.decodeBypassBits(2)
	}
	mode := luma
	if icpm < 4 {
		mode = [4]int{0, 26, 10, 1}[icpm]
		if mode == luma {
			mode = 34
		}
	}
	d.chromaMode = mode
}

// mpmCandidates derives candModeList (8.4.2) from the modes of the left
// (a) and above (b) neighbours (DC when unavailable).
func mpmCandidates(a, b int) [3]int {
	if a == b {
		if a < 2 {
			return [3]int{0, 1, 26}
		}
		return [3]int{a, 2 + (a+29)%32, 2 + (a-2+1)%32}
	}
	switch {
	case a != 0 && b != 0:
		return [3]int{a, b, 0}
	case a != 1 && b != 1:
		return [3]int{a, b, 1}
	}
	return [3]int{a, b, 26}
}

// remIntraMode maps rem_intra_luma_pred_mode to IntraPredModeY: the
// rem-th mode (ascending) that is not a candidate (8.4.2).
func remIntraMode(rem int, cand [3]int) int {
	if cand[0] > cand[1] {
		cand[0], cand[1] = cand[1], cand[0]
	}
	if cand[0] > cand[2] {
		cand[0], cand[2] = cand[2], cand[0]
	}
	if cand[1] > cand[2] {
		cand[1], cand[2] = cand[2], cand[1]
	}
	for _, m := range cand {
		if rem >= m {
			rem++
		}
	}
	return rem
}

// lumaMode returns IntraPredModeY at luma sample (x, y) of the current CU.
func (d *ctuDecoder) lumaMode(x, y int) int {
	if !d.intraSplit {
		return d.lumaModes[0]
	}
	i := 0
	if x-d.cuX >= d.cuHalf {
		i = 1
	}
	if y-d.cuY >= d.cuHalf {
		i += 2
	}
	return d.lumaModes[i]
}

// markEdges flags the left and top edges of the transform block at
// (x0, y0) for deblocking.
func (d *ctuDecoder) markEdges(x0, y0, log2 int) {
	f := d.f
	n := 1 << (log2 - 2)
	i := f.b4(x0, y0)
	top := f.flags[i : i+n]
	for k := range top {
		top[k] |= flagEdgeH
	}
	for k := 0; k < n; k++ {
		f.flags[i] |= flagEdgeV
		i += f.w4
	}
}

// transformTree parses transform_tree() (7.3.8.8) of an intra CU and
// decodes its transform units. cbfCbP / cbfCrP are the parent's cbf_cb /
// cbf_cr.
func (d *ctuDecoder) transformTree(x0, y0, xBase, yBase, log2, depth, blkIdx int, cbfCbP, cbfCrP bool) error {
	c := &d.cab
	maxDepth := d.maxTrDepthIntra
	if d.intraSplit {
		maxDepth++
	}
	var split bool
	if log2 <= d.maxTb && log2 > d.minTb && depth < maxDepth && !(d.intraSplit && depth == 0) {
		split = c.decodeBin(&d.ctx[ctxSplitTransformFlag+5-log2]) != 0
	} else {
		split = log2 > d.maxTb || (d.intraSplit && depth == 0)
	}
	cbfCb, cbfCr := cbfCbP, cbfCrP // 4x4 luma: chroma at the parent (blkIdx 3)
	if d.chroma && log2 > 2 {
		cbfCb, cbfCr = false, false
		if depth == 0 || cbfCbP {
			cbfCb = c.decodeBin(&d.ctx[ctxCbfChroma+depth]) != 0
		}
		if depth == 0 || cbfCrP {
			cbfCr = c.decodeBin(&d.ctx[ctxCbfChroma+depth]) != 0
		}
	}
	if split {
		h := 1 << (log2 - 1)
		for i := 0; i < 4; i++ {
			if err := d.transformTree(x0+(i&1)*h, y0+(i>>1)*h, x0, y0, log2-1, depth+1, i, cbfCb, cbfCr); err != nil {
				return err
			}
		}
		return nil
	}
	inc := 0
	if depth == 0 {
		inc = 1
	}
	cbfLuma := c.decodeBin(&d.ctx[ctxCbfLuma+inc]) != 0
	return d.transformUnit(x0, y0, xBase, yBase, log2, blkIdx, cbfLuma, cbfCb, cbfCr)
}

// transformUnit parses transform_unit() (7.3.8.10) and predicts and
// reconstructs its transform blocks in decoding order.
func (d *ctuDecoder) transformUnit(x0, y0, xBase, yBase, log2, blkIdx int, cbfLuma, cbfCb, cbfCr bool) error {
	f := d.f
	d.markEdges(x0, y0, log2)
	if (cbfLuma || cbfCb || cbfCr) && d.qpDelta && !d.cuQpDeltaCoded {
		if err := d.parseCuQpDelta(); err != nil {
			return err
		}
	}
	mode := d.lumaMode(x0, y0)
	f.predict(0, x0, y0, log2, mode)
	if cbfLuma {
		if err := d.residual(0, x0, y0, log2, mode, d.qpY); err != nil {
			return err
		}
	}
	if !d.chroma {
		return nil
	}
	var xc, yc, l int
	switch {
	case log2 > 2:
		xc, yc, l = x0>>1, y0>>1, log2-1
	case blkIdx == 3:
		xc, yc, l = xBase>>1, yBase>>1, 2
	default:
		return nil
	}
	f.predict(1, xc, yc, l, d.chromaMode)
	if cbfCb {
		if err := d.residual(1, xc, yc, l, d.chromaMode, d.qpCb); err != nil {
			return err
		}
	}
	f.predict(2, xc, yc, l, d.chromaMode)
	if cbfCr {
		if err := d.residual(2, xc, yc, l, d.chromaMode, d.qpCr); err != nil {
			return err
		}
	}
	return nil
}

// parseCuQpDelta parses cu_qp_delta_abs and cu_qp_delta_sign_flag and
// derives QpY of the current CU (8.6.1).
func (d *ctuDecoder) parseCuQpDelta() error {
	c := &d.cab
	v := 0
	for v < 5 && c.decodeBin(&d.ctx[ctxCuQpDeltaAbs+min(v, 1)]) != 0 {
		v++
	}
	if v == 5 {
		// EG0 suffix.
		k := 0
		for c.decodeBypass() != 0 {
			k++
			if k > 16 {
				return fmt.Errorf("%w: cu_qp_delta_abs too large", ErrCorrupt)
			}
		}
		v += (1<<k - 1) + c.decodeBypassBits(k)
	}
	if v != 0 && c.decodeBypass() != 0 {
		v = -v
	}
	// CuQpDeltaVal in [-(26 + QpBdOffsetY/2), 25 + QpBdOffsetY/2].
	if v < -26 || v > 25 {
		return fmt.Errorf("%w: CuQpDeltaVal %d out of range", ErrCorrupt, v)
	}
	d.cuQpDeltaCoded = true
	d.setQpY((d.qpPred + v + 52) % 52)
	return nil
}

// residual parses residual_coding() of one transform block of component
// ci and reconstructs it on top of its prediction.
func (d *ctuDecoder) residual(ci, x, y, log2, mode, qp int) error {
	r := &d.res
	r.c, r.x, r.y, r.log2Size = ci, x, y, log2
	r.qp = qp
	r.bypass = d.bypass
	r.transformSkip = false
	r.maxX, r.maxY = 0, 0
	p := &d.tbp
	p.log2Size, p.cIdx, p.predModeIntra, p.bypass = log2, ci, mode, d.bypass
	if err := residualCoding(&d.cab, &d.ctx, p, r); err != nil {
		return err
	}
	r.dst = ci == 0 && log2 == 2 && !r.transformSkip && !r.bypass
	r.scaling = nil
	if d.scaling != nil && !r.bypass && !(r.transformSkip && log2 > 2) {
		r.scaling = d.scaling.Factor[log2-2][ci]
	}
	d.f.reconstruct(r)
	return nil
}

// pcmSample reads pcm_sample() (7.3.8.7) after pcm_flag: the raw samples
// start at the next byte boundary of the substream; the arithmetic
// decoder restarts after them (9.3.2.5).
func (d *ctuDecoder) pcmSample(x0, y0, log2 int) error {
	f := d.f
	c := &d.cab
	data := c.data
	pos := c.alignedPos()
	n := 1 << log2
	bits := n * n * d.pcmBitsY
	if d.chroma {
		bits += 2 * (n >> 1) * (n >> 1) * d.pcmBitsC
	}
	end := pos + (bits+7)>>3
	if d.pcmBitsY > f.sps.BitDepthY || d.pcmBitsC > f.sps.BitDepthC || d.pcmBitsY < 1 || (d.chroma && d.pcmBitsC < 1) {
		return fmt.Errorf("%w: PCM bit depth", ErrCorrupt)
	}
	if pos > len(data) || end > len(data) {
		return fmt.Errorf("%w: PCM samples past the end of the substream", ErrCorrupt)
	}
	br := pcmReader{data: data[pos:end]}
	d.pcmPlane(&br, 0, x0, y0, n, d.pcmBitsY, f.sps.BitDepthY)
	if d.chroma {
		d.pcmPlane(&br, 1, x0>>1, y0>>1, n>>1, d.pcmBitsC, f.sps.BitDepthC)
		d.pcmPlane(&br, 2, x0>>1, y0>>1, n>>1, d.pcmBitsC, f.sps.BitDepthC)
	}
	return c.init(data[end:])
}

// pcmPlane copies n x n PCM samples of pcmBits bits into plane ci at
// (x, y), scaled to bitDepth.
func (d *ctuDecoder) pcmPlane(br *pcmReader, ci, x, y, n, pcmBits, bitDepth int) {
	f := d.f
	stride := f.stride[ci]
	plane := f.planes[ci]
	shift := uint(bitDepth - pcmBits)
	for j := 0; j < n; j++ {
		row := plane[(y+j)*stride+x : (y+j)*stride+x+n]
		for i := range row {
			row[i] = uint8(br.read(pcmBits) << shift)
		}
	}
}

// pcmReader reads fixed-length big-endian bit fields.
type pcmReader struct {
	data []byte
	pos  int // in bits
}

// read returns the next n (1..8) bits; past the end it returns zeros.
func (r *pcmReader) read(n int) int {
	v := 0
	for ; n > 0; n-- {
		b := 0
		if i := r.pos >> 3; i < len(r.data) {
			b = int(r.data[i]>>(7-uint(r.pos&7))) & 1
		}
		v = v<<1 | b
		r.pos++
	}
	return v
}
