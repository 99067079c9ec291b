package hevc

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

// specTransMatrix is the 32x32 DCT coefficient table of 8.6.4.2
// (transMatrix, row = frequency k, column = sample position); the
// nTbS-point matrix is its rows 0, 32/nTbS, 2*32/nTbS, ...
var specTransMatrix = [32][32]int32{
	{64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64},
	{90, 90, 88, 85, 82, 78, 73, 67, 61, 54, 46, 38, 31, 22, 13, 4, -4, -13, -22, -31, -38, -46, -54, -61, -67, -73, -78, -82, -85, -88, -90, -90},
	{90, 87, 80, 70, 57, 43, 25, 9, -9, -25, -43, -57, -70, -80, -87, -90, -90, -87, -80, -70, -57, -43, -25, -9, 9, 25, 43, 57, 70, 80, 87, 90},
	{90, 82, 67, 46, 22, -4, -31, -54, -73, -85, -90, -88, -78, -61, -38, -13, 13, 38, 61, 78, 88, 90, 85, 73, 54, 31, 4, -22, -46, -67, -82, -90},
	{89, 75, 50, 18, -18, -50, -75, -89, -89, -75, -50, -18, 18, 50, 75, 89, 89, 75, 50, 18, -18, -50, -75, -89, -89, -75, -50, -18, 18, 50, 75, 89},
	{88, 67, 31, -13, -54, -82, -90, -78, -46, -4, 38, 73, 90, 85, 61, 22, -22, -61, -85, -90, -73, -38, 4, 46, 78, 90, 82, 54, 13, -31, -67, -88},
	{87, 57, 9, -43, -80, -90, -70, -25, 25, 70, 90, 80, 43, -9, -57, -87, -87, -57, -9, 43, 80, 90, 70, 25, -25, -70, -90, -80, -43, 9, 57, 87},
	{85, 46, -13, -67, -90, -73, -22, 38, 82, 88, 54, -4, -61, -90, -78, -31, 31, 78, 90, 61, 4, -54, -88, -82, -38, 22, 73, 90, 67, 13, -46, -85},
	{83, 36, -36, -83, -83, -36, 36, 83, 83, 36, -36, -83, -83, -36, 36, 83, 83, 36, -36, -83, -83, -36, 36, 83, 83, 36, -36, -83, -83, -36, 36, 83},
	{82, 22, -54, -90, -61, 13, 78, 85, 31, -46, -90, -67, 4, 73, 88, 38, -38, -88, -73, -4, 67, 90, 46, -31, -85, -78, -13, 61, 90, 54, -22, -82},
	{80, 9, -70, -87, -25, 57, 90, 43, -43, -90, -57, 25, 87, 70, -9, -80, -80, -9, 70, 87, 25, -57, -90, -43, 43, 90, 57, -25, -87, -70, 9, 80},
	{78, -4, -82, -73, 13, 85, 67, -22, -88, -61, 31, 90, 54, -38, -90, -46, 46, 90, 38, -54, -90, -31, 61, 88, 22, -67, -85, -13, 73, 82, 4, -78},
	{75, -18, -89, -50, 50, 89, 18, -75, -75, 18, 89, 50, -50, -89, -18, 75, 75, -18, -89, -50, 50, 89, 18, -75, -75, 18, 89, 50, -50, -89, -18, 75},
	{73, -31, -90, -22, 78, 67, -38, -90, -13, 82, 61, -46, -88, -4, 85, 54, -54, -85, 4, 88, 46, -61, -82, 13, 90, 38, -67, -78, 22, 90, 31, -73},
	{70, -43, -87, 9, 90, 25, -80, -57, 57, 80, -25, -90, -9, 87, 43, -70, -70, 43, 87, -9, -90, -25, 80, 57, -57, -80, 25, 90, 9, -87, -43, 70},
	{67, -54, -78, 38, 85, -22, -90, 4, 90, 13, -88, -31, 82, 46, -73, -61, 61, 73, -46, -82, 31, 88, -13, -90, -4, 90, 22, -85, -38, 78, 54, -67},
	{64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64, 64, -64, -64, 64},
	{61, -73, -46, 82, 31, -88, -13, 90, -4, -90, 22, 85, -38, -78, 54, 67, -67, -54, 78, 38, -85, -22, 90, 4, -90, 13, 88, -31, -82, 46, 73, -61},
	{57, -80, -25, 90, -9, -87, 43, 70, -70, -43, 87, 9, -90, 25, 80, -57, -57, 80, 25, -90, 9, 87, -43, -70, 70, 43, -87, -9, 90, -25, -80, 57},
	{54, -85, -4, 88, -46, -61, 82, 13, -90, 38, 67, -78, -22, 90, -31, -73, 73, 31, -90, 22, 78, -67, -38, 90, -13, -82, 61, 46, -88, 4, 85, -54},
	{50, -89, 18, 75, -75, -18, 89, -50, -50, 89, -18, -75, 75, 18, -89, 50, 50, -89, 18, 75, -75, -18, 89, -50, -50, 89, -18, -75, 75, 18, -89, 50},
	{46, -90, 38, 54, -90, 31, 61, -88, 22, 67, -85, 13, 73, -82, 4, 78, -78, -4, 82, -73, -13, 85, -67, -22, 88, -61, -31, 90, -54, -38, 90, -46},
	{43, -90, 57, 25, -87, 70, 9, -80, 80, -9, -70, 87, -25, -57, 90, -43, -43, 90, -57, -25, 87, -70, -9, 80, -80, 9, 70, -87, 25, 57, -90, 43},
	{38, -88, 73, -4, -67, 90, -46, -31, 85, -78, 13, 61, -90, 54, 22, -82, 82, -22, -54, 90, -61, -13, 78, -85, 31, 46, -90, 67, 4, -73, 88, -38},
	{36, -83, 83, -36, -36, 83, -83, 36, 36, -83, 83, -36, -36, 83, -83, 36, 36, -83, 83, -36, -36, 83, -83, 36, 36, -83, 83, -36, -36, 83, -83, 36},
	{31, -78, 90, -61, 4, 54, -88, 82, -38, -22, 73, -90, 67, -13, -46, 85, -85, 46, 13, -67, 90, -73, 22, 38, -82, 88, -54, -4, 61, -90, 78, -31},
	{25, -70, 90, -80, 43, 9, -57, 87, -87, 57, -9, -43, 80, -90, 70, -25, -25, 70, -90, 80, -43, -9, 57, -87, 87, -57, 9, 43, -80, 90, -70, 25},
	{22, -61, 85, -90, 73, -38, -4, 46, -78, 90, -82, 54, -13, -31, 67, -88, 88, -67, 31, 13, -54, 82, -90, 78, -46, 4, 38, -73, 90, -85, 61, -22},
	{18, -50, 75, -89, 89, -75, 50, -18, -18, 50, -75, 89, -89, 75, -50, 18, 18, -50, 75, -89, 89, -75, 50, -18, -18, 50, -75, 89, -89, 75, -50, 18},
	{13, -38, 61, -78, 88, -90, 85, -73, 54, -31, 4, 22, -46, 67, -82, 90, -90, 82, -67, 46, -22, -4, 31, -54, 73, -85, 90, -88, 78, -61, 38, -13},
	{9, -25, 43, -57, 70, -80, 87, -90, 90, -87, 80, -70, 57, -43, 25, -9, -9, 25, -43, 57, -70, 80, -87, 90, -90, 87, -80, 70, -57, 43, -25, 9},
	{4, -13, 22, -31, 38, -46, 54, -61, 67, -73, 78, -82, 85, -88, 90, -90, 90, -90, 88, -85, 82, -78, 73, -67, 61, -54, 46, -38, 31, -22, 13, -4},
}

