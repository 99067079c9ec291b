package hevc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// specScan is a literal transcription of 6.5.3 (up-right diagonal), 6.5.4
// (horizontal) and 6.5.5 (vertical) scan order initialisation.
func specScan(blkSize, scanIdx int) [][2]int {
	out := make([][2]int, blkSize*blkSize)
	switch scanIdx {
	case 0:
		i, x, y := 0, 0, 0
		stopLoop := false
		for !stopLoop {
			for y >= 0 {
				if x < blkSize && y < blkSize {
					out[i] = [2]int{x, y}
					i++
				}
				y--
				x++
			}
			y = x
			x = 0
			if i >= blkSize*blkSize {
				stopLoop = true
			}
		}
	case 1:
		i := 0
		for y := 0; y < blkSize; y++ {
			for x := 0; x < blkSize; x++ {
				out[i] = [2]int{x, y}
				i++
			}
		}
	case 2:
		i := 0
		for x := 0; x < blkSize; x++ {
			for y := 0; y < blkSize; y++ {
				out[i] = [2]int{x, y}
				i++
			}
		}
	}
	return out
}

func TestScanOrders(t *testing.T) {
	for l := range 4 {
		for s := range 3 {
			t.Run(fmt.Sprintf("size%d/scan%d", 1<<l, s), func(t *testing.T) {
				want := specScan(1<<l, s)
				got := rcScanOrder(1<<l, s)
				if len(got) != len(want) {
					t.Fatalf("len %d, want %d", len(got), len(want))
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("pos %d: %v, want %v", i, got[i], want[i])
					}
					p := rcScanSb[l][s][i]
					if int(p&7) != want[i][0] || int(p>>3) != want[i][1] || int(rcInvSb[l][s][p]) != i {
						t.Fatalf("table pos %d: %#x", i, p)
					}
					if l == 2 {
						p4 := rcScan4[s][i]
						if int(p4&3) != want[i][0] || int(p4>>2) != want[i][1] || int(rcInv4[s][p4]) != i {
							t.Fatalf("4x4 table pos %d: %#x", i, p4)
						}
					}
				}
			})
		}
	}
	// A few values from the standard's description: the 4x4 diagonal scan
	// starts (0,0) (0,1) (1,0) (0,2) (1,1) (2,0) and ends (3,3).
	d := specScan(4, 0)
	first := [][2]int{{0, 0}, {0, 1}, {1, 0}, {0, 2}, {1, 1}, {2, 0}}
	for i, p := range first {
		if d[i] != p {
			t.Fatalf("diagonal scan %d = %v, want %v", i, d[i], p)
		}
	}
	if d[15] != [2]int{3, 3} {
		t.Fatal("diagonal scan does not end at (3,3)")
	}
}

type testTB struct {
	p   tbParams
	blk []int16
	ts  bool
}

func TestResidualCodingRoundTrip(t *testing.T) {
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 99))
		qp := r.IntN(52)
		var init contexts
		init.init(qp)
		enc := &testResidualEncoder{e: newTestCabacEncoder(), ctx: testCtxs(&init, numContexts)}
		var tbs []testTB
		for range 40 {
			cIdx := r.IntN(3)
			log2 := 2 + r.IntN(4)
			if cIdx > 0 && log2 == 5 && r.IntN(2) == 0 {
				log2 = 4
			}
			p := tbParams{
				log2Size:             log2,
				cIdx:                 cIdx,
				predModeIntra:        r.IntN(35),
				bypass:               r.IntN(4) == 0,
				transformSkipEnabled: r.IntN(2) == 0,
				signHiding:           r.IntN(3) != 0,
			}
			blk := randomBlock(r, log2)
			if p.signHiding && !p.bypass {
				// A hidden sign of magnitude 32768 would need to be
				// positive; avoid generating that.
				for i, v := range blk {
					if v == -32768 {
						blk[i] = -32767
					}
				}
			}
			ts := r.IntN(2) == 0
			blk = enc.encode(&p, blk, ts)
			tbs = append(tbs, testTB{p: p, blk: blk, ts: ts && p.transformSkipEnabled && !p.bypass && log2 == 2})
			// Interleave some other syntax.
			enc.e.encodeTerminate(0)
		}
		data := enc.e.finish()

		var c cabac
		if err := c.init(data); err != nil {
			t.Fatal(err)
		}
		x := init
		coeff := make([]int16, 32*32)
		for k, tb := range tbs {
			res := residual{coeff: coeff}
			if err := residualCoding(&c, &x, &tb.p, &res); err != nil {
				t.Fatalf("seed %d tb %d: %v", seed, k, err)
			}
			n := 1 << tb.p.log2Size
			mx, my := 0, 0
			for i := range n * n {
				if coeff[i] != tb.blk[i] {
					t.Fatalf("seed %d tb %d (%+v): coeff[%d,%d] = %d, want %d", seed, k, tb.p, i%n, i/n, coeff[i], tb.blk[i])
				}
				if tb.blk[i] != 0 {
					mx, my = max(mx, i%n), max(my, i/n)
				}
				coeff[i] = 0
			}
			for i := n * n; i < len(coeff); i++ {
				if coeff[i] != 0 {
					t.Fatalf("seed %d tb %d: wrote outside the block", seed, k)
				}
			}
			if res.maxX != mx || res.maxY != my {
				t.Fatalf("seed %d tb %d: max (%d,%d), want (%d,%d)", seed, k, res.maxX, res.maxY, mx, my)
			}
			if res.transformSkip != tb.ts {
				t.Fatalf("seed %d tb %d: transformSkip %v, want %v", seed, k, res.transformSkip, tb.ts)
			}
			if c.decodeTerminate() != 0 {
				t.Fatalf("seed %d tb %d: desynchronised", seed, k)
			}
		}
		if c.decodeTerminate() != 1 || c.err() != nil || c.alignedPos() != len(data) {
			t.Fatalf("seed %d: stream end mismatch", seed)
		}
		for i := range x {
			if want := uint8(enc.ctx[i].state<<1 | enc.ctx[i].mps); x[i] != want {
				t.Fatalf("seed %d: context %d = %#x, encoder %#x", seed, i, x[i], want)
			}
		}
	}
}

