package encode

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// TestBlockActivity checks blockActivity against hand-computed values
// (A sums the differences of rows 0, 2, 4 and 6 of each block: 7
// horizontal ones in the row and 8 vertical ones to the row below), that
// it reads the blocks of its diagonal lattice (bx ≡ by mod 4), and only
// whole 8×8 luma blocks.
func TestBlockActivity(t *testing.T) {
	gray := func(w, h int, f func(x, y int) uint8) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				m.Pix[m.PixOffset(x, y)] = f(x, y)
			}
		}
		return m
	}
	// A block of vertical stripes 0,k,0,k…: 7 horizontal steps of k in
	// each of the 4 rows read, no vertical steps.
	stripes := func(k int) func(x, y int) uint8 {
		return func(x, y int) uint8 { return uint8(x % 2 * k) }
	}
	tests := []struct {
		name string
		img  image.Image
		want float64
	}{
		{"flat", gray(16, 16, func(x, y int) uint8 { return 77 }), 0},
		{"stripes 4", gray(8, 8, stripes(4)), math.Log1p(7.0 * 4 * 4 / activityScale)},
		{"stripes 200", gray(16, 8, stripes(200)), math.Log1p(7.0 * 4 * 200 / activityScale)},
		// Rows of 0 and 10: a vertical step of 10 below each sample of
		// the 4 rows read.
		{"bars", gray(8, 8, func(x, y int) uint8 { return uint8(y % 2 * 10) }), math.Log1p(8.0 * 4 * 10 / activityScale)},
		// Of the blocks read, (0,0) is flat and (1,1) striped: the mean.
		{"half", gray(16, 16, func(x, y int) uint8 { return uint8(x / 8 * (y / 8) * (x % 2) * 100) }), math.Log1p(7.0*4*100/activityScale) / 2},
		// Blocks (1,0) and (0,1) are off the lattice.
		{"off the lattice", gray(16, 16, func(x, y int) uint8 { return uint8((x/8 + y/8) % 2 * (x % 2) * 100) }), 0},
		// In a row of 8 blocks, only blocks 0 and 4 of row 0 are read.
		{"lattice row", gray(64, 8, func(x, y int) uint8 { return uint8(min(x/8%4, 1) * (x % 2) * 100) }), 0},
		{"lattice row read", gray(64, 8, func(x, y int) uint8 { return uint8((1 - min(x/8%4, 1)) * (x % 2) * 100) }), math.Log1p(7.0 * 4 * 100 / activityScale)},
		// Partial blocks (the 9th column and row) are not read.
		{"partial", gray(9, 9, func(x, y int) uint8 { return uint8(min(x, 8) / 8 * 255) }), 0},
		{"too small", gray(7, 30, stripes(9)), 0},
		{"YCbCr luma", func() image.Image {
			m := image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
			for i := range m.Y {
				m.Y[i] = uint8(i % 2 * 4)
			}
			for i := range m.Cb {
				m.Cb[i] = uint8(i * 50) // chroma is ignored
			}
			return m
		}(), math.Log1p(7.0 * 4 * 4 / activityScale)},
		{"other type", image.NewRGBA(image.Rect(0, 0, 8, 8)), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := blockActivity(tc.img); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("blockActivity = %v, want %v", got, tc.want)
			}
		})
	}
	if r := activityRatio(gray(8, 8, stripes(4)), gray(8, 8, stripes(0))); r != 1 {
		t.Errorf("activityRatio against a flat proxy = %v, want 1", r)
	}
}

// TestSAD8 compares sad8 with the plain sum of absolute byte differences
// on edge and random words.
func TestSAD8(t *testing.T) {
	words := []uint64{0, ^uint64(0), 0x0101_0101_0101_0101, 0x80ff_00ff_7f01_fe00, 0xff00_ff00_ff00_ff00, 0x00ff_00ff_00ff_00ff}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		words = append(words, rng.Uint64())
	}
	for i, a := range words {
		for _, b := range words[max(0, i-30) : i+1] {
			want := 0
			for k := 0; k < 64; k += 8 {
				d := int(a>>k&0xff) - int(b>>k&0xff)
				want += max(d, -d)
			}
			got := sad8(a, b)
			if sum := int(got * 0x0001_0001_0001_0001 >> 48); sum != want {
				t.Fatalf("sad8(%#x, %#x) = %#x, lanes sum to %d, want %d", a, b, got, sum, want)
			}
			for k := 0; k < 64; k += 16 {
				if got>>k&0xffff > 2*255 {
					t.Fatalf("sad8(%#x, %#x) = %#x: lane over 510", a, b, got)
				}
			}
		}
	}
}

// TestBlockActivityReference compares blockActivity with a direct
// implementation of its definition on random images of random sizes.
func TestBlockActivityReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 40 {
		w, h := 8+rng.IntN(90), 8+rng.IntN(90)
		m := image.NewGray(image.Rect(0, 0, w, h))
		for j := range m.Pix {
			m.Pix[j] = uint8(rng.IntN(256) >> (i % 8)) // from noise to flat
		}
		var sum float64
		n := 0
		for by := 0; by < h/8; by++ {
			for bx := by % 4; bx < w/8; bx += 4 {
				a := 0
				for y := 0; y < 8; y += 2 {
					for x := 0; x < 8; x++ {
						p := int(m.GrayAt(bx*8+x, by*8+y).Y)
						d := int(m.GrayAt(bx*8+x, by*8+y+1).Y) - p
						a += max(d, -d)
						if x < 7 {
							d = int(m.GrayAt(bx*8+x+1, by*8+y).Y) - p
							a += max(d, -d)
						}
					}
				}
				sum += math.Log1p(float64(a) / activityScale)
				n++
			}
		}
		want := sum / float64(n)
		if got := blockActivity(m); math.Abs(got-want) > 1e-12 {
			t.Fatalf("%dx%d image %d: blockActivity = %v, want %v", w, h, i, got, want)
		}
	}
}
