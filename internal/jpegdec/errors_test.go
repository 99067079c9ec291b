package jpegdec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// checkNoInternal fails on errors produced by the panic safety net.
func checkNoInternal(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("decoder panicked: %v", err)
	}
}

func TestUnsupported(t *testing.T) {
	for _, name := range unsupportedFixtures {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(readFixture(t, name), nil)
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("got %v, want ErrUnsupported", err)
			}
			if !strings.HasPrefix(err.Error(), "jpegdec: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
	t.Run("scale 3", func(t *testing.T) {
		if _, err := Decode(readFixture(t, "q75_420.jpg"), &Options{Scale: 3}); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("got %v, want ErrUnsupported", err)
		}
	})
}

// sofOffset returns the offset of the SOF0/SOF1 segment's marker in b.
func sofOffset(t *testing.T, b []byte) int {
	t.Helper()
	for i := 2; i+1 < len(b); i++ {
		if b[i] == 0xFF && (b[i+1] == mSOF0 || b[i+1] == mSOF1) {
			return i
		}
	}
	t.Fatal("no SOF")
	return 0
}

// withSize returns b with the SOF's declared width and height replaced.
func withSize(t *testing.T, b []byte, w, h int) []byte {
	t.Helper()
	b = bytes.Clone(b)
	i := sofOffset(t, b)
	// FF Cn | length(2) | precision(1) | height(2) | width(2)
	binary.BigEndian.PutUint16(b[i+5:], uint16(h))
	binary.BigEndian.PutUint16(b[i+7:], uint16(w))
	return b
}

func TestMalformedHeaders(t *testing.T) {
	good := readFixture(t, "q75_420.jpg")
	sof := sofOffset(t, good)
	mod := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrCorrupt},
		{"not a JPEG", []byte("\x89PNG\r\n\x1a\n"), ErrCorrupt},
		{"SOI only", []byte{0xFF, 0xD8}, ErrCorrupt},
		{"SOI EOI", []byte{0xFF, 0xD8, 0xFF, 0xD9}, ErrCorrupt},
		// A segment length (0xFFFF) running past the end of the data.
		{"segment past end", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0}, ErrCorrupt},
		// A segment length of 1, shorter than the length field itself.
		{"segment length 1", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01}, ErrCorrupt},
		{"zero width", withSize(t, good, 0, 64), ErrCorrupt},
		{"zero height (DNL)", withSize(t, good, 96, 0), ErrUnsupported},
		// SOF precision byte set to 12.
		{"12-bit", mod(func(b []byte) { b[sof+4] = 12 }), ErrUnsupported},
		// SOF marker changed to SOF3 (lossless).
		{"lossless", mod(func(b []byte) { b[sof+1] = 0xC3 }), ErrUnsupported},
		// First component's sampling factors set to 0x0.
		{"bad sampling", mod(func(b []byte) { b[sof+11] = 0x00 }), ErrCorrupt},
		// Luma 3x1 (not a supported ratio).
		{"3x1 sampling", mod(func(b []byte) { b[sof+11] = 0x31 }), ErrUnsupported},
		// First component's quantization table index set to 9.
		{"bad Tq", mod(func(b []byte) { b[sof+12] = 9 }), ErrCorrupt},
		// Truncated in the middle of the headers.
		{"cut in header", good[:sof+5], ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in, nil)
			checkNoInternal(t, err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTruncatedAtEveryLength(t *testing.T) {
	tests := []struct {
		name    string
		step    int // test every step-th length (1 = every length)
		workers []int
	}{
		{"q75_420.jpg", 1, []int{1, 2}},
		{"odd_37x23_gray.jpg", 1, []int{1}},
		// Larger, with restart markers: a prime stride keeps -race fast.
		{"mid_rst3mcu_420.jpg", 7, []int{1, 2}},
	}
	for _, tt := range tests {
		full := readFixture(t, tt.name)
		for _, workers := range tt.workers {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, workers), func(t *testing.T) {
				o := &Options{Workers: workers}
				ref, err := Decode(full, o)
				if err != nil {
					t.Fatal(err)
				}
				for n := 0; n < len(full); n += tt.step {
					m, err := Decode(full[:n], o)
					checkNoInternal(t, err)
					if err != nil {
						if !errors.Is(err, ErrCorrupt) {
							t.Fatalf("cut at %d: %v, want ErrCorrupt", n, err)
						}
						continue
					}
					// Only a cut after the last entropy-coded byte may
					// succeed, and then the image must be complete.
					if !samePixels(m, ref) {
						t.Fatalf("cut at %d of %d: decoded a different image without error", n, len(full))
					}
				}
			})
		}
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	switch a := a.(type) {
	case *image.Gray:
		bb, ok := b.(*image.Gray)
		return ok && bytes.Equal(a.Pix, bb.Pix)
	case *image.YCbCr:
		bb, ok := b.(*image.YCbCr)
		return ok && bytes.Equal(a.Y, bb.Y) && bytes.Equal(a.Cb, bb.Cb) && bytes.Equal(a.Cr, bb.Cr)
	}
	return false
}

func TestCorruptBytesNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, name := range []string{"q75_420.jpg", "mid_rst1row_420.jpg", "q85_411.jpg", "q90_gray.jpg"} {
		full := readFixture(t, name)
		t.Run(name, func(t *testing.T) {
			for iter := 0; iter < 120; iter++ {
				b := bytes.Clone(full)
				for k := 0; k < 1+rng.IntN(4); k++ {
					b[rng.IntN(len(b))] = byte(rng.IntN(256))
				}
				for _, scale := range []int{1, 2, 8} {
					m, err := Decode(b, &Options{Scale: scale, Workers: 1 + iter%3, MaxPixels: 1 << 20})
					checkNoInternal(t, err)
					if err == nil {
						cfg, cerr := DecodeConfig(b)
						if cerr != nil {
							t.Fatalf("Decode ok but DecodeConfig: %v", cerr)
						}
						want := image.Rect(0, 0, (cfg.Width+scale-1)/scale, (cfg.Height+scale-1)/scale)
						if m.Bounds() != want {
							t.Fatalf("bounds %v, want %v", m.Bounds(), want)
						}
					}
				}
			}
		})
	}
}

func TestRestartMarkerErrors(t *testing.T) {
	good := readFixture(t, "mid_rst3mcu_420.jpg")
	var rsts []int
	for i := 0; i+1 < len(good); i++ {
		if good[i] == 0xFF && good[i+1] >= mRST0 && good[i+1] <= mRST7 {
			rsts = append(rsts, i)
		}
	}
	if len(rsts) < 3 {
		t.Fatalf("fixture has %d RST markers", len(rsts))
	}
	tests := []struct {
		name string
		edit func(b []byte)
	}{
		// RST number out of sequence: the parallel split is refused and the
		// sequential decoder reports it.
		{"wrong RST number", func(b []byte) { b[rsts[1]+1] = mRST0 + 6 }},
		// An RST marker replaced by an unrelated marker (APP1).
		{"RST replaced by APP1", func(b []byte) { b[rsts[2]+1] = 0xE1 }},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, workers), func(t *testing.T) {
				b := bytes.Clone(good)
				tt.edit(b)
				_, err := Decode(b, &Options{Workers: workers})
				checkNoInternal(t, err)
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("got %v, want ErrCorrupt", err)
				}
			})
		}
	}
}

// allocatedBytes returns the bytes allocated while running f.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestBombRefusedBeforeAllocation(t *testing.T) {
	bomb := withSize(t, readFixture(t, "q75_420.jpg"), 65535, 65535)
	t.Run("MaxPixels", func(t *testing.T) {
		var err error
		n := allocatedBytes(func() { _, err = Decode(bomb, &Options{MaxPixels: 50_000_000}) })
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v, want ErrTooLarge", err)
		}
		if n > 1<<20 {
			t.Fatalf("allocated %d bytes before refusing", n)
		}
	})
	t.Run("no limit, too little data", func(t *testing.T) {
		var err error
		n := allocatedBytes(func() { _, err = Decode(bomb, nil) })
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("got %v, want ErrCorrupt", err)
		}
		if n > 1<<20 {
			t.Fatalf("allocated %d bytes before refusing", n)
		}
	})
	t.Run("DecodeConfig", func(t *testing.T) {
		cfg, err := DecodeConfig(bomb)
		if err != nil || cfg.Width != 65535 || cfg.Height != 65535 {
			t.Fatalf("got %+v, %v", cfg, err)
		}
	})
}
