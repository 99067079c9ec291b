//go:build !race

package preprocess_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/preprocess"
)

// photo12MP returns a 4032×3024 JPEG (q90, 4:2:0) with photo-like content.
func photo12MP(t testing.TB) []byte {
	const w, h = 4032, 3024
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		row := img.Y[y*img.YStride:]
		for x := range w {
			row[x] = uint8((x*255/w+y*255/h)/2) ^ uint8(r.IntN(16))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 110, 150
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

// vmHWM returns the process's peak resident set size in bytes (Linux).
func vmHWM(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmHWM")
	return 0
}

// 64 concurrent Prepare calls of 12 MP photos on this machine's cores,
// sharing one Limiter: all must be correct, and the process's peak RSS
// must stay within the Limiter's bound plus the fixed cost of the process
// (runtime, test binary, the shared input). The Go heap may grow past the
// live data by its GC target, so the server sets a soft memory limit at the
// same bound, as a service using the Limiter should.
func TestLoadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const limit = 192 << 20
	in := photo12MP(t)
	runtime.GC()
	debug.FreeOSMemory()
	base := vmHWM(t)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(base + limit))

	lim := preprocess.NewLimiter(limit)
	opts := &preprocess.Options{Limiter: lim}
	var wg sync.WaitGroup
	errs := make([]error, 64)
	sizes := make([][2]int, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := preprocess.PrepareBytes(context.Background(), in, opts)
			errs[i] = err
			if err == nil {
				if cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.Data)); err == nil {
					sizes[i] = [2]int{cfg.Width, cfg.Height}
				}
			}
		}()
	}
	wg.Wait()
	peak := vmHWM(t)
	for i := range 64 {
		require.NoError(t, errs[i])
		assert.Equal(t, [2]int{1920, 1440}, sizes[i])
	}
	assert.Zero(t, lim.InUse())
	t.Logf("peak RSS %d MiB: base %d MiB + %d MiB for 64 jobs (limit %d MiB)",
		peak>>20, base>>20, (peak-base)>>20, limit>>20)
	assert.LessOrEqual(t, peak-base, int64(limit), "peak RSS above the bound")
}
