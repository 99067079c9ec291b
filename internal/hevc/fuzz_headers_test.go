package hevc

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// maxFuzzHeaderInput bounds the fuzz input: parameter sets and slice
// headers are small, and a bound keeps every iteration fast.
const maxFuzzHeaderInput = 1 << 14

// FuzzHeaders feeds arbitrary bytes to the header parsers: as an Annex B
// stream (SPS, PPS and slice segment headers in order, parameter sets kept
// by id) and directly as an SPS and a PPS RBSP. Properties: no panic, only
// the package's sentinel errors, and every accepted header satisfies the
// invariants the later stages rely on.
func FuzzHeaders(f *testing.F) {
	f.Add(writeSPS(testSPS()))
	f.Add(writePPS(ppsSpec{wpp: true, deblock: &[4]int64{1, 0, 2, -2}}))
	spec := testSPS()
	spec.scalingEnabled = true
	spec.scalingData = func(w *bitWriter) {
		for range 20 {
			w.u(1, 1).se(3).se(-1).se(2)
		}
	}
	f.Add(writeSPS(spec))
	sps := nalWithHeader(nalSPS, writeSPS(testSPS()))
	pps := nalWithHeader(nalPPS, writePPS(ppsSpec{wpp: true}))
	idr := nalWithHeader(nalIDRWRADL, new(bitWriter).u(1, 1).u(1, 0).ue(0).ue(2).u(1, 0).se(0).u(1, 1).
		ue(1).ue(3).u(4, 2).byteAlign().u(32, 0x12345678).buf)
	f.Add(annexB(sps, pps, idr))
	files, _ := filepath.Glob(filepath.Join("testdata", "*.hevc"))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 2048)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzHeaderInput {
			return
		}
		if s, err := parseSPS(data); err == nil {
			checkSPSInvariants(t, s)
		} else {
			checkSentinel(t, err)
		}
		if _, err := parsePPS(data); err != nil {
			checkSentinel(t, err)
		}
		var ps paramSets
		var active *PPS
		for _, b := range splitAnnexB(data) {
			nal, err := parseNAL(b)
			if err != nil {
				checkSentinel(t, err)
				continue
			}
			rbsp, removed := unescape(nal.payload)
			switch {
			case nal.typ == nalSPS:
				s, err := parseSPS(rbsp)
				if err != nil {
					checkSentinel(t, err)
					continue
				}
				checkSPSInvariants(t, s)
				ps.sps[s.ID] = s
			case nal.typ == nalPPS:
				p, err := parsePPS(rbsp)
				if err != nil {
					checkSentinel(t, err)
					continue
				}
				ps.pps[p.ID] = p
			case isSlice(nal.typ):
				h, p, err := parseSliceHeader(nal, rbsp, removed, &ps, active)
				if err != nil {
					checkSentinel(t, err)
					continue
				}
				checkSliceInvariants(t, h, p, len(rbsp))
				if active == nil {
					active = p
				}
			}
		}
	})
}

func checkSentinel(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error without a sentinel: %v", err)
	}
}

func checkSPSInvariants(t *testing.T, s *SPS) {
	t.Helper()
	switch {
	case s.Width <= 0 || s.Height <= 0 || s.Width > maxPicSide || s.Height > maxPicSide:
		t.Fatalf("size %dx%d", s.Width, s.Height)
	case s.Width%s.MinCbSize != 0 || s.Height%s.MinCbSize != 0:
		t.Fatalf("size %dx%d not a multiple of %d", s.Width, s.Height, s.MinCbSize)
	case s.Log2MinCbSize < 3 || s.Log2CtbSize < s.Log2MinCbSize || s.Log2CtbSize > 6:
		t.Fatalf("CB sizes %d..%d", s.Log2MinCbSize, s.Log2CtbSize)
	case s.Log2MinTbSize < 2 || s.Log2MinTbSize >= s.Log2MinCbSize || s.Log2MaxTbSize > min(s.Log2CtbSize, 5) ||
		s.Log2MaxTbSize < s.Log2MinTbSize:
		t.Fatalf("TB sizes %d..%d", s.Log2MinTbSize, s.Log2MaxTbSize)
	case s.MaxTrHierarchyDepthIntra > s.Log2CtbSize-s.Log2MinTbSize:
		t.Fatalf("intra depth %d", s.MaxTrHierarchyDepthIntra)
	case s.ConfWinLeft+s.ConfWinRight >= s.Width || s.ConfWinTop+s.ConfWinBottom >= s.Height:
		t.Fatal("conformance window")
	case s.PicWidthInCtbs*s.CtbSize < s.Width || (s.PicWidthInCtbs-1)*s.CtbSize >= s.Width:
		t.Fatal("PicWidthInCtbs")
	case s.ScalingListEnabled != (s.ScalingList != nil):
		t.Fatal("ScalingList presence")
	case s.PCMEnabled && (s.PCMBitDepthY > s.BitDepthY || s.Log2MaxPCMCbSize > min(s.Log2CtbSize, 5)):
		t.Fatal("PCM")
	}
	if s.ScalingList != nil {
		for sizeID := range 4 {
			n := 4 << sizeID
			for m := range 6 {
				fs := s.ScalingList.Factor[sizeID][m]
				if len(fs) != n*n {
					t.Fatalf("Factor[%d][%d] has %d entries", sizeID, m, len(fs))
				}
				for _, v := range fs {
					if v == 0 {
						t.Fatalf("Factor[%d][%d] holds 0", sizeID, m)
					}
				}
			}
		}
	}
}

func checkSliceInvariants(t *testing.T, h *sliceHeader, p *PPS, rbspLen int) {
	t.Helper()
	s := p.sps
	if s == nil {
		t.Fatal("PPS not bound")
	}
	if h.SliceType != sliceI || h.DependentSliceSegment {
		t.Fatalf("slice type %d dependent %v accepted", h.SliceType, h.DependentSliceSegment)
	}
	if h.SegmentAddress < 0 || h.SegmentAddress >= s.PicSizeInCtbs {
		t.Fatalf("address %d", h.SegmentAddress)
	}
	if h.QpY < -6*(s.BitDepthY-8) || h.QpY > 51 {
		t.Fatalf("QpY %d", h.QpY)
	}
	if h.DataOffset <= 0 || h.DataOffset >= rbspLen {
		t.Fatalf("DataOffset %d of %d", h.DataOffset, rbspLen)
	}
	prev := h.DataOffset
	for _, e := range h.EntryPoints {
		if e <= prev || e >= rbspLen {
			t.Fatalf("entry points %v (data at %d, %d bytes)", h.EntryPoints, h.DataOffset, rbspLen)
		}
		prev = e
	}
	if len(h.EntryPoints) > s.PicHeightInCtbs-1 {
		t.Fatalf("%d entry points for %d CTB rows", len(h.EntryPoints), s.PicHeightInCtbs)
	}
}
