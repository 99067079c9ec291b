//go:build !unix

package hevc

import "time"

// processCPUTime is not available on this platform; benchmarks then report
// 0 for their CPU-time metrics.
func processCPUTime() time.Duration { return 0 }
