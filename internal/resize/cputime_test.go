package resize

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time (user + system) consumed so far by the whole
// process. On a shared, overloaded machine it is a steadier measure of work
// than wall time, which also counts time spent waiting for a core.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU returns the CPU time of the calling OS thread (callers lock it).
func threadCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportThreadCPU runs fn b.N times on a locked thread and reports its
// thread CPU time per op as cpu-ns/op.
func reportThreadCPU(b *testing.B, fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0 := threadCPU(b)
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64(threadCPU(b)-c0)/float64(b.N), "cpu-ns/op")
}
