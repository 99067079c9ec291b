package heif

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seeds adds every fixture (and a hand-made header) to f.
func seeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "heic", "*.heic"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(minimal(ispe(40, 30), box("irot", u8(1)), box("imir", u8(0))))
}

// maxFuzzInput bounds fuzz inputs; the fixtures are under 1 KB.
const maxFuzzInput = 4 << 10

// FuzzParse: Parse never panics, errors match a sentinel, and a success
// describes a plausible image whose transformed size follows the rotation.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		info, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		w, h := info.Size()
		if info.Width <= 0 || info.Height <= 0 || w <= 0 || h <= 0 {
			t.Fatalf("sizes %dx%d -> %dx%d", info.Width, info.Height, w, h)
		}
		if info.Rotation%90 != 0 || info.Rotation < 0 || info.Rotation > 270 || info.Mirror < -1 || info.Mirror > 1 {
			t.Fatalf("transform %+v", info)
		}
		if info.Grid != (info.Tiles > 0) {
			t.Fatalf("grid %v with %d tiles", info.Grid, info.Tiles)
		}
		cfg, err := DecodeConfig(b)
		if err == nil && (cfg.Width != w || cfg.Height != h) {
			t.Fatalf("DecodeConfig %dx%d, Size %dx%d", cfg.Width, cfg.Height, w, h)
		}
		if err != nil && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("DecodeConfig: %v after Parse succeeded", err)
		}
	})
}

// FuzzDecode: Decode never panics and never returns an image of another
// size than DecodeConfig announced. Inputs are bounded to small files, and
// declared sizes above 4096 pixels a side are skipped to keep runs fast.
func FuzzDecode(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		cfg, err := DecodeConfig(b)
		if err != nil || cfg.Width > 4096 || cfg.Height > 4096 {
			return
		}
		img, err := Decode(context.Background(), b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		if r := img.Bounds(); r.Dx() != cfg.Width || r.Dy() != cfg.Height {
			t.Fatalf("decoded %v, DecodeConfig %dx%d", r, cfg.Width, cfg.Height)
		}
	})
}
