package hevc

// Tests of SAO against a per-sample
// transcription of 8.7.3, plus hand-computed cases.

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

type refSAOStats struct{ band, edge, edgeBlockedPicture, edgeBlockedSlice, noFilter int }

func refSign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// refSAO returns the SAO output planes of f (8.7.3), computed sample by
// sample from f.planes (the deblocked picture), which it does not modify.
func refSAO(f *frame, st *refSAOStats) [3][]uint8 {
	var out [3][]uint8
	nComp := 1
	if f.sps.ChromaFormatIdc == 1 {
		nComp = 3
	}
	hPos := [4][2]int{{-1, 1}, {0, 0}, {-1, 1}, {1, -1}}
	vPos := [4][2]int{{0, 0}, {-1, 1}, {-1, 1}, {-1, 1}}
	ctbSize := f.sps.CtbSize
	for c := 0; c < 3; c++ {
		if f.planes[c] == nil {
			continue
		}
		out[c] = append([]uint8(nil), f.planes[c]...)
		if c >= nComp || !f.sps.SAOEnabled {
			continue
		}
		rec := refPlane{f.planes[c], f.stride[c]}
		sao := refPlane{out[c], f.stride[c]}
		sub, pw, ph := 1, f.w, f.h
		if c > 0 {
			sub, pw, ph = 2, f.cw, f.ch
		}
		ctbAddr := func(x, y int) int { return (y*sub/ctbSize)*f.ctbW + x*sub/ctbSize }
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				addr := ctbAddr(x, y)
				sh := f.slices[f.ctbSlice[addr]]
				if c == 0 && !sh.SAOLuma || c > 0 && !sh.SAOChroma {
					continue
				}
				sp := f.sao[addr]
				if sp.typeIdx[c] == 0 {
					continue
				}
				fl, _ := refBlock(f, x*sub, y*sub)
				if fl&flagNoFilter != 0 {
					st.noFilter++
					continue
				}
				SaoOffsetVal := [5]int{0, int(sp.offset[c][0]), int(sp.offset[c][1]), int(sp.offset[c][2]), int(sp.offset[c][3])}
				s := rec.get(x, y)
				if sp.typeIdx[c] == 2 {
					cls := int(sp.eoClass[c])
					ok := true
					for k := 0; k < 2; k++ {
						xn, yn := x+hPos[cls][k], y+vPos[cls][k]
						if xn < 0 || yn < 0 || xn >= pw || yn >= ph {
							ok = false
							st.edgeBlockedPicture++
							break
						}
						an := ctbAddr(xn, yn)
						if f.ctbSlice[an] != f.ctbSlice[addr] {
							shN := f.slices[f.ctbSlice[an]]
							if an < addr && !sh.LoopFilterAcrossSlices || addr < an && !shN.LoopFilterAcrossSlices {
								ok = false
								st.edgeBlockedSlice++
								break
							}
						}
					}
					if !ok {
						continue
					}
					a := rec.get(x+hPos[cls][0], y+vPos[cls][0])
					b := rec.get(x+hPos[cls][1], y+vPos[cls][1])
					edgeIdx := 2 + refSign(s-a) + refSign(s-b)
					if edgeIdx == 0 || edgeIdx == 1 || edgeIdx == 2 {
						if edgeIdx == 2 {
							edgeIdx = 0
						} else {
							edgeIdx++
						}
					}
					v := refClip3(0, 255, s+SaoOffsetVal[edgeIdx])
					if v != s {
						st.edge++
					}
					sao.set(x, y, v)
				} else {
					var bandTable [32]int
					for k := 0; k < 4; k++ {
						bandTable[(k+int(sp.bandPos[c]))&31] = k + 1
					}
					bandIdx := bandTable[s>>3]
					v := refClip3(0, 255, s+SaoOffsetVal[bandIdx])
					if v != s {
						st.band++
					}
					sao.set(x, y, v)
				}
			}
		}
	}
	return out
}

