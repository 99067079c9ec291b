package jpegdec

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestIDCT8DCMatchesFullIDCT(t *testing.T) {
	dcs := []int32{math.MinInt32, math.MinInt32 + 1, -1 << 24, math.MaxInt32, 1 << 24, -(1 << 14) - 3, 1<<14 + 5}
	for dc := int32(-70000); dc <= 70000; dc += 7 {
		dcs = append(dcs, dc)
	}
	for _, dc := range dcs {
		var b block
		b[0] = dc
		idct(&b)
		var px [64]byte
		store8(px[:], 8, &b)
		want := px[0]
		for i, v := range px {
			if v != want {
				t.Fatalf("dc %d: full IDCT not flat at %d", dc, i)
			}
		}
		if got := idct8DC(dc); got != want {
			t.Fatalf("idct8DC(%d) = %d, full IDCT %d", dc, got, want)
		}
	}
}

// floatIDCT returns the exact 8×8 IDCT (level-shifted, unclamped).
func floatIDCT(b *block) [64]float64 {
	var out [64]float64
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			s := 0.0
			for v := 0; v < 8; v++ {
				for u := 0; u < 8; u++ {
					cu, cv := 1.0, 1.0
					if u == 0 {
						cu = 1 / math.Sqrt2
					}
					if v == 0 {
						cv = 1 / math.Sqrt2
					}
					s += cu * cv / 4 * float64(b[v*8+u]) *
						math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) *
						math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			out[y*8+x] = s + 128
		}
	}
	return out
}

func TestScaledIDCTIsBoxAverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 300; iter++ {
		var b block
		// Realistic blocks: a DC keeping the mean inside [0,255] and a
		// decaying spectrum, sometimes sparse.
		b[0] = int32(rng.IntN(1600) - 800)
		for k := 1; k < 64; k++ {
			if rng.IntN(3) == 0 {
				continue
			}
			amp := 300 / (1 + int(unzig[k])/4)
			b[unzig[k]] = int32(rng.IntN(2*amp+1) - amp)
		}
		full := floatIDCT(&b)
		for _, n := range []int{4, 2, 1} {
			var dst [64]byte
			bb := b
			switch n {
			case 4:
				idct4(&bb, dst[:], 8)
			case 2:
				idct2(&bb, dst[:], 8)
			case 1:
				dst[0] = dcPixel(bb[0])
			}
			g := 8 / n
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					s := 0.0
					for y := i * g; y < (i+1)*g; y++ {
						for x := j * g; x < (j+1)*g; x++ {
							s += full[y*8+x]
						}
					}
					want := math.Max(0, math.Min(255, s/float64(g*g)))
					if got := float64(dst[i*8+j]); math.Abs(got-want) > 1 {
						t.Fatalf("iter %d n=%d (%d,%d): got %v, want %.2f", iter, n, j, i, got, want)
					}
				}
			}
		}
	}
}

func TestBoxIDCTStructure(t *testing.T) {
	// The butterflies in idct4 and idct2 rely on these symmetries.
	m4, m2 := boxIDCT(4), boxIDCT(2)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	for i := 0; i < 4; i++ {
		if !near(m4[i][4], 0) {
			t.Fatalf("m4[%d][4] = %v, want 0", i, m4[i][4])
		}
		for u := 0; u < 8; u++ {
			sign := 1.0
			if u%2 == 1 {
				sign = -1
			}
			if !near(m4[3-i][u], sign*m4[i][u]) {
				t.Fatalf("m4 row symmetry broken at %d,%d", i, u)
			}
		}
	}
	for _, u := range []int{2, 6} {
		if !near(m4[1][u], -m4[0][u]) {
			t.Fatalf("m4[1][%d] != -m4[0][%d]", u, u)
		}
	}
	if !near(m4[0][0], m4[1][0]) {
		t.Fatal("m4 DC entries differ")
	}
	for _, u := range []int{2, 4, 6} {
		if !near(m2[0][u], 0) || !near(m2[1][u], 0) {
			t.Fatalf("m2[.][%d] not zero", u)
		}
	}
	for _, u := range []int{1, 3, 5, 7} {
		if !near(m2[1][u], -m2[0][u]) {
			t.Fatalf("m2 odd symmetry broken at %d", u)
		}
	}
}

// store8 is image/jpeg's level shift, clamp and store of idct output.
func store8(dst []byte, stride int, b *block) {
	for y := 0; y < 8; y++ {
		row := dst[y*stride : y*stride+8 : y*stride+8]
		src := b[8*y : 8*y+8 : 8*y+8]
		for x := 0; x < 8; x++ {
			c := src[x]
			if c < -128 {
				c = 0
			} else if c > 127 {
				c = 255
			} else {
				c += 128
			}
			row[x] = uint8(c)
		}
	}
}

func TestIDCTStoreMatchesIDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 20000; iter++ {
		var b block
		last := rng.IntN(64)
		if iter%4 == 0 {
			last = rng.IntN(8) // often only the first row
		}
		for k := 0; k <= last; k++ {
			if k == last || rng.IntN(2) == 0 {
				b[unzig[k]] = int32(rng.IntN(4001) - 2000)
			}
		}
		want, got := b, b
		idct(&want)
		var wp, gp [64]byte
		store8(wp[:], 8, &want)
		idctStore(&got, int(rowsUsed[last]), gp[:], 8)
		if wp != gp {
			t.Fatalf("iter %d last %d: idctStore differs from idct+store", iter, last)
		}
	}
}