func TestResidualCodingCorrupt(t *testing.T) {
	// A stream of all ones: every bypass bin is 1, so the first
	// coeff_abs_level_remaining prefix never ends (or a level overflows).
	data := make([]byte, 4096)
	for i := range data {
		data[i] = 0xff
	}
	data[0] = 0x7f // keep the initial offset below 510
	var c cabac
	if err := c.init(data); err != nil {
		t.Fatal(err)
	}
	var x contexts
	x.init(30)
	coeff := make([]int16, 1024)
	p := tbParams{log2Size: 5}
	var err error
	for range 50 {
		if err = residualCoding(&c, &x, &p, &residual{coeff: coeff}); err != nil {
			break
		}
		clear(coeff)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("residualCoding on all-ones data: %v", err)
	}
	if err := residualCoding(&c, &x, &tbParams{log2Size: 6}, &residual{coeff: coeff}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("log2Size 6: %v", err)
	}
	if err := residualCoding(&c, &x, &tbParams{log2Size: 5}, &residual{coeff: coeff[:100]}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("short buffer: %v", err)
	}
}

// TestResidualCodingGarbage decodes random bytes: no panic, no write
// outside the block, every level in range.
func TestResidualCodingGarbage(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	coeff := make([]int16, 32*32+64)
	for range 300 {
		c, x, ok := garbageCabac(r, 1+r.IntN(200))
		if !ok {
			continue
		}
		for range 20 {
			p := tbParams{log2Size: 2 + r.IntN(4), cIdx: r.IntN(3), predModeIntra: r.IntN(35),
				transformSkipEnabled: true, signHiding: r.IntN(2) == 0}
			res := residual{coeff: coeff[:1<<(2*p.log2Size)]}
			if residualCoding(c, x, &p, &res) != nil {
				break
			}
			clear(coeff)
			if c.err() != nil {
				break
			}
		}
		for _, v := range coeff[1024:] {
			if v != 0 {
				t.Fatal("write past the block")
			}
		}
		clear(coeff)
	}
}

// BenchmarkResidualCoding decodes a stream of typical intra blocks and
// reports ns per coded coefficient (nonzero) and per bin.
func BenchmarkResidualCoding(b *testing.B) {
	r := rand.New(rand.NewPCG(8, 9))
	var init contexts
	init.init(30)
	enc := &testResidualEncoder{e: newTestCabacEncoder(), ctx: testCtxs(&init, numContexts)}
	var tbs []tbParams
	nonzero := 0
	for range 2000 {
		log2 := 2 + r.IntN(3)
		p := tbParams{log2Size: log2, cIdx: r.IntN(3) / 2, predModeIntra: r.IntN(35), signHiding: true, transformSkipEnabled: true}
		n := 1 << log2
		blk := make([]int16, n*n)
		// Decaying magnitudes from DC, like a quantised photo block.
		for y := range n {
			for x := range n {
				if r.IntN(1+x+y) < 2 {
					a := int(r.ExpFloat64() * 8 / float64(1+x+y))
					if r.IntN(2) == 0 {
						a = -a
					}
					blk[y*n+x] = int16(a)
				}
			}
		}
		if blk[0] == 0 {
			blk[0] = 1
		}
		blk = enc.encode(&p, blk, false)
		for _, v := range blk {
			if v != 0 {
				nonzero++
			}
		}
		tbs = append(tbs, p)
	}
	data := enc.e.finish()
	bins := enc.e.bins

	// Baseline, decoded in the same run: as many plain context-coded bins
	// (c.decodeBin, 44 contexts, 25% ones) as the residual stream has
	// bins. The ratio shows the cost of the syntax around the engine.
	base := newTestCabacEncoder()
	bctx := make([]testCtx, 44)
	baseOps := make([]uint8, bins)
	for i := range baseOps {
		k := r.IntN(44)
		v := 0
		if r.IntN(4) == 0 {
			v = 1
		}
		baseOps[i] = uint8(k)
		base.encodeBin(&bctx[k], v)
	}
	baseData := base.finish()

	coeff := make([]int16, 1024)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var tRes, tBase time.Duration
	cpu0 := processCPUTime()
	sink := 0
	for range b.N {
		t0 := time.Now()
		var c cabac
		_ = c.init(data)
		x := init
		for i := range tbs {
			res := residual{coeff: coeff}
			if err := residualCoding(&c, &x, &tbs[i], &res); err != nil {
				b.Fatal(err)
			}
			clear(coeff[:1<<(2*tbs[i].log2Size)])
		}
		t1 := time.Now()
		_ = c.init(baseData)
		var bx [44]uint8
		for _, k := range baseOps {
			sink += c.decodeBin(&bx[k%44])
		}
		tRes += t1.Sub(t0)
		tBase += time.Since(t1)
	}
	cpu := processCPUTime() - cpu0
	_ = sink
	b.ReportMetric(float64(tRes.Nanoseconds())/float64(b.N*nonzero), "ns/coeff")
	b.ReportMetric(float64(tRes.Nanoseconds())/float64(b.N*bins), "ns/bin")
	b.ReportMetric(float64(tBase.Nanoseconds())/float64(b.N*bins), "baseline-ns/bin")
	b.ReportMetric(float64(tRes)/float64(tBase), "x-baseline")
	// CPU time per bin (both phases): less sensitive than wall time to
	// other processes on a shared machine.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(2*b.N*bins), "cpu-ns/bin")
	b.ReportMetric(float64(bins)/float64(nonzero), "bins/coeff")
}