func TestSAOMatchesReference(t *testing.T) {
	cases := []lftConfig{
		{w: 64, h: 64, log2Ctb: 4, chroma: 1, nSlices: 1},
		{w: 120, h: 72, log2Ctb: 4, chroma: 1, nSlices: 3},
		{w: 200, h: 136, log2Ctb: 5, chroma: 1, nSlices: 3},
		{w: 256, h: 200, log2Ctb: 6, chroma: 1, nSlices: 4},
		{w: 136, h: 96, log2Ctb: 5, chroma: 0, nSlices: 2},
		{w: 8, h: 8, log2Ctb: 4, chroma: 1, nSlices: 1},
		{w: 24, h: 40, log2Ctb: 4, chroma: 1, nSlices: 2},
	}
	var st refSAOStats
	lftMatchReference(t, cases, 7919, func(f, want *frame) { want.planes = refSAO(f, &st) },
		func(f *frame, workers int) { f.applySAO(workers) })
	t.Logf("reference: %+v", st)
	if st.band == 0 || st.edge == 0 || st.edgeBlockedPicture == 0 || st.edgeBlockedSlice == 0 || st.noFilter == 0 {
		t.Errorf("test pictures do not cover all SAO paths: %+v", st)
	}
}

// lftSAOFrame returns a 32x16 luma-only frame, CTB 16, one slice with SAO on
// for luma, filled by fill(x, y); CTB 0 gets params p, CTB 1 none.
func lftSAOFrame(p saoParams, fill func(x, y int) uint8) *frame {
	rng := rand.New(rand.NewSource(2))
	f := lftFrame(rng, lftConfig{w: 32, h: 16, log2Ctb: 4, chroma: 0, nSlices: 1})
	f.slices[0].SAOLuma = true
	for i := range f.flags {
		f.flags[i] = flagIntra
	}
	f.sao[0] = p
	f.sao[1] = saoParams{}
	for y := 0; y < 16; y++ {
		for x := 0; x < 32; x++ {
			f.planes[0][y*f.stride[0]+x] = fill(x, y)
		}
	}
	return f
}

func TestSAOHandComputed(t *testing.T) {
	t.Run("band_wrap", func(t *testing.T) {
		// bandPos 30: bands 30, 31, 0, 1 get offsets 5, 7, -6, 3.
		vals := []uint8{240, 250, 255, 2, 8, 15, 16, 239}
		want := []uint8{245, 255, 255, 0, 11, 18, 16, 239}
		p := saoParams{typeIdx: [3]uint8{1}, bandPos: [3]uint8{30}, offset: [3][4]int8{{5, 7, -6, 3}}}
		f := lftSAOFrame(p, func(x, y int) uint8 { return vals[x%8] })
		f.applySAO(1)
		for y := 0; y < 16; y++ {
			if row := f.planes[0][y*f.stride[0] : y*f.stride[0]+8]; !bytes.Equal(row, want) {
				t.Fatalf("row %d = %v, want %v", y, row, want)
			}
			// CTB 1 has no SAO.
			if row := f.planes[0][y*f.stride[0]+16 : y*f.stride[0]+24]; !bytes.Equal(row, vals) {
				t.Fatalf("CTB 1 row %d = %v, want %v", y, row, vals)
			}
		}
	})
	t.Run("edge_horizontal", func(t *testing.T) {
		// Class 0 (horizontal): pattern per row: 10 5 10 | 20 20 25 | 30 40 30 ...
		vals := []uint8{10, 5, 10, 20, 20, 25, 30, 40, 30, 50, 50, 50, 60, 55, 55, 1}
		// x=0: picture edge → unchanged. x=1: local min (edgeIdx 1) +4.
		// x=2: 10 vs 5,20: one up one down → 0. x=3: 20 vs 10,20 → s>a, s=b:
		// 2+1+0 = 3 → offset[2] = -1. x=4: 20 vs 20,25 → 2-1 = 1 → edgeIdx 2
		// → offset[1] = +2. x=5: 25 vs 20,30 → 2. x=6: 30 vs 25,40 → 2.
		// x=7: 40 local max → 4 → offset[3] = -3. x=8: 30 vs 40,50 → 0 → +4.
		// x=9: 50 vs 30,50 → 3 → -1. x=10: 50,50,50 → 2 → 0. x=11: 50 vs
		// 50,60 → 1 → +2. x=12: 60 vs 50,55 → 4 → -3. x=13: 55 vs 60,55 → 1
		// → 2 → +2. x=14: 55 vs 55,1 → 3 → -1. x=15: neighbour x=16 is in
		// CTB 1 (same slice, usable): 1 vs 55, vals[0]=10 → 0 → +4.
		want := []uint8{10, 9, 10, 19, 22, 25, 30, 37, 34, 49, 50, 52, 57, 57, 54, 5}
		p := saoParams{typeIdx: [3]uint8{2}, eoClass: [3]uint8{0}, offset: [3][4]int8{{4, 2, -1, -3}}}
		f := lftSAOFrame(p, func(x, y int) uint8 { return vals[x%16] })
		f.applySAO(2)
		for y := 0; y < 16; y++ {
			if row := f.planes[0][y*f.stride[0] : y*f.stride[0]+16]; !bytes.Equal(row, want) {
				t.Fatalf("row %d = %v, want %v", y, row, want)
			}
		}
	})
	t.Run("edge_vertical_picture_edge", func(t *testing.T) {
		// Class 1 (vertical) on a column pattern: rows 0 and 15 touch the
		// picture edge and stay; others are local minima/maxima alternately.
		p := saoParams{typeIdx: [3]uint8{2}, eoClass: [3]uint8{1}, offset: [3][4]int8{{3, 0, 0, -2}}}
		f := lftSAOFrame(p, func(x, y int) uint8 { return uint8(100 + 10*(y%2)) })
		f.applySAO(1)
		for y := 0; y < 16; y++ {
			want := uint8(100 + 10*(y%2))
			switch {
			case y == 0 || y == 15:
			case y%2 == 0:
				want += 3
			default:
				want -= 2
			}
			if got := f.planes[0][y*f.stride[0]+3]; got != want {
				t.Errorf("row %d = %d, want %d", y, got, want)
			}
		}
	})
	t.Run("disabled", func(t *testing.T) {
		p := saoParams{typeIdx: [3]uint8{1}, bandPos: [3]uint8{0}, offset: [3][4]int8{{5, 5, 5, 5}}}
		f := lftSAOFrame(p, func(x, y int) uint8 { return 3 })
		f.slices[0].SAOLuma = false
		orig := f.planes[0]
		f.applySAO(1)
		if &f.planes[0][0] != &orig[0] || f.planes[0][0] != 3 {
			t.Errorf("slice_sao_luma_flag 0: picture changed")
		}
		f.slices[0].SAOLuma = true
		f.sps.SAOEnabled = false
		f.applySAO(1)
		if f.planes[0][0] != 3 {
			t.Errorf("sample_adaptive_offset_enabled_flag 0: picture changed")
		}
		f.sps.SAOEnabled = true
		f.applySAO(1)
		if f.planes[0][0] != 8 {
			t.Errorf("band offset: got %d, want 8", f.planes[0][0])
		}
	})
}

