package hevc

import "fmt"

// sequence and picture parameter sets
// (7.3.2.2, 7.3.2.3) and short-term reference picture sets (7.3.7).

// Limits from the standard used to bound hostile input.
const (
	maxSPSCount = 16
	maxPPSCount = 64
	// maxPicSide bounds pic_width/height_in_luma_samples: no HEVC level
	// allows a side above 16888 (level 6.2, 8 * MaxLumaPs under sqrt).
	maxPicSide = 1 << 16
	// maxDPB: MaxDpbSize is at most 16, which bounds RPS sizes.
	maxDPB = 16
)

// SPS holds the sequence parameter set fields the decoder uses (7.3.2.2).
// Sizes are in luma samples; ConfWin* already include SubWidthC/SubHeightC.
type SPS struct {
	ID, ChromaFormatIdc, Width, Height                   int
	ConfWinLeft, ConfWinRight, ConfWinTop, ConfWinBottom int // in luma samples
	BitDepthY, BitDepthC, Log2MaxPocLsb                  int
	Log2MinCbSize, Log2CtbSize                           int
	Log2MinTbSize, Log2MaxTbSize                         int
	MaxTrHierarchyDepthIntra                             int
	ScalingListEnabled                                   bool
	// ScalingList: nil when scaling_list_enabled_flag is 0; the default
	// lists when it is 1 without sps_scaling_list_data.
	ScalingList                              *ScalingList
	AmpEnabled, SAOEnabled                   bool
	PCMEnabled                               bool
	PCMBitDepthY, PCMBitDepthC               int
	Log2MinPCMCbSize, Log2MaxPCMCbSize       int
	PCMLoopFilterDisabled                    bool
	NumShortTermRefPicSets                   int
	LongTermRefPicsPresent                   bool
	NumLongTermRefPicsSPS                    int
	TemporalMVPEnabled, StrongIntraSmoothing bool
	FullRange                                bool
	MatrixCoefficients, ColourPrimaries      int
	TransferCharacteristics                  int
	// derived
	CtbSize, PicWidthInCtbs, PicHeightInCtbs, MinCbSize int

	// Further fields.
	VPSID, MaxSubLayersMinus1 int
	Profile                   profileTierLevel
	SeparateColourPlane       bool
	MaxTrHierarchyDepthInter  int
	// MaxDecPicBufferingMinus1 of the highest sub-layer.
	MaxDecPicBufferingMinus1 int
	// ShortTermRefPicSets: the num_short_term_ref_pic_sets sets of the SPS.
	ShortTermRefPicSets []stRPS
	// LtRefPicPocLsbSPS, UsedByCurrPicLtSPS: lt_ref_pic_poc_lsb_sps[i] and
	// used_by_curr_pic_lt_sps_flag[i].
	LtRefPicPocLsbSPS  []int
	UsedByCurrPicLtSPS []bool
	VUIPresent         bool
	VUI                vui
	// SubWidthC, SubHeightC: Table 6-1 (1, 1 for 4:0:0).
	SubWidthC, SubHeightC int
	// PicSizeInCtbs: PicWidthInCtbs * PicHeightInCtbs.
	PicSizeInCtbs int
}

// stRPS is a short-term reference picture set after the inter-RPS
// prediction of 7.4.8 has been resolved.
type stRPS struct {
	NumNegative, NumPositive int
	DeltaPocS0, DeltaPocS1   [maxDPB]int32
	UsedS0, UsedS1           [maxDPB]bool
}

// numDeltaPocs returns NumDeltaPocs of the set.
func (s *stRPS) numDeltaPocs() int { return s.NumNegative + s.NumPositive }

