//go:build !amd64 || purego

package jpegdec

// The block kernels used by reconstruct. Without assembly (other
// architectures, or the purego build tag) they are the portable ones.
var (
	idct8Store = blockKernel(idct8StoreGo)
	idct4Store = blockKernel(idct4StoreGo)
	idct2Store = blockKernel(idct2StoreGo)
)

// The kernels this build can run, for the differential tests and
// benchmarks.
var (
	idct8Kernels = []namedKernel{{"go", idct8StoreGo}}
	idct4Kernels = []namedKernel{{"go", idct4StoreGo}}
	idct2Kernels = []namedKernel{{"go", idct2StoreGo}}
)
