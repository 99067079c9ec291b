package hevc

import (
	"errors"
	"testing"
)

// The default 8x8 scaling matrices in raster order, as printed in the HM
// reference software (an independent layout of Table 7-6).
var (
	rasterIntra8 = [64]uint8{
		16, 16, 16, 16, 17, 18, 21, 24,
		16, 16, 16, 16, 17, 19, 22, 25,
		16, 16, 17, 18, 20, 22, 25, 29,
		16, 16, 18, 21, 24, 27, 31, 36,
		17, 17, 20, 24, 30, 35, 41, 47,
		18, 19, 22, 27, 35, 44, 54, 65,
		21, 22, 25, 31, 41, 54, 70, 88,
		24, 25, 29, 36, 47, 65, 88, 115,
	}
	rasterInter8 = [64]uint8{
		16, 16, 16, 16, 17, 18, 20, 24,
		16, 16, 16, 17, 18, 20, 24, 25,
		16, 16, 17, 18, 20, 24, 25, 28,
		16, 17, 18, 20, 24, 25, 28, 33,
		17, 18, 20, 24, 25, 28, 33, 41,
		18, 20, 24, 25, 28, 33, 41, 54,
		20, 24, 25, 28, 33, 41, 54, 71,
		24, 25, 28, 33, 41, 54, 71, 91,
	}
)

func TestDiagScan(t *testing.T) {
	// 6.5.3 for a 4x4 block: (x, y) = (0,0) (0,1) (1,0) (0,2) (1,1) (2,0) ...
	want := []int{0, 4, 1, 8, 5, 2, 12, 9, 6, 3, 13, 10, 7, 14, 11, 15}
	got := diagScan(4)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("diagScan(4) = %v, want %v", got, want)
		}
	}
	seen := map[int]bool{}
	for _, p := range diagScan(8) {
		seen[p] = true
	}
	if len(seen) != 64 {
		t.Errorf("diagScan(8) covers %d positions", len(seen))
	}
}

// upsampled returns the n x n ScalingFactor 7.4.5 gives for an 8x8 raster
// matrix m and DC value dc.
func upsampled(m [64]uint8, n int, dc uint8) []uint8 {
	f := make([]uint8, n*n)
	r := n / 8
	for y := range n {
		for x := range n {
			f[y*n+x] = m[(y/r)*8+x/r]
		}
	}
	f[0] = dc
	return f
}

func equalFactors(t *testing.T, name string, got, want []uint8) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d", name, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: entry %d (x %d, y %d) = %d, want %d", name, i, i%intSqrt(len(want)), i/intSqrt(len(want)), got[i], want[i])
		}
	}
}

func intSqrt(n int) int {
	r := 0
	for r*r < n {
		r++
	}
	return r
}

func TestDefaultScalingFactors(t *testing.T) {
	sl := defaultScalingLists().factors()
	flat4 := make([]uint8, 16)
	for i := range flat4 {
		flat4[i] = 16
	}
	for m := range 6 {
		def := rasterIntra8
		if m >= 3 {
			def = rasterInter8
		}
		equalFactors(t, "4x4", sl.Factor[0][m], flat4)
		equalFactors(t, "8x8", sl.Factor[1][m], def[:])
		equalFactors(t, "16x16", sl.Factor[2][m], upsampled(def, 16, 16))
		equalFactors(t, "32x32", sl.Factor[3][m], upsampled(def, 32, 16))
	}
}

func TestParseScalingListData(t *testing.T) {
	w := new(bitWriter)
	// sizeId 0: matrix 0 explicit (nextCoef 8, deltas +1 each: 9, 10, ..., 24),
	// matrix 1 copies matrix 0 (delta 1), matrices 2..5 default (delta 0).
	w.u(1, 1)
	for range 16 {
		w.se(1)
	}
	w.u(1, 0).ue(1)
	for range 4 {
		w.u(1, 0).ue(0)
	}
	// sizeId 1: all default.
	for range 6 {
		w.u(1, 0).ue(0)
	}
	// sizeId 2: matrix 0 explicit, DC 100, entries 150, 151, ..., 213
	// (the first delta applies to the DC value); matrix 1 copies it (with
	// its DC); the rest default.
	w.u(1, 1).se(92).se(50)
	for range 63 {
		w.se(1)
	}
	w.u(1, 0).ue(1)
	for range 4 {
		w.u(1, 0).ue(0)
	}
	// sizeId 3: matrix 0 default; matrix 3 copies matrix 0 (delta 1 = 3 matrices back).
	w.u(1, 0).ue(0)
	w.u(1, 0).ue(1)
	r := newBitReader(w.trailing())
	lists := parseScalingListData(r)
	if r.err != nil {
		t.Fatal(r.err)
	}
	sl := lists.factors()
	var want4 [16]uint8
	for i, p := range diagScan(4) {
		want4[p] = uint8(9 + i)
	}
	equalFactors(t, "4x4 m0", sl.Factor[0][0], want4[:])
	equalFactors(t, "4x4 m1", sl.Factor[0][1], want4[:])
	if sl.Factor[0][2][5] != 16 {
		t.Errorf("4x4 m2 not default")
	}
	var diag8 [64]uint8
	for i := range diag8 {
		diag8[i] = uint8(150 + i)
	}
	var raster8 [64]uint8
	for i, p := range diagScan(8) {
		raster8[p] = diag8[i]
	}
	equalFactors(t, "16x16 m0", sl.Factor[2][0], upsampled(raster8, 16, 100))
	equalFactors(t, "16x16 m1", sl.Factor[2][1], upsampled(raster8, 16, 100))
	equalFactors(t, "16x16 m3", sl.Factor[2][3], upsampled(rasterInter8, 16, 16))
	// The inter 32x32 list predicted from the intra one takes its values.
	equalFactors(t, "32x32 m3", sl.Factor[3][3], upsampled(rasterIntra8, 32, 16))
}

func TestParseScalingListDataErrors(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *bitWriter)
	}{
		{"pred delta beyond matrixId", func(w *bitWriter) { w.u(1, 0).ue(1) }},
		{"dc coef too large", func(w *bitWriter) {
			for range 12 {
				w.u(1, 0).ue(0)
			}
			w.u(1, 1).se(248)
		}},
		{"delta coef too small", func(w *bitWriter) { w.u(1, 1).se(-129) }},
		{"sizeId 3 pred delta 2", func(w *bitWriter) {
			for range 18 {
				w.u(1, 0).ue(0)
			}
			w.u(1, 0).ue(0).u(1, 0).ue(2)
		}},
		{"truncated", func(w *bitWriter) { w.u(1, 1).se(3) }},
		{"zero entry", func(w *bitWriter) { w.u(1, 1).se(-8) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := new(bitWriter)
			tt.write(w)
			r := newBitReader(w.trailing())
			if parseScalingListData(r) != nil || !errors.Is(r.err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", r.err)
			}
		})
	}
}

func TestSPSScalingList(t *testing.T) {
	spec := testSPS()
	spec.scalingEnabled = true
	s, err := parseSPS(writeSPS(spec))
	if err != nil {
		t.Fatal(err)
	}
	if s.ScalingList == nil {
		t.Fatal("ScalingList nil with scaling_list_enabled_flag and no data")
	}
	equalFactors(t, "8x8 intra", s.ScalingList.Factor[1][0], rasterIntra8[:])
}
