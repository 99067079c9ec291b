//go:build !race

package preprocess_test

import (
	"context"
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