func TestSAOPoolReuse(t *testing.T) {
	// Pictures of different sizes in turn: the pooled boundary lines and
	// row scratch must be resized correctly.
	rng := rand.New(rand.NewSource(9))
	for i, cfg := range []lftConfig{
		{w: 256, h: 128, log2Ctb: 6, chroma: 1, nSlices: 2},
		{w: 64, h: 48, log2Ctb: 4, chroma: 1, nSlices: 1},
		{w: 328, h: 200, log2Ctb: 5, chroma: 1, nSlices: 3},
		{w: 72, h: 48, log2Ctb: 4, chroma: 0, nSlices: 1},
	} {
		f := lftFrame(rng, cfg)
		var st refSAOStats
		want := lftClone(f)
		want.planes = refSAO(f, &st)
		f.applySAO(2)
		lftComparePlanes(t, fmt.Sprintf("picture %d", i), f, want)
	}
}

// saoKernelCase runs every kernel in saoKernelList on one row and compares
// it with the portable kernels; guard samples after the row must survive.
func saoKernelCase(t *testing.T, s, a, b []uint8, tbl [16]int8, bt saoBandTab) {
	t.Helper()
	n := len(s)
	run := func(k saoKernels, band bool) []uint8 {
		d := bytes.Repeat([]uint8{0x5A}, n+40)
		if band {
			k.band(d[:n], s, bt)
		} else {
			k.edge(d[:n], s, a, b, tbl)
		}
		return d
	}
	for _, band := range []bool{false, true} {
		want := run(saoKernelsGo, band)
		for _, k := range saoKernelList[1:] {
			if got := run(k, band); !bytes.Equal(got, want) {
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s band=%v n=%d: sample %d = %d, want %d (s=%d)", k.name, band, n, i, got[i], want[i], s[min(i, n-1)])
					}
				}
			}
		}
	}
}

// saoTables builds the edge and band tables from 5 bytes of offsets (any
// int8) and a band position.
func saoTables(o [4]int8, pos int) ([16]int8, saoBandTab) {
	tbl := [16]int8{o[0], o[1], 0, o[2], o[3]}
	bt := saoBandTab{pos: pos & 31}
	for k := 0; k < 4; k++ {
		bt.bt[(k+pos)&31] = o[k]
		bt.off[k] = o[k]
	}
	return tbl, bt
}

