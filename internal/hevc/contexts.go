package hevc

// Context variables (9.3.2.2) of every context-coded syntax element that
// can occur in an I slice, stored in one flat array so that saving and
// restoring them for WPP (9.3.2.3/9.3.2.4) is a plain array copy. Each
// entry is pStateIdx<<1 | valMps, the packing cabac.decodeBin expects.
//
// The ctx* constants are offsets into contexts; the syntax element's
// ctxInc (9.3.4.2) is added to them. Their init values are those of
// initType 0 (I slices) in Tables 9-5 to 9-37.

// Offsets of the context variables of each syntax element.
const (
	// ctxSAOMergeFlag: sao_merge_left_flag and sao_merge_up_flag (1
	// context, shared, Table 9-5).
	ctxSAOMergeFlag = 0
	// ctxSAOTypeIdx: first bin of sao_type_idx_luma / sao_type_idx_chroma
	// (1 context, shared; the second bin is bypass, Table 9-6).
	ctxSAOTypeIdx = ctxSAOMergeFlag + 1
	// ctxSplitCUFlag: split_cu_flag, ctxInc 0..2 = condL + condA
	// (9.3.4.2.2: neighbour available and its CtDepth > cqtDepth), Table 9-7.
	ctxSplitCUFlag = ctxSAOTypeIdx + 1
	// ctxCuTransquantBypassFlag: cu_transquant_bypass_flag (1 context,
	// Table 9-8).
	ctxCuTransquantBypassFlag = ctxSplitCUFlag + 3
	// ctxPartMode: first bin of part_mode (the only bin in an intra CU:
	// 1 = PART_2Nx2N, 0 = PART_NxN), Table 9-11.
	ctxPartMode = ctxCuTransquantBypassFlag + 1
	// ctxPrevIntraLumaPredFlag: prev_intra_luma_pred_flag (1 context,
	// Table 9-12).
	ctxPrevIntraLumaPredFlag = ctxPartMode + 1
	// ctxIntraChromaPredMode: first bin of intra_chroma_pred_mode (the two
	// further bins are bypass), Table 9-13.
	ctxIntraChromaPredMode = ctxPrevIntraLumaPredFlag + 1
	// ctxSplitTransformFlag: split_transform_flag, ctxInc 0..2 =
	// 5 - log2TrafoSize, Table 9-20.
	ctxSplitTransformFlag = ctxIntraChromaPredMode + 1
	// ctxCbfLuma: cbf_luma, ctxInc = trafoDepth == 0 ? 1 : 0, Table 9-21.
	ctxCbfLuma = ctxSplitTransformFlag + 3
	// ctxCbfChroma: cbf_cb and cbf_cr (shared), ctxInc = trafoDepth
	// (0..4; 4 only with 4:2:2), Table 9-22.
	ctxCbfChroma = ctxCbfLuma + 2
	// ctxCuQpDeltaAbs: prefix bins of cu_qp_delta_abs, ctxInc 0 for the
	// first bin and 1 for bins 1..4 (the suffix is EG0 bypass), Table 9-24.
	ctxCuQpDeltaAbs = ctxCbfChroma + 5
	// ctxCuChromaQpOffsetFlag: cu_chroma_qp_offset_flag (range
	// extensions; never present in the streams this decoder accepts),
	// Table 9-26.
	ctxCuChromaQpOffsetFlag = ctxCuQpDeltaAbs + 2
	// ctxCuChromaQpOffsetIdx: cu_chroma_qp_offset_idx bins (range
	// extensions, unused), Table 9-27.
	ctxCuChromaQpOffsetIdx = ctxCuChromaQpOffsetFlag + 1
	// ctxTransformSkipFlag: transform_skip_flag, +0 luma, +1 chroma
	// (Table 9-28).
	ctxTransformSkipFlag = ctxCuChromaQpOffsetIdx + 1
	// ctxLastSigCoeffXPrefix: last_sig_coeff_x_prefix, ctxInc 0..17
	// (9.3.4.2.3: luma (binIdx >> ctxShift) + ctxOffset with ctxOffset
	// 3*(log2-2) + ((log2-1)>>2), ctxShift (log2+1)>>2; chroma ctxOffset
	// 15, ctxShift log2-2), Table 9-29.
	ctxLastSigCoeffXPrefix = ctxTransformSkipFlag + 2
	// ctxLastSigCoeffYPrefix: last_sig_coeff_y_prefix, same scheme,
	// Table 9-30.
	ctxLastSigCoeffYPrefix = ctxLastSigCoeffXPrefix + 18
	// ctxCodedSubBlockFlag: coded_sub_block_flag, ctxInc =
	// Min(csbfRight + csbfBelow, 1) + (cIdx > 0 ? 2 : 0) (9.3.4.2.4),
	// Table 9-31.
	ctxCodedSubBlockFlag = ctxLastSigCoeffYPrefix + 18
	// ctxSigCoeffFlag: sig_coeff_flag, ctxInc 0..26 luma, 27..41 chroma
	// (9.3.4.2.5), 42 / 43 luma / chroma with transform_skip_context_enabled
	// (range extensions, unused), Table 9-32.
	ctxSigCoeffFlag = ctxCodedSubBlockFlag + 4
	// ctxCoeffAbsLevelGreater1Flag: coeff_abs_level_greater1_flag,
	// ctxInc = ctxSet*4 + greater1Ctx, +16 for chroma (9.3.4.2.6),
	// Table 9-33.
	ctxCoeffAbsLevelGreater1Flag = ctxSigCoeffFlag + 44
	// ctxCoeffAbsLevelGreater2Flag: coeff_abs_level_greater2_flag,
	// ctxInc = ctxSet, +4 for chroma (9.3.4.2.7), Table 9-34.
	ctxCoeffAbsLevelGreater2Flag = ctxCoeffAbsLevelGreater1Flag + 24
	// ctxExplicitRdpcmFlag: explicit_rdpcm_flag, +cIdx>0 (range
	// extensions, inter only; unused), Table 9-35.
	ctxExplicitRdpcmFlag = ctxCoeffAbsLevelGreater2Flag + 6
	// ctxExplicitRdpcmDirFlag: explicit_rdpcm_dir_flag (unused),
	// Table 9-36.
	ctxExplicitRdpcmDirFlag = ctxExplicitRdpcmFlag + 2
	// numContexts is the number of context variables of an I slice.
	numContexts = ctxExplicitRdpcmDirFlag + 2
)

