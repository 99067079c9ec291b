package hevc

import (
	"errors"
	"testing"
)

// spsSpec describes an SPS for writeSPS; the zero value of a field means
// what testSPS sets (a 64x48 4:2:0 8-bit Main picture, CTB 16).
type spsSpec struct {
	profileIdc                   int
	maxSubLayersMinus1           int
	id, chroma                   uint64
	width, height                uint64
	confWin                      *[4]uint64
	bitDepthY, bitDepthC         uint64 // minus 8
	log2MinCbMinus3, diffCb      uint64
	log2MinTbMinus2, diffTb      uint64
	depthInter, depthIntra       uint64
	scalingEnabled               bool
	scalingData                  func(w *bitWriter) // nil: no sps_scaling_list_data
	pcm                          *[5]uint64         // bit depths minus1, log2 min minus3, diff, loop filter disabled
	numStRPS                     uint64
	stRPS                        func(w *bitWriter)
	longTerm                     bool
	ltPocs                       []uint64
	vui                          func(w *bitWriter)
	ext                          *[5]uint64 // range, multilayer, 3d, scc, 4bits
	rangeExtBits                 uint64
	log2MaxPocLsbMinus4          uint64
	temporalMVP, strongSmoothing bool
}

func testSPS() spsSpec {
	return spsSpec{profileIdc: 1, width: 64, height: 48, log2MinCbMinus3: 0, diffCb: 1,
		log2MinTbMinus2: 0, diffTb: 2, depthIntra: 1, log2MaxPocLsbMinus4: 4}
}

func writeSPS(s spsSpec) []byte {
	w := new(bitWriter)
	w.u(4, 0).u(3, uint64(s.maxSubLayersMinus1)).u(1, 1)
	// profile_tier_level
	w.u(2, 0).u(1, 0).u(5, uint64(s.profileIdc)).u(32, 1<<(31-uint(s.profileIdc))).u(48, 0).u(8, 93)
	for range s.maxSubLayersMinus1 {
		w.u(1, 1).u(1, 1)
	}
	if s.maxSubLayersMinus1 > 0 {
		w.u(2*(8-s.maxSubLayersMinus1), 0)
	}
	for range s.maxSubLayersMinus1 {
		w.u(88, 0).u(8, 90)
	}
	w.ue(s.id).ue(s.chroma)
	if s.chroma == 3 {
		w.u(1, 0)
	}
	w.ue(s.width).ue(s.height)
	w.flag(s.confWin != nil)
	if s.confWin != nil {
		for _, v := range s.confWin {
			w.ue(v)
		}
	}
	w.ue(s.bitDepthY).ue(s.bitDepthC).ue(s.log2MaxPocLsbMinus4)
	w.u(1, 1) // sps_sub_layer_ordering_info_present_flag
	for range s.maxSubLayersMinus1 + 1 {
		w.ue(4).ue(0).ue(0)
	}
	w.ue(s.log2MinCbMinus3).ue(s.diffCb).ue(s.log2MinTbMinus2).ue(s.diffTb).ue(s.depthInter).ue(s.depthIntra)
	w.flag(s.scalingEnabled)
	if s.scalingEnabled {
		w.flag(s.scalingData != nil)
		if s.scalingData != nil {
			s.scalingData(w)
		}
	}
	w.u(1, 0).u(1, 1) // amp, sao
	w.flag(s.pcm != nil)
	if s.pcm != nil {
		w.u(4, s.pcm[0]).u(4, s.pcm[1]).ue(s.pcm[2]).ue(s.pcm[3]).u(1, s.pcm[4])
	}
	w.ue(s.numStRPS)
	if s.stRPS != nil {
		s.stRPS(w)
	}
	w.flag(s.longTerm)
	if s.longTerm {
		w.ue(uint64(len(s.ltPocs)))
		for _, p := range s.ltPocs {
			w.u(int(s.log2MaxPocLsbMinus4)+4, p).u(1, 1)
		}
	}
	w.flag(s.temporalMVP).flag(s.strongSmoothing)
	w.flag(s.vui != nil)
	if s.vui != nil {
		s.vui(w)
	}
	w.flag(s.ext != nil)
	if s.ext != nil {
		for i, v := range s.ext {
			if i == 4 {
				w.u(4, v)
			} else {
				w.u(1, v)
			}
		}
		if s.ext[0] == 1 {
			w.u(9, s.rangeExtBits)
		}
	}
	return w.trailing()
}