func TestSAOKernels(t *testing.T) {
	if len(saoKernelList) == 1 {
		t.Log("only the portable kernels on this machine/build")
	}
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{0, 1, 5, 16, 31, 32, 33, 47, 62, 63, 64, 65, 95, 96, 127, 200} {
		for iter := 0; iter < 40; iter++ {
			s, a, b := make([]uint8, n), make([]uint8, n), make([]uint8, n)
			for i := 0; i < n; i++ {
				switch iter % 4 {
				case 0: // anything
					s[i], a[i], b[i] = uint8(rng.Intn(256)), uint8(rng.Intn(256)), uint8(rng.Intn(256))
				case 1: // near-equal neighbours: all edge classes
					v := rng.Intn(256)
					s[i] = uint8(v)
					a[i] = uint8(min(max(v+rng.Intn(3)-1, 0), 255))
					b[i] = uint8(min(max(v+rng.Intn(3)-1, 0), 255))
				case 2: // extremes
					ext := []uint8{0, 1, 127, 128, 254, 255}
					s[i], a[i], b[i] = ext[rng.Intn(6)], ext[rng.Intn(6)], ext[rng.Intn(6)]
				default: // every band
					s[i] = uint8(i * 8 % 256)
					a[i], b[i] = s[i], uint8(rng.Intn(256))
				}
			}
			var o [4]int8
			for k := range o {
				o[k] = int8(rng.Intn(256) - 128)
				if iter%2 == 0 {
					o[k] = int8(rng.Intn(15) - 7)
				}
			}
			tbl, bt := saoTables(o, rng.Intn(32))
			saoKernelCase(t, s, a, b, tbl, bt)
		}
	}
}

func FuzzSAOKernels(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 30}, bytes.Repeat([]byte{0, 255, 128, 127, 1}, 40))
	f.Add([]byte{7, 249, 3, 253, 28, 31}, []byte("the quick brown fox jumps over the lazy dog, 0123456789 abcdefghijklmnopqrstuvwxyz"))
	f.Add([]byte{128, 127, 129, 126, 0, 0}, make([]byte, 99))
	f.Fuzz(func(t *testing.T, params, data []byte) {
		if len(params) < 5 || len(data) > 3*512 {
			return
		}
		n := len(data) / 3
		s, a, b := data[:n], data[n:2*n], data[2*n:3*n]
		o := [4]int8{int8(params[0]), int8(params[1]), int8(params[2]), int8(params[3])}
		tbl, bt := saoTables(o, int(params[4]))
		saoKernelCase(t, s, a, b, tbl, bt)
	})
}

// TestFiltersHostileMetadata runs both filters over frames whose metadata
// holds values a conforming stream never produces (QpY outside 0..51,
// SaoTypeIdx 3.., class and band position beyond their ranges, random
// flag bits, undecoded CTBs): the filters must not panic.
func TestFiltersHostileMetadata(t *testing.T) {
	rng := rand.New(rand.NewSource(77))
	for i := 0; i < 30; i++ {
		cfg := lftConfig{w: 8 * (1 + rng.Intn(40)), h: 8 * (1 + rng.Intn(30)), log2Ctb: 4 + rng.Intn(3), chroma: rng.Intn(2), nSlices: 1 + rng.Intn(4)}
		f := lftFrame(rng, cfg)
		for j := range f.qp {
			f.qp[j] = int8(rng.Intn(256) - 128)
			f.flags[j] = uint8(rng.Intn(256))
		}
		for j := range f.sao {
			for c := 0; c < 3; c++ {
				f.sao[j].typeIdx[c] = uint8(rng.Intn(256))
				f.sao[j].eoClass[c] = uint8(rng.Intn(256))
				f.sao[j].bandPos[c] = uint8(rng.Intn(256))
				for k := 0; k < 4; k++ {
					f.sao[j].offset[c][k] = int8(rng.Intn(256) - 128)
				}
			}
			if rng.Intn(20) == 0 {
				f.ctbSlice[j] = -1
			}
		}
		f.pps.CbQpOffset, f.pps.CrQpOffset = rng.Intn(200)-100, rng.Intn(200)-100
		for _, sh := range f.slices {
			sh.BetaOffsetDiv2, sh.TcOffsetDiv2 = rng.Intn(200)-100, rng.Intn(200)-100
		}
		t.Run(fmt.Sprintf("%d_%dx%d", i, cfg.w, cfg.h), func(t *testing.T) {
			f.deblock(1 + i%3)
			f.applySAO(1 + i%3)
		})
	}
}
