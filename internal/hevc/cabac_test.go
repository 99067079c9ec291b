package hevc

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// testCabacEncoder is a straightforward implementation of the arithmetic
// encoding process of 9.3.5 (ivlLow / bitsOutstanding / PutBit), used to
// produce streams for the decoder under test. It keeps its context states
// unpacked and uses its own transition logic, so it shares only the
// rangeTabLps / transIdxLpsTab constants with the decoder.
type testCabacEncoder struct {
	low, rng        uint32
	firstBit        bool
	bitsOutstanding int
	out             []byte
	nbits           int // bits written into out
	bins            int // bins encoded
}

type testCtx struct{ state, mps int }

func newTestCabacEncoder() *testCabacEncoder {
	return &testCabacEncoder{rng: 510, firstBit: true}
}

func (e *testCabacEncoder) writeBit(b int) {
	if e.nbits%8 == 0 {
		e.out = append(e.out, 0)
	}
	if b != 0 {
		e.out[len(e.out)-1] |= 0x80 >> (e.nbits % 8)
	}
	e.nbits++
}

func (e *testCabacEncoder) putBit(b int) {
	if e.firstBit {
		e.firstBit = false
	} else {
		e.writeBit(b)
	}
	for ; e.bitsOutstanding > 0; e.bitsOutstanding-- {
		e.writeBit(1 - b)
	}
}

func (e *testCabacEncoder) renorm() {
	for e.rng < 256 {
		switch {
		case e.low < 256:
			e.putBit(0)
		case e.low >= 512:
			e.low -= 512
			e.putBit(1)
		default:
			e.low -= 256
			e.bitsOutstanding++
		}
		e.rng <<= 1
		e.low <<= 1
	}
}

func (e *testCabacEncoder) encodeBin(c *testCtx, bin int) {
	e.bins++
	lps := uint32(rangeTabLps[c.state*4+int(e.rng>>6&3)])
	e.rng -= lps
	if bin != c.mps {
		e.low += e.rng
		e.rng = lps
		if c.state == 0 {
			c.mps = 1 - c.mps
		}
		c.state = int(transIdxLpsTab[c.state])
	} else if c.state < 62 {
		c.state++
	}
	e.renorm()
}

func (e *testCabacEncoder) encodeBypass(bin int) {
	e.bins++
	e.low <<= 1
	if bin != 0 {
		e.low += e.rng
	}
	switch {
	case e.low >= 1024:
		e.putBit(1)
		e.low -= 1024
	case e.low < 512:
		e.putBit(0)
	default:
		e.low -= 512
		e.bitsOutstanding++
	}
}

// encodeTerminate encodes a terminating bin; with bin 1 it flushes
// (EncodeFlush), writing the final bit 1 which is the stop / alignment bit.
func (e *testCabacEncoder) encodeTerminate(bin int) {
	e.rng -= 2
	if bin != 0 {
		e.low += e.rng
		e.rng = 2
		e.renorm()
		e.putBit(int(e.low >> 9 & 1))
		e.writeBit(int(e.low >> 8 & 1))
		e.writeBit(1)
		return
	}
	e.renorm()
}

// align pads the output with zero bits to a byte boundary.
func (e *testCabacEncoder) align() {
	e.nbits = len(e.out) * 8
}

// finish terminates the substream (end_of_slice_segment_flag = 1 plus
// alignment) and returns the bytes.
func (e *testCabacEncoder) finish() []byte {
	e.encodeTerminate(1)
	e.align()
	return e.out
}

// restart re-initialises the encoder state after a terminate (as after
// pcm_sample), keeping the output.
func (e *testCabacEncoder) restart() {
	e.low, e.rng, e.firstBit, e.bitsOutstanding = 0, 510, true, 0
}

type cabacOp struct {
	kind int // 0 context bin, 1 bypass, 2 bypass bits, 3 terminate 0
	ctx  int
	n    int
	val  int
}