// specDST is the 4x4 DST-VII transMatrix of 8.6.4.2.
var specDST = [4][4]int{
	{29, 55, 74, 84},
	{74, 74, 0, -74},
	{84, -29, -74, 55},
	{55, -84, 74, -29},
}

// specReconstruct is a direct transcription of 8.6.2-8.6.4 for 8-bit
// samples: it returns Clip1(pred + resSamples) for the block, with
// pred/coeff in raster order [y*n+x].
func specReconstruct(pred []uint8, coeff []int16, log2, qp int, scaling []uint8, ts, bypass, dst bool) []uint8 {
	n := 1 << log2
	res := make([]int64, n*n)
	if bypass {
		for i, c := range coeff {
			res[i] = int64(c)
		}
	} else {
		levelScale := []int64{40, 45, 51, 57, 64, 72}
		bdShift := 8 + log2 - 5
		d := make([]int64, n*n) // d[y*n+x]
		for i, c := range coeff {
			m := int64(16)
			if scaling != nil {
				m = int64(scaling[i])
			}
			v := (int64(c)*m*levelScale[qp%6]<<(qp/6) + 1<<(bdShift-1)) >> bdShift
			d[i] = max(-32768, min(32767, v))
		}
		r := make([]int64, n*n)
		if ts {
			for i := range d {
				r[i] = d[i] << 7
			}
		} else {
			M := func(k, i int) int64 {
				if dst {
					return int64(specDST[k][i])
				}
				return int64(specTransMatrix[k*(32/n)][i])
			}
			// Columns: e[x][y] = sum_j M[j][y] * d[x][j].
			g := make([]int64, n*n)
			for x := 0; x < n; x++ {
				for y := 0; y < n; y++ {
					var e int64
					for j := 0; j < n; j++ {
						e += M(j, y) * d[j*n+x]
					}
					g[y*n+x] = max(-32768, min(32767, (e+64)>>7))
				}
			}
			// Rows: r[x][y] = sum_j M[j][x] * g[j][y].
			for y := 0; y < n; y++ {
				for x := 0; x < n; x++ {
					var e int64
					for j := 0; j < n; j++ {
						e += M(j, x) * g[y*n+j]
					}
					r[y*n+x] = e
				}
			}
		}
		bd := 20 - 8
		for i := range r {
			res[i] = (r[i] + 1<<(bd-1)) >> bd
		}
	}
	out := make([]uint8, n*n)
	for i := range out {
		out[i] = uint8(max(0, min(255, int64(pred[i])+res[i])))
	}
	return out
}

