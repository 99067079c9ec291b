package preprocess

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestHEICFallback: a HEIC the native decoder refuses (10-bit) is decoded
// by the embedded one, with the Limiter reservation traded for the
// fallback's larger estimate and nothing left reserved afterwards; one it
// takes (plain.heic) never reaches the fallback.
func TestHEICFallback(t *testing.T) {
	for _, tc := range []struct {
		path     string
		fallback bool
	}{
		{filepath.Join("..", "internal", "heif", "testdata", "native", "b10.heic"), true},
		{filepath.Join("..", "testdata", "heic", "plain.heic"), false},
		{filepath.Join("..", "testdata", "heic", "grid.heic"), false},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			data, err := os.ReadFile(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			hdr, err := readHeader(HEIC, data, DefaultMaxPixels)
			if err != nil {
				t.Fatal(err)
			}
			big := hdr
			big.bpp = heicBytesPerPixel(hdr.grid)
			if native, embedded := workingSet(hdr, 1, 1920, false), workingSet(big, 1, 1920, false); native >= embedded {
				t.Errorf("native reservation %d not below the embedded decoder's %d", native, embedded)
			}
			lim := NewLimiter(64 << 20)
			before := heicFallbacks.Load()
			p, err := PrepareBytes(context.Background(), data, &Options{Limiter: lim, ForceReencode: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := heicFallbacks.Load() - before; got != map[bool]int64{false: 0, true: 1}[tc.fallback] {
				t.Errorf("%d fallbacks, want fallback %v", got, tc.fallback)
			}
			if p.Width != hdr.width || p.Height != hdr.height {
				t.Errorf("output %dx%d, stored %dx%d", p.Width, p.Height, hdr.width, hdr.height)
			}
			if n := lim.InUse(); n != 0 {
				t.Errorf("%d bytes still reserved", n)
			}
		})
	}
}
