package preprocess_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/preprocess"
)

// TestHEICNativeMatchesEmbedded prepares every HEIC fixture twice, with the
// pure-Go HEVC decoder and with the embedded WebAssembly one, and requires
// the native path to have been taken (no fallback) and both payloads to
// show the same picture the same way up: the decoders differ only in their
// YCbCr→RGB rounding (the native path resizes the YCbCr planes and never
// converts), so the outputs agree far above JPEG's own error.
func TestHEICNativeMatchesEmbedded(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "heic", "*.heic"))
	require.NoError(t, err)
	grids, err := filepath.Glob(filepath.Join(testdata, "heic", "grid", "*.heic"))
	require.NoError(t, err)
	files = append(files, grids...)
	n := 0
	for _, path := range files {
		name, _ := filepath.Rel(filepath.Join(testdata, "heic"), path)
		if strings.HasPrefix(filepath.Base(name), "bomb") || strings.HasPrefix(filepath.Base(name), "corrupt") || strings.HasPrefix(filepath.Base(name), "truncated") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, filepath.Join("heic", name))
			opts := &preprocess.Options{MaxSide: 1920}
			before := preprocess.HEICFallbacks()
			native, err := preprocess.PrepareBytes(context.Background(), data, opts)
			require.NoError(t, err)
			assert.Equal(t, before, preprocess.HEICFallbacks(), "fell back to the embedded decoder")

			restore := preprocess.SetHEICNative(false)
			embedded, err := preprocess.PrepareBytes(context.Background(), data, opts)
			restore()
			require.NoError(t, err)

			assert.Equal(t, embedded.Width, native.Width)
			assert.Equal(t, embedded.Height, native.Height)
			a, b := decodeOutput(t, native), decodeOutput(t, embedded)
			require.Equal(t, a.Bounds(), b.Bounds())
			assert.GreaterOrEqual(t, psnr(a, b), 38.0)
		})
		n++
	}
	assert.GreaterOrEqual(t, n, 10, "HEIC fixtures found")
}
