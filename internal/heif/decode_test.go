package heif

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"sync"
	"testing"
)

// marker classifies a pixel of the fixtures' corner squares: 'R', 'G', 'B',
// 'K' (black), '.' for the grey background, '?' for anything else (lossy
// coding stays well within the tolerance).
func marker(c color.Color) byte {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	hi := func(v uint8) bool { return v > 200 }
	lo := func(v uint8) bool { return v < 60 }
	mid := func(v uint8) bool { return v > 100 && v < 156 }
	switch {
	case hi(n.R) && lo(n.G) && lo(n.B):
		return 'R'
	case lo(n.R) && hi(n.G) && lo(n.B):
		return 'G'
	case lo(n.R) && lo(n.G) && hi(n.B):
		return 'B'
	case lo(n.R) && lo(n.G) && lo(n.B):
		return 'K'
	case mid(n.R) && mid(n.G) && mid(n.B):
		return '.'
	}
	return '?'
}

// corners returns the markers at top-left, top-right, bottom-left and
// bottom-right, sampled 4 px in from each corner.
func corners(m image.Image) string {
	r := m.Bounds()
	return string([]byte{
		marker(m.At(r.Min.X+4, r.Min.Y+4)), marker(m.At(r.Max.X-5, r.Min.Y+4)),
		marker(m.At(r.Min.X+4, r.Max.Y-5)), marker(m.At(r.Max.X-5, r.Max.Y-5)),
	})
}

// Every fixture stores the upright scene (red, green, blue, black squares
// at top-left, top-right, bottom-left, bottom-right: "RGBK") so that
// applying its transforms once gives it back, as libheif's heif-convert
// confirms. Zero or two applications, or EXIF applied on top, give another
// layout or size.
var orientationTests = []struct {
	file string
	w, h int
}{
	{"plain.heic", 96, 64},
	{"irot90.heic", 96, 64},  // stored 64x96, turned 90 anti-clockwise
	{"irot180.heic", 96, 64}, // stored upside down
	{"irot270.heic", 96, 64}, // stored 64x96, turned 90 clockwise
	{"imir0.heic", 96, 64},   // stored top-bottom mirrored
	{"imir1.heic", 96, 64},   // stored left-right mirrored
	{"irot90-imir0.heic", 96, 64},
	// EXIF Orientation=6 with no irot: shown as stored, EXIF not applied.
	{"exif-orient6.heic", 96, 64},
	// irot 270 (90 clockwise) and EXIF 6 (also 90 clockwise): rotated once.
	{"irot270-exif6.heic", 96, 64},
	{"grid.heic", 128, 96},
	{"grid-irot90.heic", 128, 96}, // 2x2 tiles stored 96x128
	{"grid1x1.heic", 64, 48},
	// 2x3 tiles overhanging both edges, irot 3 then imir 1 on the grid.
	{"grid/grid-3x2-r3m1.heic", 160, 112},
}

const upright = "RGBK"

func TestDecodeOrientation(t *testing.T) {
	for _, tt := range orientationTests {
		t.Run(tt.file, func(t *testing.T) {
			b := fixture(t, tt.file)
			cfg, err := DecodeConfig(b)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("DecodeConfig = %dx%d, want %dx%d", cfg.Width, cfg.Height, tt.w, tt.h)
			}
			img, err := Decode(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			if r := img.Bounds(); r != image.Rect(0, 0, tt.w, tt.h) {
				t.Errorf("bounds %v, want %dx%d", r, tt.w, tt.h)
			}
			if cfg.ColorModel != img.ColorModel() {
				t.Errorf("DecodeConfig colour model differs from the image's")
			}
			if got := corners(img); got != upright {
				t.Errorf("corners %q, want %q", got, upright)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		file string
		cut  int // keep only the first cut bytes when > 0
		want error
	}{
		{"bomb-60000.heic", 0, ErrTooLarge},
		{"truncated.heic", 0, ErrCorrupt},
		{"plain.heic", 100, ErrCorrupt},
		{"grid.heic", 500, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := fixture(t, tt.file)
			if tt.cut > 0 {
				b = b[:tt.cut]
			}
			if _, err := DecodeConfig(b); !errors.Is(err, tt.want) {
				t.Errorf("DecodeConfig error = %v, want %v", err, tt.want)
			}
			img, err := Decode(context.Background(), b)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode error = %v, want %v", err, tt.want)
			}
			if img != nil {
				t.Errorf("Decode returned an image with an error")
			}
		})
	}
}

// TestDecodeCorruptData: damaged HEVC data inside a well-formed container.
// The decoder conceals errors, so any outcome but a panic or a wrong-sized
// image is acceptable.
func TestDecodeCorruptData(t *testing.T) {
	img, err := Decode(context.Background(), fixture(t, "corrupt-hevc.heic"))
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error %v does not match ErrCorrupt", err)
		}
		return
	}
	if img.Bounds() != image.Rect(0, 0, 96, 64) {
		t.Errorf("bounds %v", img.Bounds())
	}
}

