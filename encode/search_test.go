package encode

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// calibrationCurves reads testdata/quality_curves.txt: per line a name, the
// size WxH, then the image/jpeg size in bytes at quality 1..100.
func calibrationCurves(t testing.TB) map[string][]int {
	t.Helper()
	f, err := os.Open("testdata/quality_curves.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	curves := map[string][]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 102 {
			t.Fatalf("line %q: %d fields, want 102", fs[0], len(fs))
		}
		sizes := make([]int, 100)
		for i := range sizes {
			if sizes[i], err = strconv.Atoi(fs[2+i]); err != nil {
				t.Fatal(err)
			}
		}
		curves[fs[0]+"_"+fs[1]] = sizes
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return curves
}

// optimum is the exhaustive answer: the highest q in [minQ, maxQ] with
// size ≤ limit, or 0.
func optimum(sizes []int, minQ, maxQ, limit int) int {
	for q := maxQ; q >= minQ; q-- {
		if sizes[q-1] <= limit {
			return q
		}
	}
	return 0
}

// TestSearchOnCalibrationCurves runs the quality search against the measured
// size curves of the calibration images (no encoding), over budgets from
// just above the minimum-quality size to just below the maximum-quality
// size, and checks passes and distance from the exhaustive optimum.
func TestSearchOnCalibrationCurves(t *testing.T) {
	const minQ, maxQ = DefaultMinQuality, DefaultQuality
	var totalPasses, runs, worstGap, worstPasses int
	for name, sizes := range calibrationCurves(t) {
		t.Run(name, func(t *testing.T) {
			lo, hi := sizes[minQ-1], sizes[maxQ-1]
			for i := 0; i <= 40; i++ {
				limit := lo + (hi-lo)*i/41
				want := optimum(sizes, minQ, maxQ, limit)
				measure := func(q int) (int, error) { return sizes[q-1], nil }
				r, err := searchQuality(minQ, maxQ, limit, maxQ, false, nil, measure)
				if err != nil {
					t.Fatal(err)
				}
				if r.fit.q == 0 {
					t.Fatalf("limit %d: nothing found, optimum %d", limit, want)
				}
				if sizes[r.fit.q-1] > limit {
					t.Fatalf("limit %d: q%d does not fit", limit, r.fit.q)
				}
				gap := want - r.fit.q
				if gap < 0 || gap > 2 {
					t.Errorf("limit %d: got q%d, optimum q%d", limit, r.fit.q, want)
				}
				worstGap = max(worstGap, gap)
				worstPasses = max(worstPasses, r.passes)
				totalPasses += r.passes
				runs++
			}
		})
	}
	avg := float64(totalPasses) / float64(runs)
	t.Logf("binding budgets: %d searches, %.2f passes on average (worst %d), worst gap %d", runs, avg, worstPasses, worstGap)
	if avg > 2.7 {
		t.Errorf("average passes %.2f, want ≤ 2.7", avg)
	}
}

// TestSearchUnreachable checks that a limit below the minimum-quality size
// reports no fit, with the size at minQ measured when forced.
func TestSearchUnreachable(t *testing.T) {
	for name, sizes := range calibrationCurves(t) {
		t.Run(name, func(t *testing.T) {
			limit := sizes[DefaultMinQuality-1] - 1
			var measured []int
			measure := func(q int) (int, error) { measured = append(measured, q); return sizes[q-1], nil }
			r, err := searchQuality(DefaultMinQuality, DefaultQuality, limit, DefaultQuality, true, nil, measure)
			if err != nil {
				t.Fatal(err)
			}
			if r.fit.q != 0 {
				t.Fatalf("fit q%d, want none", r.fit.q)
			}
			if r.smallest.q != DefaultMinQuality || r.atMin != float64(sizes[DefaultMinQuality-1]) {
				t.Fatalf("smallest %+v atMin %v after %v, want q%d measured", r.smallest, r.atMin, measured, DefaultMinQuality)
			}
		})
	}
}
