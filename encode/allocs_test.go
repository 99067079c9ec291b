package encode

import (
	"context"
	"image"
	"testing"
)

// Allocation bounds, checked so that regressions show (race builds
// allocate differently, so the guards skip there). image/jpeg.Encode itself
// allocates 5 times per call (its encoder state and scratch blocks escape);
// the bounds are that plus ours:
//   - AppendJPEG of an *image.YCbCr into a dst with room: 5 + 1 (the writer
//     adapter);
//   - AppendJPEG of an *image.NRGBA: 5 + 4 (adapter, conversion closures);
//     the converted planes and row buffers come from pools;
//   - JPEG of a small image whose first pass fits: 5 + 6 (adapter, Result,
//     its Data copy, search closures and bookkeeping); the encode buffers
//     are pooled.
const (
	maxAppendYCbCrAllocs = 6
	maxAppendNRGBAAllocs = 9
	maxJPEGAllocs        = 11
)

func TestAppendJPEGAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	ycc := toYCbCr(rgbaImage(64, 48, contents[1].gen), image.YCbCrSubsampleRatio420)
	nrgba := layouts[2].make(rgbaImage(64, 48, contents[1].gen))
	dst := make([]byte, 0, 64<<10)
	for _, tt := range []struct {
		name string
		img  image.Image
		max  float64
	}{{"YCbCr", ycc, maxAppendYCbCrAllocs}, {"NRGBA", nrgba, maxAppendNRGBAAllocs}} {
		t.Run(tt.name, func(t *testing.T) {
			n := testing.AllocsPerRun(50, func() {
				if _, err := AppendJPEG(dst[:0], tt.img, 80); err != nil {
					t.Fatal(err)
				}
			})
			if n > tt.max {
				t.Fatalf("%v allocations, want ≤ %v", n, tt.max)
			}
			t.Logf("%v allocations", n)
		})
	}
}

func TestJPEGAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	img := toYCbCr(rgbaImage(64, 48, contents[1].gen), image.YCbCrSubsampleRatio420)
	ctx := context.Background()
	n := testing.AllocsPerRun(50, func() {
		if _, err := JPEG(ctx, img, nil); err != nil {
			t.Fatal(err)
		}
	})
	if n > maxJPEGAllocs {
		t.Fatalf("%v allocations, want ≤ %d", n, maxJPEGAllocs)
	}
	t.Logf("%v allocations", n)
}
