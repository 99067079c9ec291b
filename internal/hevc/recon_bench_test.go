package hevc

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// Benchmarks of the reconstruction stage (intra prediction, residual
// reconstruction), e.g. go test -run XXX -bench 'Predict|Reconstruct'
// -benchtime 200ms ./internal/hevc/

// benchPredict measures predict for one size over the given modes, on a
// block whose neighbours are all available, and reports ns per predicted
// sample.
func benchPredict(b *testing.B, c, log2 int, modes []int) {
	f := newTestFrame(256, 256, 6, 2, true, nil)
	fillPlanes(f, rand.New(rand.NewSource(4)), 1)
	n := 1 << log2
	// Blocks of the CTB at (64, 64): its first one (neighbours in other
	// CTBs) and three inside it.
	sh := 0
	if c > 0 {
		sh = 1
	}
	pos := [4][2]int{{64, 64}, {64 + n<<sh, 64}, {64, 64 + n<<sh}, {64 + 2*n<<sh, 64 + 2*n<<sh}}
	b.ReportAllocs()
	b.SetBytes(int64(n * n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pos[i&3]
		f.predict(c, p[0]>>sh, p[1]>>sh, log2, modes[i%len(modes)])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*n), "ns/sample")
}

func BenchmarkPredict(b *testing.B) {
	var angular []int
	for m := 2; m <= 34; m++ {
		angular = append(angular, m)
	}
	sets := []struct {
		name  string
		modes []int
	}{
		{"planar", []int{0}},
		{"dc", []int{1}},
		{"hor10", []int{10}},
		{"ver26", []int{26}},
		{"diag2", []int{2}},
		{"ang7", []int{7}},
		{"ang29", []int{29}},
		{"ang14", []int{14}},
		{"ang22", []int{22}},
		{"allAngular", angular},
	}
	for log2 := 2; log2 <= 5; log2++ {
		for _, s := range sets {
			b.Run(fmt.Sprintf("luma%d/%s", 1<<log2, s.name), func(b *testing.B) { benchPredict(b, 0, log2, s.modes) })
		}
	}
	for log2 := 2; log2 <= 4; log2++ {
		b.Run(fmt.Sprintf("chroma%d/allAngular", 1<<log2), func(b *testing.B) { benchPredict(b, 1, log2, angular) })
	}
}

// naiveInverse is the benchmark baseline: the same two-stage inverse DCT
// as full int32 matrix products over every coefficient (no butterflies,
// no zero skipping), on already scaled coefficients d[y*n+x].
func naiveInverse(d []int32, n int, dst []uint8, stride int) {
	var g [32 * 32]int32
	step := 32 / n
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			var e int32
			for j := 0; j < n; j++ {
				e += specTransMatrix[j*step][y] * d[j*n+x]
			}
			g[y*n+x] = clip16i((e + 64) >> 7)
		}
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var e int32
			for j := 0; j < n; j++ {
				e += specTransMatrix[j*step][x] * g[y*n+j]
			}
			dst[y*stride+x] = clipPel(int(dst[y*stride+x]) + int((e+2048)>>12))
		}
	}
}

// benchReconstruct measures reconstruct on blocks of one size and
// density (blocks pre-generated, cycled), reporting ns per sample and the
// speed-up over naiveInverse measured in the same run.
func benchReconstruct(b *testing.B, kernel dctKernel, log2 int, kind string) {
	n := 1 << log2
	rng := rand.New(rand.NewSource(5))
	f, x0, y0 := reconFrame(n)
	const nb = 64
	blocks := make([][]int16, nb)
	maxs := make([][2]int, nb)
	for i := range blocks {
		blocks[i] = make([]int16, n*n)
		switch kind {
		case "dc":
			blocks[i][0] = int16(rng.Intn(200) - 100)
		case "sparse": // a few coefficients in the top-left 4x4
			for k := 0; k < 3; k++ {
				blocks[i][rng.Intn(4)*n+rng.Intn(4)] = int16(rng.Intn(40) - 20)
			}
		default: // dense
			for k := range blocks[i] {
				blocks[i][k] = int16(rng.Intn(200) - 100)
			}
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if blocks[i][y*n+x] != 0 {
					maxs[i][0], maxs[i][1] = max(maxs[i][0], x), max(maxs[i][1], y)
				}
			}
		}
	}
	coeff := make([]int16, n*n)
	r := &residual{x: x0, y: y0, log2Size: log2, coeff: coeff, qp: 30, dst: kind == "dst"}
	b.ReportAllocs()
	b.SetBytes(int64(n * n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % nb
		copy(coeff, blocks[k])
		r.maxX, r.maxY = maxs[k][0], maxs[k][1]
		f.reconstructWith(r, kernel)
	}
	b.StopTimer()
	fast := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(fast/float64(n*n), "ns/sample")
	// Baseline in the same run: the naive matrix product on the same
	// blocks (scaling excluded, so the ratio understates the speed-up).
	d := make([]int32, n*n)
	iters := max(1, min(b.N, 20000/n))
	start := nanotime()
	for i := 0; i < iters; i++ {
		for j, v := range blocks[i%nb] {
			d[j] = int32(v) * 16
		}
		naiveInverse(d, n, f.planes[0][y0*f.stride[0]+x0:], f.stride[0])
	}
	naive := float64(nanotime()-start) / float64(iters)
	b.ReportMetric(naive/fast, "x-vs-naive")
}

func BenchmarkReconstruct(b *testing.B) {
	for _, k := range dctKernels {
		for log2 := 2; log2 <= 5; log2++ {
			for _, kind := range []string{"dc", "sparse", "dense"} {
				b.Run(fmt.Sprintf("%s/%d/%s", k.name, 1<<log2, kind), func(b *testing.B) { benchReconstruct(b, k.run, log2, kind) })
			}
		}
	}
	b.Run("4/dst", func(b *testing.B) { benchReconstruct(b, dctBlock, 2, "dst") })
}

func nanotime() int64 { return time.Now().UnixNano() }
