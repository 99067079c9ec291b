package heif

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"testing"

	"github.com/mediaprep/mediaprep/internal/corpus"
)

// maxDiff returns the largest per-channel difference between two NRGBA
// images of the same bounds, or -1 if the bounds differ.
func maxDiff(a, b *image.NRGBA) int {
	if a.Rect != b.Rect {
		return -1
	}
	d := 0
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		pa := a.Pix[a.PixOffset(a.Rect.Min.X, y):a.PixOffset(a.Rect.Max.X, y)]
		pb := b.Pix[b.PixOffset(b.Rect.Min.X, y):b.PixOffset(b.Rect.Max.X, y)]
		for i := range pa {
			d = max(d, abs(int(pa[i])-int(pb[i])))
		}
	}
	return d
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// tileVsWhole decodes b tile by tile (no fallback) and as a whole file and
// returns both.
func tileVsWhole(t testing.TB, b []byte) (tiled, whole *image.NRGBA) {
	t.Helper()
	info, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	tiled, err = decodeGrid(context.Background(), b, info)
	if err != nil {
		t.Fatalf("tile path: %v", err)
	}
	w, err := decodeWhole(b, info)
	if err != nil {
		t.Fatalf("whole-file path: %v", err)
	}
	return tiled, w.(*image.NRGBA)
}

// TestTilesMatchWholeFile: the tile path gives exactly the whole-file
// decode's pixels for every fixture, grids and (read as 1x1 grids) single
// images with every transform, so the transforms applied here are the
// decoder's.
func TestTilesMatchWholeFile(t *testing.T) {
	tests := append(orientationTests[:len(orientationTests):len(orientationTests)],
		// colr nclx (BT.709 matrix) on the grid and BT.601 on the tiles:
		// the decoder uses the grid's for every tile (red turns 255,25,0).
		struct {
			file string
			w, h int
		}{"grid/grid-nclx.heic", 128, 96},
		// nclx on the tiles only: the decoder ignores it.
		struct {
			file string
			w, h int
		}{"grid/grid-tile-nclx.heic", 128, 96},
	)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tiled, whole := tileVsWhole(t, fixture(t, tt.file))
			if d := maxDiff(tiled, whole); d != 0 {
				t.Errorf("tile path differs from the whole-file decode: max diff %d (bounds %v, %v)", d, tiled.Rect, whole.Rect)
			}
			if got := corners(tiled); got != upright {
				t.Errorf("corners %q, want %q", got, upright)
			}
		})
	}
}

// TestDecodeUsesTiles: Decode takes the tile path for grids, not for
// single images.
func TestDecodeUsesTiles(t *testing.T) {
	for _, tt := range []struct {
		file  string
		tiled bool
	}{{"grid.heic", true}, {"grid-irot90.heic", true}, {"grid1x1.heic", true}, {"plain.heic", false}} {
		t.Run(tt.file, func(t *testing.T) {
			before := tileDecodes.Load()
			if _, err := Decode(context.Background(), fixture(t, tt.file)); err != nil {
				t.Fatal(err)
			}
			// No test of this package runs in parallel with another.
			if got := tileDecodes.Load() == before+1; got != tt.tiled {
				t.Errorf("tile path used: %v, want %v", got, tt.tiled)
			}
		})
	}
}

