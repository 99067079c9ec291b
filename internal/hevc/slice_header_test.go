package hevc

import (
	"errors"
	"testing"
)

// escape inserts emulation prevention bytes into an RBSP (7.4.2).
func escape(rbsp []byte) []byte {
	var out []byte
	zeros := 0
	for _, b := range rbsp {
		if zeros >= 2 && b <= 3 {
			out = append(out, 3)
			zeros = 0
		}
		out = append(out, b)
		if b == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

// sliceFixture is a 4:2:0 64x48 SPS (CTB 16: 4x3 CTBs) and a PPS with
// WPP, deblocking override and slice chroma QP offsets.
func sliceFixture(t *testing.T, mod func(*spsSpec, *ppsSpec)) *paramSets {
	t.Helper()
	ss := testSPS()
	ss.chroma = 1
	ps := ppsSpec{wpp: true, deblock: &[4]int64{1, 0, 2, -2}, chromaSlice: true, initQpMinus26: 4}
	if mod != nil {
		mod(&ss, &ps)
	}
	sps, err := parseSPS(writeSPS(ss))
	if err != nil {
		t.Fatal(err)
	}
	pps, err := parsePPS(writePPS(ps))
	if err != nil {
		t.Fatal(err)
	}
	var sets paramSets
	sets.sps[sps.ID] = sps
	sets.pps[pps.ID] = pps
	return &sets
}

// byteAlign writes byte_alignment().
func (w *bitWriter) byteAlign() *bitWriter {
	w.u(1, 1)
	for w.nbit&7 != 0 {
		w.u(1, 0)
	}
	return w
}

// parseTestSlice parses a slice NAL unit whose RBSP is rbsp (escaped here).
func parseTestSlice(typ int, rbsp []byte, ps *paramSets, active *PPS) (*sliceHeader, error) {
	nal := nalUnit{typ: typ, temporalID: 0, payload: escape(rbsp)}
	un, removed := unescape(nal.payload)
	h, _, err := parseSliceHeader(nal, un, removed, ps, active)
	return h, err
}

func TestSliceHeaderIDR(t *testing.T) {
	ps := sliceFixture(t, nil)
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0) // first_slice_segment_in_pic_flag, no_output_of_prior_pics_flag, pps id
	w.ue(2)                 // slice_type I
	w.u(1, 1).u(1, 0)       // sao luma, chroma
	w.se(-3)                // slice_qp_delta
	w.se(2).se(-1)          // slice cb/cr qp offsets
	w.u(1, 1).u(1, 0).se(-1).se(3)
	w.u(1, 0) // slice_loop_filter_across_slices_enabled_flag
	w.ue(0)   // num_entry_point_offsets
	w.byteAlign()
	w.u(8, 0xab) // slice data
	h, err := parseTestSlice(nalIDRWRADL, w.buf, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !h.FirstSliceInPic || h.SliceType != sliceI || !h.SAOLuma || h.SAOChroma || h.QpY != 27 ||
		h.CbQpOffset != 2 || h.CrQpOffset != -1 || !h.DeblockingOverride || h.DeblockingDisabled ||
		h.BetaOffsetDiv2 != -1 || h.TcOffsetDiv2 != 3 || h.LoopFilterAcrossSlices || len(h.EntryPoints) != 0 {
		t.Errorf("header %+v", h)
	}
	if h.DataOffset != len(w.buf)-1 {
		t.Errorf("DataOffset = %d, want %d", h.DataOffset, len(w.buf)-1)
	}
}

func TestSliceHeaderInheritance(t *testing.T) {
	// No override flag: deblocking values come from the PPS; no SAO and
	// deblocking disabled: slice_loop_filter_across_slices_enabled_flag is
	// absent and inherited.
	ps := sliceFixture(t, func(_ *spsSpec, p *ppsSpec) {
		p.deblock = &[4]int64{0, 1, 0, 0}
		p.chromaSlice = false
		p.wpp = false
	})
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 0).u(1, 0).se(0)
	w.byteAlign()
	w.u(8, 0x80)
	h, err := parseTestSlice(nalIDRNLP, w.buf, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !h.DeblockingDisabled || h.DeblockingOverride || !h.LoopFilterAcrossSlices || h.QpY != 30 {
		t.Errorf("header %+v", h)
	}
}

func TestSliceHeaderCRA(t *testing.T) {
	ps := sliceFixture(t, func(s *spsSpec, _ *ppsSpec) {
		s.numStRPS = 1
		s.stRPS = func(w *bitWriter) { w.ue(1).ue(0).ue(0).u(1, 1) } // {-1}
		s.longTerm = true
		s.ltPocs = []uint64{3, 7, 11}
		s.temporalMVP = true
	})
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0).ue(2)
	w.u(8, 17)                  // slice_pic_order_cnt_lsb (8 bits)
	w.u(1, 0)                   // short_term_ref_pic_set_sps_flag: explicit set (index 1, predicted from 0)
	w.u(1, 1)                   // inter_ref_pic_set_prediction_flag
	w.ue(0)                     // delta_idx_minus1
	w.u(1, 1).ue(1)             // delta_rps_sign, abs_delta_rps_minus1: deltaRps = -2
	w.u(1, 1).u(1, 1)           // used flags for j = 0 (-1-2 = -3) and j = 1 (deltaRps)
	w.ue(1)                     // num_long_term_sps
	w.ue(1)                     // num_long_term_pics
	w.u(2, 2)                   // lt_idx_sps (Ceil(Log2(3)) = 2 bits)
	w.u(1, 1).ue(4)             // delta_poc_msb_present_flag, delta_poc_msb_cycle_lt
	w.u(8, 200).u(1, 0).u(1, 0) // poc_lsb_lt, used_by_curr_pic_lt_flag, delta_poc_msb_present_flag
	w.u(1, 1)                   // slice_temporal_mvp_enabled_flag
	w.u(1, 1).u(1, 1).se(0).se(0).se(0).u(1, 0).u(1, 1).ue(0)
	w.byteAlign()
	w.u(8, 0x80)
	h, err := parseTestSlice(nalCRA, w.buf, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.POCLsb != 17 || h.ShortTermRefPicSetSPS || h.StRPS.NumNegative != 2 || h.StRPS.DeltaPocS0[0] != -2 ||
		h.StRPS.DeltaPocS0[1] != -3 || h.NumLongTermSPS != 1 || h.NumLongTermPics != 1 || !h.TemporalMVP {
		t.Errorf("header %+v", h)
	}
	if h.DataOffset != len(w.buf)-1 {
		t.Errorf("DataOffset = %d, want %d", h.DataOffset, len(w.buf)-1)
	}
}

func TestSliceHeaderEntryPoints(t *testing.T) {
	ps := sliceFixture(t, nil)
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 1).u(1, 1).se(0).se(0).se(0).u(1, 0).u(1, 1)
	// num_entry_point_offsets 2, offset_len_minus1 7 (8 bits), escaped
	// substream sizes 4 and 3: substream 0 (00 00 01 07) holds an emulation
	// prevention byte, substream 1 (00 00 02) one too.
	w.ue(2).ue(7).u(8, 4).u(8, 3)
	w.u(1, 1)
	for w.nbit&7 != 0 {
		w.u(1, 0)
	}
	headerLen := len(w.buf)
	data := []byte{0, 0, 1, 7 /* sub 1 */, 0, 0, 2 /* sub 2 */, 9, 9}
	rbsp := append(w.buf, data...)
	esc := escape(rbsp)
	if len(esc) != len(rbsp)+2 {
		t.Fatalf("escape added %d bytes", len(esc)-len(rbsp))
	}
	nal := nalUnit{typ: nalIDRWRADL, payload: esc}
	un, removed := unescape(esc)
	h, _, err := parseSliceHeader(nal, un, removed, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.DataOffset != headerLen {
		t.Fatalf("DataOffset = %d, want %d", h.DataOffset, headerLen)
	}
	want := []int{headerLen + 4, headerLen + 7}
	if len(h.EntryPoints) != 2 || h.EntryPoints[0] != want[0] || h.EntryPoints[1] != want[1] {
		t.Fatalf("EntryPoints = %v, want %v", h.EntryPoints, want)
	}
	if un[h.EntryPoints[0]] != 0 || un[h.EntryPoints[1]] != 9 {
		t.Errorf("substreams start at bytes %d, %d", un[h.EntryPoints[0]], un[h.EntryPoints[1]])
	}
}

func TestSliceHeaderErrors(t *testing.T) {
	// common writes the fields after slice_type for the fixture's PPS.
	common := func(w *bitWriter) { w.u(1, 1).u(1, 1).se(0).se(0).se(0).u(1, 0).u(1, 1) }
	align := func(w *bitWriter) []byte {
		w.u(1, 1)
		for w.nbit&7 != 0 {
			w.u(1, 0)
		}
		return append(w.buf, 0x80, 0x55)
	}
	tests := []struct {
		name   string
		typ    int
		write  func(w *bitWriter) []byte
		active bool
		mod    func(*spsSpec, *ppsSpec)
		want   error
	}{
		{"missing PPS", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 1).u(1, 0).ue(5).ue(2); common(w); w.ue(0); return align(w) }, false, nil, ErrCorrupt},
		{"P slice", nalTrailN, func(w *bitWriter) []byte { w.u(1, 1).ue(0).ue(1); return align(w) }, false, nil, ErrUnsupported},
		{"slice type 3", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 1).u(1, 0).ue(0).ue(3); return align(w) }, false, nil, ErrCorrupt},
		{"address 0 when not first", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 0).u(1, 0).ue(0).u(4, 0).ue(2); return align(w) }, true, nil, ErrCorrupt},
		{"address beyond picture", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 0).u(1, 0).ue(0).u(4, 12).ue(2); return align(w) }, true, nil, ErrCorrupt},
		{"dependent slice segment", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 0).u(1, 0).ue(0).u(1, 1).u(4, 4); return align(w) }, true,
			func(_ *spsSpec, p *ppsSpec) { p.dependentSlices = true }, ErrUnsupported},
		{"qp delta too large", nalIDRWRADL, func(w *bitWriter) []byte { w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 1).u(1, 1).se(22); return align(w) }, false, nil, ErrCorrupt},
		{"chroma offsets sum", nalIDRWRADL, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 1).u(1, 1).se(0).se(12).se(0)
			return align(w)
		}, false, func(_ *spsSpec, p *ppsSpec) { p.cbOff = 1 }, ErrCorrupt},
		{"too many entry points", nalIDRWRADL, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2)
			common(w)
			w.ue(3).ue(0).u(1, 0).u(1, 0).u(1, 0)
			return align(w)
		}, false, nil, ErrCorrupt},
		{"entry point beyond NAL", nalIDRWRADL, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2)
			common(w)
			w.ue(1).ue(7).u(8, 200)
			return align(w)
		}, false, nil, ErrCorrupt},
		{"no slice data", nalIDRWRADL, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2)
			common(w)
			w.ue(0).u(1, 1)
			for w.nbit&7 != 0 {
				w.u(1, 0)
			}
			return w.buf
		}, false, nil, ErrCorrupt},
		{"header extension beyond NAL", nalIDRWRADL, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2)
			common(w)
			w.ue(0).ue(200)
			return align(w)
		}, false, func(_ *spsSpec, p *ppsSpec) { p.sliceHeaderExt = true }, ErrCorrupt},
		{"sps flag without SPS sets", nalCRA, func(w *bitWriter) []byte {
			w.u(1, 1).u(1, 0).ue(0).ue(2).u(8, 1).u(1, 1)
			return align(w)
		}, false, nil, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := sliceFixture(t, tt.mod)
			var active *PPS
			if tt.active {
				active = ps.pps[0]
				if err := active.bind(ps.sps[0]); err != nil {
					t.Fatal(err)
				}
			}
			_, err := parseTestSlice(tt.typ, tt.write(new(bitWriter)), ps, active)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSliceHeaderTruncated(t *testing.T) {
	ps := sliceFixture(t, nil)
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 1).u(1, 1).se(0).se(0).se(0).u(1, 0).u(1, 1)
	w.ue(1).ue(7).u(8, 1).u(1, 1)
	for w.nbit&7 != 0 {
		w.u(1, 0)
	}
	full := append(w.buf, 1, 2, 3)
	if _, err := parseTestSlice(nalIDRWRADL, full, ps, nil); err != nil {
		t.Fatal(err)
	}
	for n := range len(full) - 2 {
		if _, err := parseTestSlice(nalIDRWRADL, full[:n], ps, nil); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%d bytes: err = %v", n, err)
		}
	}
}

// TestSliceHeaderEntryPointOnTrailingEscape is a fuzzer find: the last
// entry point lands on a trailing emulation prevention byte (00 00 03 at
// the end of the NAL unit), one past the end of the RBSP.
func TestSliceHeaderEntryPointOnTrailingEscape(t *testing.T) {
	ps := sliceFixture(t, nil)
	w := new(bitWriter)
	w.u(1, 1).u(1, 0).ue(0).ue(2).u(1, 1).u(1, 1).se(0).se(0).se(0).u(1, 0).u(1, 1)
	w.ue(1).ue(7).u(8, 2) // one entry point, 3 escaped bytes after the data start
	w.byteAlign()
	esc := append(w.buf, 7, 0, 0, 3)
	nal := nalUnit{typ: nalIDRWRADL, payload: esc}
	un, removed := unescape(esc)
	if _, _, err := parseSliceHeader(nal, un, removed, ps, nil); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}