// parseStRPS reads st_ref_pic_set(idx) (7.3.7) given the sets already
// decoded (sets[0..idx-1]); num is num_short_term_ref_pic_sets (idx == num
// in a slice header, where delta_idx_minus1 is coded).
func parseStRPS(r *bitReader, idx, num int, sets []stRPS, maxDecPicBufMinus1 int) stRPS {
	var s stRPS
	if idx != 0 && r.flag() { // inter_ref_pic_set_prediction_flag
		deltaIdx := 1
		if idx == num {
			deltaIdx = r.ueIn("delta_idx_minus1", 0, idx-1) + 1
		}
		if r.err != nil {
			return s
		}
		ref := &sets[idx-deltaIdx]
		sign := r.flag()
		deltaRps := int32(r.ueIn("abs_delta_rps_minus1", 0, 1<<15-1) + 1)
		if sign {
			deltaRps = -deltaRps
		}
		n := ref.numDeltaPocs()
		var used, useDelta [2*maxDPB + 1]bool
		for j := 0; j <= n; j++ {
			used[j] = r.flag()
			useDelta[j] = true
			if !used[j] {
				useDelta[j] = r.flag()
			}
		}
		if r.err != nil {
			return s
		}
		// 7-61 and 7-62: candidate j < n is picture j of the reference set
		// (S0 then S1) shifted by deltaRps, j = n is deltaRps itself. The
		// negative pictures are taken from S1 backwards, deltaRps, S0
		// forwards; the positive ones from S0 backwards, deltaRps, S1
		// forwards.
		deltaPoc := func(j int) int32 {
			switch {
			case j == n:
				return deltaRps
			case j < ref.NumNegative:
				return ref.DeltaPocS0[j] + deltaRps
			}
			return ref.DeltaPocS1[j-ref.NumNegative] + deltaRps
		}
		derive := func(sign int32, backFrom, backTo, fwdFrom, fwdTo int, dst *[maxDPB]int32, dstUsed *[maxDPB]bool) int {
			i := 0
			add := func(j int) {
				if d := deltaPoc(j); d*sign > 0 && useDelta[j] {
					if i < maxDPB {
						dst[i], dstUsed[i] = d, used[j]
					}
					i++
				}
			}
			for j := backFrom - 1; j >= backTo; j-- {
				add(j)
			}
			add(n)
			for j := fwdFrom; j < fwdTo; j++ {
				add(j)
			}
			return i
		}
		nn := ref.NumNegative
		s.NumNegative = derive(-1, n, nn, 0, nn, &s.DeltaPocS0, &s.UsedS0)
		s.NumPositive = derive(1, nn, 0, nn, n, &s.DeltaPocS1, &s.UsedS1)
		if s.NumNegative+s.NumPositive > maxDecPicBufMinus1 {
			r.fail(corruptf("st_ref_pic_set %d: %d pictures, over sps_max_dec_pic_buffering_minus1 %d",
				idx, s.NumNegative+s.NumPositive, maxDecPicBufMinus1))
		}
		return s
	}
	s.NumNegative = r.ueIn("num_negative_pics", 0, maxDecPicBufMinus1)
	s.NumPositive = r.ueIn("num_positive_pics", 0, maxDecPicBufMinus1-s.NumNegative)
	if r.err != nil {
		return stRPS{}
	}
	var poc int32
	for i := 0; i < s.NumNegative; i++ {
		poc -= int32(r.ueIn("delta_poc_s0_minus1", 0, 1<<15-1) + 1)
		s.DeltaPocS0[i] = poc
		s.UsedS0[i] = r.flag()
	}
	poc = 0
	for i := 0; i < s.NumPositive; i++ {
		poc += int32(r.ueIn("delta_poc_s1_minus1", 0, 1<<15-1) + 1)
		s.DeltaPocS1[i] = poc
		s.UsedS1[i] = r.flag()
	}
	return s
}

