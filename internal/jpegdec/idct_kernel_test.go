package jpegdec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// kernelCase is one block for a blockKernel: quantized coefficients in
// natural order, the quantization table, and the rows argument.
type kernelCase struct {
	coef [64]int16
	q    [64]int32
	rows int
}

// kernelSet is the kernels of one scale with the reference they must
// match; n is the output block size.
type kernelSet struct {
	name    string
	n       int
	ref     func(*kernelCase) []byte
	kernels []namedKernel
}

var kernelSets = []kernelSet{
	{"idct8", 8, refIDCT8, idct8Kernels},
	{"idct4", 4, refScaled(4), idct4Kernels},
	{"idct2", 2, refScaled(2), idct2Kernels},
}

func (c *kernelCase) dequantized() (b block) {
	for i := range b {
		b[i] = int32(c.coef[i]) * c.q[i]
	}
	return b
}

// refIDCT8 is image/jpeg's dequantize, idct and store, on the whole block.
func refIDCT8(c *kernelCase) []byte {
	b := c.dequantized()
	idct(&b)
	px := make([]byte, 64)
	store8(px, 8, &b)
	return px
}

// refScaled returns the reference for the n×n kernels: the scalar idct4
// or idct2 (which TestScaledIDCTIsBoxAverage checks against the exact
// box average) on the whole dequantized block.
func refScaled(n int) func(*kernelCase) []byte {
	return func(c *kernelCase) []byte {
		b := c.dequantized()
		px := make([]byte, n*n)
		if n == 4 {
			idct4(&b, px, n)
		} else {
			idct2(&b, px, n)
		}
		return px
	}
}

// rowsOf returns the rows argument for coef: the number of leading rows
// holding its non-zero coefficients, at least 1.
func rowsOf(coef *[64]int16) int {
	rows := 1
	for i, v := range coef {
		if v != 0 {
			rows = max(rows, i/8+1)
		}
	}
	return rows
}

const (
	kernelStride = 13 // odd, so rows are not aligned
	kernelGuard  = 0xA5
)

// runKernel runs k on a copy of c into a guarded destination and checks
// that it wrote exactly the n×n block, left the coefficients zero and did
// not touch q. It returns the pixels.
func runKernel(t testing.TB, k namedKernel, n int, c *kernelCase) []byte {
	t.Helper()
	coef, q := c.coef, c.q
	var tmp block
	for i := range tmp {
		tmp[i] = math.MinInt32 // kernels must not depend on tmp's contents
	}
	dst := make([]byte, 2+(n-1)*kernelStride+n+kernelStride)
	for i := range dst {
		dst[i] = kernelGuard
	}
	// The block starts at offset 2 to check that nothing before it is written.
	k.fn(&coef, &q, c.rows, dst[2:], kernelStride, &tmp)
	px := make([]byte, n*n)
	for i := range dst {
		y, x := (i-2)/kernelStride, (i-2)%kernelStride
		if i >= 2 && y < n && x < n {
			px[y*n+x] = dst[i]
		} else if dst[i] != kernelGuard {
			t.Fatalf("%s wrote byte %d outside the block", k.name, i)
		}
	}
	if coef != [64]int16{} {
		t.Fatalf("%s did not re-zero the coefficients", k.name)
	}
	if q != c.q {
		t.Fatalf("%s modified the quantization table", k.name)
	}
	return px
}

// checkKernels fails if any kernel of any scale disagrees with its
// reference on c.
func checkKernels(t testing.TB, c *kernelCase) {
	t.Helper()
	for _, set := range kernelSets {
		want := set.ref(c)
		for _, k := range set.kernels {
			if got := runKernel(t, k, set.n, c); !bytes.Equal(got, want) {
				t.Fatalf("%s/%s differs from the reference (rows %d)\ncoef %v\nq %v\ngot  %v\nwant %v", set.name, k.name, c.rows, c.coef, c.q, got, want)
			}
		}
	}
}

// randomQuant returns a quantization table: a typical 8-bit one scaled by
// a quality factor, or (rarely) random 16-bit entries.
func randomQuant(rng *rand.Rand) (q [64]int32) {
	switch rng.IntN(4) {
	case 0: // 16-bit table with arbitrary entries
		for i := range q {
			q[i] = int32(1 + rng.IntN(65535))
		}
	case 1: // all ones (quality 100)
		for i := range q {
			q[i] = 1
		}
	default: // a libjpeg-like table: growing with frequency
		s := 1 + rng.IntN(12)
		for i := range q {
			q[i] = int32(min(255, 1+s*(2+i/8+i%8)/2+rng.IntN(3)))
		}
	}
	return q
}