func randomOps(r *rand.Rand, n, nctx int) []cabacOp {
	ops := make([]cabacOp, n)
	// Each context gets a bias so that states climb high and LPS paths
	// with long renormalisations occur.
	bias := make([]float64, nctx)
	for i := range bias {
		bias[i] = r.Float64()
	}
	for i := range ops {
		k := r.IntN(10)
		switch {
		case k < 6:
			c := r.IntN(nctx)
			v := 0
			if r.Float64() < bias[c] {
				v = 1
			}
			ops[i] = cabacOp{kind: 0, ctx: c, val: v}
		case k < 8:
			ops[i] = cabacOp{kind: 1, val: r.IntN(2)}
		case k < 9:
			nb := r.IntN(41)
			ops[i] = cabacOp{kind: 2, n: nb, val: int(r.Uint64() & (1<<nb - 1))}
		default:
			ops[i] = cabacOp{kind: 3}
		}
	}
	return ops
}

// testCtxs returns the test encoder's copies of the first n contexts of
// init.
func testCtxs(init *contexts, n int) []testCtx {
	ctx := make([]testCtx, n)
	for i := range ctx {
		ctx[i] = testCtx{state: int(init[i] >> 1), mps: int(init[i] & 1)}
	}
	return ctx
}

// encodeOps encodes ops with the test encoder (contexts ectx).
func encodeOps(enc *testCabacEncoder, ectx []testCtx, ops []cabacOp) {
	for _, op := range ops {
		switch op.kind {
		case 0:
			enc.encodeBin(&ectx[op.ctx], op.val)
		case 1:
			enc.encodeBypass(op.val)
		case 2:
			for b := op.n - 1; b >= 0; b-- {
				enc.encodeBypass(op.val >> b & 1)
			}
		case 3:
			enc.encodeTerminate(0)
		}
	}
}

// decodeOps decodes ops with c (contexts dctx) and reports the index of
// the first op whose value differs, with the value decoded, or -1.
func decodeOps(c *cabac, dctx *contexts, ops []cabacOp) (bad, got int) {
	for i, op := range ops {
		switch op.kind {
		case 0:
			got = c.decodeBin(&dctx[op.ctx])
		case 1:
			got = c.decodeBypass()
		case 2:
			got = c.decodeBypassBits(op.n)
		case 3:
			got = c.decodeTerminate()
		}
		if got != op.val {
			return i, got
		}
	}
	return -1, 0
}

// garbageCabac starts a decoder on n random bytes, with contexts for a
// random QP; ok is false when the bytes are refused as a start.
func garbageCabac(r *rand.Rand, n int) (c *cabac, x *contexts, ok bool) {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	c, x = new(cabac), new(contexts)
	if c.init(data) != nil {
		return nil, nil, false
	}
	x.init(r.IntN(52))
	return c, x, true
}

func TestCabacAgainstEncoder(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		nctx := 1 + r.IntN(numContexts)
		n := 1 + r.IntN(5000)
		if seed < 20 {
			n = int(seed) // tiny streams, including none
		}
		ops := randomOps(r, int(n), nctx)
		qp := r.IntN(52)
		var init contexts
		init.init(qp)
		enc := newTestCabacEncoder()
		ectx := testCtxs(&init, nctx)
		encodeOps(enc, ectx, ops)
		data := enc.finish()

		var c cabac
		if err := c.init(data); err != nil {
			t.Fatalf("seed %d: init: %v", seed, err)
		}
		dctx := init
		if i, got := decodeOps(&c, &dctx, ops); i >= 0 {
			t.Fatalf("seed %d: op %d (kind %d): got %d, want %d", seed, i, ops[i].kind, got, ops[i].val)
		}
		if c.decodeTerminate() != 1 {
			t.Fatalf("seed %d: final terminate bin is 0", seed)
		}
		if err := c.err(); err != nil {
			t.Fatalf("seed %d: err after a complete stream: %v", seed, err)
		}
		if got := c.alignedPos(); got != len(data) {
			t.Fatalf("seed %d: alignedPos %d, stream has %d bytes", seed, got, len(data))
		}
		for i := range ectx {
			if want := uint8(ectx[i].state<<1 | ectx[i].mps); dctx[i] != want {
				t.Fatalf("seed %d: context %d state %#x, encoder %#x", seed, i, dctx[i], want)
			}
		}
	}
}

