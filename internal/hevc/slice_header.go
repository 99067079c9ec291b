package hevc

// slice_segment_header() (7.3.6.1)
// for I slices.

// Slice types (Table 7-7).
const (
	sliceB = 0
	sliceP = 1
	sliceI = 2
)

// sliceHeader is a parsed slice segment header (I slices only).
type sliceHeader struct {
	FirstSliceInPic, NoOutputOfPriorPics, DependentSliceSegment bool
	PPSID, SegmentAddress                                       int
	SliceType                                                   int
	SAOLuma, SAOChroma                                          bool
	// QpY: SliceQpY = 26 + init_qp_minus26 + slice_qp_delta.
	QpY        int
	CbQpOffset int // slice_cb_qp_offset (0 when absent)
	CrQpOffset int // slice_cr_qp_offset (0 when absent)
	// DeblockingDisabled, BetaOffsetDiv2, TcOffsetDiv2: slice values after
	// inheritance from the PPS / override.
	DeblockingDisabled           bool
	BetaOffsetDiv2, TcOffsetDiv2 int
	// LoopFilterAcrossSlices: slice_loop_filter_across_slices_enabled_flag
	// (the PPS's value when absent).
	LoopFilterAcrossSlices bool
	// EntryPoints: absolute offsets in the slice NAL's RBSP (emulation
	// prevention removed, NAL header excluded) where substreams 1..n start.
	EntryPoints []int
	// DataOffset: offset in the RBSP of slice_segment_data().
	DataOffset int

	// Further fields.
	NalType      int
	PicOutput    bool // pic_output_flag (1 when absent)
	POCLsb       int  // slice_pic_order_cnt_lsb (0 for IDR)
	SliceQpDelta int
	// ShortTermRefPicSetSPS, ShortTermRefPicSetIdx: which SPS RPS is used
	// (non-IDR); StRPS is the set in effect (parsed or from the SPS).
	ShortTermRefPicSetSPS bool
	ShortTermRefPicSetIdx int
	StRPS                 stRPS
	NumLongTermSPS        int
	NumLongTermPics       int
	TemporalMVP           bool
	DeblockingOverride    bool
	// OffsetLen: offset_len_minus1 + 1; EntryPointOffsets: the coded
	// entry_point_offset_minus1[i] + 1 (bytes of the escaped data).
	OffsetLen         int
	EntryPointOffsets []int
	// HeaderExtensionLength: slice_segment_header_extension_length.
	HeaderExtensionLength int
}

// paramSets holds the parameter sets seen so far, by id.
type paramSets struct {
	sps [maxSPSCount]*SPS
	pps [maxPPSCount]*PPS
}

