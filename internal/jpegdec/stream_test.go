package jpegdec

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strings"
	"testing"
)

// streamCollect decodes b with a Stream, copying every row the sink sees
// into a whole image, while the sink keeps only the last keepMCU MCU rows.
func streamCollect(t *testing.T, b []byte, scale, bandMCU, keepMCU int, overlap bool, maxPixels int64) (image.Image, error) {
	t.Helper()
	s, err := NewStream(b, &Options{Scale: scale, MaxPixels: maxPixels})
	if err != nil {
		return nil, err
	}
	s.Overlap = overlap
	r := s.Bounds()
	var full image.Image
	if s.Gray() {
		full = image.NewGray(r)
	} else {
		full = image.NewYCbCr(r, s.SubsampleRatio())
	}
	mcu := s.MCURows()
	band := bandMCU * mcu
	copied, calls := 0, 0
	window := band + (keepMCU+1)*mcu
	if overlap {
		window += band
	}
	err = s.Decode(band, window, func(win image.Image, base, avail int, final bool) (int, error) {
		calls++
		if win.Bounds().Dy() != avail-base || win.Bounds().Dx() != r.Dx() {
			return 0, fmt.Errorf("window %v for rows %d..%d", win.Bounds(), base, avail)
		}
		if base > copied || avail < copied || final != (avail == r.Dy()) {
			return 0, fmt.Errorf("rows %d..%d final %v after %d copied", base, avail, final, copied)
		}
		// Rows kept from earlier calls must still be there.
		for y := base; y < copied; y++ {
			var got, want []byte
			switch w := win.(type) {
			case *image.Gray:
				f := full.(*image.Gray)
				got, want = w.Pix[(y-base)*w.Stride:][:r.Dx()], f.Pix[y*f.Stride:][:r.Dx()]
			case *image.YCbCr:
				f := full.(*image.YCbCr)
				got, want = w.Y[(y-base)*w.YStride:][:r.Dx()], f.Y[y*f.YStride:][:r.Dx()]
			}
			if !bytes.Equal(got, want) {
				return 0, fmt.Errorf("kept row %d changed", y)
			}
		}
		for y := copied; y < avail; y++ {
			switch w := win.(type) {
			case *image.Gray:
				f := full.(*image.Gray)
				copy(f.Pix[y*f.Stride:][:r.Dx()], w.Pix[(y-base)*w.Stride:][:r.Dx()])
			case *image.YCbCr:
				f := full.(*image.YCbCr)
				copy(f.Y[y*f.YStride:][:r.Dx()], w.Y[(y-base)*w.YStride:][:r.Dx()])
				// Chroma row of luma row y, once per chroma row.
				fy := 1
				if f.SubsampleRatio == image.YCbCrSubsampleRatio420 || f.SubsampleRatio == image.YCbCrSubsampleRatio440 || f.SubsampleRatio == image.YCbCrSubsampleRatio410 {
					fy = 2
				}
				if y%fy == 0 {
					cw := len(f.Cb) / max(1, (r.Dy()+fy-1)/fy)
					cy, cb := y/fy, base/fy
					copy(f.Cb[cy*f.CStride:][:cw], w.Cb[(cy-cb)*w.CStride:][:cw])
					copy(f.Cr[cy*f.CStride:][:cw], w.Cr[(cy-cb)*w.CStride:][:cw])
				}
			}
		}
		copied = avail
		return max(base, avail-keepMCU*mcu), nil
	})
	if err != nil {
		return nil, err
	}
	if copied != r.Dy() {
		t.Fatalf("%d of %d rows seen", copied, r.Dy())
	}
	if want := (r.Dy() + band - 1) / band; calls != want {
		t.Errorf("%d sink calls, want %d", calls, want)
	}
	return full, nil
}

