package hostiletest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/preprocess"
)

// leakFixtures are the inputs of the leak tests: a JPEG that is decoded
// by the parallel decoder and re-encoded, a progressive JPEG (fallback
// decoder), PNG, WebP, a HEIC tile grid (WebAssembly decoder), a PDF with
// images (pdfcpu) and corrupt or truncated files of each kind.
var leakFixtures = []string{
	"photo_2400x1800.jpg",
	"orient6_2400x1800.jpg",
	"jpeg_progressive.jpg",
	"small_640x480.png",
	"small_640x480.webp",
	"heic/grid.heic",
	"pdf/scan.pdf",
	"pdf/kinds.pdf",
	"corrupt.jpg",
	"truncated.jpg",
	"corrupt.png",
	"truncated.webp",
	"heic/truncated.heic",
	"heic/corrupt-hevc.heic",
	"pdf/truncated.pdf",
	"pdf/broken_xref.pdf",
}

func readFixtures(t *testing.T, names []string) map[string][]byte {
	t.Helper()
	root := repoRoot(t)
	m := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(root, "testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		m[n] = b
	}
	return m
}

// settle waits (polling, at most 10 s) until the goroutine count is back
// to before and the process has no more open file descriptors than
// fdsBefore, and fails with the goroutine dump otherwise.
func settle(t *testing.T, before, fdsBefore int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, fds := runtime.NumGoroutine(), openFDs(t)
		if n <= before && fds <= fdsBefore {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("leak: %d goroutines (baseline %d), %d fds (baseline %d)\n%s", n, before, fds, fdsBefore, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// openFDs counts the process's open file descriptors (-1 where /proc is
// missing, which makes the fd check vacuous).
func openFDs(t *testing.T) int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// baseline warms every path up once (lazy initialisation, decoder pools)
// and returns the goroutine and fd counts to come back to.
func baseline(t *testing.T, fx map[string][]byte) (int, int) {
	t.Helper()
	for _, b := range fx {
		_, _ = preprocess.PrepareBytes(context.Background(), b, &preprocess.Options{ForceReencode: true, MaxSide: 256})
	}
	runtime.GC()
	return runtime.NumGoroutine(), openFDs(t)
}

// ctxErr reports whether err is a context error (possibly wrapped).
func ctxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// TestNoLeaksAfterErrors runs Prepare with pre-cancelled contexts, with
// deadlines that expire at different points of the pipeline, on corrupt
// inputs and on readers that fail mid-way, and checks that every error is
// documented and that goroutines and file descriptors return to their
// baseline.
func TestNoLeaksAfterErrors(t *testing.T) {
	fx := readFixtures(t, leakFixtures)
	baseline(t, fx)
	opts := &preprocess.Options{ForceReencode: true, MaxSide: 512}

	t.Run("cancelled", func(t *testing.T) {
		before, fds := runtime.NumGoroutine(), openFDs(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for n, b := range fx {
			if _, err := preprocess.PrepareBytes(ctx, b, opts); !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %v, want context.Canceled", n, err)
			}
		}
		settle(t, before, fds)
	})

	t.Run("deadlines", func(t *testing.T) {
		before, fds := runtime.NumGoroutine(), openFDs(t)
		// Deadlines from "before the first stage" to "during the encode",
		// all inputs concurrently so that they also wait for decoder slots.
		var mu sync.Mutex
		outcomes := map[string]int{}
		for _, d := range []time.Duration{0, 100 * time.Microsecond, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 80 * time.Millisecond} {
			var wg sync.WaitGroup
			for n, b := range fx {
				wg.Go(func() {
					ctx, cancel := context.WithTimeout(context.Background(), d)
					defer cancel()
					_, err := preprocess.PrepareBytes(ctx, b, opts)
					kind := "ok"
					switch {
					case err == nil:
					case ctxErr(err):
						kind = "deadline"
					case documented(err):
						kind = "input error"
					default:
						t.Errorf("%s with %v deadline: undocumented error %v", n, d, err)
					}
					mu.Lock()
					outcomes[kind]++
					mu.Unlock()
				})
			}
			wg.Wait()
		}
		t.Logf("outcomes: %v", outcomes)
		if outcomes["deadline"] == 0 {
			t.Error("no call hit its deadline")
		}
		settle(t, before, fds)
	})

	t.Run("corrupt", func(t *testing.T) {
		before, fds := runtime.NumGoroutine(), openFDs(t)
		for n, b := range fx {
			for _, cut := range []int{len(b) / 3, len(b) / 2, len(b) - 1} {
				_, err := preprocess.PrepareBytes(context.Background(), b[:cut], opts)
				if err != nil && !documented(err) {
					t.Errorf("%s[:%d]: undocumented error %v", n, cut, err)
				}
			}
		}
		settle(t, before, fds)
	})

	t.Run("failing_reader", func(t *testing.T) {
		before, fds := runtime.NumGoroutine(), openFDs(t)
		boom := errors.New("reader broke")
		for n, b := range fx {
			r := io.MultiReader(bytes.NewReader(b[:len(b)/2]), &errReader{boom})
			if _, err := preprocess.Prepare(context.Background(), r, opts); !errors.Is(err, boom) {
				t.Errorf("%s: %v, want the reader's error", n, err)
			}
		}
		settle(t, before, fds)
	})
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

// TestNoLeaksLimiterTimeouts makes many callers wait on a Limiter that
// admits one job at a time, with deadlines that expire while they wait,
// then checks that the Limiter is empty, still admits work, and that no
// goroutine or fd is left behind.
func TestNoLeaksLimiterTimeouts(t *testing.T) {
	fx := readFixtures(t, []string{"photo_2400x1800.jpg", "heic/grid.heic", "pdf/scan.pdf", "small_640x480.png"})
	before, fds := baseline(t, fx)
	// 1 byte: every reservation is clamped to the whole limit, so the jobs
	// run one at a time and the others queue.
	lim := preprocess.NewLimiter(1)
	opts := &preprocess.Options{ForceReencode: true, MaxSide: 512, Limiter: lim}

	var mu sync.Mutex
	outcomes := map[string]int{}
	var wg sync.WaitGroup
	for i := range 24 {
		name := []string{"photo_2400x1800.jpg", "heic/grid.heic", "pdf/scan.pdf", "small_640x480.png"}[i%4]
		wg.Go(func() {
			// The first few have time to run; the rest time out in the queue.
			d := 2 * time.Second
			if i >= 4 {
				d = time.Duration(1+i%5) * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			_, err := preprocess.PrepareBytes(ctx, fx[name], opts)
			kind := "ok"
			switch {
			case err == nil:
			case ctxErr(err):
				kind = "timed out"
			default:
				t.Errorf("%s: %v", name, err)
				kind = err.Error()
			}
			mu.Lock()
			outcomes[kind]++
			mu.Unlock()
		})
	}
	wg.Wait()
	t.Logf("outcomes: %v", outcomes)
	if outcomes["timed out"] == 0 {
		t.Error("no waiter timed out")
	}
	if n := lim.InUse(); n != 0 {
		t.Fatalf("Limiter still has %d bytes reserved after every call returned", n)
	}
	// Not wedged: a call with time to spare gets through.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := preprocess.PrepareBytes(ctx, fx["small_640x480.png"], opts); err != nil {
		t.Fatalf("after the timeouts: %v", err)
	}
	settle(t, before, fds)
}
