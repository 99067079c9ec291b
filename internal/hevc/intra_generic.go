//go:build !amd64 || purego

package hevc

// planarAVX2 is false: this build has only the portable planar kernel.
const planarAVX2 = false

// predPlanarAVX2 is not available in this build; predict never calls it.
func predPlanarAVX2(dst []uint8, stride, n, log2Size int, top, left []uint8) {
	predPlanar(dst, stride, n, log2Size, top, left)
}

// planarKernels lists the planar kernels this build can run.
var planarKernels = []namedPlanar{{"go", predPlanar}}