// TestStreamMatchesDecode: every row a Stream shows equals Decode's, at
// every scale, band size and number of kept rows, with and without
// restart markers, on one worker and on several.
func TestStreamMatchesDecode(t *testing.T) {
	for _, name := range decodable {
		b := readFixture(t, name)
		for _, scale := range []int{1, 2, 4, 8} {
			want, err := Decode(b, &Options{Scale: scale})
			if err != nil {
				t.Fatal(err)
			}
			for _, bk := range [][3]int{{1, 0, 0}, {1, 2, 0}, {3, 1, 0}, {1000, 0, 0}, {1, 0, 1}, {1, 2, 1}, {2, 3, 1}} {
				t.Run(fmt.Sprintf("%s/s%d/band%d_keep%d_overlap%d", name, scale, bk[0], bk[1], bk[2]), func(t *testing.T) {
					got, err := streamCollect(t, b, scale, bk[0], bk[1], bk[2] == 1, 0)
					if err != nil {
						t.Fatal(err)
					}
					wp, gp := planes(t, want), planes(t, got)
					for i := range wp {
						for y := 0; y < wp[i].h; y++ {
							if !bytes.Equal(wp[i].pix[y*wp[i].stride:][:wp[i].w], gp[i].pix[y*gp[i].stride:][:gp[i].w]) {
								t.Fatalf("plane %s row %d differs from Decode", wp[i].name, y)
							}
						}
					}
				})
			}
		}
	}
}

func TestStreamErrors(t *testing.T) {
	b := readFixture(t, "mid_200x150_420.jpg")
	s, err := NewStream(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A sink that keeps every row overflows a small window.
	keepAll := func(image.Image, int, int, bool) (int, error) { return 0, nil }
	if err := s.Decode(16, 32, keepAll); !errors.Is(err, ErrWindow) {
		t.Errorf("window overflow: %v", err)
	}
	for _, overlap := range []bool{false, true} {
		s, _ = NewStream(b, nil)
		s.Overlap = overlap
		boom := errors.New("boom")
		calls := 0
		err := s.Decode(16, 64, func(_ image.Image, _, avail int, _ bool) (int, error) {
			if calls++; calls == 2 {
				return 0, boom
			}
			return avail, nil
		})
		if !errors.Is(err, boom) {
			t.Errorf("overlap %v: sink error: %v", overlap, err)
		}
		s, _ = NewStream(b, nil)
		s.Overlap = overlap
		err = s.Decode(16, 64, func(_ image.Image, _, avail int, _ bool) (int, error) { panic("sink bug") })
		if overlap && !errors.Is(err, ErrCorrupt) {
			t.Errorf("panicking sink on its own goroutine: %v", err)
		}
		if !overlap && err == nil {
			t.Errorf("panicking sink: no error")
		}
	}
	// Truncated entropy-coded data is reported as Decode reports it.
	s, err = NewStream(b[:len(b)*2/3], nil)
	if err == nil {
		err = s.Decode(16, 64, func(_ image.Image, _, avail int, _ bool) (int, error) { return avail, nil })
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated: %v", err)
	}
	for _, name := range unsupportedFixtures {
		if _, err := NewStream(readFixture(t, name), nil); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewStream(b, &Options{MaxPixels: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxPixels: %v", err)
	}
}

// FuzzStream checks a Stream against Decode on one worker (the same
// sequential order): both fail, or the Stream shows every row of the same
// image, at every scale, band size and kept-row count, with and without
// Overlap.
func FuzzStream(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, sel uint8) {
		if len(b) > fuzzMaxInput {
			return
		}
		scale := 1 << (sel & 3)
		bandMCU, keepMCU, overlap := 1+int(sel>>2&3), int(sel>>4&3), sel&0x40 != 0
		want, werr := Decode(b, &Options{Scale: scale, Workers: 1, MaxPixels: fuzzMaxPixels})
		got, gerr := streamCollect(t, b, scale, bandMCU, keepMCU, overlap, fuzzMaxPixels)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("stream error %v, Decode error %v", gerr, werr)
		}
		if gerr != nil {
			if strings.Contains(gerr.Error(), "internal error") || !(errors.Is(gerr, ErrCorrupt) || errors.Is(gerr, ErrUnsupported) || errors.Is(gerr, ErrTooLarge)) {
				t.Fatalf("stream error %v", gerr)
			}
			return
		}
		wp, gp := planes(t, want), planes(t, got)
		for i := range wp {
			for y := 0; y < wp[i].h; y++ {
				if !bytes.Equal(wp[i].pix[y*wp[i].stride:][:wp[i].w], gp[i].pix[y*gp[i].stride:][:gp[i].w]) {
					t.Fatalf("plane %s row %d differs from Decode", wp[i].name, y)
				}
			}
		}
	})
}
