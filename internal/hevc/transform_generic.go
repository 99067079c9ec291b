//go:build !amd64 || purego

package hevc

// dctBlock is the dctKernel reconstruct uses: the portable one here.
var dctBlock dctKernel = dctGo

// dctKernels lists the kernels this build can run, for the differential
// tests and benchmarks.
var dctKernels = []namedDCT{{"go", dctGo}}