func TestParseSPSValid(t *testing.T) {
	s, err := parseSPS(writeSPS(testSPS()))
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 64 || s.Height != 48 || s.CtbSize != 16 || s.MinCbSize != 8 || s.PicWidthInCtbs != 4 ||
		s.PicHeightInCtbs != 3 || s.Log2MinTbSize != 2 || s.Log2MaxTbSize != 4 || s.MaxTrHierarchyDepthIntra != 1 ||
		s.ChromaFormatIdc != 0 || s.BitDepthY != 8 || s.Log2MaxPocLsb != 8 || !s.SAOEnabled || s.ScalingList != nil {
		t.Errorf("unexpected SPS %+v", s)
	}
	if s.FullRange || s.MatrixCoefficients != 2 || s.ColourPrimaries != 2 || s.TransferCharacteristics != 2 {
		t.Errorf("VUI defaults: %+v", s.VUI)
	}
	if err := s.checkSupported(); err != nil {
		t.Error(err)
	}
}

func TestParseSPSFields(t *testing.T) {
	spec := testSPS()
	spec.chroma = 1
	spec.width, spec.height = 200, 136
	spec.confWin = &[4]uint64{1, 3, 0, 2}
	spec.maxSubLayersMinus1 = 2
	spec.pcm = &[5]uint64{7, 7, 0, 1, 1}
	spec.longTerm = true
	spec.ltPocs = []uint64{5, 9}
	spec.temporalMVP, spec.strongSmoothing = true, true
	spec.vui = func(w *bitWriter) {
		w.u(1, 1).u(8, 255).u(16, 4).u(16, 3) // aspect ratio, SAR 4:3
		w.u(1, 0)                             // overscan
		w.u(1, 1).u(3, 5).u(1, 1).u(1, 1).u(8, 1).u(8, 13).u(8, 6)
		w.u(1, 1).ue(1).ue(1) // chroma loc
		w.u(1, 0).u(1, 0).u(1, 0)
		w.u(1, 1).ue(1).ue(2).ue(3).ue(4) // default display window
		w.u(1, 1).u(32, 1).u(32, 25).u(1, 1).ue(0)
		w.u(1, 1) // hrd_parameters(1, 2)
		w.u(1, 1).u(1, 1).u(1, 1).u(8, 0).u(5, 0).u(1, 0).u(5, 0).u(4, 0).u(4, 0).u(4, 0).u(5, 0).u(5, 0).u(5, 0)
		// sub-layer 0: fixed general; cpb_cnt 1; nal + vcl with sub_pic: 2 x 2 x (4 ue + flag)
		w.u(1, 1).ue(0).ue(1)
		for range 4 {
			w.ue(10).ue(20).ue(30).ue(40).u(1, 1)
		}
		// sub-layer 1: not fixed general, not fixed within cvs, low delay
		// (cpb_cnt_minus1 inferred 0): nal + vcl, one CPB each
		w.u(1, 0).u(1, 0).u(1, 1)
		for range 2 {
			w.ue(1).ue(2).ue(3).ue(4).u(1, 0)
		}
		// sub-layer 2: not fixed general, fixed within cvs (no
		// low_delay_hrd_flag), cpb_cnt_minus1 0
		w.u(1, 0).u(1, 1).ue(3).ue(0)
		for range 2 {
			w.ue(1).ue(2).ue(3).ue(4).u(1, 0)
		}
		w.u(1, 1).u(3, 0).ue(0).ue(2).ue(1).ue(15).ue(15) // bitstream restriction
	}
	spec.ext = &[5]uint64{1, 0, 0, 0, 0}
	s, err := parseSPS(writeSPS(spec))
	if err != nil {
		t.Fatal(err)
	}
	if s.ConfWinLeft != 2 || s.ConfWinRight != 6 || s.ConfWinTop != 0 || s.ConfWinBottom != 4 {
		t.Errorf("conformance window %d %d %d %d", s.ConfWinLeft, s.ConfWinRight, s.ConfWinTop, s.ConfWinBottom)
	}
	if !s.PCMEnabled || s.PCMBitDepthY != 8 || s.Log2MinPCMCbSize != 3 || s.Log2MaxPCMCbSize != 4 || !s.PCMLoopFilterDisabled {
		t.Errorf("PCM %+v", s)
	}
	if s.NumLongTermRefPicsSPS != 2 || s.LtRefPicPocLsbSPS[1] != 9 || !s.TemporalMVPEnabled || !s.StrongIntraSmoothing {
		t.Errorf("long term / flags %+v", s)
	}
	v := s.VUI
	if !s.FullRange || s.ColourPrimaries != 1 || s.TransferCharacteristics != 13 || s.MatrixCoefficients != 6 ||
		v.SarWidth != 4 || v.SarHeight != 3 || v.DefDispBottom != 4 || v.TimeScale != 25 || !v.HRDPresent ||
		!v.BitstreamRestriction || v.MaxBitsPerCU != 1 {
		t.Errorf("VUI %+v", v)
	}
	if s.PicWidthInCtbs != 13 || s.PicHeightInCtbs != 9 || s.PicSizeInCtbs != 117 {
		t.Errorf("CTBs %dx%d", s.PicWidthInCtbs, s.PicHeightInCtbs)
	}
}

