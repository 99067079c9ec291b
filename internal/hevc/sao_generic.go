//go:build !amd64 || purego

package hevc

// saoK are the SAO row kernels in use: the portable ones.
var saoK = saoKernelsGo

// saoKernelList lists the kernels this build can run, for the differential
// tests and benchmarks.
var saoKernelList = []saoKernels{saoKernelsGo}
