package hevc

// profile_tier_level() (7.3.3),
// vui_parameters() (E.2.1) and hrd_parameters() (E.2.2), read for the few
// fields the decoder reports and skipped otherwise.

// profileTierLevel holds the general fields of profile_tier_level().
type profileTierLevel struct {
	ProfileSpace, ProfileIdc, LevelIdc int
	Tier                               bool
	// Compat: general_profile_compatibility_flag[j], bit j.
	Compat uint32
}

// parseProfileTierLevel reads profile_tier_level(1, maxSubLayersMinus1).
func parseProfileTierLevel(r *bitReader, maxSubLayersMinus1 int) profileTierLevel {
	var p profileTierLevel
	p.ProfileSpace = int(r.u(2))
	p.Tier = r.flag()
	p.ProfileIdc = int(r.u(5))
	for range 32 {
		p.Compat = p.Compat<<1 | r.u(1) // general_profile_compatibility_flag[j]
	}
	// progressive, interlaced, non_packed, frame_only (4 bits), 43 bits of
	// constraint flags, general_inbld_flag / reserved (1 bit).
	r.skip(48)
	p.LevelIdc = int(r.u(8))
	var profilePresent, levelPresent [8]bool
	for i := range maxSubLayersMinus1 {
		profilePresent[i] = r.flag()
		levelPresent[i] = r.flag()
	}
	if maxSubLayersMinus1 > 0 {
		r.skip(2 * (8 - maxSubLayersMinus1)) // reserved_zero_2bits
	}
	for i := range maxSubLayersMinus1 {
		if profilePresent[i] {
			r.skip(88)
		}
		if levelPresent[i] {
			r.skip(8)
		}
	}
	return p
}

// vui holds the fields of vui_parameters() the decoder reports.
type vui struct {
	FullRange                                                 bool
	ColourPrimaries, TransferCharacteristics, MatrixCoeffs    int
	DefaultDisplayWindow                                      bool
	DefDispLeft, DefDispRight, DefDispTop, DefDispBottom      int
	TimingInfo                                                bool
	NumUnitsInTick, TimeScale                                 uint32
	HRDPresent, BitstreamRestriction                          bool
	AspectRatioIdc, SarWidth, SarHeight, VideoFormat          int
	ChromaLocTop, ChromaLocBottom                             int
	FieldSeq, FrameFieldInfo, NeutralChroma, OverscanPresent  bool
	MinSpatialSegmentation, MaxBytesPerPicDenom, MaxBitsPerCU int
}

// parseVUI reads vui_parameters() (E.2.1).
func parseVUI(r *bitReader, maxSubLayersMinus1 int) vui {
	v := vui{ColourPrimaries: 2, TransferCharacteristics: 2, MatrixCoeffs: 2, VideoFormat: 5}
	if r.flag() { // aspect_ratio_info_present_flag
		v.AspectRatioIdc = int(r.u(8))
		if v.AspectRatioIdc == 255 {
			v.SarWidth = int(r.u(16))
			v.SarHeight = int(r.u(16))
		}
	}
	if r.flag() { // overscan_info_present_flag
		v.OverscanPresent = true
		r.skip(1) // overscan_appropriate_flag
	}
	if r.flag() { // video_signal_type_present_flag
		v.VideoFormat = int(r.u(3))
		v.FullRange = r.flag()
		if r.flag() { // colour_description_present_flag
			v.ColourPrimaries = int(r.u(8))
			v.TransferCharacteristics = int(r.u(8))
			v.MatrixCoeffs = int(r.u(8))
		}
	}
	if r.flag() { // chroma_loc_info_present_flag
		v.ChromaLocTop = r.ueIn("chroma_sample_loc_type_top_field", 0, 5)
		v.ChromaLocBottom = r.ueIn("chroma_sample_loc_type_bottom_field", 0, 5)
	}
	v.NeutralChroma = r.flag()
	v.FieldSeq = r.flag()
	v.FrameFieldInfo = r.flag()
	if r.flag() { // default_display_window_flag
		v.DefaultDisplayWindow = true
		v.DefDispLeft = int(r.ue())
		v.DefDispRight = int(r.ue())
		v.DefDispTop = int(r.ue())
		v.DefDispBottom = int(r.ue())
	}
	if r.flag() { // vui_timing_info_present_flag
		v.TimingInfo = true
		v.NumUnitsInTick = r.u(32)
		v.TimeScale = r.u(32)
		if r.flag() { // vui_poc_proportional_to_timing_flag
			r.ue() // vui_num_ticks_poc_diff_one_minus1
		}
		if r.flag() { // vui_hrd_parameters_present_flag
			v.HRDPresent = true
			skipHRD(r, true, maxSubLayersMinus1)
		}
	}
	if r.flag() { // bitstream_restriction_flag
		v.BitstreamRestriction = true
		r.skip(3) // tiles_fixed_structure, motion_vectors_over_pic_boundaries, restricted_ref_pic_lists
		v.MinSpatialSegmentation = r.ueIn("min_spatial_segmentation_idc", 0, 4095)
		v.MaxBytesPerPicDenom = r.ueIn("max_bytes_per_pic_denom", 0, 16)
		v.MaxBitsPerCU = r.ueIn("max_bits_per_min_cu_denom", 0, 16)
		r.ueIn("log2_max_mv_length_horizontal", 0, 16)
		r.ueIn("log2_max_mv_length_vertical", 0, 16)
	}
	return v
}

// skipHRD reads hrd_parameters(commonInfPresent, maxSubLayersMinus1)
// (E.2.2) without keeping anything.
func skipHRD(r *bitReader, commonInfPresent bool, maxSubLayersMinus1 int) {
	nal, vcl, subPic := false, false, false
	if commonInfPresent {
		nal = r.flag()
		vcl = r.flag()
		if nal || vcl {
			subPic = r.flag()
			if subPic {
				r.skip(8 + 5 + 1 + 5) // tick_divisor_minus2, du_cpb_removal_delay_increment_length_minus1, sub_pic_cpb_params_in_pic_timing_sei_flag, dpb_output_delay_du_length_minus1
			}
			r.skip(4 + 4) // bit_rate_scale, cpb_size_scale
			if subPic {
				r.skip(4) // cpb_size_du_scale
			}
			r.skip(5 + 5 + 5) // initial_cpb_removal_delay_length_minus1, au_cpb_removal_delay_length_minus1, dpb_output_delay_length_minus1
		}
	}
	for i := 0; i <= maxSubLayersMinus1 && r.err == nil; i++ {
		fixedGeneral := r.flag()
		fixedWithinCVS := true
		if !fixedGeneral {
			fixedWithinCVS = r.flag()
		}
		lowDelay := false
		if fixedWithinCVS {
			r.ueIn("elemental_duration_in_tc_minus1", 0, 2047)
		} else {
			lowDelay = r.flag()
		}
		cpbCnt := 0
		if !lowDelay {
			cpbCnt = r.ueIn("cpb_cnt_minus1", 0, 31)
		}
		for range btoi(nal) + btoi(vcl) {
			for j := 0; j <= cpbCnt && r.err == nil; j++ {
				r.ue() // bit_rate_value_minus1
				r.ue() // cpb_size_value_minus1
				if subPic {
					r.ue() // cpb_size_du_value_minus1
					r.ue() // bit_rate_du_value_minus1
				}
				r.skip(1) // cbr_flag
			}
		}
	}
}

// btoi converts a bool to 0 or 1.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