// TestCabacPCMRestart checks the pcm_flag pattern: a terminating bin 1,
// byte-aligned raw bytes at alignedPos, and a decoder restarted after them.
func TestCabacPCMRestart(t *testing.T) {
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 11))
		var init contexts
		init.init(30)
		enc := newTestCabacEncoder()
		ectx := testCtxs(&init, 8)
		segs := 1 + r.IntN(4)
		type seg struct {
			ops []cabacOp
			raw []byte
		}
		ss := make([]seg, segs)
		for s := range ss {
			ss[s].ops = randomOps(r, r.IntN(300), 8)
			ss[s].raw = make([]byte, r.IntN(20))
			for i := range ss[s].raw {
				ss[s].raw[i] = byte(r.Uint32())
			}
			encodeOps(enc, ectx, ss[s].ops)
			enc.encodeTerminate(1)
			enc.align()
			enc.out = append(enc.out, ss[s].raw...)
			enc.nbits = len(enc.out) * 8
			enc.restart()
		}
		enc.encodeBypass(1)
		data := enc.finish()

		var c cabac
		dctx := init
		off := 0
		for s := range ss {
			if err := c.init(data[off:]); err != nil {
				t.Fatalf("seed %d seg %d: init: %v", seed, s, err)
			}
			if i, got := decodeOps(&c, &dctx, ss[s].ops); i >= 0 {
				t.Fatalf("seed %d seg %d op %d: got %d, want %d", seed, s, i, got, ss[s].ops[i].val)
			}
			if c.decodeTerminate() != 1 {
				t.Fatalf("seed %d seg %d: terminate bin 0", seed, s)
			}
			p := off + c.alignedPos()
			raw := data[p : p+len(ss[s].raw)]
			if string(raw) != string(ss[s].raw) {
				t.Fatalf("seed %d seg %d: raw bytes at %d differ", seed, s, p)
			}
			off = p + len(raw)
		}
		if err := c.init(data[off:]); err != nil {
			t.Fatal(err)
		}
		if c.decodeBypass() != 1 || c.decodeTerminate() != 1 || c.err() != nil {
			t.Fatalf("seed %d: bad tail", seed)
		}
	}
}

func TestCabacPastEnd(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		var c cabac
		if err := c.init(nil); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("init(nil) = %v", err)
		}
		if !errors.Is(c.err(), ErrCorrupt) {
			t.Fatal("err() nil after a failed init")
		}
		// Must not panic.
		c.decodeBypassBits(32)
		var x uint8
		c.decodeBin(&x)
	})
	t.Run("offset510", func(t *testing.T) {
		var c cabac
		if err := c.init([]byte{0xff, 0x80}); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("init = %v", err)
		}
		// Going on regardless must keep values in range.
		for n := 1; n <= 32; n++ {
			if v := c.decodeBypassBits(n); uint64(uint(v)) >= 1<<uint(n) {
				t.Fatalf("decodeBypassBits(%d) = %d after a bad init", n, v)
			}
		}
		if !errors.Is(c.err(), ErrCorrupt) {
			t.Fatal("err() nil after a bad init")
		}
	})
	t.Run("truncated", func(t *testing.T) {
		var c cabac
		data := []byte{0x12, 0x34, 0x56}
		if err := c.init(data); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 15; i++ {
			c.decodeBypass()
		}
		if c.err() != nil {
			t.Fatalf("error after 24 bits consumed: %v", c.err())
		}
		c.decodeBypass()
		if !errors.Is(c.err(), ErrCorrupt) {
			t.Fatal("no error after reading past the end")
		}
		for i := 0; i < 1000; i++ {
			var x uint8 = 20
			c.decodeBin(&x)
			c.decodeBypassBits(20)
			c.decodeTerminate()
		}
		if !errors.Is(c.err(), ErrCorrupt) {
			t.Fatal("error not sticky")
		}
	})
	t.Run("garbage", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 200 {
			c, x, ok := garbageCabac(r, r.IntN(40))
			if !ok {
				continue
			}
			finished := false
			for range 2000 {
				switch r.IntN(4) {
				case 0:
					c.decodeBin(&x[r.IntN(numContexts)])
				case 1:
					c.decodeBypass()
				case 2:
					c.decodeBypassBits(r.IntN(33))
				case 3:
					finished = c.decodeTerminate() == 1
				}
				if finished {
					break
				}
				if c.rng < 256 || c.rng > 510 || c.cnt < 8 || c.cnt > 54 || c.val >= uint64(c.rng)<<c.cnt {
					t.Fatalf("engine invariant broken: rng %d cnt %d val %#x", c.rng, c.cnt, c.val)
				}
			}
			if !finished && c.err() == nil {
				t.Fatal("40 bytes yielded 2000 ops without error")
			}
		}
	})
}