// parseSliceHeader parses slice_segment_header() of a slice NAL unit.
// rbsp is nal.payload with emulation prevention removed (removed: the
// positions of the removed bytes in nal.payload). active is the PPS of the
// picture being decoded (nil for its first slice segment); the returned
// PPS is the one the header refers to, bound to its SPS.
func parseSliceHeader(nal nalUnit, rbsp []byte, removed []int, ps *paramSets, active *PPS) (*sliceHeader, *PPS, error) {
	r := newBitReader(rbsp)
	h := &sliceHeader{NalType: nal.typ, PicOutput: true}
	h.FirstSliceInPic = r.flag()
	if nal.typ >= nalBLAWLP && nal.typ <= nalRsvIRAP23 {
		h.NoOutputOfPriorPics = r.flag()
	}
	h.PPSID = r.ueIn("slice_pic_parameter_set_id", 0, maxPPSCount-1)
	if r.err != nil {
		return nil, nil, r.err
	}
	pps := active
	if pps == nil {
		pps = ps.pps[h.PPSID]
		if pps == nil {
			return nil, nil, corruptf("slice refers to missing PPS %d", h.PPSID)
		}
		if ps.sps[pps.SPSID] == nil {
			return nil, nil, corruptf("PPS %d refers to missing SPS %d", pps.ID, pps.SPSID)
		}
		if err := pps.bind(ps.sps[pps.SPSID]); err != nil {
			return nil, nil, err
		}
	} else if pps.ID != h.PPSID {
		return nil, nil, corruptf("slice PPS %d differs from the picture's PPS %d", h.PPSID, pps.ID)
	}
	sps := ps.sps[pps.SPSID]
	if active != nil {
		// The picture's SPS is the one bound at its first slice; the
		// table entry may have been replaced since.
		sps = activeSPS(active, ps)
	}
	if !h.FirstSliceInPic {
		if pps.DependentSliceSegmentsEnabled {
			h.DependentSliceSegment = r.flag()
		}
		h.SegmentAddress = int(r.u(ceilLog2(sps.PicSizeInCtbs)))
		if r.err == nil && (h.SegmentAddress == 0 || h.SegmentAddress >= sps.PicSizeInCtbs) {
			return nil, nil, corruptf("slice_segment_address %d outside 1..%d", h.SegmentAddress, sps.PicSizeInCtbs-1)
		}
	}
	if h.DependentSliceSegment {
		return nil, nil, unsupportedf("dependent slice segments")
	}
	r.skip(pps.NumExtraSliceHeaderBits) // slice_reserved_flag
	h.SliceType = r.ueIn("slice_type", 0, 2)
	if r.err != nil {
		return nil, nil, r.err
	}
	if h.SliceType != sliceI {
		return nil, nil, unsupportedf("slice_type %d (P/B slices)", h.SliceType)
	}
	if pps.OutputFlagPresent {
		h.PicOutput = r.flag()
	}
	if sps.SeparateColourPlane {
		r.skip(2) // colour_plane_id
	}
	if nal.typ != nalIDRWRADL && nal.typ != nalIDRNLP {
		h.POCLsb = int(r.u(sps.Log2MaxPocLsb))
		h.ShortTermRefPicSetSPS = r.flag()
		if !h.ShortTermRefPicSetSPS {
			h.StRPS = parseStRPS(r, sps.NumShortTermRefPicSets, sps.NumShortTermRefPicSets,
				sps.ShortTermRefPicSets, sps.MaxDecPicBufferingMinus1)
		} else {
			if sps.NumShortTermRefPicSets == 0 {
				return nil, nil, corruptf("short_term_ref_pic_set_sps_flag with no SPS sets")
			}
			if sps.NumShortTermRefPicSets > 1 {
				h.ShortTermRefPicSetIdx = int(r.u(ceilLog2(sps.NumShortTermRefPicSets)))
			}
			if h.ShortTermRefPicSetIdx >= sps.NumShortTermRefPicSets {
				return nil, nil, corruptf("short_term_ref_pic_set_idx %d", h.ShortTermRefPicSetIdx)
			}
			h.StRPS = sps.ShortTermRefPicSets[h.ShortTermRefPicSetIdx]
		}
		if sps.LongTermRefPicsPresent {
			if sps.NumLongTermRefPicsSPS > 0 {
				h.NumLongTermSPS = r.ueIn("num_long_term_sps", 0, sps.NumLongTermRefPicsSPS)
			}
			h.NumLongTermPics = r.ueIn("num_long_term_pics", 0, maxDPB-h.NumLongTermSPS)
			for i := 0; i < h.NumLongTermSPS+h.NumLongTermPics && r.err == nil; i++ {
				if i < h.NumLongTermSPS {
					if sps.NumLongTermRefPicsSPS > 1 {
						r.skip(ceilLog2(sps.NumLongTermRefPicsSPS)) // lt_idx_sps
					}
				} else {
					r.skip(sps.Log2MaxPocLsb + 1) // poc_lsb_lt, used_by_curr_pic_lt_flag
				}
				if r.flag() { // delta_poc_msb_present_flag
					r.ue() // delta_poc_msb_cycle_lt
				}
			}
		}
		if sps.TemporalMVPEnabled {
			h.TemporalMVP = r.flag()
		}
	}
	if sps.SAOEnabled {
		h.SAOLuma = r.flag()
		if sps.ChromaFormatIdc != 0 {
			h.SAOChroma = r.flag()
		}
	}
	qpBdOffset := 6 * (sps.BitDepthY - 8)
	h.SliceQpDelta = r.seIn("slice_qp_delta", -(pps.InitQp + qpBdOffset), 51-pps.InitQp)
	h.QpY = pps.InitQp + h.SliceQpDelta
	if pps.SliceChromaQpOffsetsPresent {
		h.CbQpOffset = r.seIn("slice_cb_qp_offset", -12, 12)
		h.CrQpOffset = r.seIn("slice_cr_qp_offset", -12, 12)
		if r.err == nil && (pps.CbQpOffset+h.CbQpOffset < -12 || pps.CbQpOffset+h.CbQpOffset > 12 ||
			pps.CrQpOffset+h.CrQpOffset < -12 || pps.CrQpOffset+h.CrQpOffset > 12) {
			return nil, nil, corruptf("pps + slice chroma QP offset outside [-12, 12]")
		}
	}
	if pps.DeblockingOverrideEnabled {
		h.DeblockingOverride = r.flag()
	}
	h.DeblockingDisabled = pps.PPSDeblockingDisabled
	h.BetaOffsetDiv2, h.TcOffsetDiv2 = pps.BetaOffsetDiv2, pps.TcOffsetDiv2
	if h.DeblockingOverride {
		h.DeblockingDisabled = r.flag()
		if !h.DeblockingDisabled {
			h.BetaOffsetDiv2 = r.seIn("slice_beta_offset_div2", -6, 6)
			h.TcOffsetDiv2 = r.seIn("slice_tc_offset_div2", -6, 6)
		}
	}
	h.LoopFilterAcrossSlices = pps.LoopFilterAcrossSlices
	if pps.LoopFilterAcrossSlices && (h.SAOLuma || h.SAOChroma || !h.DeblockingDisabled) {
		h.LoopFilterAcrossSlices = r.flag()
	}
	if pps.TilesEnabled || pps.EntropyCodingSync {
		// With WPP only, a segment has at most one substream per CTB row.
		n := r.ueIn("num_entry_point_offsets", 0, sps.PicHeightInCtbs-1)
		if n > 0 {
			h.OffsetLen = r.ueIn("offset_len_minus1", 0, 31) + 1
			if r.err != nil {
				return nil, nil, r.err
			}
			// Each offset is at least one byte of this NAL unit.
			if n > len(rbsp) {
				return nil, nil, corruptf("%d entry points in a %d-byte NAL unit", n, len(rbsp))
			}
			h.EntryPointOffsets = make([]int, n)
			for i := range h.EntryPointOffsets {
				h.EntryPointOffsets[i] = int(r.u(h.OffsetLen)) + 1
			}
		}
	}
	if pps.SliceHeaderExtensionPresent {
		h.HeaderExtensionLength = r.ueIn("slice_segment_header_extension_length", 0, 256)
		r.skip(8 * h.HeaderExtensionLength)
	}
	r.byteAlignment()
	if r.err != nil {
		return nil, nil, r.err
	}
	h.DataOffset = r.pos >> 3
	if h.DataOffset >= len(rbsp) {
		return nil, nil, corruptf("slice segment without data")
	}
	if err := h.convertEntryPoints(len(nal.payload), len(rbsp), removed); err != nil {
		return nil, nil, err
	}
	return h, pps, nil
}

