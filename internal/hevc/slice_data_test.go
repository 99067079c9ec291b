package hevc

// Tests of slice_segment_data() parsing (slice_data.go)
// and the WPP row scheduler (wpp.go) on synthetic slices written with the
// CABAC encoder of cabac_test.go: PCM CUs between intra CUs (the raw
// samples and the restart of the arithmetic decoder), WPP substreams with
// slices starting in the middle of a CTB row, pictures one CTB wide, CTBs
// crossing the picture edge, 4:0:0; plus the error paths. Bit-exactness on
// real x265 streams is the conformance test's job.

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// synPic describes a synthetic I picture: CTB 16, MinCb 8, TB 4..16, no
// transform hierarchy, PCM allowed for 8x8 and 16x16 CUs. Every CU is
// either PCM or intra 2Nx2N with all cbf 0 (prediction only).
type synPic struct {
	w, h     int
	chroma   int // chroma_format_idc 0 or 1
	wpp      bool
	slices   []int // first CTB address of each slice (ascending, [0] = 0)
	pcmBitsY int
	pcmBitsC int
	noFilter bool // pcm_loop_filter_disabled_flag
	// split: CTB addr is split into 8x8 CUs (always when it crosses the
	// picture edge). pcm: CU i (0 for an unsplit CTB, 0..3 in z-order
	// otherwise) of CTB addr is PCM.
	split func(addr int) bool
	pcm   func(addr, cu int) bool
}

// synSample is the PCM sample (before scaling) of component c at (x, y).
func synSample(c, x, y, bits int) int {
	h := uint32(c*7919+x*131+y*977) * 2654435761
	return int(h>>13) & (1<<bits - 1)
}

