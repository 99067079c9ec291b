//go:build !race

package preprocess_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/preprocess"
)

// Repeated Prepare calls reuse the decoded planes: what one call allocates
// is the fitted image, the payload and small objects, far less than the
// 2400×1800 decode (6.5 MB of 4:2:0 planes) that a fresh buffer would
// cost. Bytes are measured with runtime.MemStats over several calls.
func TestPrepareReusesDecodeBuffers(t *testing.T) {
	in := readFixture(t, "photo_2400x1800.jpg")
	opts := &preprocess.Options{ForceReencode: true}
	for range 2 { // warm the pools
		_, err := preprocess.PrepareBytes(context.Background(), in, opts)
		require.NoError(t, err)
	}
	const runs = 5
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		_, err := preprocess.PrepareBytes(context.Background(), in, opts)
		require.NoError(t, err)
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / runs
	const planes = 2400 * 1800 * 3 / 2
	const fitted = 1920 * 1440 * 3 / 2
	t.Logf("%d bytes allocated per call (decoded planes alone: %d)", perCall, planes)
	assert.Less(t, perCall, uint64(fitted+planes/2), "decoded planes are not being reused")
}

// Repeated Prepare calls of a HEIC reuse its decoded planes too: the
// native decoder carves them from the pooled buffer that putPlanes
// returns after encoding, and grid tiles from the heif package's own pool.
// The fixtures are internal/heif's 1000x600 grid of four 512x512 tiles
// (the iPhone layout; 0.9 MB of output planes and 1.6 MB of tile planes)
// and a 1600x1200 single image (testdata/make_heic_alloc.sh; 2.9 MB of
// planes); each call must allocate under a third of the decoded planes
// (the decoder's block metadata and the payload remain), where a
// fresh decode costs them all.
func TestPrepareReusesHEICDecodeBuffers(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		planes uint64 // bytes of decoded planes a fresh decode allocates
	}{
		// Output 1000x600 + 2 x 500x300; tiles 4 x 512x512 x 1.5.
		{"grid", filepath.Join("..", "internal", "heif", "testdata", "native", "grid512.heic"), 1000*600*3/2 + 4*512*512*3/2},
		// Padded to whole 64x64 CTBs: 1600x1216 x 1.5.
		{"single", filepath.Join("testdata", "single-1600x1200.heic"), 1600 * 1216 * 3 / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := os.ReadFile(tt.path)
			require.NoError(t, err)
			opts := &preprocess.Options{ForceReencode: true}
			perCall := func(runs int) uint64 {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for range runs {
					_, err := preprocess.PrepareBytes(context.Background(), in, opts)
					require.NoError(t, err)
				}
				runtime.ReadMemStats(&after)
				return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
			}
			first := perCall(1)
			perCall(2) // warm the pools
			const runs = 5
			got := perCall(runs)
			t.Logf("%d bytes allocated per call, first call %d (decoded planes alone: %d)", got, first, tt.planes)
			assert.Less(t, got, tt.planes/3, "decoded planes are not being reused")
		})
	}
}
