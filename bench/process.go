package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"time"
)

// Usage is what one whole-process run cost, as the kernel accounted it.
type Usage struct {
	// Wall is the elapsed time from start to exit, as seen by the caller.
	Wall time.Duration `json:"wall_ns"`
	// CPU is the child's user plus system time, all threads.
	CPU time.Duration `json:"cpu_ns"`
	// MaxRSS is the child's peak resident set size in bytes (ru_maxrss).
	// 0 where the OS does not report it.
	MaxRSS int64 `json:"max_rss"`
	// FloorRSS is the caller's own peak RSS when the child started, in
	// bytes. Linux charges a child, at exec, with the peak RSS of the
	// address space it was forked from, and Go forks with CLONE_VM, so
	// MaxRSS is never below FloorRSS: a MaxRSS close to FloorRSS says
	// little about the child. Keep the caller small (see [Run]).
	FloorRSS int64 `json:"floor_rss"`
}

// Run runs the command name with args to completion and returns its cost.
// Its standard output and standard error are buffered and discarded; when
// it fails to start or exits with a non-zero status, the error includes
// them. It is safe for concurrent use, but concurrent runs share the CPUs
// and distort each other's wall times.
//
// Run must be called from a small process for MaxRSS to mean anything (see
// [Usage.FloorRSS]): `mediaprep bench` is one, and benchmarks in a large
// test process go through `mediaprep bench -exec`, which calls Run and
// prints the Usage as JSON.
func Run(ctx context.Context, name string, args ...string) (Usage, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	u := Usage{FloorRSS: SelfMaxRSS()}
	t := time.Now()
	err := cmd.Run()
	u.Wall = time.Since(t)
	if err != nil {
		return u, fmt.Errorf("bench: %s %q: %w\n%s", name, args, err, tail(out.Bytes(), 2048))
	}
	u.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	u.MaxRSS = childMaxRSS(cmd.ProcessState)
	return u, nil
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// JPEGSize returns the dimensions of the JPEG file at path, from its
// header alone.
func JPEGSize(path string) (w, h int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	cfg, err := jpeg.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %s: %w", path, err)
	}
	return cfg.Width, cfg.Height, nil
}