func TestParseSPSErrors(t *testing.T) {
	tests := []struct {
		name string
		mod  func(s *spsSpec)
		want error
	}{
		{"width 0", func(s *spsSpec) { s.width = 0 }, ErrCorrupt},
		{"width not multiple of MinCb", func(s *spsSpec) { s.width = 60 }, ErrCorrupt},
		{"huge width", func(s *spsSpec) { s.width = 1 << 20 }, ErrTooLarge},
		{"sps id 16", func(s *spsSpec) { s.id = 16 }, ErrCorrupt},
		{"chroma 4", func(s *spsSpec) { s.chroma = 4 }, ErrCorrupt},
		{"bit depth 17", func(s *spsSpec) { s.bitDepthY = 9 }, ErrCorrupt},
		{"poc lsb 17 bits", func(s *spsSpec) { s.log2MaxPocLsbMinus4 = 13 }, ErrCorrupt},
		{"ctb 128", func(s *spsSpec) { s.log2MinCbMinus3 = 1; s.diffCb = 3 }, ErrCorrupt},
		{"min tb = min cb", func(s *spsSpec) { s.log2MinTbMinus2 = 1; s.diffTb = 0 }, ErrCorrupt},
		{"max tb above ctb", func(s *spsSpec) { s.diffTb = 3 }, ErrCorrupt},
		{"intra depth too deep", func(s *spsSpec) { s.depthIntra = 3 }, ErrCorrupt},
		{"pcm depth above bit depth", func(s *spsSpec) { s.pcm = &[5]uint64{8, 7, 0, 0, 0} }, ErrCorrupt},
		{"pcm size above ctb", func(s *spsSpec) { s.pcm = &[5]uint64{7, 7, 1, 1, 0} }, ErrCorrupt},
		{"65 rps", func(s *spsSpec) { s.numStRPS = 65 }, ErrCorrupt},
		{"rps over dpb", func(s *spsSpec) {
			s.numStRPS = 1
			s.stRPS = func(w *bitWriter) { w.ue(3).ue(2) }
		}, ErrCorrupt},
		{"33 long-term", func(s *spsSpec) { s.longTerm = true; s.ltPocs = make([]uint64, 33) }, ErrCorrupt},
		{"range extension tool", func(s *spsSpec) { s.ext = &[5]uint64{1, 0, 0, 0, 0}; s.rangeExtBits = 1 << 3 }, ErrUnsupported},
		{"multilayer extension", func(s *spsSpec) { s.ext = &[5]uint64{0, 1, 0, 0, 0} }, ErrUnsupported},
		{"scc extension", func(s *spsSpec) { s.ext = &[5]uint64{0, 0, 0, 1, 0} }, ErrUnsupported},
		{"conformance window too big", func(s *spsSpec) { s.confWin = &[4]uint64{32, 32, 0, 0} }, ErrCorrupt},
		// 2^32-2 is a negative int on 32-bit platforms.
		{"conformance window offset 2^32-2", func(s *spsSpec) { s.confWin = &[4]uint64{1<<32 - 2, 0, 0, 0} }, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSPS()
			tt.mod(&spec)
			_, err := parseSPS(writeSPS(spec))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSPSCheckSupported(t *testing.T) {
	tests := []struct {
		name string
		mod  func(s *spsSpec)
		ok   bool
	}{
		{"main", func(s *spsSpec) {}, true},
		{"main still picture", func(s *spsSpec) { s.profileIdc = 3 }, true},
		{"main 10 at 8 bits", func(s *spsSpec) { s.profileIdc = 2 }, true},
		{"10 bits", func(s *spsSpec) { s.profileIdc = 2; s.bitDepthY = 2; s.bitDepthC = 2 }, false},
		{"4:2:2", func(s *spsSpec) { s.chroma = 2 }, false},
		{"4:4:4", func(s *spsSpec) { s.chroma = 3 }, false},
		{"profile 9 without compat", func(s *spsSpec) { s.profileIdc = 9 }, false},
		{"ctb 8", func(s *spsSpec) { s.diffCb = 0; s.diffTb = 1; s.depthIntra = 0 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSPS()
			tt.mod(&spec)
			s, err := parseSPS(writeSPS(spec))
			if err != nil {
				t.Fatal(err)
			}
			err = s.checkSupported()
			if tt.ok != (err == nil) || err != nil && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("checkSupported = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestParseSPSTruncated(t *testing.T) {
	spec := testSPS()
	spec.scalingEnabled = true
	full := writeSPS(spec)
	for n := range len(full) - 1 {
		if _, err := parseSPS(full[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%d of %d bytes: err = %v, want ErrCorrupt", n, len(full), err)
		}
	}
}

func TestStRPSInterPrediction(t *testing.T) {
	// Set 0: S0 = {-1 (used), -3 (not used)}, S1 = {+2 (used)}.
	// Set 1 predicted from set 0 with deltaRps = -1: candidate pictures
	// (j = 0..2 for set 0's -1, -3, +2, j = 3 for deltaRps itself):
	// -2, -4, +1, -1; used flags 1, 0 (use_delta 1), 0 (use_delta 0), 1.
	spec := testSPS()
	spec.numStRPS = 3
	spec.stRPS = func(w *bitWriter) {
		w.ue(2).ue(1).ue(0).u(1, 1).ue(1).u(1, 0).ue(1).u(1, 1)
		w.u(1, 1).u(1, 1).ue(0) // inter_ref_pic_set_prediction_flag, delta_rps_sign, abs_delta_rps_minus1
		w.u(1, 1)               // j=0 used
		w.u(1, 0).u(1, 1)       // j=1 not used, use_delta 1
		w.u(1, 0).u(1, 0)       // j=2 not used, use_delta 0
		w.u(1, 1)               // j=3 used
		// Set 2 predicted from set 1 with deltaRps = +3: candidates +2,
		// +1, -1 (set 1's -1, -2, -4) and +3; used 1, 0 (use_delta 1), 1, 1.
		w.u(1, 1).u(1, 0).ue(2)
		w.u(1, 1)
		w.u(1, 0).u(1, 1)
		w.u(1, 1)
		w.u(1, 1)
	}
	s, err := parseSPS(writeSPS(spec))
	if err != nil {
		t.Fatal(err)
	}
	r0 := s.ShortTermRefPicSets[0]
	if r0.NumNegative != 2 || r0.NumPositive != 1 || r0.DeltaPocS0[0] != -1 || r0.DeltaPocS0[1] != -3 ||
		!r0.UsedS0[0] || r0.UsedS0[1] || r0.DeltaPocS1[0] != 2 || !r0.UsedS1[0] {
		t.Errorf("set 0 = %+v", r0)
	}
	// 7-61: S0 from set 0's S1 reversed (+2-1 = +1, not negative), then
	// deltaRps (-1, used), then set 0's S0 (-2 used, -4 not used).
	r1 := s.ShortTermRefPicSets[1]
	if r1.NumNegative != 3 || r1.NumPositive != 0 ||
		r1.DeltaPocS0[0] != -1 || r1.DeltaPocS0[1] != -2 || r1.DeltaPocS0[2] != -4 ||
		!r1.UsedS0[0] || !r1.UsedS0[1] || r1.UsedS0[2] {
		t.Errorf("set 1 = %+v", r1)
	}
	// 7-62: S1 from set 1's S0 reversed (-1 not positive, then +1 not
	// used, +2 used), then deltaRps (+3, used); S0 just -1 (used).
	r2 := s.ShortTermRefPicSets[2]
	if r2.NumNegative != 1 || r2.NumPositive != 3 || r2.DeltaPocS0[0] != -1 || !r2.UsedS0[0] ||
		r2.DeltaPocS1[0] != 1 || r2.DeltaPocS1[1] != 2 || r2.DeltaPocS1[2] != 3 ||
		r2.UsedS1[0] || !r2.UsedS1[1] || !r2.UsedS1[2] {
		t.Errorf("set 2 = %+v", r2)
	}
}

// writePPS writes a PPS; mod edits the writer at a few points.
type ppsSpec struct {
	id, spsID                    uint64
	initQpMinus26                int64
	cuQpDelta                    bool
	diffCuQpDeltaDepth           uint64
	cbOff, crOff                 int64
	tiles, wpp                   bool
	deblock                      *[4]int64 // override enabled, disabled, beta, tc
	scaling                      func(w *bitWriter)
	ext                          *[5]uint64
	rangeExt                     func(w *bitWriter)
	transformSkip, signHiding    bool
	sliceHeaderExt, outputFlag   bool
	numExtraBits                 uint64
	dependentSlices, chromaSlice bool
}

func writePPS(p ppsSpec) []byte {
	w := new(bitWriter)
	w.ue(p.id).ue(p.spsID).flag(p.dependentSlices).flag(p.outputFlag).u(3, p.numExtraBits).flag(p.signHiding).u(1, 0)
	w.ue(0).ue(0).se(p.initQpMinus26).u(1, 0).flag(p.transformSkip).flag(p.cuQpDelta)
	if p.cuQpDelta {
		w.ue(p.diffCuQpDeltaDepth)
	}
	w.se(p.cbOff).se(p.crOff).flag(p.chromaSlice).u(1, 0).u(1, 0).u(1, 0).flag(p.tiles).flag(p.wpp)
	if p.tiles {
		w.ue(1).ue(1).u(1, 1).u(1, 1)
	}
	w.u(1, 1) // pps_loop_filter_across_slices_enabled_flag
	w.flag(p.deblock != nil)
	if p.deblock != nil {
		w.u(1, uint64(p.deblock[0])).u(1, uint64(p.deblock[1]))
		if p.deblock[1] == 0 {
			w.se(p.deblock[2]).se(p.deblock[3])
		}
	}
	w.flag(p.scaling != nil)
	if p.scaling != nil {
		p.scaling(w)
	}
	w.u(1, 0).ue(0).flag(p.sliceHeaderExt)
	w.flag(p.ext != nil)
	if p.ext != nil {
		for i, v := range p.ext {
			if i == 4 {
				w.u(4, v)
			} else {
				w.u(1, v)
			}
		}
		if p.rangeExt != nil {
			p.rangeExt(w)
		}
	}
	return w.trailing()
}

func TestParsePPS(t *testing.T) {
	p, err := parsePPS(writePPS(ppsSpec{id: 5, spsID: 3, initQpMinus26: -4, cuQpDelta: true, diffCuQpDeltaDepth: 1,
		cbOff: -3, crOff: 12, wpp: true, deblock: &[4]int64{1, 0, -6, 6}, signHiding: true}))
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != 5 || p.SPSID != 3 || p.InitQp != 22 || !p.CuQpDeltaEnabled || p.DiffCuQpDeltaDepth != 1 ||
		p.CbQpOffset != -3 || p.CrQpOffset != 12 || !p.EntropyCodingSync || !p.DeblockingOverrideEnabled ||
		p.PPSDeblockingDisabled || p.BetaOffsetDiv2 != -6 || p.TcOffsetDiv2 != 6 || !p.SignDataHiding ||
		!p.LoopFilterAcrossSlices || p.Log2ParallelMergeLevel != 2 {
		t.Errorf("PPS %+v", p)
	}
	sps, _ := parseSPS(writeSPS(testSPS()))
	if err := p.bind(sps); err != nil || p.Log2MinCuQpDeltaSize != 3 {
		t.Errorf("bind: %v, Log2MinCuQpDeltaSize %d", err, p.Log2MinCuQpDeltaSize)
	}
}

func TestParsePPSErrors(t *testing.T) {
	tests := []struct {
		name string
		spec ppsSpec
		want error
	}{
		{"pps id 64", ppsSpec{id: 64}, ErrCorrupt},
		{"sps id 16", ppsSpec{spsID: 16}, ErrCorrupt},
		{"init qp 52", ppsSpec{initQpMinus26: 26}, ErrCorrupt},
		{"cb offset 13", ppsSpec{cbOff: 13}, ErrCorrupt},
		{"beta 7", ppsSpec{deblock: &[4]int64{0, 0, 7, 0}}, ErrCorrupt},
		{"tiles", ppsSpec{tiles: true}, ErrUnsupported},
		{"multilayer", ppsSpec{ext: &[5]uint64{0, 1, 0, 0, 0}}, ErrUnsupported},
		{"range ext cross-component", ppsSpec{ext: &[5]uint64{1, 0, 0, 0, 0}, rangeExt: func(w *bitWriter) {
			w.u(1, 1).u(1, 0).ue(0).ue(0)
		}}, ErrUnsupported},
		{"range ext sao scale", ppsSpec{ext: &[5]uint64{1, 0, 0, 0, 0}, rangeExt: func(w *bitWriter) {
			w.u(1, 0).u(1, 0).ue(1).ue(0)
		}}, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parsePPS(writePPS(tt.spec))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// A range extension with every tool off is accepted.
	if _, err := parsePPS(writePPS(ppsSpec{ext: &[5]uint64{1, 0, 0, 0, 0}, rangeExt: func(w *bitWriter) {
		w.u(1, 0).u(1, 0).ue(0).ue(0)
	}})); err != nil {
		t.Errorf("all-zero range extension: %v", err)
	}
	// PPS scaling lists need scaling_list_enabled_flag in the SPS.
	p, err := parsePPS(writePPS(ppsSpec{scaling: func(w *bitWriter) {
		for range 20 {
			w.u(1, 0).ue(0)
		}
	}}))
	if err != nil || p.ScalingList == nil {
		t.Fatalf("PPS with default lists: %v", err)
	}
	if err := p.bind(sps0()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bind of PPS lists to an SPS without scaling lists: %v", err)
	}
	// diff_cu_qp_delta_depth deeper than the CTB allows fails at bind.
	p, err = parsePPS(writePPS(ppsSpec{cuQpDelta: true, diffCuQpDeltaDepth: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.bind(sps0()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bind with depth 2 for CTB 16 / min CB 8: %v", err)
	}
}

// sps0 returns the parsed testSPS.
func sps0() *SPS {
	s, err := parseSPS(writeSPS(testSPS()))
	if err != nil {
		panic(err)
	}
	return s
}
