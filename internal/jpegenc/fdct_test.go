package jpegenc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// testBlock is one 8×8 block of samples for the DCT tests.
type testBlock struct {
	name string
	pix  [blockSize]byte
}

// testBlocks returns edge and random 8×8 blocks: constants, 0/255
// checkerboards and stripes, gradients, single impulses, every DCT basis
// function thresholded to 0/255 and its negative (each maximises one
// coefficient's magnitude), random 0/255 and random samples.
func testBlocks(r *rand.Rand, random int) []testBlock {
	var bs []testBlock
	add := func(name string, f func(x, y int) int) {
		var b testBlock
		b.name = name
		for i := range b.pix {
			b.pix[i] = byte(min(max(f(i%8, i/8), 0), 255))
		}
		bs = append(bs, b)
	}
	for _, v := range []int{0, 1, 127, 128, 254, 255} {
		add(fmt.Sprintf("constant %d", v), func(x, y int) int { return v })
	}
	for phase := range 2 {
		add(fmt.Sprintf("checkerboard %d", phase), func(x, y int) int { return 255 * ((x + y + phase) & 1) })
		for p := 1; p <= 4; p *= 2 {
			add(fmt.Sprintf("columns %d/%d", p, phase), func(x, y int) int { return 255 * ((x/p + phase) & 1) })
			add(fmt.Sprintf("rows %d/%d", p, phase), func(x, y int) int { return 255 * ((y/p + phase) & 1) })
		}
	}
	add("gradient x", func(x, y int) int { return 255 * x / 7 })
	add("gradient y", func(x, y int) int { return 255 * y / 7 })
	add("gradient -x", func(x, y int) int { return 255 - 255*x/7 })
	add("gradient xy", func(x, y int) int { return 255 * (x + y) / 14 })
	add("gradient x-y", func(x, y int) int { return 128 + 127*(x-y)/7 })
	for i := range blockSize {
		add(fmt.Sprintf("impulse 255 at %d", i), func(x, y int) int { return 255 * b2i(8*y+x == i) })
		add(fmt.Sprintf("impulse 0 at %d", i), func(x, y int) int { return 255 * b2i(8*y+x != i) })
	}
	for u := range 8 {
		for v := range 8 {
			basis := func(x, y int) float64 {
				return math.Cos(float64((2*x+1)*u)*math.Pi/16) * math.Cos(float64((2*y+1)*v)*math.Pi/16)
			}
			add(fmt.Sprintf("basis %d,%d", u, v), func(x, y int) int { return 255 * b2i(basis(x, y) > 0) })
			add(fmt.Sprintf("basis -%d,%d", u, v), func(x, y int) int { return 255 * b2i(basis(x, y) <= 0) })
		}
	}
	for n := range random {
		if n%2 == 0 {
			add(fmt.Sprintf("random 0/255 %d", n), func(x, y int) int { return 255 * r.IntN(2) })
		} else {
			add(fmt.Sprintf("random %d", n), func(x, y int) int { return r.IntN(256) })
		}
	}
	return bs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// embed copies the block into a larger plane at (x0, y0) with the given
// stride, surrounded by noise, and returns the plane and the offset.
func embed(r *rand.Rand, pix *[blockSize]byte, stride, x0, y0 int) ([]byte, int) {
	plane := make([]byte, (y0+8)*stride+x0+8)
	for i := range plane {
		plane[i] = byte(r.Uint32())
	}
	off := y0*stride + x0
	for y := range 8 {
		copy(plane[off+y*stride:off+y*stride+8], pix[8*y:8*y+8])
	}
	return plane, off
}

// TestFdctQuant checks fdctQuant (the AVX2 kernel where the CPU has it,
// else the Go path) against the reference fdct followed by quantize, for
// every quality's tables (every third in -short and -race runs), on edge
// and random blocks read from planes of several strides.
func TestFdctQuant(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	blocks := testBlocks(r, 40)
	type placed struct {
		plane       []byte
		off, stride int
	}
	planes := make([]placed, len(blocks))
	for n, tb := range blocks {
		stride := []int{8, 9, 16, 61}[n%4]
		plane, off := embed(r, &tb.pix, stride, n%3, n%2)
		planes[n] = placed{plane, off, stride}
	}
	step := 1
	if testing.Short() || raceEnabled {
		step = 3 // TestFdctQuantAVX2MatchesGo still covers every quality
	}
	for quality := 1; quality <= 100; quality += step {
		q := scaledQuant(quality)
		for tab := range q {
			z := newQuantizer(&q[tab])
			for n, tb := range blocks {
				p := planes[n]
				var b1, b2 block
				var want, got [blockSize]int32
				fdct(&b1, tb.pix[:], 0, 8)
				wantMask := quantize(&want, &b1, z)
				gotMask := fdctQuant(&b2, &got, p.plane, p.off, p.stride, z)
				if got != want || gotMask != wantMask {
					t.Fatalf("quality %d table %d %s (stride %d): got %v mask %#x, want %v mask %#x",
						quality, tab, tb.name, p.stride, got, gotMask, want, wantMask)
				}
			}
		}
	}
}

// TestQuantT checks the kernel's table layout: entry 8*j+i of quantT is
// the zig-zag entry of natural index 8*i+j, and recipOdd holds the odd
// lanes' reciprocals in the even lanes.
func TestQuantT(t *testing.T) {
	q := scaledQuant(37)
	z := newQuantizer(&q[1])
	for k, n := range unzig {
		i, j := int(n)/8, int(n)%8
		if z.t.half[8*j+i] != z.half[k] || z.t.recip[8*j+i] != z.recip[k] {
			t.Fatalf("zig-zag %d (row %d col %d) misplaced", k, i, j)
		}
	}
	for p := range blockSize {
		want := uint32(0)
		if p%2 == 0 {
			want = z.t.recip[p+1]
		}
		if z.t.recipOdd[p] != want {
			t.Fatalf("recipOdd[%d] = %d, want %d", p, z.t.recipOdd[p], want)
		}
	}
}

// TestQuantZero checks the precondition of the AVX2 kernel's VPSIGND sign
// restore: every quantiser maps 0 to 0, i.e. half*recip < 2^32.
func TestQuantZero(t *testing.T) {
	var q [blockSize]uint8
	for d := 1; d <= 255; d++ {
		for i := range q {
			q[i] = uint8(d)
		}
		z := newQuantizer(&q)
		if p := uint64(z.half[0]) * uint64(z.recip[0]); p >= 1<<32 || quant1(0, z.half[0], z.recip[0]) != 0 {
			t.Fatalf("q=%d: half*recip = %d", d, p)
		}
	}
}
