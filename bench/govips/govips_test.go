package govips

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/preprocess"
)

var threads = flag.Int("vips.threads", 0, "libvips worker threads (0: one per CPU, as vipsthumbnail)")

// corpusDir returns the corpus folder, or "" when it is absent.
func corpusDir() string {
	dir := os.Getenv("MEDIAPREP_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.md")); err != nil {
		return ""
	}
	return dir
}

// corpusFile reads a corpus file or skips the benchmark.
func corpusFile(b *testing.B, name string) []byte {
	b.Helper()
	dir := corpusDir()
	if dir == "" {
		b.Skip("corpus not found (set MEDIAPREP_CORPUS)")
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.Skipf("corpus file: %v", err)
	}
	return data
}

// The images of the corpus that both turn into JPEG payloads.
var imageCorpus = []string{
	"a_12mp_q92.jpg", "b_12mp_q92_orient6.jpg", "f_24mp_q92.jpg", "h_1280x960_q85.jpg",
	"c_12mp.heic", "c2_12mp_grid.heic", "d_12mp_q80.webp",
	"e_a4scan_2480x3508.png", "e2_a4clean_2480x3508.png",
}

// ours runs the pipeline with the defaults (longer side 1920, quality 90),
// forcing a re-encode so that small inputs do the same work as libvips.
func ours(data []byte) (*preprocess.Payload, error) {
	return preprocess.PrepareBytes(context.Background(), data, &preprocess.Options{ForceReencode: true})
}

// theirs is libvips doing the same.
func theirs(data []byte) ([]byte, error) {
	out, _, _, err := Thumbnail(data, preprocess.DefaultMaxSide, encode.DefaultQuality)
	return out, err
}

// cpuTime returns the user+system time of the whole process, all threads
// (Go's and libvips's).
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// compareGovips runs ours and govips alternately for the wall times, then
// each alone in a phase of its own for the CPU times (they share the
// process, so CPU can only be told apart in sequence), and reports per-op
// times, ratios ours ÷ govips (below 1: ours is cheaper), ours's
// allocations and both output sizes.
func compareGovips(b *testing.B, data []byte) {
	nThreads := Start(*threads)
	// One untimed run of each: first-use costs (decoder set-up, libvips
	// loaders) are not what a long-running backend pays per image.
	p, err := ours(data)
	if err != nil {
		b.Fatal(err)
	}
	v, w, h, err := Thumbnail(data, preprocess.DefaultMaxSide, encode.DefaultQuality)
	if err != nil {
		b.Fatal(err)
	}
	if abs(w-p.Width) > 1 || abs(h-p.Height) > 1 {
		b.Errorf("libvips made %dx%d, ours %dx%d: not the same payload", w, h, p.Width, p.Height)
	}
	b.SetBytes(int64(len(data)))

	var tOurs, tVips time.Duration
	n := 0
	for b.Loop() {
		runOurs := func() {
			t := time.Now()
			if _, err := ours(data); err != nil {
				b.Fatal(err)
			}
			tOurs += time.Since(t)
		}
		runVips := func() {
			t := time.Now()
			if _, err := theirs(data); err != nil {
				b.Fatal(err)
			}
			tVips += time.Since(t)
		}
		if n%2 == 0 {
			runOurs()
			runVips()
		} else {
			runVips()
			runOurs()
		}
		n++
	}

	// CPU phases, outside the timed loop. Ours's phase ends with a GC so
	// that it pays for its own garbage and none of it spills into libvips's.
	k := max(n, 2)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	c := cpuTime(b)
	for range k {
		if _, err := ours(data); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	cpuOurs := cpuTime(b) - c
	runtime.ReadMemStats(&ms1)
	c = cpuTime(b)
	for range k {
		if _, err := theirs(data); err != nil {
			b.Fatal(err)
		}
	}
	cpuVips := cpuTime(b) - c

	f := float64(n)
	b.ReportMetric(ms(tOurs)/f, "ours-ms/op")
	b.ReportMetric(ms(tVips)/f, "govips-ms/op")
	b.ReportMetric(float64(tOurs)/float64(tVips), "wall-ours/govips")
	b.ReportMetric(ms(cpuOurs)/float64(k), "ours-cpu-ms/op")
	b.ReportMetric(ms(cpuVips)/float64(k), "govips-cpu-ms/op")
	b.ReportMetric(float64(cpuOurs)/float64(cpuVips), "cpu-ours/govips")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(k)/(1<<20), "ours-alloc-MiB/op")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(k), "ours-allocs/op")
	b.ReportMetric(float64(len(p.Data)), "ours-out-bytes")
	b.ReportMetric(float64(len(v)), "govips-out-bytes")
	b.ReportMetric(float64(nThreads), "vips-threads")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "gomaxprocs")
}

// BenchmarkVsGovips compares the pipeline with govips thumbnail+export on
// each corpus image, in one process and one run.
func BenchmarkVsGovips(b *testing.B) {
	for _, name := range imageCorpus {
		b.Run(name, func(b *testing.B) { compareGovips(b, corpusFile(b, name)) })
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func abs(x int) int { return max(x, -x) }