// TestTilesFallback: grids the tile path declines still decode (or fail
// with a typed error) through the whole-file path.
func TestTilesFallback(t *testing.T) {
	b := fixture(t, "grid.heic")
	info, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func([]byte) []byte
		noTile bool // the tile path must decline (errNoTilePath)
	}{
		{"grid-version-1", func(b []byte) []byte {
			return replaceOnce(t, b, "\x00\x00\x01\x01\x00\x80\x00\x60", "\x01\x00\x01\x01\x00\x80\x00\x60")
		}, true},
		{"grid-3x1", func(b []byte) []byte {
			return replaceOnce(t, b, "\x00\x00\x01\x01\x00\x80\x00\x60", "\x00\x00\x00\x03\x00\x80\x00\x60")
		}, true},
		{"grid-output-larger", func(b []byte) []byte {
			return replaceOnce(t, b, "\x00\x00\x01\x01\x00\x80\x00\x60", "\x00\x00\x01\x01\x00\x81\x00\x60")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := tt.edit(append([]byte(nil), b...))
			_, err := decodeGrid(context.Background(), bad, info)
			if tt.noTile && !errors.Is(err, errNoTilePath) {
				t.Errorf("tile path error %v, want errNoTilePath", err)
			}
			// Decode falls back: a typed error or a correctly sized image.
			img, err := Decode(context.Background(), bad)
			if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Errorf("Decode error %v matches no sentinel", err)
			}
			if err == nil && img.Bounds() != image.Rect(0, 0, 128, 96) {
				t.Errorf("Decode bounds %v", img.Bounds())
			}
		})
	}
}

func replaceOnce(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	i := lastIndex(b, old)
	if i < 0 {
		t.Fatalf("%q not found", old)
	}
	copy(b[i:], new)
	return b
}

// TestTilesTruncated cuts a grid file at every 16th byte: Decode (tile
// path, then fallback) returns a typed error or a right-sized image, and
// never panics.
func TestTilesTruncated(t *testing.T) {
	for _, name := range []string{"grid.heic", "grid-irot90.heic"} {
		b := fixture(t, name)
		for cut := 0; cut < len(b); cut += 16 {
			img, err := Decode(context.Background(), b[:cut])
			if err != nil {
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
					t.Fatalf("%s[:%d]: error %v matches no sentinel", name, cut, err)
				}
				continue
			}
			if img.Bounds() != image.Rect(0, 0, 128, 96) {
				t.Fatalf("%s[:%d]: bounds %v", name, cut, img.Bounds())
			}
		}
	}
}

// TestTilesCorpus compares the tile path with the whole-file decode on the
// corpus's iPhone-style 12 MP grid; skipped without the corpus.
func TestTilesCorpus(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("two 12 MP decodes: too slow with -short or -race")
	}
	b, err := corpus.ReadFile("c2_12mp_grid.heic")
	if err != nil {
		t.Skipf("corpus not found (set MEDIAPREP_CORPUS): %v", err)
	}
	tiled, whole := tileVsWhole(t, b)
	if d := maxDiff(tiled, whole); d != 0 {
		t.Errorf("tile path differs from the whole-file decode: max diff %d", d)
	}
}

// TestTilesCanceled: a canceled context stops the tile path with the
// context's error, without falling back to the whole-file decode.
func TestTilesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := fixture(t, "grid.heic")
	info, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := decodeAny(ctx, b, info); !errors.Is(err, context.Canceled) || img != nil {
		t.Errorf("decodeAny with a canceled context = %v, %v", img, err)
	}
}

// TestTilesConcurrent decodes grids from many goroutines at once (run with
// -race): every result equals the sequential one, and every decoder slot
// is given back.
func TestTilesConcurrent(t *testing.T) {
	files := []string{"grid.heic", "grid-irot90.heic", "grid/grid-3x2-r3m1.heic", "grid/grid-nclx.heic"}
	want := map[string]*image.NRGBA{}
	for _, f := range files {
		img, err := Decode(context.Background(), fixture(t, f))
		if err != nil {
			t.Fatal(err)
		}
		want[f] = img.(*image.NRGBA)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		f := files[i%len(files)]
		b := fixture(t, f)
		wg.Go(func() {
			for range 3 {
				img, err := Decode(context.Background(), b)
				if err != nil {
					errs <- err
					return
				}
				if d := maxDiff(img.(*image.NRGBA), want[f]); d != 0 {
					errs <- fmt.Errorf("%s: differs by %d from the sequential decode", f, d)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(sem); n != 0 {
		t.Errorf("%d decoder slots still taken", n)
	}
}
