package resize

import (
	"image"
	"image/color/palette"
	"runtime"
	"testing"
)

// TestAllocs guards the steady state of the planar paths: after warm-up,
// a Fit allocates the output image (struct + pixel buffer) and a constant
// number of small objects for the worker goroutines, never per-row or
// per-call scratch.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	if testing.Short() {
		t.Skip("short")
	}
	limit := float64(4 + runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		name string
		img  image.Image
		o    int
	}{
		{"ycbcr420/o1", newYCbCr(768, 512, 0, 0, image.YCbCrSubsampleRatio420), 1},
		{"ycbcr420/o6", newYCbCr(768, 512, 0, 0, image.YCbCrSubsampleRatio420), 6},
		{"ycbcr444/o3", newYCbCr(768, 512, 0, 0, image.YCbCrSubsampleRatio444), 3},
		{"gray/o8", newGray(768, 512, 0, 0), 8},
		{"nrgba opaque/o1", opaqueNRGBA(768, 512, 0, 0), 1},
		{"nrgba opaque/o6", opaqueNRGBA(768, 512, 0, 0), 6},
		{"nrgba alpha/o1", withAlpha(opaqueNRGBA(768, 512, 0, 0)), 1},
		{"rgba alpha/o8", convertTo(image.NewRGBA(image.Rect(0, 0, 768, 512)), withAlpha(opaqueNRGBA(768, 512, 0, 0))), 8},
		{"paletted/o3", convertTo(image.NewPaletted(image.Rect(0, 0, 768, 512), palette.Plan9), opaqueNRGBA(768, 512, 0, 0)), 3},
		{"nycbcra opaque/o6", func() image.Image {
			y := newYCbCr(768, 512, 0, 0, image.YCbCrSubsampleRatio420)
			m := &image.NYCbCrA{YCbCr: *y, A: make([]uint8, len(y.Y)), AStride: y.YStride}
			for i := range m.A {
				m.A[i] = 255
			}
			return m
		}(), 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fit := func() {
				if _, err := Fit(tc.img, tc.o, 400); err != nil {
					t.Fatal(err)
				}
			}
			fit() // warm the pools
			n := testing.AllocsPerRun(20, fit)
			t.Logf("%.1f allocs per Fit", n)
			if n > limit {
				t.Errorf("%.1f allocations per Fit, want ≤ %.0f (output + per-worker constant)", n, limit)
			}
		})
	}
}