// synFrame allocates the frame of p.
func synFrame(t testing.TB, p *synPic) *frame {
	t.Helper()
	sps := &SPS{
		ChromaFormatIdc: p.chroma, Width: p.w, Height: p.h, BitDepthY: 8, BitDepthC: 8,
		Log2MinCbSize: 3, Log2CtbSize: 4, Log2MinTbSize: 2, Log2MaxTbSize: 4,
		PCMEnabled: true, PCMBitDepthY: p.pcmBitsY, PCMBitDepthC: p.pcmBitsC,
		Log2MinPCMCbSize: 3, Log2MaxPCMCbSize: 4, PCMLoopFilterDisabled: p.noFilter,
	}
	if err := sps.derive([4]int{}); err != nil {
		t.Fatal(err)
	}
	pps := &PPS{InitQp: 26, EntropyCodingSync: p.wpp}
	f, err := newFrame(sps, pps, 1<<24, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// synWriter encodes the slices of a synPic.
type synWriter struct {
	p     *synPic
	f     *frame // geometry only
	enc   *testCabacEncoder
	ctx   []testCtx
	saved []testCtx
}

func (s *synWriter) initCtx() {
	var c contexts
	c.init(26)
	s.ctx = testCtxs(&c, numContexts)
}

func (s *synWriter) split(addr int) bool {
	f := s.f
	rx, ry := addr%f.ctbW, addr/f.ctbW
	if (rx+1)*16 > f.w || (ry+1)*16 > f.h {
		return true
	}
	return s.p.split != nil && s.p.split(addr)
}

// writeSlices returns the RBSP (slice data only) and the entry points of
// each slice.
func (s *synWriter) writeSlices() (data [][]byte, entries [][]int) {
	f, p := s.f, s.p
	n := f.ctbW * f.ctbH
	for si, start := range p.slices {
		end := n
		if si+1 < len(p.slices) {
			end = p.slices[si+1]
		}
		s.enc = newTestCabacEncoder()
		s.initCtx()
		var eps []int
		for addr := start; addr < end; addr++ {
			rx, ry := addr%f.ctbW, addr/f.ctbW
			if p.wpp && rx == 0 && addr != start {
				if f.ctbW > 1 && (ry-1)*f.ctbW+1 >= start {
					copy(s.ctx, s.saved)
				} else {
					s.initCtx()
				}
			}
			s.writeCTU(addr, start)
			if p.wpp && rx == 1 {
				s.saved = append(s.saved[:0], s.ctx...)
			}
			if addr == end-1 {
				s.enc.finish()
				break
			}
			s.enc.encodeTerminate(0) // end_of_slice_segment_flag
			if p.wpp && (addr+1)%f.ctbW == 0 {
				s.enc.encodeTerminate(1) // end_of_subset_one_bit
				s.enc.align()
				s.enc.restart()
				eps = append(eps, len(s.enc.out))
			}
		}
		data = append(data, s.enc.out)
		entries = append(entries, eps)
	}
	return data, entries
}

func (s *synWriter) bin(ctx, v int) { s.enc.encodeBin(&s.ctx[ctx], v) }

func (s *synWriter) writeCTU(addr, sliceStart int) {
	f := s.f
	rx, ry := addr%f.ctbW, addr/f.ctbW
	x0, y0 := rx*16, ry*16
	split := s.split(addr)
	if x0+16 <= f.w && y0+16 <= f.h {
		inc := 0
		if rx > 0 && addr-1 >= sliceStart && s.split(addr-1) {
			inc++
		}
		if ry > 0 && addr-f.ctbW >= sliceStart && s.split(addr-f.ctbW) {
			inc++
		}
		v := 0
		if split {
			v = 1
		}
		s.bin(ctxSplitCUFlag+inc, v)
	}
	if !split {
		s.writeCU(addr, 0, x0, y0, 16)
		return
	}
	for i := 0; i < 4; i++ {
		x, y := x0+(i&1)*8, y0+(i>>1)*8
		if x < f.w && y < f.h {
			s.writeCU(addr, i, x, y, 8)
		}
	}
}

func (s *synWriter) writeCU(addr, cu, x0, y0, n int) {
	p := s.p
	if n == 8 {
		s.bin(ctxPartMode, 1) // PART_2Nx2N
	}
	if p.pcm(addr, cu) {
		s.enc.encodeTerminate(1) // pcm_flag
		s.enc.align()            // pcm_alignment_zero_bit
		put := func(v, bits int) {
			for b := bits - 1; b >= 0; b-- {
				s.enc.writeBit(v >> b & 1)
			}
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				put(synSample(0, x0+x, y0+y, p.pcmBitsY), p.pcmBitsY)
			}
		}
		if p.chroma != 0 {
			for c := 1; c <= 2; c++ {
				for y := 0; y < n/2; y++ {
					for x := 0; x < n/2; x++ {
						put(synSample(c, x0/2+x, y0/2+y, p.pcmBitsC), p.pcmBitsC)
					}
				}
			}
		}
		s.enc.restart()
		return
	}
	s.enc.encodeTerminate(0)           // pcm_flag
	s.bin(ctxPrevIntraLumaPredFlag, 1) // prev_intra_luma_pred_flag
	s.enc.encodeBypass(0)              // mpm_idx 0
	if p.chroma != 0 {
		s.bin(ctxIntraChromaPredMode, 0) // intra_chroma_pred_mode 4
		s.bin(ctxCbfChroma, 0)           // cbf_cb
		s.bin(ctxCbfChroma, 0)           // cbf_cr
	}
	s.bin(ctxCbfLuma+1, 0) // cbf_luma
}

// decodeSyn writes p, decodes it with workers and checks the PCM samples
// and the metadata.
func decodeSyn(t *testing.T, p *synPic, workers int) {
	t.Helper()
	f := synFrame(t, p)
	w := &synWriter{p: p, f: f}
	data, entries := w.writeSlices()
	for i, start := range p.slices {
		f.slices = append(f.slices, &sliceHeader{SegmentAddress: start, SliceType: sliceI, QpY: 26, EntryPoints: entries[i]})
		if err := f.decodeSlice(i, data[i], workers); err != nil {
			t.Fatalf("slice %d: %v", i, err)
		}
	}
	for addr := range f.ctbSlice {
		want := int32(0)
		for i, s := range p.slices {
			if addr >= s {
				want = int32(i)
			}
		}
		if f.ctbSlice[addr] != want {
			t.Fatalf("ctbSlice[%d] = %d, want %d", addr, f.ctbSlice[addr], want)
		}
		rx, ry := addr%f.ctbW, addr/f.ctbW
		split := w.split(addr)
		for cu := 0; cu < 4; cu++ {
			n, x0, y0 := 16, rx*16, ry*16
			if split {
				n, x0, y0 = 8, x0+(cu&1)*8, y0+(cu>>1)*8
			} else if cu > 0 {
				break
			}
			if x0 >= f.w || y0 >= f.h {
				continue
			}
			checkSynCU(t, f, p, addr, cu, x0, y0, n, split)
		}
	}
}

func checkSynCU(t *testing.T, f *frame, p *synPic, addr, cu, x0, y0, n int, split bool) {
	t.Helper()
	pcm := p.pcm(addr, cu)
	b := f.b4(x0, y0)
	wantDepth := uint8(0)
	if split {
		wantDepth = 1
	}
	if f.depth[b] != wantDepth {
		t.Errorf("CTB %d CU %d: depth %d, want %d", addr, cu, f.depth[b], wantDepth)
	}
	fl := f.flags[b]
	if fl&(flagEdgeV|flagEdgeH|flagIntra) != flagEdgeV|flagEdgeH|flagIntra {
		t.Errorf("CTB %d CU %d: flags %#x lack edge/intra", addr, cu, fl)
	}
	if got, want := fl&flagNoFilter != 0, pcm && p.noFilter; got != want {
		t.Errorf("CTB %d CU %d: flagNoFilter %v, want %v", addr, cu, got, want)
	}
	if f.qp[b] != 26 {
		t.Errorf("CTB %d CU %d: qp %d, want 26", addr, cu, f.qp[b])
	}
	if !pcm {
		return
	}
	if f.ipm[b] != 1 {
		t.Errorf("CTB %d CU %d: PCM ipm %d, want 1 (DC)", addr, cu, f.ipm[b])
	}
	check := func(c, x0, y0, n, bits int) {
		for y := y0; y < y0+n; y++ {
			for x := x0; x < x0+n; x++ {
				got := int(f.planes[c][y*f.stride[c]+x])
				if want := synSample(c, x, y, bits) << (8 - bits); got != want {
					t.Fatalf("CTB %d CU %d: PCM sample c%d (%d,%d) = %d, want %d", addr, cu, c, x, y, got, want)
				}
			}
		}
	}
	check(0, x0, y0, n, p.pcmBitsY)
	if p.chroma != 0 {
		check(1, x0/2, y0/2, n/2, p.pcmBitsC)
		check(2, x0/2, y0/2, n/2, p.pcmBitsC)
	}
}

func TestSlicePCMAndWPP(t *testing.T) {
	every := func(k int) func(addr, cu int) bool {
		return func(addr, cu int) bool { return (addr*4+cu)%k == 0 }
	}
	alt := func(addr int) bool { return addr%2 == 1 }
	tests := []struct {
		name string
		p    synPic
	}{
		{"serial", synPic{w: 32, h: 32, chroma: 1, slices: []int{0}, pcmBitsY: 8, pcmBitsC: 8, split: alt, pcm: every(2)}},
		{"serial-slices", synPic{w: 48, h: 32, chroma: 1, slices: []int{0, 2, 5}, pcmBitsY: 5, pcmBitsC: 7, noFilter: true, split: alt, pcm: every(3)}},
		{"wpp", synPic{w: 48, h: 48, chroma: 1, wpp: true, slices: []int{0}, pcmBitsY: 7, pcmBitsC: 5, split: alt, pcm: every(3)}},
		{"wpp-all-pcm", synPic{w: 64, h: 48, chroma: 1, wpp: true, slices: []int{0}, pcmBitsY: 1, pcmBitsC: 8, noFilter: true, pcm: every(1)}},
		{"wpp-no-pcm", synPic{w: 64, h: 64, chroma: 1, wpp: true, slices: []int{0}, pcmBitsY: 8, pcmBitsC: 8, split: alt, pcm: func(int, int) bool { return false }}},
		{"wpp-midrow-slices", synPic{w: 48, h: 64, chroma: 1, wpp: true, slices: []int{0, 4, 5, 7, 10}, pcmBitsY: 6, pcmBitsC: 6, split: alt, pcm: every(2)}},
		{"wpp-slice-at-ctb1", synPic{w: 48, h: 48, chroma: 1, wpp: true, slices: []int{0, 1, 8}, pcmBitsY: 8, pcmBitsC: 8, split: alt, pcm: every(5)}},
		{"wpp-one-column", synPic{w: 16, h: 64, chroma: 1, wpp: true, slices: []int{0, 2}, pcmBitsY: 8, pcmBitsC: 4, split: alt, pcm: every(2)}},
		{"edge-ctbs", synPic{w: 40, h: 24, chroma: 1, wpp: true, slices: []int{0}, pcmBitsY: 8, pcmBitsC: 8, pcm: every(2)}},
		{"gray", synPic{w: 48, h: 40, chroma: 0, wpp: true, slices: []int{0, 4}, pcmBitsY: 3, split: alt, pcm: every(2)}},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%s/w%d", tc.name, workers), func(t *testing.T) {
				decodeSyn(t, &tc.p, workers)
			})
		}
	}
}