// parseSPS parses a seq_parameter_set_rbsp() (the NAL payload with
// emulation prevention removed). It returns ErrCorrupt for values outside
// the ranges of the standard and ErrUnsupported for features this decoder
// lacks (bit depth other than 8, 4:2:2/4:4:4, extensions).
func parseSPS(rbsp []byte) (*SPS, error) {
	r := newBitReader(rbsp)
	s := &SPS{}
	s.VPSID = int(r.u(4))
	s.MaxSubLayersMinus1 = int(r.u(3))
	if s.MaxSubLayersMinus1 > 6 {
		return nil, corruptf("sps_max_sub_layers_minus1 = 7")
	}
	r.skip(1) // sps_temporal_id_nesting_flag
	s.Profile = parseProfileTierLevel(r, s.MaxSubLayersMinus1)
	s.ID = r.ueIn("sps_seq_parameter_set_id", 0, maxSPSCount-1)
	s.ChromaFormatIdc = r.ueIn("chroma_format_idc", 0, 3)
	if s.ChromaFormatIdc == 3 {
		s.SeparateColourPlane = r.flag()
	}
	w, h := r.ue(), r.ue() // pic_width/height_in_luma_samples
	if r.err == nil && (w == 0 || h == 0) {
		return nil, corruptf("picture size %dx%d", w, h)
	}
	if w > maxPicSide || h > maxPicSide {
		return nil, fmt.Errorf("%w: %dx%d luma samples", ErrTooLarge, w, h)
	}
	s.Width, s.Height = int(w), int(h)
	var confWin [4]int
	if r.flag() { // conformance_window_flag
		for i := range confWin {
			// Checked before the conversion: int is 32 bits on 386/arm.
			v := r.ue()
			if v > maxPicSide {
				return nil, corruptf("conformance window offset %d", v)
			}
			confWin[i] = int(v)
		}
	}
	s.BitDepthY = r.ueIn("bit_depth_luma_minus8", 0, 8) + 8
	s.BitDepthC = r.ueIn("bit_depth_chroma_minus8", 0, 8) + 8
	s.Log2MaxPocLsb = r.ueIn("log2_max_pic_order_cnt_lsb_minus4", 0, 12) + 4
	orderingInfo := r.flag()
	first := s.MaxSubLayersMinus1
	if orderingInfo {
		first = 0
	}
	for i := first; i <= s.MaxSubLayersMinus1; i++ {
		s.MaxDecPicBufferingMinus1 = r.ueIn("sps_max_dec_pic_buffering_minus1", 0, maxDPB-1)
		r.ueIn("sps_max_num_reorder_pics", 0, s.MaxDecPicBufferingMinus1)
		r.ue() // sps_max_latency_increase_plus1
	}
	if r.err != nil {
		return nil, r.err
	}
	s.Log2MinCbSize = r.ueIn("log2_min_luma_coding_block_size_minus3", 0, 3) + 3
	s.Log2CtbSize = s.Log2MinCbSize + r.ueIn("log2_diff_max_min_luma_coding_block_size", 0, 3)
	s.Log2MinTbSize = r.ueIn("log2_min_luma_transform_block_size_minus2", 0, 3) + 2
	s.Log2MaxTbSize = s.Log2MinTbSize + r.ueIn("log2_diff_max_min_luma_transform_block_size", 0, 3)
	if r.err != nil {
		return nil, r.err
	}
	if s.Log2CtbSize > 6 {
		return nil, corruptf("CtbLog2SizeY = %d > 6", s.Log2CtbSize)
	}
	if s.Log2MinTbSize >= s.Log2MinCbSize {
		return nil, corruptf("MinTbLog2SizeY %d not below MinCbLog2SizeY %d", s.Log2MinTbSize, s.Log2MinCbSize)
	}
	if s.Log2MaxTbSize > min(s.Log2CtbSize, 5) {
		return nil, corruptf("MaxTbLog2SizeY %d above Min(CtbLog2SizeY, 5)", s.Log2MaxTbSize)
	}
	s.MaxTrHierarchyDepthInter = r.ueIn("max_transform_hierarchy_depth_inter", 0, s.Log2CtbSize-s.Log2MinTbSize)
	s.MaxTrHierarchyDepthIntra = r.ueIn("max_transform_hierarchy_depth_intra", 0, s.Log2CtbSize-s.Log2MinTbSize)
	s.ScalingListEnabled = r.flag()
	if s.ScalingListEnabled {
		lists := defaultScalingLists()
		if r.flag() { // sps_scaling_list_data_present_flag
			lists = parseScalingListData(r)
		}
		if r.err != nil {
			return nil, r.err
		}
		s.ScalingList = lists.factors()
	}
	s.AmpEnabled = r.flag()
	s.SAOEnabled = r.flag()
	s.PCMEnabled = r.flag()
	if s.PCMEnabled {
		s.PCMBitDepthY = int(r.u(4)) + 1
		s.PCMBitDepthC = int(r.u(4)) + 1
		s.Log2MinPCMCbSize = r.ueIn("log2_min_pcm_luma_coding_block_size_minus3", 0, 2) + 3
		s.Log2MaxPCMCbSize = s.Log2MinPCMCbSize + r.ueIn("log2_diff_max_min_pcm_luma_coding_block_size", 0, 2)
		s.PCMLoopFilterDisabled = r.flag()
		if r.err != nil {
			return nil, r.err
		}
		if s.PCMBitDepthY > s.BitDepthY || s.PCMBitDepthC > s.BitDepthC {
			return nil, corruptf("PCM bit depth %d/%d above the bit depth", s.PCMBitDepthY, s.PCMBitDepthC)
		}
		if s.Log2MinPCMCbSize < min(s.Log2MinCbSize, 5) || s.Log2MaxPCMCbSize > min(s.Log2CtbSize, 5) {
			return nil, corruptf("PCM sizes 2^%d..2^%d outside the CB sizes", s.Log2MinPCMCbSize, s.Log2MaxPCMCbSize)
		}
	}
	s.NumShortTermRefPicSets = r.ueIn("num_short_term_ref_pic_sets", 0, 64)
	if r.err != nil {
		return nil, r.err
	}
	s.ShortTermRefPicSets = make([]stRPS, s.NumShortTermRefPicSets)
	for i := range s.ShortTermRefPicSets {
		s.ShortTermRefPicSets[i] = parseStRPS(r, i, s.NumShortTermRefPicSets, s.ShortTermRefPicSets, s.MaxDecPicBufferingMinus1)
		if r.err != nil {
			return nil, r.err
		}
	}
	s.LongTermRefPicsPresent = r.flag()
	if s.LongTermRefPicsPresent {
		s.NumLongTermRefPicsSPS = r.ueIn("num_long_term_ref_pics_sps", 0, 32)
		for i := 0; i < s.NumLongTermRefPicsSPS && r.err == nil; i++ {
			s.LtRefPicPocLsbSPS = append(s.LtRefPicPocLsbSPS, int(r.u(s.Log2MaxPocLsb)))
			s.UsedByCurrPicLtSPS = append(s.UsedByCurrPicLtSPS, r.flag())
		}
	}
	s.TemporalMVPEnabled = r.flag()
	s.StrongIntraSmoothing = r.flag()
	s.VUIPresent = r.flag()
	if s.VUIPresent {
		s.VUI = parseVUI(r, s.MaxSubLayersMinus1)
	} else {
		s.VUI = vui{ColourPrimaries: 2, TransferCharacteristics: 2, MatrixCoeffs: 2, VideoFormat: 5}
	}
	s.FullRange = s.VUI.FullRange
	s.ColourPrimaries = s.VUI.ColourPrimaries
	s.TransferCharacteristics = s.VUI.TransferCharacteristics
	s.MatrixCoefficients = s.VUI.MatrixCoeffs
	if r.flag() { // sps_extension_present_flag
		rangeExt := r.flag()
		multilayer := r.flag()
		ext3D := r.flag()
		scc := r.flag()
		r.skip(4) // sps_extension_4bits: sps_extension_data_flag follow, ignored
		if r.err != nil {
			return nil, r.err
		}
		if rangeExt && r.u(9) != 0 && r.err == nil {
			return nil, unsupportedf("SPS range extension tools")
		}
		if multilayer || ext3D || scc {
			return nil, unsupportedf("SPS multilayer/3D/SCC extension")
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := s.derive(confWin); err != nil {
		return nil, err
	}
	return s, nil
}

// derive checks the parsed sizes and computes the derived variables.
func (s *SPS) derive(confWin [4]int) error {
	s.SubWidthC, s.SubHeightC = 1, 1
	if s.ChromaFormatIdc == 1 {
		s.SubWidthC, s.SubHeightC = 2, 2
	} else if s.ChromaFormatIdc == 2 {
		s.SubWidthC = 2
	}
	s.MinCbSize = 1 << s.Log2MinCbSize
	s.CtbSize = 1 << s.Log2CtbSize
	if s.Width%s.MinCbSize != 0 || s.Height%s.MinCbSize != 0 {
		return corruptf("picture %dx%d not a multiple of MinCbSizeY %d", s.Width, s.Height, s.MinCbSize)
	}
	s.PicWidthInCtbs = (s.Width + s.CtbSize - 1) >> s.Log2CtbSize
	s.PicHeightInCtbs = (s.Height + s.CtbSize - 1) >> s.Log2CtbSize
	s.PicSizeInCtbs = s.PicWidthInCtbs * s.PicHeightInCtbs
	for _, v := range confWin {
		if v > maxPicSide {
			return corruptf("conformance window offset %d", v)
		}
	}
	s.ConfWinLeft = confWin[0] * s.SubWidthC
	s.ConfWinRight = confWin[1] * s.SubWidthC
	s.ConfWinTop = confWin[2] * s.SubHeightC
	s.ConfWinBottom = confWin[3] * s.SubHeightC
	if s.ConfWinLeft+s.ConfWinRight >= s.Width || s.ConfWinTop+s.ConfWinBottom >= s.Height {
		return corruptf("conformance window crops the whole %dx%d picture", s.Width, s.Height)
	}
	return nil
}

// checkSupported returns ErrUnsupported when the SPS uses a feature the
// decoder lacks: a profile other than Main, Main 10, Main Still Picture or
// RExt (with only Main tools), bit depth other than 8, chroma other than
// 4:2:0 or 4:0:0, CTBs of 8x8.
func (s *SPS) checkSupported() error {
	ok := s.Profile.ProfileIdc >= 1 && s.Profile.ProfileIdc <= 4
	for j := 1; j <= 4; j++ {
		// general_profile_compatibility_flag[j] is bit 31-j of Compat.
		ok = ok || s.Profile.Compat>>(31-j)&1 == 1
	}
	if !ok {
		return unsupportedf("general_profile_idc %d", s.Profile.ProfileIdc)
	}
	if s.BitDepthY != 8 || s.BitDepthC != 8 {
		return unsupportedf("bit depth %d/%d", s.BitDepthY, s.BitDepthC)
	}
	if s.ChromaFormatIdc != 1 && s.ChromaFormatIdc != 0 {
		return unsupportedf("chroma_format_idc %d", s.ChromaFormatIdc)
	}
	if s.Log2CtbSize < 4 {
		return unsupportedf("CTB size %d", s.CtbSize)
	}
	return nil
}

// parsePPS parses a pic_parameter_set_rbsp(). Checks that need the SPS are
// done by bind when a slice activates the PPS.
func parsePPS(rbsp []byte) (*PPS, error) {
	r := newBitReader(rbsp)
	p := &PPS{}
	p.ID = r.ueIn("pps_pic_parameter_set_id", 0, maxPPSCount-1)
	p.SPSID = r.ueIn("pps_seq_parameter_set_id", 0, maxSPSCount-1)
	p.DependentSliceSegmentsEnabled = r.flag()
	p.OutputFlagPresent = r.flag()
	p.NumExtraSliceHeaderBits = int(r.u(3))
	p.SignDataHiding = r.flag()
	p.CabacInitPresent = r.flag()
	p.NumRefIdxL0DefaultActive = r.ueIn("num_ref_idx_l0_default_active_minus1", 0, 14) + 1
	p.NumRefIdxL1DefaultActive = r.ueIn("num_ref_idx_l1_default_active_minus1", 0, 14) + 1
	// QpBdOffsetY is at most 48 (bit depth 16); bind checks it exactly.
	p.InitQp = 26 + r.seIn("init_qp_minus26", -(26+48), 25)
	p.ConstrainedIntraPred = r.flag()
	p.TransformSkipEnabled = r.flag()
	p.CuQpDeltaEnabled = r.flag()
	if p.CuQpDeltaEnabled {
		p.DiffCuQpDeltaDepth = r.ueIn("diff_cu_qp_delta_depth", 0, 3)
	}
	p.CbQpOffset = r.seIn("pps_cb_qp_offset", -12, 12)
	p.CrQpOffset = r.seIn("pps_cr_qp_offset", -12, 12)
	p.SliceChromaQpOffsetsPresent = r.flag()
	p.WeightedPred = r.flag()
	p.WeightedBipred = r.flag()
	p.TransquantBypassEnabled = r.flag()
	p.TilesEnabled = r.flag()
	p.EntropyCodingSync = r.flag()
	if r.err != nil {
		return nil, r.err
	}
	if p.TilesEnabled {
		return nil, unsupportedf("tiles")
	}
	p.LoopFilterAcrossSlices = r.flag()
	p.DeblockingControlPresent = r.flag()
	if p.DeblockingControlPresent {
		p.DeblockingOverrideEnabled = r.flag()
		p.PPSDeblockingDisabled = r.flag()
		if !p.PPSDeblockingDisabled {
			p.BetaOffsetDiv2 = r.seIn("pps_beta_offset_div2", -6, 6)
			p.TcOffsetDiv2 = r.seIn("pps_tc_offset_div2", -6, 6)
		}
	}
	if r.flag() { // pps_scaling_list_data_present_flag
		lists := parseScalingListData(r)
		if r.err != nil {
			return nil, r.err
		}
		p.ScalingList = lists.factors()
	}
	p.ListsModificationPresent = r.flag()
	p.Log2ParallelMergeLevel = r.ueIn("log2_parallel_merge_level_minus2", 0, 4) + 2
	p.SliceHeaderExtensionPresent = r.flag()
	if r.flag() { // pps_extension_present_flag
		rangeExt := r.flag()
		multilayer := r.flag()
		ext3D := r.flag()
		scc := r.flag()
		r.skip(4) // pps_extension_4bits
		if r.err != nil {
			return nil, r.err
		}
		if rangeExt {
			if p.TransformSkipEnabled && r.ue() != 0 { // log2_max_transform_skip_block_size_minus2
				return nil, unsupportedf("PPS range extension: transform skip above 4x4")
			}
			crossComponent := r.flag()
			chromaQpOffsetList := r.flag()
			if crossComponent || chromaQpOffsetList {
				return nil, unsupportedf("PPS range extension tools")
			}
			saoScaleLuma := r.ue()
			saoScaleChroma := r.ue()
			if saoScaleLuma != 0 || saoScaleChroma != 0 {
				return nil, unsupportedf("PPS range extension: SAO offset scale")
			}
		}
		if multilayer || ext3D || scc {
			return nil, unsupportedf("PPS multilayer/3D/SCC extension")
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// bind checks the PPS against the SPS it refers to and computes the
// variables that depend on both (Log2MinCuQpDeltaSize). It is called when a
// slice activates the pair.
func (p *PPS) bind(s *SPS) error {
	qpBdOffset := 6 * (s.BitDepthY - 8)
	if p.InitQp < -qpBdOffset {
		return corruptf("init_qp_minus26 = %d below -(26 + QpBdOffsetY)", p.InitQp-26)
	}
	if p.DiffCuQpDeltaDepth > s.Log2CtbSize-s.Log2MinCbSize {
		return corruptf("diff_cu_qp_delta_depth = %d above log2_diff_max_min_luma_coding_block_size", p.DiffCuQpDeltaDepth)
	}
	if p.Log2ParallelMergeLevel > s.Log2CtbSize {
		return corruptf("log2_parallel_merge_level %d above CtbLog2SizeY", p.Log2ParallelMergeLevel)
	}
	if p.ScalingList != nil && !s.ScalingListEnabled {
		return corruptf("PPS scaling lists with scaling_list_enabled_flag 0")
	}
	p.Log2MinCuQpDeltaSize = s.Log2CtbSize - p.DiffCuQpDeltaDepth
	p.sps = s
	return nil
}

// PPS holds the picture parameter set fields the decoder uses (7.3.2.3).
type PPS struct {
	ID, SPSID                                           int
	DependentSliceSegmentsEnabled, OutputFlagPresent    bool
	NumExtraSliceHeaderBits                             int
	SignDataHiding, CabacInitPresent                    bool
	InitQp                                              int
	ConstrainedIntraPred, TransformSkipEnabled          bool
	CuQpDeltaEnabled                                    bool
	DiffCuQpDeltaDepth, Log2MinCuQpDeltaSize            int
	CbQpOffset, CrQpOffset                              int
	SliceChromaQpOffsetsPresent                         bool
	TransquantBypassEnabled, TilesEnabled               bool
	EntropyCodingSync                                   bool
	LoopFilterAcrossTiles, LoopFilterAcrossSlices       bool
	DeblockingControlPresent, DeblockingOverrideEnabled bool
	PPSDeblockingDisabled                               bool
	BetaOffsetDiv2, TcOffsetDiv2                        int
	// ScalingList: non-nil when pps_scaling_list_data_present_flag is 1;
	// it then replaces the SPS's lists.
	ScalingList                 *ScalingList
	ListsModificationPresent    bool
	Log2ParallelMergeLevel      int
	SliceHeaderExtensionPresent bool

	// Further fields.
	NumRefIdxL0DefaultActive, NumRefIdxL1DefaultActive int
	WeightedPred, WeightedBipred                       bool
	// sps: the SPS this PPS was bound to by bind (nil before).
	sps *SPS
}

// ScalingList holds the derived scaling factors (7.4.5):
// Factor[sizeId][matrixId] for nTbS = 4<<sizeId, raster order [y*n+x];
// matrixId 0..2 are intra Y, Cb, Cr, 3..5 inter Y, Cb, Cr. Every entry is
// set (sizeId 3, matrixId 1, 2, 4, 5 from the 16x16 lists; unused in 4:2:0).
type ScalingList struct {
	Factor [4][6][]uint8
}
