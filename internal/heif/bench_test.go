package heif

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/internal/corpus"
)

// corpusFile reads a file of the benchmark corpus ($MEDIAPREP_CORPUS, else
// <repo>/../shared/corpus) or skips.
func corpusFile(b *testing.B, name string) []byte {
	b.Helper()
	data, err := corpus.ReadFile(name)
	if err != nil {
		b.Skipf("corpus not found (set MEDIAPREP_CORPUS): %v", err)
	}
	return data
}

const pauseMetric = "/sched/pauses/total/gc:seconds"

// gcPauses snapshots the GC stop-the-world pause histogram.
func gcPauses() metrics.Float64Histogram {
	s := []metrics.Sample{{Name: pauseMetric}}
	metrics.Read(s)
	h := s[0].Value.Float64Histogram()
	return metrics.Float64Histogram{Counts: append([]uint64(nil), h.Counts...), Buckets: h.Buckets}
}

// maxPause returns the upper bound of the largest bucket that gained counts
// between two snapshots, in seconds.
func maxPause(before, after metrics.Float64Histogram) float64 {
	m := 0.0
	for i := range after.Counts {
		if after.Counts[i] > before.Counts[i] {
			m = after.Buckets[i+1]
		}
	}
	return m
}

// allocLoad allocates short-lived garbage (about 64 MB/s) until stop is
// closed, as the rest of a busy server would, so collections start while a
// decode runs.
func allocLoad(stop chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-stop:
			return
		default:
		}
		loadSink = make([]byte, 64<<10)
		time.Sleep(time.Millisecond)
	}
}

// loadSink keeps allocLoad's garbage on the heap.
var loadSink []byte

