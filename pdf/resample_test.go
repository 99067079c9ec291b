package pdf

import (
	"image"
	"image/color"
	"testing"
)

func TestAreaTaps(t *testing.T) {
	for _, tt := range []struct{ n, m int }{{4, 2}, {5, 2}, {2400, 1920}, {3, 3}, {7, 1}, {1921, 1920}} {
		taps := areaTaps(tt.n, tt.m)
		if len(taps) != tt.m {
			t.Fatalf("%d→%d: %d taps", tt.n, tt.m, len(taps))
		}
		cover := make([]uint64, tt.n) // total weight each source sample gets
		for i, tp := range taps {
			var sum uint32
			for k, w := range tp.w {
				sum += w
				cover[tp.first+k] += uint64(w)
			}
			if sum != 1<<16 {
				t.Errorf("%d→%d: tap %d sums to %d", tt.n, tt.m, i, sum)
			}
			if tp.first < 0 || tp.first+len(tp.w) > tt.n {
				t.Errorf("%d→%d: tap %d out of range", tt.n, tt.m, i)
			}
		}
		// Every source sample contributes n/m of its weight in total (area preserving).
		want := float64(tt.m) / float64(tt.n) * 65536
		for j, c := range cover {
			if d := float64(c) - want; d > 2+want*1e-3 || d < -2-want*1e-3 {
				t.Errorf("%d→%d: source %d weight %d, want %.0f", tt.n, tt.m, j, c, want)
				break
			}
		}
	}
}

func TestResamplePlane(t *testing.T) {
	// 4x2 grey → 2x1: each output is the mean of a 2x2 block.
	src := []byte{
		0, 100, 200, 255,
		50, 150, 0, 1,
	}
	// The intermediate rows are rounded to 8 bits: ±1.
	got := resamplePlane(src, 4, 2, 4, 1, 2, 1)
	for i, want := range []int{75, 114} {
		if d := int(got[i]) - want; d < -1 || d > 1 {
			t.Errorf("got %v, want %d at %d (±1)", got, want, i)
		}
	}
	// Interleaved channels stay separate.
	rgba := []byte{10, 20, 30, 255, 30, 40, 50, 255}
	if got := resamplePlane(rgba, 2, 1, 8, 4, 1, 1); string(got) != string([]byte{20, 30, 40, 255}) {
		t.Errorf("rgba got %v", got)
	}
}

func TestFitSide(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 300, 100))
	for i := range gray.Pix {
		gray.Pix[i] = 77
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 100, 300))
	ycc := image.NewYCbCr(image.Rect(0, 0, 301, 201), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = 200
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 90, 160
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 50, 40))
	tests := []struct {
		name string
		in   image.Image
		side int
		w, h int
	}{
		{"gray landscape", gray, 150, 150, 50},
		{"rgba portrait", rgba, 30, 10, 30},
		{"ycbcr 4:2:0 odd size", ycc, 100, 100, 67},
		{"other type", nrgba, 25, 25, 20},
		{"already fits", gray, 300, 300, 100},
		{"extreme aspect", image.NewGray(image.Rect(0, 0, 5000, 1)), 100, 100, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := fitSide(tt.in, tt.side)
			if b := out.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Fatalf("size %v, want %dx%d", b.Size(), tt.w, tt.h)
			}
			switch tt.in.(type) {
			case *image.Gray, *image.RGBA, *image.YCbCr:
				if _, ok := out.(interface{ Opaque() bool }); !ok {
					t.Fatalf("type %T", out)
				}
			}
		})
	}
	// Flat colours stay flat, and YCbCr stays YCbCr with the same values.
	if g := fitSide(gray, 150).(*image.Gray); g.GrayAt(149, 49).Y != 77 || g.GrayAt(0, 0).Y != 77 {
		t.Error("flat grey changed")
	}
	y := fitSide(ycc, 100).(*image.YCbCr)
	if c := y.YCbCrAt(99, 66); c != (color.YCbCr{Y: 200, Cb: 90, Cr: 160}) {
		t.Errorf("flat YCbCr became %v", c)
	}
}