// randomCase returns a block with coefficients in the first rows rows:
// photo-like (decaying with frequency), dense, or at the extremes of what
// a JPEG can encode (±2047 for AC, ±32767 for DC after prediction) or of
// int16.
func randomCase(rng *rand.Rand, rows int) kernelCase {
	c := kernelCase{q: randomQuant(rng), rows: rows}
	mode := rng.IntN(5)
	density := rng.IntN(4) // 0: sparse … 3: dense
	for i := 0; i < rows*8; i++ {
		if i > 0 && rng.IntN(4) > density {
			continue
		}
		var v int
		switch mode {
		case 0, 1: // photo-like
			amp := 1 + 600/(1+i/8+i%8)
			v = rng.IntN(2*amp+1) - amp
		case 2: // full AC range
			v = rng.IntN(4095) - 2047
		case 3: // extremes
			v = []int{-2047, 2047, -32768, 32767, -1, 1, 0}[rng.IntN(7)]
		default: // any int16
			v = int(int16(rng.Uint32()))
		}
		c.coef[i] = int16(v)
	}
	return c
}

// TestKernelsMatchReference runs every kernel of every scale on the same
// blocks: full-size ones must match image/jpeg's idct, scaled ones the
// scalar code.
func TestKernelsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for rows := 1; rows <= 8; rows++ {
		t.Run(fmt.Sprintf("rows=%d", rows), func(t *testing.T) {
			for iter := 0; iter < 3000; iter++ {
				c := randomCase(rng, rows)
				checkKernels(t, &c)
			}
		})
	}
	t.Run("zigzag", func(t *testing.T) {
		// Blocks as the entropy decoder produces them: coefficients up
		// to a zig-zag index, rows from rowsUsed.
		for iter := 0; iter < 5000; iter++ {
			c := kernelCase{q: randomQuant(rng)}
			last := rng.IntN(64)
			for k := 1; k <= last; k++ {
				if k == last || rng.IntN(2) == 0 {
					c.coef[unzig[k]] = int16(rng.IntN(4095) - 2047)
				}
			}
			c.coef[0] = int16(rng.IntN(4001) - 2000)
			c.rows = int(rowsUsed[last])
			checkKernels(t, &c)
		}
	})
	t.Run("edges", func(t *testing.T) {
		for _, v := range []int16{math.MinInt16, math.MaxInt16, -2047, 2047, -1024, 1023, -1, 1} {
			for _, qv := range []int32{1, 2, 255, 256, 65535} {
				var all, dc, row0, col0 kernelCase
				for i := range 64 {
					all.coef[i] = v
					all.q[i], dc.q[i], row0.q[i], col0.q[i] = qv, qv, qv, qv
				}
				dc.coef[0] = v
				for i := range 8 {
					row0.coef[i] = v
					col0.coef[8*i] = v
				}
				all.rows, dc.rows, row0.rows, col0.rows = 8, 1, 1, 8
				for _, c := range []*kernelCase{&all, &dc, &row0, &col0} {
					checkKernels(t, c)
				}
				// Alternating signs maximise the butterflies' sums.
				alt := all
				for i := range alt.coef {
					if (i/8+i%8)%2 == 1 {
						alt.coef[i] = -v
					}
				}
				checkKernels(t, &alt)
			}
		}
	})
}

// FuzzKernels checks every kernel against its reference on
// arbitrary coefficients and quantization tables: the input is up to 64
// little-endian int16 coefficients followed by up to 64 uint16 quantizers
// (missing ones are 1).
func FuzzKernels(f *testing.F) {
	le := func(vals ...int) []byte {
		var b []byte
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		}
		return b
	}
	f.Add(le(100))
	f.Add(le(-1024, 50, -30, 0, 0, 0, 0, 0, 20))
	f.Add(le(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		c := randomCase(rng, 1+rng.IntN(8))
		var b []byte
		for _, v := range c.coef {
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		}
		for _, v := range c.q {
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 256 {
			return
		}
		var c kernelCase
		for i := range c.q {
			c.q[i] = 1
		}
		for i := 0; i+1 < len(b); i += 2 {
			v := binary.LittleEndian.Uint16(b[i:])
			if i < 128 {
				c.coef[i/2] = int16(v)
			} else {
				c.q[i/2-64] = int32(v)
			}
		}
		c.rows = rowsOf(&c.coef)
		checkKernels(t, &c)
	})
}