// TestDCTTables checks the butterfly tables derived in transform.go
// against the spec's 32x32 matrix.
func TestDCTTables(t *testing.T) {
	for k := 0; k < 32; k++ {
		for i := 0; i < 32; i++ {
			if got, want := dct32(k, i), specTransMatrix[k][i]; got != want {
				t.Fatalf("dct32(%d, %d) = %d, spec %d", k, i, got, want)
			}
		}
	}
	for k := 0; k < 16; k++ {
		for i := 0; i < 16; i++ {
			if dctOdd32[k][i] != int64(specTransMatrix[2*k+1][i]) {
				t.Fatalf("dctOdd32[%d][%d]", k, i)
			}
		}
	}
	for k := 0; k < 8; k++ {
		for i := 0; i < 8; i++ {
			if dctOdd16[k][i] != int64(specTransMatrix[2*(2*k+1)][i]) {
				t.Fatalf("dctOdd16[%d][%d]", k, i)
			}
		}
	}
}

// coeffKind names the coefficient distributions of the random tests.
var coeffKinds = []string{"small", "sparse", "extreme", "dc", "mixed"}

// randomCoeffs fills coeff (n*n) with a block of the given kind and
// returns maxX, maxY of its nonzero coefficients (0, 0 when all zero).
func randomCoeffs(rng *rand.Rand, coeff []int16, n int, kind string) (int, int) {
	for i := range coeff {
		coeff[i] = 0
	}
	// Nonzero region: a random rectangle anchored at (0, 0).
	w, h := 1+rng.Intn(n), 1+rng.Intn(n)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v int
			switch kind {
			case "small":
				v = rng.Intn(7) - 3
			case "sparse":
				if rng.Intn(6) == 0 {
					v = rng.Intn(41) - 20
				}
			case "extreme":
				v = []int{-32768, 32767, 0, -1, 1}[rng.Intn(5)]
			case "dc":
				if x == 0 && y == 0 {
					v = rng.Intn(2001) - 1000
				}
			default:
				v = rng.Intn(65536) - 32768
				if rng.Intn(2) == 0 {
					v >>= rng.Intn(16)
				}
			}
			coeff[y*n+x] = int16(v)
		}
	}
	mx, my := 0, 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if coeff[y*n+x] != 0 {
				mx, my = max(mx, x), max(my, y)
			}
		}
	}
	return mx, my
}