// synSingle returns a one-slice synthetic picture, its frame (slice
// header appended) and slice data.
func synSingle(t *testing.T, p *synPic) (*frame, []byte) {
	f := synFrame(t, p)
	w := &synWriter{p: p, f: f}
	data, entries := w.writeSlices()
	f.slices = append(f.slices, &sliceHeader{SegmentAddress: 0, SliceType: sliceI, QpY: 26, EntryPoints: entries[0]})
	return f, data[0]
}

func TestSliceErrors(t *testing.T) {
	base := func(wpp bool) *synPic {
		return &synPic{w: 64, h: 48, chroma: 1, wpp: wpp, slices: []int{0}, pcmBitsY: 8, pcmBitsC: 8,
			split: func(a int) bool { return a%2 == 0 }, pcm: func(a, cu int) bool { return (a+cu)%3 == 0 }}
	}
	tests := []struct {
		name   string
		wpp    bool
		mutate func(f *frame, data []byte) []byte
		want   error
	}{
		{"truncated", false, func(f *frame, d []byte) []byte { return d[:len(d)/2] }, ErrCorrupt},
		{"truncated-wpp", true, func(f *frame, d []byte) []byte {
			f.slices[0].EntryPoints = f.slices[0].EntryPoints[:1]
			return d[:f.slices[0].EntryPoints[0]+3]
		}, ErrCorrupt},
		{"missing-entry-point", true, func(f *frame, d []byte) []byte {
			f.slices[0].EntryPoints = f.slices[0].EntryPoints[:1]
			return d
		}, ErrCorrupt},
		{"too-many-entry-points", true, func(f *frame, d []byte) []byte {
			eps := f.slices[0].EntryPoints
			f.slices[0].EntryPoints = append(eps, eps[len(eps)-1]+1, eps[len(eps)-1]+2)
			return d
		}, ErrCorrupt},
		{"entry-point-past-end", true, func(f *frame, d []byte) []byte {
			f.slices[0].EntryPoints[1] = len(d) + 5
			return d
		}, ErrCorrupt},
		{"entry-points-unordered", true, func(f *frame, d []byte) []byte {
			eps := f.slices[0].EntryPoints
			eps[0], eps[1] = eps[1], eps[0]
			return d
		}, ErrCorrupt},
		{"entry-points-without-wpp", false, func(f *frame, d []byte) []byte {
			f.slices[0].EntryPoints = []int{2}
			return d
		}, ErrCorrupt},
		{"data-offset-past-end", false, func(f *frame, d []byte) []byte {
			f.slices[0].DataOffset = len(d)
			return d
		}, ErrCorrupt},
		{"segment-address", false, func(f *frame, d []byte) []byte {
			f.slices[0].SegmentAddress = f.ctbW * f.ctbH
			return d
		}, ErrCorrupt},
		{"dependent", false, func(f *frame, d []byte) []byte {
			f.slices[0].DependentSliceSegment = true
			return d
		}, ErrUnsupported},
		{"tiles", false, func(f *frame, d []byte) []byte {
			f.pps.TilesEnabled = true
			return d
		}, ErrUnsupported},
		{"no-end-of-slice", false, func(f *frame, d []byte) []byte {
			// The picture's CTBs run out before end_of_slice_segment_flag:
			// decode the data as if the slice started at the last CTB row.
			f.slices[0].SegmentAddress = f.ctbW * (f.ctbH - 1)
			return d
		}, ErrCorrupt},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/w%d", tc.name, workers), func(t *testing.T) {
				f, data := synSingle(t, base(tc.wpp))
				data = tc.mutate(f, data)
				err := f.decodeSlice(0, data, workers)
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
			})
		}
	}
	t.Run("twice", func(t *testing.T) {
		f, data := synSingle(t, base(true))
		if err := f.decodeSlice(0, data, 2); err != nil {
			t.Fatal(err)
		}
		if err := f.decodeSlice(0, data, 2); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("second decode of the same CTBs: %v", err)
		}
	})
}