// benchDecode decodes a corpus HEIC and reports ms per decode, the largest
// GC pause seen during the decodes (with a background allocation load), and
// the ratio to image/jpeg decoding the same pixels (a_12mp_q92.jpg),
// measured in the same run.
func benchDecode(b *testing.B, name string) {
	data := corpusFile(b, name)
	ref := corpusFile(b, "a_12mp_q92.jpg")
	if err := Warmup(context.Background()); err != nil {
		b.Fatal(err)
	}
	// Baseline: image/jpeg on the same 12 MP picture, 2 runs.
	t0 := time.Now()
	for range 2 {
		if _, err := jpeg.Decode(bytes.NewReader(ref)); err != nil {
			b.Fatal(err)
		}
	}
	jpegSec := time.Since(t0).Seconds() / 2
	runtime.GC()

	b.SetBytes(int64(len(data)))
	sec := timeDecodesUnderLoad(b, name, func() {
		if _, err := Decode(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(sec/jpegSec, "x-image/jpeg")
}

// timeDecodesUnderLoad is timeDecodes with allocLoad running beside the
// decodes: it also reports the longest GC pause seen during a decode
// (max-gc-pause-ms) and, when vips is installed, the ratio to libvips on
// the corpus file name (x-libvips). cpu-ms/decode then includes the
// load's CPU (a few ms a second).
func timeDecodesUnderLoad(b *testing.B, name string, decode func()) float64 {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go allocLoad(stop, &wg)
	b.ReportAllocs()
	b.ResetTimer()
	worst := 0.0
	sec := timeDecodes(b, func() {
		before := gcPauses()
		decode()
		worst = max(worst, maxPause(before, gcPauses()))
	})
	close(stop)
	wg.Wait()
	b.ReportMetric(worst*1000, "max-gc-pause-ms")
	if vips := vipsSeconds(b, name); vips > 0 {
		b.ReportMetric(sec/vips, "x-libvips")
	}
	return sec
}

// timeDecodes runs decode in a b.Loop, stops the timer and reports the
// wall time (ms/decode) and, where cpuTime is available, the process's CPU
// time (cpu-ms/decode, all goroutines) of one call; it returns the seconds
// a call took.
func timeDecodes(b *testing.B, decode func()) float64 {
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		decode()
	}
	sec := time.Since(start).Seconds() / float64(b.N)
	cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
	b.StopTimer()
	b.ReportMetric(sec*1000, "ms/decode")
	if cpu > 0 {
		b.ReportMetric(cpu*1000, "cpu-ms/decode")
	}
	return sec
}

// vipsSeconds times libvips (system libheif, its own threads) converting
// the corpus file name to a .v file, whole process, best of 2 runs; 0 when
// the vips command is missing.
func vipsSeconds(b *testing.B, name string) float64 {
	vips, err := exec.LookPath("vips")
	if err != nil {
		return 0
	}
	dir := corpus.Dir()
	out := filepath.Join(b.TempDir(), "out.v")
	best := 0.0
	for range 2 {
		t0 := time.Now()
		if err := exec.Command(vips, "copy", filepath.Join(dir, name), out).Run(); err != nil {
			return 0
		}
		if s := time.Since(t0).Seconds(); best == 0 || s < best {
			best = s
		}
	}
	return best
}

// BenchmarkDecode: c2_12mp_grid/tiles is the tile path Decode takes for
// grids, c2_12mp_grid/whole the whole-file decode it replaces (the
// baseline), in the same run.
func BenchmarkDecode(b *testing.B) {
	b.Run("c_12mp", func(b *testing.B) { benchDecode(b, "c_12mp.heic") })
	b.Run("c2_12mp_grid/tiles", func(b *testing.B) { benchDecode(b, "c2_12mp_grid.heic") })
	b.Run("c2_12mp_grid/whole", func(b *testing.B) {
		wholeFileOnly.Store(true)
		defer wholeFileOnly.Store(false)
		benchDecode(b, "c2_12mp_grid.heic")
	})
}

// BenchmarkDecodeParallel runs MaxConcurrent() decodes at once and reports
// the process's peak RSS (VmHWM) with the decode throughput: tiles is
// Decode's tile path, whole the whole-file decode. VmHWM never goes down,
// so compare peak-rss-MiB only between separate runs (-bench
// 'DecodeParallel/tiles', then 'DecodeParallel/whole').
func BenchmarkDecodeParallel(b *testing.B) {
	b.Run("tiles", benchParallel)
	b.Run("whole", func(b *testing.B) {
		wholeFileOnly.Store(true)
		defer wholeFileOnly.Store(false)
		benchParallel(b)
	})
}

func benchParallel(b *testing.B) {
	data := corpusFile(b, "c2_12mp_grid.heic")
	if err := Warmup(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.SetParallelism(1)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Decode(context.Background(), data); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(MaxConcurrent()), "decoders")
	if kb := vmHWM(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-rss-MiB")
	}
}

// vmHWM returns the peak resident set size in KiB (Linux), or 0.
func vmHWM() int {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(s), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// BenchmarkDecodeCold measures a fresh process's first decode (module
// compile or instantiation, memory growth) in a subprocess per iteration,
// reporting warmup-ms (Warmup), first-decode-ms (the first 12 MP decode after
// it), second-decode-ms, and peak-rss-MiB for the two decodes.
//
// Sub-benchmarks: tiles (Decode's tile path for grids) and whole (the
// whole-file decode), each in its own processes, so their peak RSS can be
// compared.
func BenchmarkDecodeCold(b *testing.B) {
	b.Run("tiles", func(b *testing.B) { benchCold(b, "0") })
	b.Run("whole", func(b *testing.B) { benchCold(b, "1") })
}

func benchCold(b *testing.B, whole string) {
	corpusFile(b, "c2_12mp_grid.heic")
	var warm, first, second, rss float64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestColdDecodeHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), "HEIF_COLD_HELPER=1", "HEIF_WHOLE_FILE="+whole)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		var w, f, s, r float64
		i := strings.Index(string(out), "cold:")
		if i < 0 {
			b.Fatalf("no result: %s", out)
		}
		if _, err := fmt.Sscanf(string(out[i:]), "cold: warmup=%f first=%f second=%f rss=%f", &w, &f, &s, &r); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		warm, first, second, rss = warm+w, first+f, second+s, max(rss, r)
	}
	n := float64(b.N)
	b.ReportMetric(warm/n, "warmup-ms")
	b.ReportMetric(first/n, "first-decode-ms")
	b.ReportMetric(second/n, "second-decode-ms")
	b.ReportMetric(rss, "peak-rss-MiB")
}

// TestColdDecodeHelper is BenchmarkDecodeCold's subprocess; it does nothing
// in a normal test run.
func TestColdDecodeHelper(t *testing.T) {
	if os.Getenv("HEIF_COLD_HELPER") != "1" {
		t.Skip("helper process for BenchmarkDecodeCold")
	}
	wholeFileOnly.Store(os.Getenv("HEIF_WHOLE_FILE") == "1")
	data, err := corpus.ReadFile("c2_12mp_grid.heic")
	if err != nil {
		t.Fatal(err)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	t0 := time.Now()
	if err := Warmup(context.Background()); err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	if _, err := Decode(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	t2 := time.Now()
	if _, err := Decode(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	t3 := time.Now()
	fmt.Printf("cold: warmup=%.1f first=%.1f second=%.1f rss=%.1f\n", ms(t1.Sub(t0)), ms(t2.Sub(t1)), ms(t3.Sub(t2)), float64(vmHWM())/1024)
}
