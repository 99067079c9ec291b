package encode

import (
	"encoding/binary"
	"image"
	"math"
)

// Block activity: a cheap stand-in for how many bytes a region of an image
// costs in JPEG, read from its luma plane, used to correct the proxy's
// sampling error when its calibration is carried over to a shrunk image.

// activityRatio returns blockActivity(full) / blockActivity(proxy), or 1
// when either has no activity. The full/proxy size ratio of an image
// divided by it carries over to the image shrunk: the proxy's sampling
// error moves with it.
func activityRatio(full, proxy image.Image) float64 {
	a, b := blockActivity(full), blockActivity(proxy)
	if a <= 0 || b <= 0 {
		return 1
	}
	return a / b
}

// activityScale is the block activity (see blockActivity) at which a
// block's weight in blockActivity is ln 2: about where a block at quality
// 40 starts to cost more than its DC.
const activityScale = 128

// blockActivity returns the mean, over a quarter of the 8×8 luma blocks of
// m (block (bx, by) when bx ≡ by mod 4: a diagonal lattice that reads
// every block row; whole blocks only), of ln(1 + A/activityScale), A the
// sum of absolute differences between horizontally neighbouring samples
// in the block's rows 0, 2, 4 and 6 and between each of those rows and
// the row below; 0 for an image of another type or without such a block.
// It follows a block's encoded size closely enough to serve as a control
// variate for the proxy's sampling error: the ratio of the image's to the
// proxy's activity moves with the ratio of their encoded sizes from one
// scale to the next (on the corpus the scatter of the first prediction
// after a shrink falls from 1.4–2.2% to about 1% on the A4 pages, and its
// bias on the clean page from +5% to +1%). A lattice that skipped block
// rows would alias with lines of text (±5–10% on the A4 pages with every
// other block row). Cost: an eighth of a read of the luma plane, one
// allocation of a row of block sums.
func blockActivity(m image.Image) float64 {
	var (
		pix          []uint8
		stride, w, h int
	)
	switch m := m.(type) {
	case *image.YCbCr:
		pix, stride, w, h = m.Y, m.YStride, m.Rect.Dx(), m.Rect.Dy()
	case *image.Gray:
		pix, stride, w, h = m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy()
	default:
		return 0
	}
	bw, bh := w/8, h/8
	if bw == 0 || bh == 0 {
		return 0
	}
	acc := make([]uint64, bw) // lanes of 16-bit partial sums, see sad8
	n := bw * 8
	var sum float64
	cnt := 0
	for by := 0; by < bh; by++ {
		clear(acc)
		for y := 0; y < 8; y += 2 {
			row := pix[(by*8+y)*stride:][:n]
			next := pix[(by*8+y+1)*stride:][:n]
			for bx := by % 4; bx < len(acc); bx += 4 {
				r := binary.LittleEndian.Uint64(row[bx*8:])
				v := binary.LittleEndian.Uint64(next[bx*8:])
				// Vertical differences, and horizontal ones: r against
				// itself shifted by a sample, its last sample zeroed in
				// both so that it adds nothing.
				r7 := r & 0x00ff_ffff_ffff_ffff
				acc[bx] += sad8(r, v) + sad8(r7, r>>8)
			}
		}
		for bx := by % 4; bx < len(acc); bx += 4 {
			// The four 16-bit lanes sum to at most 4 rows × 2 × 8 × 255.
			a := acc[bx] * 0x0001_0001_0001_0001 >> 48
			sum += math.Log1p(float64(a) / activityScale)
			cnt++
		}
	}
	return sum / float64(cnt)
}

// sad8 returns the absolute differences of the 8 bytes of a and b, summed
// in pairs into four 16-bit lanes (bytes 0 and 1 in the lowest lane): the
// bytes split into even and odd ones in 16-bit lanes, 256 + a − b in
// each lane (1..511, no borrow between lanes), whose absolute value past
// 256 is its low byte when bit 8 is set, else the low byte's complement
// plus one. Lanes stay below 2×255, so up to 128 calls add without
// overflow.
func sad8(a, b uint64) uint64 {
	const (
		even = 0x00ff_00ff_00ff_00ff
		one  = 0x0001_0001_0001_0001
		bias = 0x0100_0100_0100_0100
	)
	abs := func(t uint64) uint64 {
		ge := t >> 8 & one // 1 where a ≥ b
		lt := one - ge
		return (t&even ^ lt*0xff) + lt
	}
	return abs(a&even|bias-b&even) + abs(a>>8&even|bias-b>>8&even)
}