// reconFrame is a one-block frame for reconstruct tests: plane 0 holds the
// block at (x0, y0) inside a larger stride, so stride handling is tested.
func reconFrame(n int) (*frame, int, int) {
	const x0, y0 = 8, 4
	stride := 96
	f := &frame{}
	f.planes[0] = make([]uint8, stride*(y0+n+4))
	f.stride[0] = stride
	return f, x0, y0
}

func TestReconstructMatchesSpec(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	type variant struct {
		name                string
		log2s               []int
		ts, bypass, dst, sc bool
	}
	variants := []variant{
		{"dct", []int{2, 3, 4, 5}, false, false, false, false},
		{"dct-scaling", []int{2, 3, 4, 5}, false, false, false, true},
		{"dst", []int{2}, false, false, true, false},
		{"dst-scaling", []int{2}, false, false, true, true},
		{"tskip", []int{2}, true, false, false, false},
		{"tskip-scaling", []int{2}, true, false, false, true},
		{"bypass", []int{2, 3, 4, 5}, false, true, false, false},
	}
	for _, kern := range dctKernels {
		for _, v := range variants {
			for _, log2 := range v.log2s {
				for _, kind := range coeffKinds {
					t.Run(fmt.Sprintf("%s/%s/%d/%s", kern.name, v.name, 1<<log2, kind), func(t *testing.T) {
						n := 1 << log2
						f, x0, y0 := reconFrame(n)
						coeff := make([]int16, n*n+7) // longer than needed, like a reused buffer
						scaling := make([]uint8, n*n)
						iters := []int{2: 60, 3: 60, 4: 25, 5: 8}[log2]
						for it := 0; it < iters; it++ {
							for i := range f.planes[0] {
								f.planes[0][i] = uint8(rng.Intn(256))
							}
							if it%4 == 0 {
								for i := range f.planes[0] { // saturate often
									f.planes[0][i] = uint8(255 * rng.Intn(2))
								}
							}
							mx, my := randomCoeffs(rng, coeff[:n*n], n, kind)
							qp := rng.Intn(52)
							var sl []uint8
							if v.sc {
								for i := range scaling {
									scaling[i] = uint8(1 + rng.Intn(255))
								}
								sl = scaling
							}
							pred := make([]uint8, n*n)
							for y := 0; y < n; y++ {
								copy(pred[y*n:y*n+n], f.planes[0][(y0+y)*f.stride[0]+x0:])
							}
							want := specReconstruct(pred, coeff[:n*n], log2, qp, sl, v.ts, v.bypass, v.dst)
							before := append([]uint8(nil), f.planes[0]...)
							r := &residual{c: 0, x: x0, y: y0, log2Size: log2, coeff: coeff, qp: qp,
								transformSkip: v.ts, bypass: v.bypass, dst: v.dst, maxX: mx, maxY: my, scaling: sl}
							f.reconstructWith(r, kern.run)
							s := f.stride[0]
							p := f.planes[0]
							for y := 0; y < len(p)/s; y++ {
								row, old := p[y*s:y*s+s], before[y*s:y*s+s]
								if y < y0 || y >= y0+n {
									if !bytes.Equal(row, old) {
										t.Fatalf("iter %d: wrote outside the block in row %d", it, y)
									}
									continue
								}
								if !bytes.Equal(row[:x0], old[:x0]) || !bytes.Equal(row[x0+n:], old[x0+n:]) {
									t.Fatalf("iter %d: wrote outside the block in row %d", it, y)
								}
								for x := 0; x < n; x++ {
									if got, w := row[x0+x], want[(y-y0)*n+x]; got != w {
										t.Fatalf("iter %d qp %d max (%d,%d): rec[%d][%d] = %d, spec %d", it, qp, mx, my, x, y-y0, got, w)
									}
								}
							}
							for i, c := range coeff {
								if c != 0 {
									t.Fatalf("iter %d: coeff[%d] = %d left nonzero", it, i, c)
								}
							}
						}
					})
				}
			}
		}
	}
}

