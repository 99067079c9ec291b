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
	grids, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "heic", "grid", "*.heic"))
	files = append(files, grids...)
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

// FuzzTileLayout: the tile path's parser never panics, declines with
// errNoTilePath or a sentinel, and on success every tile's standalone file
// is a valid single hvc1 HEIF of the tile's size whose data lies within
// the input.
func FuzzTileLayout(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		g, err := parseLayout(b)
		if err != nil {
			if !errors.Is(err, errNoTilePath) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		if len(g.tiles) != g.rows*g.cols || g.tileW <= 0 || g.tileH <= 0 || g.outW > g.cols*g.tileW || g.outH > g.rows*g.tileH {
			t.Fatalf("layout %+v", g)
		}
		if _, err := newPlacement(g); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("placement: %v", err)
		}
		for i, tile := range g.tiles {
			tf, err := tileFile(b, tile)
			if err != nil {
				continue
			}
			if len(tf) > len(b)+4096 {
				t.Fatalf("tile %d: %d-byte file from a %d-byte input", i, len(tf), len(b))
			}
			info, err := Parse(tf)
			if err != nil {
				t.Fatalf("tile %d: file does not parse: %v", i, err)
			}
			if info.Grid || info.Width != g.tileW || info.Height != g.tileH || info.Transformed() {
				t.Fatalf("tile %d: file parses as %+v, want a plain %dx%d", i, info, g.tileW, g.tileH)
			}
		}
	})
}