func TestContextInit(t *testing.T) {
	// Spot checks of 9.3.2.2 computed by hand.
	cases := []struct {
		initValue, qp int
		want          uint8
	}{
		// 154: m = 0, n = 64 -> preCtxState 64 -> pStateIdx 0, valMps 1.
		{154, 26, 0<<1 | 1},
		// 139: slope 8 -> m = -5, offset 11 -> n = 72; qp 26: (-130>>4) = -9 -> 63 -> pState 0, mps 0.
		{139, 26, 0},
		// 63: slope 3 -> m = -30, offset 15 -> n = 104; qp 0: 104 -> pState 40, mps 1.
		{63, 0, 40<<1 | 1},
		// 63 at qp 51: (-1530>>4) = -96 -> 8 -> pState 55, mps 0.
		{63, 51, 55 << 1},
		// Clipping: 224 (slope 14 -> m = 25, offset 0 -> n = -16) at qp 51:
		// (1275>>4) - 16 = 63 -> pState 0 mps 0; at qp 0: -16 -> clipped to 1 -> pState 62.
		{224, 51, 0},
		{224, 0, 62 << 1},
		// qp above 51 is clipped.
		{63, 60, 55 << 1},
	}
	for _, tc := range cases {
		if got := ctxState(tc.initValue, tc.qp); got != tc.want {
			t.Errorf("ctxState(%d, %d) = %#x, want %#x", tc.initValue, tc.qp, got, tc.want)
		}
	}
	var x contexts
	x.init(26)
	if x[ctxCuQpDeltaAbs] != 1 || x[ctxTransformSkipFlag+1] != 0 {
		t.Errorf("init(26): cu_qp_delta_abs %#x transform_skip_flag %#x", x[ctxCuQpDeltaAbs], x[ctxTransformSkipFlag+1])
	}
	for i, v := range ctxInitValues {
		if v == 0 {
			t.Errorf("context %d has no init value", i)
		}
	}
}

func BenchmarkCabacDecodeBin(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	ops := make([]cabacOp, 1<<16)
	for i := range ops {
		v := 0
		if r.IntN(10) < 2 {
			v = 1
		}
		ops[i] = cabacOp{ctx: r.IntN(16), val: v}
	}
	var init contexts
	init.init(30)
	enc := newTestCabacEncoder()
	ectx := testCtxs(&init, 16)
	for _, op := range ops {
		enc.encodeBin(&ectx[op.ctx], op.val)
	}
	data := enc.finish()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var sink int
	for range b.N {
		var c cabac
		_ = c.init(data)
		x := init
		for _, op := range ops {
			sink += c.decodeBin(&x[op.ctx])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ops)), "ns/bin")
	_ = sink
}

func TestCabacRenormTable(t *testing.T) {
	for r := 6; r <= 510; r++ {
		n := 0
		for r<<n < 256 {
			n++
		}
		if got := int(cabacRenorm[r>>3]); got != n {
			t.Fatalf("cabacRenorm[%d>>3] = %d, want %d", r, got, n)
		}
	}
}
