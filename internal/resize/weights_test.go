package resize

import (
	"fmt"
	"testing"
)

// TestAxisBuild checks the weight tables' invariants over many geometries:
// every output sample reads inside the source, its weights sum to exactly
// weightOne, and pure permutations (scale 1, aligned samples, flipped or
// not) collapse to a single tap.
func TestAxisBuild(t *testing.T) {
	var a axis // reused on purpose, as the pool does
	for _, s := range []struct {
		spec     axisSpec
		wantTaps int // 0: don't care
	}{
		{axisSpec{dstN: 100, dstF: 1, dstL: 100, srcN: 100, srcF: 1, srcL: 100}, 1},
		{axisSpec{dstN: 100, dstF: 1, dstL: 100, srcN: 100, srcF: 1, srcL: 100, flip: true}, 1},
		{axisSpec{dstN: 50, dstF: 2, dstL: 100, srcN: 50, srcF: 2, srcL: 100, flip: true}, 1},
		{axisSpec{dstN: 50, dstF: 2, dstL: 99, srcN: 50, srcF: 2, srcL: 99}, 1},
		// odd extent flipped: chroma lands half a sample off, so it blends
		{axisSpec{dstN: 50, dstF: 2, dstL: 99, srcN: 50, srcF: 2, srcL: 99, flip: true}, 6},
		{axisSpec{dstN: 1920, dstF: 1, dstL: 1920, srcN: 4032, srcF: 1, srcL: 4032}, 13},
		{axisSpec{dstN: 960, dstF: 2, dstL: 1920, srcN: 2016, srcF: 2, srcL: 4032}, 13},
		{axisSpec{dstN: 960, dstF: 2, dstL: 1920, srcN: 4032, srcF: 1, srcL: 4032}, 25},
		{axisSpec{dstN: 1, dstF: 1, dstL: 1, srcN: 1, srcF: 1, srcL: 1}, 1},
		{axisSpec{dstN: 1, dstF: 1, dstL: 1, srcN: 5000, srcF: 1, srcL: 5000}, 5000},
		{axisSpec{dstN: 40, dstF: 1, dstL: 40, srcN: 17, srcF: 1, srcL: 17}, 0},
		{axisSpec{dstN: 7, dstF: 2, dstL: 13, srcN: 3, srcF: 4, srcL: 11, srcPha: 2}, 0},
		{axisSpec{dstN: 3, dstF: 2, dstL: 5, srcN: 1, srcF: 2, srcL: 1, srcPha: 1}, 1},
	} {
		t.Run(fmt.Sprintf("%+v", s.spec), func(t *testing.T) {
			a.build(s.spec, lanczos3)
			if s.wantTaps != 0 && a.taps != s.wantTaps {
				t.Errorf("taps = %d, want %d", a.taps, s.wantTaps)
			}
			if len(a.start) != s.spec.dstN || len(a.w) != s.spec.dstN*a.taps {
				t.Fatalf("lengths start %d, w %d for %d outputs × %d taps", len(a.start), len(a.w), s.spec.dstN, a.taps)
			}
			for v, st := range a.start {
				if st < 0 || int(st)+a.taps > s.spec.srcN {
					t.Fatalf("output %d reads [%d, %d) outside [0, %d)", v, st, int(st)+a.taps, s.spec.srcN)
				}
				var sum int32
				for _, w := range a.w[v*a.taps : (v+1)*a.taps] {
					sum += w
				}
				if sum != weightOne {
					t.Fatalf("output %d: weights sum to %d, want %d", v, sum, weightOne)
				}
			}
		})
	}
}