// convertEntryPoints turns the entry point offsets, counted in bytes of
// the escaped slice segment data (7.4.7.1), into absolute RBSP offsets of
// the substream starts. payloadLen and rbspLen are the lengths of the
// escaped payload and of the RBSP.
func (h *sliceHeader) convertEntryPoints(payloadLen, rbspLen int, removed []int) error {
	if len(h.EntryPointOffsets) == 0 {
		return nil
	}
	h.EntryPoints = make([]int, len(h.EntryPointOffsets))
	pos := escapedOffset(h.DataOffset, removed)
	prev := h.DataOffset
	for i, off := range h.EntryPointOffsets {
		pos += off
		if pos >= payloadLen {
			return corruptf("entry point %d at byte %d beyond the %d-byte slice NAL unit", i+1, pos, payloadLen)
		}
		rp := rbspOffset(pos, removed)
		if rp >= rbspLen {
			// pos is a trailing emulation prevention byte.
			return corruptf("entry point %d at the end of the slice NAL unit", i+1)
		}
		if rp <= prev {
			return corruptf("empty substream before entry point %d", i+1)
		}
		h.EntryPoints[i] = rp
		prev = rp
	}
	return nil
}

// activeSPS returns the SPS the active PPS was bound to.
func activeSPS(p *PPS, ps *paramSets) *SPS {
	if p.sps != nil {
		return p.sps
	}
	return ps.sps[p.SPSID]
}

// ceilLog2 returns Ceil(Log2(n)) for n >= 1 (0 for n <= 1).
func ceilLog2(n int) int {
	b := 0
	for 1<<b < n {
		b++
	}
	return b
}