// photoBlocks returns the blocks of a testdata photo (the 200×150 4:2:0
// fixture) as the entropy decoder hands them to reconstruct.
func photoBlocks(tb testing.TB) []kernelCase {
	data, err := os.ReadFile(filepath.Join("testdata", "mid_200x150_420.jpg"))
	if err != nil {
		tb.Fatal(err)
	}
	hd, err := parseHeader(data, false, 0)
	if err != nil {
		tb.Fatal(err)
	}
	p := newPlan(hd, 0)
	buf := getRowBuf(p.mcusX * p.bpm)
	var r bitReader
	r.reset(data, hd.scanStart)
	var pred [3]int32
	var out []kernelCase
	for my := 0; my < p.mcusY; my++ {
		if err := p.decodeMCUs(&r, buf, 0, p.mcusX, &pred); err != nil {
			tb.Fatal(err)
		}
		bi := 0
		for mx := 0; mx < p.mcusX; mx++ {
			for ci := 0; ci < p.nComp; ci++ {
				for j := 0; j < p.comp[ci].nb; j++ {
					var c kernelCase
					copy(c.coef[:], buf.coef[bi*64:])
					clear(buf.coef[bi*64 : bi*64+64])
					c.q = *p.comp[ci].quant
					c.rows = int(rowsUsed[buf.last[bi]])
					if buf.last[bi] > 0 { // reconstruct handles DC-only blocks itself
						out = append(out, c)
					}
					bi++
				}
			}
		}
	}
	return out
}

func TestKernelsOnPhoto(t *testing.T) {
	blocks := photoBlocks(t)
	if len(blocks) < 100 {
		t.Fatalf("only %d blocks with AC coefficients", len(blocks))
	}
	for i := range blocks {
		checkKernels(t, &blocks[i])
	}
}

// BenchmarkKernels times each kernel of each scale on the same blocks
// and reports ns per block and the speedup over the portable kernel, timed
// in the same run (best batch of each).
func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	type blockSet struct {
		name   string
		blocks []kernelCase
	}
	sets := []blockSet{{"photo", photoBlocks(b)}}
	for _, rows := range []int{1, 2, 4, 8} {
		var bl []kernelCase
		for range 256 {
			c := randomCase(rng, rows)
			c.coef[8*(rows-1)] = 5 // the last row is really used
			bl = append(bl, c)
		}
		sets = append(sets, blockSet{fmt.Sprintf("rows=%d", rows), bl})
	}
	for _, ks := range kernelSets {
		for _, set := range sets {
			for _, k := range ks.kernels {
				b.Run(ks.name+"/"+set.name+"/"+k.name, func(b *testing.B) {
					benchKernel(b, k, ks.kernels[0], set.blocks)
				})
			}
		}
	}
}

func benchKernel(b *testing.B, k, base namedKernel, blocks []kernelCase) {
	work := make([]kernelCase, len(blocks))
	dst := make([]byte, 64*8)
	var tmp block
	run := func(fn blockKernel) time.Duration {
		copy(work, blocks)
		t0 := time.Now()
		for i := range work {
			c := &work[i]
			fn(&c.coef, &c.q, c.rows, dst[i%8*8:], 64, &tmp)
		}
		return time.Since(t0)
	}
	b.SetBytes(int64(64 * len(blocks)))
	b.ReportAllocs()
	best, bestBase := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for b.Loop() {
		best = min(best, run(k.fn))
		bestBase = min(bestBase, run(base.fn))
	}
	n := float64(len(blocks))
	b.ReportMetric(float64(best.Nanoseconds())/n, "ns/block")
	b.ReportMetric(float64(bestBase.Nanoseconds())/n, "go_ns/block")
	b.ReportMetric(float64(bestBase)/float64(best), "x_vs_go")
}

// BenchmarkDecodeKernels decodes the benchmark photos at Scale 1, 2 and 4
// on one worker with each block kernel of that scale in turn, alternating
// every iteration, and reports the speedup in thread CPU time over the
// portable kernel (best run of each, which interference can only make
// slower).
func BenchmarkDecodeKernels(b *testing.B) {
	scales := []struct {
		scale int
		slot  *blockKernel
		set   kernelSet
	}{{1, &idct8Store, kernelSets[0]}, {2, &idct4Store, kernelSets[1]}, {4, &idct2Store, kernelSets[2]}}
	for _, in := range benchInputs(b) {
		for _, sc := range scales {
			for _, k := range sc.set.kernels {
				b.Run(fmt.Sprintf("%s/scale=%d/%s", in.name, sc.scale, k.name), func(b *testing.B) {
					saved := *sc.slot
					defer func() { *sc.slot = saved }()
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					o := &Options{Scale: sc.scale, Workers: 1}
					run := func(fn blockKernel) time.Duration {
						*sc.slot = fn
						t0 := threadCPU(b)
						if _, err := Decode(in.data, o); err != nil {
							b.Fatal(err)
						}
						return threadCPU(b) - t0
					}
					b.SetBytes(int64(len(in.data)))
					b.ReportAllocs()
					best, bestBase := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
					for b.Loop() {
						best = min(best, run(k.fn))
						bestBase = min(bestBase, run(sc.set.kernels[0].fn))
					}
					b.ReportMetric(float64(best.Microseconds())/1e3, "cpu_ms")
					b.ReportMetric(float64(bestBase.Microseconds())/1e3, "go_cpu_ms")
					b.ReportMetric(float64(bestBase)/float64(best), "x_vs_go")
				})
			}
		}
	}
}