// FuzzResidualCoding decodes arbitrary bytes as a sequence of transform
// blocks with parameters taken from the first input byte. Properties: no
// panic; errors are ErrCorrupt; on success every nonzero coefficient lies
// inside the block and within (maxX, maxY), and (maxX, maxY) is attained.
func FuzzResidualCoding(f *testing.F) {
	// Seeds: valid streams from the test encoder, plus trivial inputs.
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 1))
		var init contexts
		init.init(26)
		enc := &testResidualEncoder{e: newTestCabacEncoder(), ctx: testCtxs(&init, numContexts)}
		p := fuzzParams(byte(seed * 37))
		for range 4 {
			enc.encode(&p, randomBlock(r, p.log2Size), false)
		}
		f.Add(byte(seed*37), enc.e.finish())
	}
	f.Add(byte(0), []byte{0})
	f.Add(byte(255), []byte{0x7f, 0xff, 0xff, 0xff, 0xff})
	coeff := make([]int16, 32*32)
	f.Fuzz(func(t *testing.T, pb byte, data []byte) {
		if len(data) > 4096 {
			return
		}
		var c cabac
		if c.init(data) != nil {
			return
		}
		var x contexts
		x.init(26)
		p := fuzzParams(pb)
		n := 1 << p.log2Size
		for range 8 {
			clear(coeff)
			res := residual{coeff: coeff[:n*n]}
			err := residualCoding(&c, &x, &p, &res)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v is not ErrCorrupt", err)
				}
				return
			}
			mx, my := 0, 0
			for i, v := range coeff {
				if v != 0 {
					if i >= n*n {
						t.Fatal("coefficient outside the block")
					}
					mx, my = max(mx, i%n), max(my, i/n)
				}
			}
			if mx != res.maxX || my != res.maxY {
				t.Fatalf("max (%d,%d), coefficients reach (%d,%d)", res.maxX, res.maxY, mx, my)
			}
			if c.err() != nil {
				return
			}
		}
	})
}

// fuzzParams derives transform block parameters from one byte.
func fuzzParams(b byte) tbParams {
	return tbParams{
		log2Size:             2 + int(b&3),
		cIdx:                 int(b>>2&3) % 3,
		predModeIntra:        int(b>>4) * 2,
		bypass:               b&0x40 != 0 && b&0x80 != 0,
		transformSkipEnabled: b&0x40 != 0,
		signHiding:           b&0x80 != 0,
	}
}

// TestAbsLevelRemainingHuge: a coeff_abs_level_remaining codeword whose
// value exceeds any coefficient (30 prefix ones, Rice parameter 4: above
// 2^31) is refused, or decoded to its true value; never wrapped around to
// a small or negative one (int is 32 bits on 386 and arm).
func TestAbsLevelRemainingHuge(t *testing.T) {
	for _, prefix := range []int{18, 19, 24, 30, 32} {
		t.Run(fmt.Sprint("prefix=", prefix), func(t *testing.T) {
			const rice = 4
			e := newTestCabacEncoder()
			for range prefix {
				e.encodeBypass(1)
			}
			e.encodeBypass(0)
			for range prefix - 3 + rice {
				e.encodeBypass(1)
			}
			var c cabac
			if err := c.init(e.finish()); err != nil {
				t.Fatal(err)
			}
			v, ok := c.absLevelRemaining(rice)
			if ok && int64(v) < (int64(1)<<(prefix-3)+2)<<rice {
				t.Fatalf("v = %d, want at least (2^%d+2)<<%d or a refusal", v, prefix-3, rice)
			}
		})
	}
}
