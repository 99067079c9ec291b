package jpegdec

import (
	"syscall"
	"testing"
	"time"
)

// threadCPU returns the CPU time (user + system) of the calling OS thread;
// callers lock the goroutine to its thread. On the shared, loaded build
// machines it is a much steadier measure of work than wall time.
func threadCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