// TestDecodeTruncatedInMdat cuts inside the coded data but fixes the mdat
// size so the container looks complete: the codec itself must fail cleanly.
func TestDecodeTruncatedInMdat(t *testing.T) {
	b := fixture(t, "plain.heic")
	cut := len(b) - 200
	// mdat is the last box; rewrite its 32-bit size to end at cut.
	i := lastIndex(b[:cut], "mdat") - 4
	if i < 0 {
		t.Fatal("no mdat")
	}
	short := append([]byte(nil), b[:cut]...)
	size := uint32(cut - i)
	short[i], short[i+1], short[i+2], short[i+3] = byte(size>>24), byte(size>>16), byte(size>>8), byte(size)
	img, err := Decode(context.Background(), short)
	if err == nil && img.Bounds() != image.Rect(0, 0, 96, 64) {
		t.Errorf("decoded %v without error", img.Bounds())
	}
	if err != nil && !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %v does not match ErrCorrupt", err)
	}
}

func lastIndex(b []byte, s string) int {
	for i := len(b) - len(s); i >= 0; i-- {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

func TestDecodeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decode(ctx, fixture(t, "plain.heic")); !errors.Is(err, context.Canceled) {
		t.Errorf("Decode with a canceled context: err = %v", err)
	}
	if err := Warmup(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Warmup with a canceled context: err = %v", err)
	}
}

// TestDecodeConcurrent runs decodes and warmups from many goroutines (run
// with -race): every result must be right.
func TestDecodeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		tt := orientationTests[i%len(orientationTests)]
		b := fixture(t, tt.file)
		wg.Go(func() {
			if err := Warmup(context.Background()); err != nil {
				errs <- err
				return
			}
			for range 2 {
				img, err := Decode(context.Background(), b)
				if err != nil {
					errs <- err
					return
				}
				if got := corners(img); got != upright {
					errs <- errors.New(tt.file + ": corners " + got + ", want " + upright)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestBackend(t *testing.T) {
	if b := Backend(); b != "wazero" && b != "wasm2go" {
		t.Errorf("Backend() = %q", b)
	}
	if MaxConcurrent() < 1 || MaxConcurrent() > 4 {
		t.Errorf("MaxConcurrent() = %d", MaxConcurrent())
	}
}

// TestDecodeSizeMismatch: an ispe that disagrees with the coded picture
// (96x64 declared as 64x96) must not yield an image of either size.
func TestDecodeSizeMismatch(t *testing.T) {
	b := fixture(t, "plain.heic")
	old := []byte("ispe\x00\x00\x00\x00\x00\x00\x00\x60\x00\x00\x00\x40") // v/f, width 96, height 64
	swapped := []byte("ispe\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x60")
	bad := bytes.Replace(b, old, swapped, 1)
	if bytes.Equal(bad, b) {
		t.Fatal("ispe not found in plain.heic")
	}
	img, err := Decode(context.Background(), bad)
	if !errors.Is(err, ErrCorrupt) || img != nil {
		t.Errorf("Decode = %v, %v; want ErrCorrupt", img, err)
	}
}