// TestSliceTruncations decodes prefixes of a WPP slice: each must fail
// with ErrCorrupt (never panic or hang).
func TestSliceTruncations(t *testing.T) {
	p := &synPic{w: 48, h: 48, chroma: 1, wpp: true, slices: []int{0}, pcmBitsY: 8, pcmBitsC: 8,
		split: func(a int) bool { return a%2 == 0 }, pcm: func(a, cu int) bool { return (a+cu)%4 == 1 }}
	f0, full := synSingle(t, p)
	// Every 7th prefix, and all those within 3 bytes of a substream end.
	var cuts []int
	for n := 0; n < len(full); n++ {
		near := len(full)-n <= 3
		for _, e := range f0.slices[0].EntryPoints {
			near = near || (n >= e-3 && n <= e+3)
		}
		if near || n%7 == 0 {
			cuts = append(cuts, n)
		}
	}
	for _, n := range cuts {
		f, data := synSingle(t, p)
		eps := f.slices[0].EntryPoints
		for len(eps) > 0 && eps[len(eps)-1] >= n {
			eps = eps[:len(eps)-1]
		}
		f.slices[0].EntryPoints = eps
		err := f.decodeSlice(0, data[:n], 1+n%3)
		if err == nil {
			t.Fatalf("prefix %d of %d decoded without error", n, len(full))
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("prefix %d: %v", n, err)
		}
	}
}

