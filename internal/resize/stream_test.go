package resize

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"testing"
)

// streamAll feeds m to a Stream the way a streaming decoder does: bands of
// band rows, a window starting at the first row the stream keeps (rounded
// down to mcu rows), and checks the window never needs more than
// Span()+mcu+band rows.
func streamAll(t testing.TB, m image.Image, o, W, H, band, mcu int) image.Image {
	t.Helper()
	b := m.Bounds()
	var s *Stream
	var err error
	switch m := m.(type) {
	case *image.Gray:
		s, err = NewStream(b.Dx(), b.Dy(), true, 0, o, W, H)
	case *image.YCbCr:
		s, err = NewStream(b.Dx(), b.Dy(), false, m.SubsampleRatio, o, W, H)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	window := s.Span() + mcu + band
	base := 0
	for avail := 0; avail < b.Dy(); {
		avail = min(avail+band, b.Dy())
		if avail-base > window {
			t.Fatalf("window of %d rows needed, %d promised (Span %d)", avail-base, window, s.Span())
		}
		var win image.Image
		r := image.Rect(0, base, b.Dx(), avail)
		switch m := m.(type) {
		case *image.Gray:
			win = m.SubImage(r)
		case *image.YCbCr:
			win = m.SubImage(r)
		}
		keep, err := s.Advance(win, base, avail, avail == b.Dy())
		if err != nil {
			t.Fatal(err)
		}
		if keep < base || keep > avail {
			t.Fatalf("keep %d outside %d..%d", keep, base, avail)
		}
		base = keep / mcu * mcu
	}
	return s.Image()
}

func pixBytes(m image.Image) [][]byte {
	switch m := m.(type) {
	case *image.Gray:
		return [][]byte{m.Pix}
	case *image.YCbCr:
		return [][]byte{m.Y, m.Cb, m.Cr}
	}
	return nil
}

// TestStreamMatchesResize: the streamed output is byte-identical to
// Resize's for every orientation, subsampling, scale and band size.
func TestStreamMatchesResize(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	sizes := []struct{ w, h, long int }{
		{203, 152, 96}, {97, 133, 40}, {256, 256, 255}, {120, 90, 120}, {300, 200, 17}, {600, 401, 128},
	}
	if raceEnabled || testing.Short() {
		// Each case is ~50× slower under the race detector: the sizes
		// above cover every geometry; the large one adds nothing new.
		sizes = sizes[:5]
	}
	bands := []int{1, 4, 1 << 16} // in MCU rows
	if raceEnabled {
		bands = bands[1:]
	}
	for _, sz := range sizes {
		for ri, r := range append(ratios, -1) {
			for o := 1; o <= 8; o++ {
				gray := r == -1
				name := fmt.Sprintf("%dx%d_to%d_r%d_o%d", sz.w, sz.h, sz.long, ri, o)
				t.Run(name, func(t *testing.T) {
					var m image.Image
					mcu := 16
					if gray {
						m = newGray(sz.w, sz.h, 0, 0)
						mcu = 8
					} else {
						y := newYCbCr(sz.w, sz.h, 0, 0, r)
						for i := range y.Y {
							y.Y[i] ^= uint8(rng.IntN(64))
						}
						m = y
					}
					W, H := FitSize(sz.w, sz.h, o, sz.long)
					want, err := Resize(m, o, W, H)
					if err != nil {
						t.Fatal(err)
					}
					for _, band := range bands {
						got := streamAll(t, m, o, W, H, band*mcu, mcu)
						wp, gp := pixBytes(want), pixBytes(got)
						for i := range wp {
							if !bytes.Equal(wp[i], gp[i]) {
								t.Fatalf("band %d: plane %d differs from Resize", band, i)
							}
						}
					}
				})
			}
		}
	}
}

func TestStreamErrors(t *testing.T) {
	if _, err := NewStream(10, 10, false, image.YCbCrSubsampleRatio420, 9, 5, 5); !errors.Is(err, ErrInvalid) {
		t.Errorf("orientation 9: %v", err)
	}
	if _, err := NewStream(0, 10, true, 0, 1, 5, 5); !errors.Is(err, ErrInvalid) {
		t.Errorf("width 0: %v", err)
	}
	if _, err := NewStream(10, 10, false, image.YCbCrSubsampleRatio(99), 1, 5, 5); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad ratio: %v", err)
	}
	s, err := NewStream(64, 64, false, image.YCbCrSubsampleRatio420, 1, 16, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Advance(newGray(64, 16, 0, 0), 0, 16, false); !errors.Is(err, ErrInvalid) {
		t.Errorf("gray window for a colour stream: %v", err)
	}
	if _, err := s.Advance(newYCbCr(64, 8, 0, 0, image.YCbCrSubsampleRatio420), 0, 16, false); !errors.Is(err, ErrInvalid) {
		t.Errorf("window shorter than its rows: %v", err)
	}
	// Dropping rows the stream still needs is reported, not computed wrong.
	m := newYCbCr(64, 64, 0, 0, image.YCbCrSubsampleRatio420)
	if _, err := s.Advance(m.SubImage(image.Rect(0, 32, 64, 48)), 32, 48, false); !errors.Is(err, ErrInvalid) {
		t.Errorf("rows dropped before use: %v", err)
	}
}