// contexts holds all context variables of an I slice, each packed as
// pStateIdx<<1 | valMps. The zero value is not initialised: call init.
type contexts [numContexts]uint8

// ctxInitValues is initValue (initType 0) of every context variable, in
// the layout of contexts.
var ctxInitValues = func() [numContexts]uint8 {
	var v [numContexts]uint8
	set := func(off int, vals ...uint8) { copy(v[off:], vals) }
	set(ctxSAOMergeFlag, 153)
	set(ctxSAOTypeIdx, 200)
	set(ctxSplitCUFlag, 139, 141, 157)
	set(ctxCuTransquantBypassFlag, 154)
	set(ctxPartMode, 184)
	set(ctxPrevIntraLumaPredFlag, 184)
	set(ctxIntraChromaPredMode, 63)
	set(ctxSplitTransformFlag, 153, 138, 138)
	set(ctxCbfLuma, 111, 141)
	set(ctxCbfChroma, 94, 138, 182, 154, 154)
	set(ctxCuQpDeltaAbs, 154, 154)
	set(ctxCuChromaQpOffsetFlag, 154)
	set(ctxCuChromaQpOffsetIdx, 154)
	set(ctxTransformSkipFlag, 139, 139)
	lastPrefix := []uint8{110, 110, 124, 125, 140, 153, 125, 127, 140, 109, 111, 143, 127, 111, 79, 108, 123, 63}
	set(ctxLastSigCoeffXPrefix, lastPrefix...)
	set(ctxLastSigCoeffYPrefix, lastPrefix...)
	set(ctxCodedSubBlockFlag, 91, 171, 134, 141)
	set(ctxSigCoeffFlag,
		111, 111, 125, 110, 110, 94, 124, 108, 124, 107, 125, 141, 179, 153, 125, 107,
		125, 141, 179, 153, 125, 107, 125, 141, 179, 153, 125, 140, 139, 182, 182, 152,
		136, 152, 136, 153, 136, 139, 111, 136, 139, 111,
		141, 111)
	set(ctxCoeffAbsLevelGreater1Flag,
		140, 92, 137, 138, 140, 152, 138, 139, 153, 74, 149, 92, 139, 107, 122, 152,
		140, 179, 166, 182, 140, 227, 122, 197)
	set(ctxCoeffAbsLevelGreater2Flag, 138, 153, 136, 167, 152, 152)
	set(ctxExplicitRdpcmFlag, 139, 139)
	set(ctxExplicitRdpcmDirFlag, 139, 139)
	return v
}()

// ctxInitCache[qp] is the initialised contexts for SliceQpY qp (0..51;
// values outside are clipped by 9.3.2.2 anyway), computed once.
var ctxInitCache = func() (t [52]contexts) {
	for qp := range t {
		for i, iv := range ctxInitValues {
			t[qp][i] = ctxState(int(iv), qp)
		}
	}
	return t
}()

// ctxState derives the packed initial state of one context variable from
// its initValue and SliceQpY (9.3.2.2, equations 9-4 to 9-6).
func ctxState(initValue, qp int) uint8 {
	slopeIdx := initValue >> 4
	offsetIdx := initValue & 15
	m := slopeIdx*5 - 45
	n := offsetIdx<<3 - 16
	pre := ((m * min(max(qp, 0), 51)) >> 4) + n
	pre = min(max(pre, 1), 126)
	if pre <= 63 {
		return uint8((63 - pre) << 1) // valMps 0
	}
	return uint8((pre-64)<<1 | 1)
}

// init initialises every context variable for an I slice with the given
// SliceQpY (9.3.2.2, initType 0).
func (x *contexts) init(sliceQpY int) {
	*x = ctxInitCache[min(max(sliceQpY, 0), 51)]
}