func TestMPMCandidates(t *testing.T) {
	tests := []struct {
		a, b int
		want [3]int
	}{
		{0, 0, [3]int{0, 1, 26}},
		{1, 1, [3]int{0, 1, 26}},
		{10, 10, [3]int{10, 9, 11}},
		{2, 2, [3]int{2, 33, 3}},
		{34, 34, [3]int{34, 33, 3}},
		{26, 26, [3]int{26, 25, 27}},
		{0, 1, [3]int{0, 1, 26}},
		{1, 0, [3]int{1, 0, 26}},
		{1, 26, [3]int{1, 26, 0}},
		{0, 26, [3]int{0, 26, 1}},
		{10, 26, [3]int{10, 26, 0}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d-%d", tc.a, tc.b), func(t *testing.T) {
			if got := mpmCandidates(tc.a, tc.b); got != tc.want {
				t.Fatalf("mpmCandidates(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
	// rem_intra_luma_pred_mode enumerates, in order, the 32 modes that are
	// not candidates.
	for a := 0; a < 35; a++ {
		for b := 0; b < 35; b++ {
			cand := mpmCandidates(a, b)
			var want []int
			for m := 0; m < 35; m++ {
				if m != cand[0] && m != cand[1] && m != cand[2] {
					want = append(want, m)
				}
			}
			if len(want) != 32 {
				t.Fatalf("candidates %v of (%d, %d) not distinct", cand, a, b)
			}
			for rem := 0; rem < 32; rem++ {
				if got := remIntraMode(rem, cand); got != want[rem] {
					t.Fatalf("(%d, %d) rem %d: mode %d, want %d", a, b, rem, got, want[rem])
				}
			}
		}
	}
}

func TestChromaQp(t *testing.T) {
	// Table 8-10 (ChromaArrayType 1) and the clipping of qPi to 0..57.
	want := map[int]int{-5: 0, 0: 0, 29: 29, 30: 29, 31: 30, 32: 31, 33: 32, 34: 33, 35: 33, 36: 34,
		37: 34, 38: 35, 39: 35, 40: 36, 41: 36, 42: 37, 43: 37, 44: 38, 51: 45, 57: 51, 70: 51}
	for qPi, w := range want {
		if got := chromaQp(qPi); got != w {
			t.Errorf("chromaQp(%d) = %d, want %d", qPi, got, w)
		}
	}
}

// TestWPPScheduler runs fake rows through wppRows: every CTB checks the
// row above is far enough ahead; a failing row stops the others and its
// error is returned; a panicking row becomes ErrCorrupt.
func TestWPPScheduler(t *testing.T) {
	for _, ctbW := range []int{1, 2, 5} {
		for _, workers := range []int{1, 2, 3, 8} {
			for _, failRow := range []int{-1, 0, 3, 6} {
				name := fmt.Sprintf("w%d/workers%d/fail%d", ctbW, workers, failRow)
				t.Run(name, func(t *testing.T) {
					const rows = 7
					f := &frame{sps: &SPS{}, pps: &PPS{}, ctbW: ctbW, ctbH: rows, slices: []*sliceHeader{{}}}
					w := newWPPRows(f, 0, make([][]byte, rows))
					var started atomic.Int32
					var mu sync.Mutex
					var bad []string
					w.row = func(_ *ctuDecoder, k int) error {
						started.Add(1)
						for x := 0; x < ctbW; x++ {
							if k > 0 {
								need := min(x+2, ctbW)
								if !w.wait(k-1, need) {
									return errStopped
								}
								if got := int(w.progress[k-1].Load()); got < need {
									mu.Lock()
									bad = append(bad, fmt.Sprintf("row %d ctb %d: row above at %d", k, x, got))
									mu.Unlock()
								}
							}
							if k == failRow && x == ctbW/2 {
								if failRow == 6 {
									panic("boom")
								}
								return fmt.Errorf("%w: row %d", ErrCorrupt, k)
							}
							w.done(k, x+1)
						}
						return nil
					}
					err := w.run(workers)
					if len(bad) > 0 {
						t.Fatal(strings.Join(bad, "; "))
					}
					switch {
					case failRow < 0 && err != nil:
						t.Fatal(err)
					case failRow >= 0 && !errors.Is(err, ErrCorrupt):
						t.Fatalf("err = %v, want ErrCorrupt", err)
					case failRow >= 0 && failRow < 6 && !strings.Contains(err.Error(), fmt.Sprintf("row %d", failRow)):
						t.Fatalf("err = %v, want the error of row %d", err, failRow)
					}
					if failRow < 0 && int(started.Load()) != rows {
						t.Fatalf("%d rows started, want %d", started.Load(), rows)
					}
				})
			}
		}
	}
}

// fuzzSynPic returns the synthetic picture selected by cfg: bit 0 WPP,
// bit 1 4:0:0, bit 2 a 40x24 picture (CTBs crossing the edge) instead of
// 48x48, bits 3-5 the PCM bit depth - 1.
func fuzzSynPic(cfg uint8) *synPic {
	p := &synPic{w: 48, h: 48, chroma: 1, wpp: cfg&1 != 0, slices: []int{0},
		pcmBitsY: int(cfg>>3&7) + 1, pcmBitsC: int(cfg>>3&7) + 1, noFilter: cfg&64 != 0,
		split: func(a int) bool { return a%2 == 0 }, pcm: func(a, cu int) bool { return (a+cu)%3 == 1 }}
	if cfg&2 != 0 {
		p.chroma = 0
	}
	if cfg&4 != 0 {
		p.w, p.h = 40, 24
	}
	return p
}

// FuzzSliceData decodes arbitrary slice data (prefixed by its WPP entry
// points: a count byte, then 2 bytes each) into the synthetic picture
// selected by cfg, serially and with 3 workers: never a panic, only
// ErrCorrupt-wrapped errors, and identical results.
func FuzzSliceData(f *testing.F) {
	for _, cfg := range []uint8{0, 1, 2, 3, 4, 5, 7 << 3, 7<<3 | 1, 64 | 2<<3 | 1} {
		p := fuzzSynPic(cfg)
		w := &synWriter{p: p, f: synFrame(f, p)}
		data, eps := w.writeSlices()
		in := []byte{byte(len(eps[0]))}
		for _, e := range eps[0] {
			in = append(in, byte(e>>8), byte(e))
		}
		f.Add(append(in, data[0]...), cfg)
	}
	f.Fuzz(func(t *testing.T, in []byte, cfg uint8) {
		if len(in) < 1 || len(in) > 1<<16 {
			return
		}
		n := int(in[0])
		if len(in) < 1+2*n {
			return
		}
		eps := make([]int, n)
		for i := range eps {
			eps[i] = int(in[1+2*i])<<8 | int(in[2+2*i])
		}
		data := in[1+2*n:]
		var planes [2][3][]uint8
		var errs [2]error
		for i, workers := range []int{1, 3} {
			p := fuzzSynPic(cfg)
			fr := synFrame(t, p)
			fr.slices = append(fr.slices, &sliceHeader{SliceType: sliceI, QpY: 26, EntryPoints: eps})
			errs[i] = fr.decodeSlice(0, data, workers)
			if errs[i] != nil && (!errors.Is(errs[i], ErrCorrupt) || strings.Contains(errs[i].Error(), "panic")) {
				t.Fatalf("workers %d: %v", workers, errs[i])
			}
			planes[i] = fr.planes
		}
		if (errs[0] == nil) != (errs[1] == nil) {
			t.Fatalf("serial: %v, 3 workers: %v", errs[0], errs[1])
		}
		if errs[0] == nil {
			for c := range planes[0] {
				if string(planes[0][c]) != string(planes[1][c]) {
					t.Fatalf("plane %d differs between 1 and 3 workers", c)
				}
			}
		}
	})
}
