package jpegenc

import (
	"bytes"
	"image"
	"testing"
)

// FuzzAppend encodes fuzzer-chosen pixels, sizes (≤ 64×64), qualities,
// samplings and Rect offsets. Properties: Append never fails or panics on
// a valid image; image/jpeg decodes the output to the right size; for
// Gray and 4:2:0 the output is image/jpeg's bytes; coding in stripes
// (forced for these small images, 1-4 workers) gives the single-threaded
// bytes; and OptimizeHuffman decodes to the same pixels as the standard
// tables, also when striped.
func FuzzAppend(f *testing.F) {
	f.Add([]byte{0, 255, 128, 7}, uint8(7), uint8(13), uint8(90), uint8(0), uint8(0))
	f.Add([]byte("the quick brown fox"), uint8(63), uint8(63), uint8(1), uint8(2), uint8(3))
	f.Add([]byte{0xff, 0xff, 0xff, 0x00}, uint8(0), uint8(0), uint8(100), uint8(6), uint8(1))
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(16), uint8(8), uint8(50), uint8(4), uint8(2))
	f.Add([]byte{200, 10}, uint8(33), uint8(17), uint8(75), uint8(5), uint8(5))
	f.Fuzz(func(t *testing.T, pix []byte, w8, h8, q8, sub, flags uint8) {
		if len(pix) > 1<<16 {
			return
		}
		w, h := 1+int(w8)%64, 1+int(h8)%64
		quality := 1 + int(q8)%100
		min := image.Pt(int(flags&3), int(flags>>2&3))
		rect := image.Rectangle{min, min.Add(image.Pt(w, h))}
		fill := func(b []byte) {
			for i := range b {
				if len(pix) > 0 {
					b[i] = pix[i%len(pix)] + byte(i/len(pix))
				}
			}
		}
		var img image.Image
		gray := int(sub)%7 == 6
		ratio := ratios[int(sub)%7%6]
		if gray {
			m := image.NewGray(rect)
			fill(m.Pix)
			img = m
		} else {
			m := image.NewYCbCr(rect, ratio)
			fill(m.Y)
			fill(m.Cb)
			fill(m.Cr)
			img = m
		}
		out, err := Append(nil, img, &Options{Quality: quality, Workers: 1})
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		got := decode(t, out)
		if got.Bounds().Size() != rect.Size() {
			t.Fatalf("decoded %v, want %v", got.Bounds().Size(), rect.Size())
		}
		if gray || ratio == image.YCbCrSubsampleRatio420 {
			if std := stdEncode(t, img, quality); !bytes.Equal(out, std) {
				t.Fatalf("output differs from image/jpeg's at byte %d (%d vs %d bytes)", firstDiff(out, std), len(out), len(std))
			}
		}
		workers := 1 + int(flags>>4&3)
		if striped := appendStriped(t, img, &Options{Quality: quality, Workers: workers}); !bytes.Equal(striped, out) {
			t.Fatalf("Workers=%d striped output differs at byte %d", workers, firstDiff(striped, out))
		}
		opt := appendStriped(t, img, &Options{Quality: quality, OptimizeHuffman: true, Workers: workers})
		if !samePixels(decode(t, opt), got) {
			t.Fatalf("OptimizeHuffman decodes differently")
		}
	})
}
