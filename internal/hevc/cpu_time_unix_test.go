//go:build unix

package hevc

import (
	"syscall"
	"time"
)

// processCPUTime returns the user+system CPU time of this process, for
// benchmarks that report CPU time next to wall time.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
