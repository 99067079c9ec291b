package hevc

// This file holds the state shared by the stages of the decoder (syntax,
// reconstruction, in-loop filters).

// Block metadata is kept per 4x4 luma block ("b4"), row-major, picture-wide:
// index = (y>>2)*f.w4 + (x>>2) for a luma sample position (x, y).

// Flags of a 4x4 luma block (frame.flags).
const (
	// flagEdgeV: the left edge of this 4x4 block is a transform-block or
	// prediction-block edge (set by the syntax stage when it decodes a
	// TU/CU whose left column contains this block). Deblocking filters it
	// when x is a multiple of 8 (luma) / 16 (chroma 4:2:0) and bS > 0.
	flagEdgeV uint8 = 1 << iota
	// flagEdgeH: the top edge of this 4x4 block is a TU or PU edge.
	flagEdgeH
	// flagNoFilter: the samples of this block must not be modified by the
	// deblocking filter or SAO (cu_transquant_bypass_flag, or pcm_flag with
	// pcm_loop_filter_disabled_flag).
	flagNoFilter
	// flagIntra: the block is intra coded (always, in an I slice; kept so
	// that bS derivation reads like the spec).
	flagIntra
)

// frame is one picture being decoded: sample planes plus the block
// metadata the later stages read.
type frame struct {
	sps *SPS
	pps *PPS

	// w, h: pic_width/height_in_luma_samples (coded size, multiple of
	// MinCbSizeY). cw, ch: chroma plane size (w/2, h/2 for 4:2:0; 0 for
	// 4:0:0).
	w, h, cw, ch int
	// planes: Y, Cb, Cr, 8 bits a sample; stride[c] is the row pitch of
	// plane c (>= its width). Reconstruction writes them; the filters
	// modify them in place (deblocking) or through a copy (SAO).
	planes [3][]uint8
	stride [3]int

	// w4, h4: size in 4x4 luma blocks (ceil(w/4), ceil(h/4)).
	w4, h4 int
	// ipm: IntraPredModeY (0..34) of each 4x4 luma block, written by the
	// syntax stage, read for MPM derivation of later blocks.
	ipm []uint8
	// depth: CtDepth of the CU covering each 4x4 block (split_cu_flag ctx).
	depth []uint8
	// qp: QpY of the CU covering each 4x4 block (QP prediction, deblocking).
	qp []int8
	// flags: flagEdgeV | flagEdgeH | flagNoFilter | flagIntra per 4x4 block.
	flags []uint8

	// ctbW, ctbH: size in CTBs (PicWidthInCtbsY, PicHeightInCtbsY).
	ctbW, ctbH int
	// sao: SAO parameters of each CTB, raster order (valid when the slice
	// of that CTB has slice_sao_luma_flag or slice_sao_chroma_flag).
	sao []saoParams
	// ctbSlice: index into slices of the slice segment containing each CTB
	// (raster order); -1 until decoded.
	ctbSlice []int32
	// slices: the slice headers of this picture, in decoding order.
	slices []*sliceHeader
}

// saoParams is the decoded sao() syntax of one CTB, per colour component
// (0 = Y, 1 = Cb, 2 = Cr), after merge-left/up has been resolved (the
// syntax stage copies the neighbour's parameters).
type saoParams struct {
	// typeIdx: SaoTypeIdx, 0 not applied, 1 band offset, 2 edge offset.
	typeIdx [3]uint8
	// bandPos: sao_band_position (band offset only).
	bandPos [3]uint8
	// eoClass: SaoEoClass, 0..3 (edge offset only; Cr copies Cb's).
	eoClass [3]uint8
	// offset: SaoOffsetVal[cIdx][rx][ry][i+1] for i = 0..3, sign applied
	// (the scaling by log2_sao_offset_scale is a range extension: none).
	offset [3][4]int8
}

// residual is one transform block's coefficients, handed by the syntax
// stage to reconstruction.
type residual struct {
	// c: component; x, y: top-left in that component's samples;
	// log2Size: 2..5.
	c, x, y, log2Size int
	// coeff: TransCoeffLevel, raster [y<<log2Size + x]; uncoded entries 0.
	// reconstruct clears what it used, leaving the buffer all-zero.
	coeff []int16
	// qp: qP (Qp'Y, Qp'Cb or Qp'Cr).
	qp int
	// transformSkip: transform_skip_flag; bypass: cu_transquant_bypass_flag.
	transformSkip, bypass bool
	// dst: luma 4x4 intra block, transformed with DST-VII.
	dst bool
	// maxX, maxY: the largest x and y of a nonzero coefficient.
	maxX, maxY int
	// scaling: ScalingFactor for this size and matrixId; nil means flat 16.
	scaling []uint8
}

// b4 returns the index of the 4x4 luma block holding luma sample (x, y).
func (f *frame) b4(x, y int) int { return (y>>2)*f.w4 + x>>2 }

// available implements 6.4.1 (z-scan order block availability) for an
// all-intra picture without tiles: the neighbouring luma location (xN, yN)
// is available to the block at (xCur, yCur) when it is inside the picture,
// in the same slice, and precedes or equals the current block in z-scan
// order (an earlier CTB in raster order, or the same CTB at a z-order
// address no greater than the current one, counted in minimum transform
// blocks). Both locations are in luma samples.
func (f *frame) available(xCur, yCur, xN, yN int) bool {
	if xN < 0 || yN < 0 || xN >= f.w || yN >= f.h {
		return false
	}
	s := uint(f.sps.Log2CtbSize)
	ctbN := (yN>>s)*f.ctbW + xN>>s
	ctbC := (yCur>>s)*f.ctbW + xCur>>s
	if ctbN != ctbC {
		return ctbN < ctbC && f.ctbSlice[ctbN] >= 0 && f.ctbSlice[ctbN] == f.ctbSlice[ctbC]
	}
	m := uint(f.sps.Log2MinTbSize)
	mask := 1<<s - 1
	return zorder((xN&mask)>>m, (yN&mask)>>m) <= zorder((xCur&mask)>>m, (yCur&mask)>>m)
}

// zorder interleaves the bits of x (even bits) and y (odd bits); x and y
// are below 256.
func zorder(x, y int) int {
	return spread(x) | spread(y)<<1
}

// spread moves bit i of v (v < 256) to bit 2i.
func spread(v int) int {
	v = (v | v<<4) & 0x0f0f
	v = (v | v<<2) & 0x3333
	v = (v | v<<1) & 0x5555
	return v
}
