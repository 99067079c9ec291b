//go:build !purego

package jpegdec

import "golang.org/x/sys/cpu"

// The block kernels used by reconstruct: the AVX2 assembly ones when the
// CPU has AVX2, else the portable ones.
var (
	idct8Store = pick(idct8StoreAVX2, idct8StoreGo)
	idct4Store = pick(idct4StoreAVX2, idct4StoreGo)
	idct2Store = pick(idct2StoreAVX2, idct2StoreGo)
)

// The kernels this machine can run, the portable one first, for the
// differential tests and benchmarks.
var (
	idct8Kernels = available(idct8StoreGo, idct8StoreAVX2)
	idct4Kernels = available(idct4StoreGo, idct4StoreAVX2)
	idct2Kernels = available(idct2StoreGo, idct2StoreAVX2)
)

func pick(avx2, generic blockKernel) blockKernel {
	if cpu.X86.HasAVX2 {
		return avx2
	}
	return generic
}

func available(generic, avx2 blockKernel) []namedKernel {
	k := []namedKernel{{"go", generic}}
	if cpu.X86.HasAVX2 {
		k = append(k, namedKernel{"avx2", avx2})
	}
	return k
}

// idct8StoreAVX2 is the full-size blockKernel in AVX2 assembly. It
// ignores rows (zero rows cost nothing extra in the vector form) and tmp.
func idct8StoreAVX2(coef *[64]int16, q *[64]int32, rows int, dst []byte, stride int, tmp *block) {
	_ = dst[7*stride+7] // the assembly writes 8 bytes of 8 rows
	idct8StoreAVX2Asm(coef, q, &dst[0], stride)
}

// idct4StoreAVX2 is the Scale 2 blockKernel in AVX2 assembly.
func idct4StoreAVX2(coef *[64]int16, q *[64]int32, rows int, dst []byte, stride int, tmp *block) {
	_ = dst[3*stride+3] // the assembly writes 4 bytes of 4 rows
	idct4StoreAVX2Asm(coef, q, &dst[0], stride, &idct4Tab)
}

// idct2StoreAVX2 is the Scale 4 blockKernel in AVX2 assembly.
func idct2StoreAVX2(coef *[64]int16, q *[64]int32, rows int, dst []byte, stride int, tmp *block) {
	_ = dst[stride+1] // the assembly writes 2 bytes of 2 rows
	idct2StoreAVX2Asm(coef, q, &dst[0], stride, &idct2Tab)
}

// idct2Tab holds idct2's constants as 8-lane vectors for the assembly
// (offsets in bytes = 32 × index).
var idct2Tab = func() (t [9][8]int32) {
	for i := range 8 {
		t[0][i], t[1][i], t[2][i], t[3][i], t[4][i] = k2e0, k2o1, k2o3, k2o5, k2o7
		t[5][i] = 1 << (scBits - passBits - 1)
		const sh = scBits + passBits
		t[8][i] = 1<<(sh-1) + 128<<sh
	}
	// Row pass: the weights of positions 0..7 for output 0 (even + odd)
	// and output 1 (even - odd).
	t[6] = [8]int32{k2e0, k2o1, 0, k2o3, 0, k2o5, 0, k2o7}
	t[7] = [8]int32{k2e0, -k2o1, 0, -k2o3, 0, -k2o5, 0, -k2o7}
	return t
}()

// idct4Tab holds idct4's constants as 8-lane vectors for the assembly
// (offsets in bytes = 32 × index).
var idct4Tab = func() (t [19][8]int32) {
	for i := range 8 {
		// Column pass: every lane the same.
		t[0][i], t[1][i], t[2][i] = k4e0, k4e2, k4e6
		t[3][i], t[4][i], t[5][i], t[6][i] = k4a1, k4a3, k4a5, k4a7
		t[7][i], t[8][i], t[9][i], t[10][i] = k4b1, k4b3, k4b5, k4b7
		t[11][i] = 1 << (scBits - passBits - 1)
		// Row pass: positions j (low half) and j+4 (high half).
		lo := i < 4
		t[12][i] = sel(lo, k4e2, k4e6)
		t[13][i] = sel(lo, k4a1, k4a5)
		t[14][i] = sel(lo, k4a3, k4a7)
		t[15][i] = sel(lo, k4b1, k4b5)
		t[16][i] = sel(lo, k4b3, k4b7)
		const sh = scBits + passBits
		t[17][i] = 1<<(sh-1) + 128<<sh
	}
	// VPSHUFB mask turning column-major 4×4 bytes into row-major.
	t[18][0], t[18][1], t[18][2], t[18][3] = 0x0c080400, 0x0d090501, 0x0e0a0602, 0x0f0b0703
	return t
}()

func sel(c bool, a, b int32) int32 {
	if c {
		return a
	}
	return b
}

// idct8StoreAVX2Asm, idct4StoreAVX2Asm and idct2StoreAVX2Asm are
// implemented in idct_amd64.s. dst must have room for the 8×8 (4×4, 2×2)
// block, rows stride bytes apart.
//
//go:noescape
func idct8StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int)

//go:noescape
func idct4StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int, k *[19][8]int32)

//go:noescape
func idct2StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int, k *[9][8]int32)