// TestReconstructKnown pins hand-computed results independent of the
// spec transcription above.
func TestReconstructKnown(t *testing.T) {
	// A DC coefficient of 64 at qP 4 (levelScale 64, shift 0) in a 4x4
	// block: d = (64*16*64 + 16) >> 5 = 2048; every e = 64*2048 = 131072,
	// g = (131072+64)>>7 = 1024, r = 64*1024 = 65536, res = (65536 +
	// 2048) >> 12 = 16.
	f, x0, y0 := reconFrame(4)
	for i := range f.planes[0] {
		f.planes[0][i] = 100
	}
	coeff := make([]int16, 16)
	coeff[0] = 64
	f.reconstruct(&residual{x: x0, y: y0, log2Size: 2, coeff: coeff, qp: 4})
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			if v := f.planes[0][(y0+y)*f.stride[0]+x0+x]; v != 116 {
				t.Fatalf("rec[%d][%d] = %d, want 116", x, y, v)
			}
		}
	}
	// Bypass: the coefficients are the residual, clipped on addition.
	coeff[0], coeff[1], coeff[4] = 200, -150, 7
	f.reconstruct(&residual{x: x0, y: y0, log2Size: 2, coeff: coeff, bypass: true, maxX: 1, maxY: 1})
	got := []uint8{f.planes[0][y0*f.stride[0]+x0], f.planes[0][y0*f.stride[0]+x0+1], f.planes[0][(y0+1)*f.stride[0]+x0]}
	if got[0] != 255 || got[1] != 0 || got[2] != 123 {
		t.Fatalf("bypass: got %v, want [255 0 123]", got)
	}
}

// checkDCTKernels runs every dctKernel on the same block and prediction
// and fails unless all give the portable kernel's pixels and all clear
// the coefficients.
func checkDCTKernels(t testing.TB, log2 int, coeff []int16, scaling []uint8, qp int, pred []uint8) {
	n := 1 << log2
	mx, my := 0, 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if coeff[y*n+x] != 0 {
				mx, my = max(mx, x), max(my, y)
			}
		}
	}
	const stride = 40
	var want []uint8
	for ki, k := range dctKernels {
		c := append([]int16(nil), coeff...)
		dst := make([]uint8, stride*n)
		for y := 0; y < n; y++ {
			copy(dst[y*stride:y*stride+n], pred[y*n:])
		}
		ls := levelScale[qp%6] << uint(qp/6)
		k.run(c, scaling, log2, mx, my, ls, dst, stride)
		for i, v := range c {
			if v != 0 {
				t.Fatalf("%s: coeff[%d] = %d left nonzero", k.name, i, v)
			}
		}
		if ki == 0 {
			want = dst
			continue
		}
		for i := range dst {
			if dst[i] != want[i] {
				t.Fatalf("%s n%d qp%d max (%d,%d): sample (%d,%d) = %d, %s gives %d",
					k.name, n, qp, mx, my, i%stride, i/stride, dst[i], dctKernels[0].name, want[i])
			}
		}
	}
}

