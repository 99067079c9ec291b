//go:build unix

package bench

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// rssUnit is the unit of ru_maxrss: bytes on macOS, KiB on Linux and BSDs.
var rssUnit int64 = 1024

func init() {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		rssUnit = 1
	}
}

// SelfMaxRSS returns the peak resident set size of the calling process's
// address space in bytes (0 if the OS does not report it): the floor under
// every [Usage.MaxRSS] that [Run] reports from this process. On Linux it is
// VmHWM from /proc/self/status, since ru_maxrss of a process started by
// another includes that one's peak, as [Usage.FloorRSS] explains.
func SelfMaxRSS() int64 {
	if n, ok := procHWM(); ok {
		return n
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * rssUnit
}

func childMaxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return int64(ru.Maxrss) * rssUnit
	}
	return 0
}

// procHWM reads VmHWM ("VmHWM:    1234 kB") from /proc/self/status.
func procHWM() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	_, rest, ok := bytes.Cut(b, []byte("\nVmHWM:"))
	if !ok {
		return 0, false
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) != 2 || string(f[1]) != "kB" {
		return 0, false
	}
	n, err := strconv.ParseInt(string(f[0]), 10, 64)
	return n * 1024, err == nil
}