// TestDCTKernelsAgree is the differential test of the assembly kernels
// against the portable one (the spec test above checks each as well).
func TestDCTKernelsAgree(t *testing.T) {
	if len(dctKernels) < 2 {
		t.Skip("only the portable kernel runs on this machine")
	}
	rng := rand.New(rand.NewSource(6))
	for log2 := 3; log2 <= 5; log2++ {
		n := 1 << log2
		coeff := make([]int16, n*n)
		scaling := make([]uint8, n*n)
		pred := make([]uint8, n*n)
		for it := 0; it < 400; it++ {
			randomCoeffs(rng, coeff, n, coeffKinds[it%len(coeffKinds)])
			if it%7 == 0 { // a lone coefficient anywhere, incl. the last row/column
				for i := range coeff {
					coeff[i] = 0
				}
				coeff[rng.Intn(n*n)] = int16(rng.Intn(65536) - 32768)
			}
			for i := range pred {
				pred[i] = uint8(rng.Intn(256))
				if it%3 == 0 {
					pred[i] = uint8(255 * rng.Intn(2))
				}
			}
			var sl []uint8
			if it%2 == 1 {
				for i := range scaling {
					scaling[i] = uint8(1 + rng.Intn(255))
				}
				sl = scaling
			}
			checkDCTKernels(t, log2, coeff, sl, rng.Intn(52), pred)
		}
	}
}

// FuzzDCTKernels compares the kernels on fuzzed blocks: data[0] picks the
// size, data[1] qP, data[2] flat or fuzzed scaling, the rest fills the
// coefficients (little-endian int16) and then the prediction.
func FuzzDCTKernels(f *testing.F) {
	f.Add([]byte{0, 30, 0, 1, 0, 0, 0x80, 255, 127})
	f.Add([]byte{1, 51, 1, 0xff, 0x7f, 0x00, 0x80, 1, 0, 2, 0})
	f.Add([]byte{2, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 || len(data) > 4096 {
			return
		}
		log2 := 3 + int(data[0])%3
		qp := int(data[1]) % 52
		n := 1 << log2
		rest := data[3:]
		coeff := make([]int16, n*n)
		for i := 0; i < n*n && 2*i+1 < len(rest); i++ {
			coeff[i] = int16(uint16(rest[2*i]) | uint16(rest[2*i+1])<<8)
		}
		var scaling []uint8
		if data[2]&1 == 1 {
			scaling = make([]uint8, n*n)
			for i := range scaling {
				scaling[i] = 1 + uint8((i*37+int(data[2]))%255)
			}
		}
		pred := make([]uint8, n*n)
		for i := range pred {
			pred[i] = uint8(i*131 + int(data[1]))
		}
		checkDCTKernels(t, log2, coeff, scaling, qp, pred)
	})
}

// TestAddSat8 checks the SWAR saturating byte add/sub of addDC exhaustively
// over sample values and offsets, in every byte lane.
func TestAddSat8(t *testing.T) {
	for v := -254; v <= 254; v++ {
		if v == 0 {
			continue
		}
		for p := 0; p < 256; p++ {
			// p in every lane, its neighbours varying, so carries and
			// borrows between lanes would show.
			var in uint64
			for lane := 0; lane < 8; lane++ {
				in |= uint64((p+lane*37)&255) << (8 * lane)
			}
			var out uint64
			if v > 0 {
				out = addSat8(in, uint64(v)*0x0101010101010101)
			} else {
				out = subSat8(in, uint64(-v)*0x0101010101010101)
			}
			for lane := 0; lane < 8; lane++ {
				q := (p + lane*37) & 255
				want := uint8(max(0, min(255, q+v)))
				if got := uint8(out >> (8 * lane)); got != want {
					t.Fatalf("addSat8(%d, %d) lane %d = %d, want %d", q, v, lane, got, want)
				}
			}
		}
	}
}

// TestReconstructAllocs: reconstruction allocates nothing, whatever the
// kernel, size or path.
func TestReconstructAllocs(t *testing.T) {
	for _, k := range dctKernels {
		for log2 := 2; log2 <= 5; log2++ {
			n := 1 << log2
			f, x0, y0 := reconFrame(n)
			coeff := make([]int16, n*n)
			r := &residual{x: x0, y: y0, log2Size: log2, coeff: coeff, qp: 30, dst: log2 == 2}
			allocs := testing.AllocsPerRun(50, func() {
				for i := range coeff {
					coeff[i] = int16(i%7 - 3)
				}
				r.maxX, r.maxY = n-1, n-1
				f.reconstructWith(r, k.run)
			})
			if allocs != 0 {
				t.Errorf("%s n%d: %v allocations per block", k.name, n, allocs)
			}
		}
	}
}
