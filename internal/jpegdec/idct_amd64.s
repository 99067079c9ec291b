// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build !purego

#include "textflag.h"

// AVX2 forms of the block kernels idct8StoreGo, idct4StoreGo and
// idct2StoreGo: dequantize one block, re-zero its coefficients, inverse
// transform it, level shift, clamp and store the pixels. Each performs
// exactly the int32 operations of the Go code eight (or four) lanes at a
// time, so the pixels are bit-identical: VPADDD/VPSUBD/VPMULLD wrap like Go's
// int32 arithmetic, VPSLLD/VPSRAD are Go's << and >>, and since wrapping
// adds and multiplies form a ring, sums may be regrouped (x<<17 + y<<17 as
// (x+y)<<17) as long as every right shift sees the same value. The
// differential tests in idct_kernel_test.go hold them to that.
//
// Full size (idct8StoreAVX2Asm): the row pass of idctRows runs on the
// transposed block (one register per coefficient position, one lane per
// row); a second transpose gives one register per row for the column pass
// of idctColsStore, whose lanes are then the columns of the output.
// Saturating packs to int8 then ^0x80 are pixel8's clamp and +128.

#define K8(name, v) \
	DATA name+0(SB)/4, v; DATA name+4(SB)/4, v; DATA name+8(SB)/4, v; DATA name+12(SB)/4, v; \
	DATA name+16(SB)/4, v; DATA name+20(SB)/4, v; DATA name+24(SB)/4, v; DATA name+28(SB)/4, v; \
	GLOBL name(SB), RODATA|NOPTR, $32

// dctBox constants: kcos, ksin-kcos and -(kcos+ksin) for each rotation.
K8(rowC6k<>, $70936)   // c(sqrt2inv_cos6, 18)
K8(rowC6a<>, $-242190) // -c(sqrt2inv_sin6, 18) - c(sqrt2inv_cos6, 18)
K8(rowC6b<>, $100318)  // -(c(sqrt2inv_cos6, 18) - c(sqrt2inv_sin6, 18))
K8(rowS2<>, $181)      // c(sqrt2inv, 8)
K8(colC6k<>, $1108)    // c(sqrt2inv_cos6, 12)
K8(colC6a<>, $-3784)
K8(colC6b<>, $1568)
K8(colS2<>, $11585)    // c(sqrt2inv, 14)
K8(c3k<>, $3406)       // c(cos3, 12)
K8(c3a<>, $-5682)
K8(c3b<>, $-1130)
K8(c1k<>, $4017)       // c(cos1, 12)
K8(c1a<>, $-4816)
K8(c1b<>, $-3218)
K8(half<>, $0x80000)   // 1<<19
K8(bias<>, $0x80808080)

// dword order that turns [r0lo r1lo r2lo r3lo | r0hi r1hi r2hi r3hi] into
// rows 0, 1, 2, 3 of 8 bytes each.
DATA rowPerm<>+0(SB)/4, $0
DATA rowPerm<>+4(SB)/4, $4
DATA rowPerm<>+8(SB)/4, $1
DATA rowPerm<>+12(SB)/4, $5
DATA rowPerm<>+16(SB)/4, $2
DATA rowPerm<>+20(SB)/4, $6
DATA rowPerm<>+24(SB)/4, $3
DATA rowPerm<>+28(SB)/4, $7
GLOBL rowPerm<>(SB), RODATA|NOPTR, $32

// TRANSPOSE transposes the 8×8 int32 matrix in Y0..Y7 (one row each) into
// Y8..Y15 (one column each), clobbering Y0..Y7.
#define TRANSPOSE \
	VPUNPCKLDQ Y1, Y0, Y8; \
	VPUNPCKHDQ Y1, Y0, Y9; \
	VPUNPCKLDQ Y3, Y2, Y10; \
	VPUNPCKHDQ Y3, Y2, Y11; \
	VPUNPCKLDQ Y5, Y4, Y12; \
	VPUNPCKHDQ Y5, Y4, Y13; \
	VPUNPCKLDQ Y7, Y6, Y14; \
	VPUNPCKHDQ Y7, Y6, Y15; \
	VPUNPCKLQDQ Y10, Y8, Y0; \
	VPUNPCKHQDQ Y10, Y8, Y1; \
	VPUNPCKLQDQ Y11, Y9, Y2; \
	VPUNPCKHQDQ Y11, Y9, Y3; \
	VPUNPCKLQDQ Y14, Y12, Y4; \
	VPUNPCKHQDQ Y14, Y12, Y5; \
	VPUNPCKLQDQ Y15, Y13, Y6; \
	VPUNPCKHQDQ Y15, Y13, Y7; \
	VPERM2I128 $0x20, Y4, Y0, Y8; \
	VPERM2I128 $0x31, Y4, Y0, Y12; \
	VPERM2I128 $0x20, Y5, Y1, Y9; \
	VPERM2I128 $0x31, Y5, Y1, Y13; \
	VPERM2I128 $0x20, Y6, Y2, Y10; \
	VPERM2I128 $0x31, Y6, Y2, Y14; \
	VPERM2I128 $0x20, Y7, Y3, Y11; \
	VPERM2I128 $0x31, Y7, Y3, Y15

// ODDTAIL runs the part of both passes from "x7, x5 = x7+x5, x7-x5" to the
// final butterflies, with x7 in Y5, x4 in Y6, x5 in Y11, x6 in Y13 and
// x0..x3 in Y1..Y4; sh is the shift before the two dctBoxes. It leaves
// the eight outputs in Y0..Y7 (output k in Yk).
#define ODDTAIL(sh) \
	VPADDD Y11, Y5, Y7; \
	VPSUBD Y11, Y5, Y8; \
	VPADDD Y13, Y6, Y9; \
	VPSUBD Y13, Y6, Y10; \
	VPSRAD sh, Y9, Y9; \
	VPSRAD sh, Y7, Y7; \
	VPADDD Y7, Y9, Y0; \
	VPMULLD c3k<>(SB), Y0, Y0; \
	VPMULLD c3a<>(SB), Y7, Y5; \
	VPMULLD c3b<>(SB), Y9, Y6; \
	VPADDD Y5, Y0, Y9; \
	VPADDD Y6, Y0, Y7; \
	VPSRAD sh, Y8, Y8; \
	VPSRAD sh, Y10, Y10; \
	VPADDD Y10, Y8, Y0; \
	VPMULLD c1k<>(SB), Y0, Y0; \
	VPMULLD c1a<>(SB), Y10, Y5; \
	VPMULLD c1b<>(SB), Y8, Y6; \
	VPADDD Y5, Y0, Y8; \
	VPADDD Y6, Y0, Y10; \
	VPADDD Y7, Y1, Y0; \
	VPSUBD Y7, Y1, Y7; \
	VPADDD Y10, Y2, Y1; \
	VPSUBD Y10, Y2, Y6; \
	VPADDD Y8, Y3, Y2; \
	VPSUBD Y8, Y3, Y5; \
	VPADDD Y9, Y4, Y3; \
	VPSUBD Y9, Y4, Y4

// EVENMID runs "x1, x2 = x1+x2, x1-x2; x0, x3 = x0+x3, x0-x3" with x0 in
// Y0, x1 in Y1, x2 in Y10, x3 in Y14, leaving x0..x3 in Y1..Y4.
#define EVENMID \
	VPADDD Y10, Y1, Y2; \
	VPSUBD Y10, Y1, Y3; \
	VPADDD Y14, Y0, Y1; \
	VPSUBD Y14, Y0, Y4

// DCTBOX23 runs "x2, x3 = dctBox(x2, x3, k, ...)" on x2 in Y10, x3 in Y14.
#define DCTBOX23(k, a, b) \
	VPADDD Y14, Y10, Y2; \
	VPMULLD k, Y2, Y2; \
	VPMULLD a, Y14, Y3; \
	VPMULLD b, Y10, Y4; \
	VPADDD Y3, Y2, Y10; \
	VPADDD Y4, Y2, Y14

// func idct8StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int)
//
// dst has room for 8 rows of 8 bytes, stride bytes apart.
TEXT ·idct8StoreAVX2Asm(SB), NOSPLIT, $0-32
	MOVQ coef+0(FP), SI
	MOVQ q+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ stride+24(FP), BX

	// Dequantize: row r of the block in Yr.
	VPMOVSXWD 0(SI), Y0
	VPMOVSXWD 16(SI), Y1
	VPMOVSXWD 32(SI), Y2
	VPMOVSXWD 48(SI), Y3
	VPMOVSXWD 64(SI), Y4
	VPMOVSXWD 80(SI), Y5
	VPMOVSXWD 96(SI), Y6
	VPMOVSXWD 112(SI), Y7
	VPMULLD 0(DX), Y0, Y0
	VPMULLD 32(DX), Y1, Y1
	VPMULLD 64(DX), Y2, Y2
	VPMULLD 96(DX), Y3, Y3
	VPMULLD 128(DX), Y4, Y4
	VPMULLD 160(DX), Y5, Y5
	VPMULLD 192(DX), Y6, Y6
	VPMULLD 224(DX), Y7, Y7

	// Re-zero the coefficients for the next block.
	VPXOR Y8, Y8, Y8
	VMOVDQU Y8, 0(SI)
	VMOVDQU Y8, 32(SI)
	VMOVDQU Y8, 64(SI)
	VMOVDQU Y8, 96(SI)

	// Row pass (idctRows): coefficient position j of every row in Y(8+j).
	TRANSPOSE
	// x0 = Y8, x7 = Y9, x2 = Y10, x5 = Y11, x1 = Y12, x6 = Y13, x3 = Y14, x4 = Y15.
	// x0, x1 = x0<<17 + x1<<17, x0<<17 - x1<<17
	VPADDD Y12, Y8, Y0
	VPSUBD Y12, Y8, Y1
	VPSLLD $17, Y0, Y0
	VPSLLD $17, Y1, Y1
	DCTBOX23(rowC6k<>(SB), rowC6a<>(SB), rowC6b<>(SB))
	EVENMID
	// x7, x4 = x7<<7 + x4<<7, x7<<7 - x4<<7
	VPADDD Y15, Y9, Y5
	VPSUBD Y15, Y9, Y6
	VPSLLD $7, Y5, Y5
	VPSLLD $7, Y6, Y6
	VPMULLD rowS2<>(SB), Y11, Y11
	VPMULLD rowS2<>(SB), Y13, Y13
	ODDTAIL($2)

	// Column pass (idctColsStore): row r in Y(8+r).
	TRANSPOSE
	// x0 += 1<<19; x0, x1 = (x0+x1)>>2, (x0-x1)>>2
	VPADDD half<>(SB), Y8, Y8
	VPADDD Y12, Y8, Y0
	VPSUBD Y12, Y8, Y1
	VPSRAD $2, Y0, Y0
	VPSRAD $2, Y1, Y1
	VPSRAD $13, Y10, Y10
	VPSRAD $13, Y14, Y14
	DCTBOX23(colC6k<>(SB), colC6a<>(SB), colC6b<>(SB))
	EVENMID
	// x7, x4 = x7+x4, x7-x4
	VPADDD Y15, Y9, Y5
	VPSUBD Y15, Y9, Y6
	VPSRAD $13, Y11, Y11
	VPSRAD $13, Y13, Y13
	VPMULLD colS2<>(SB), Y11, Y11
	VPMULLD colS2<>(SB), Y13, Y13
	ODDTAIL($14)
	VPSRAD $18, Y0, Y0
	VPSRAD $18, Y1, Y1
	VPSRAD $18, Y2, Y2
	VPSRAD $18, Y3, Y3
	VPSRAD $18, Y4, Y4
	VPSRAD $18, Y5, Y5
	VPSRAD $18, Y6, Y6
	VPSRAD $18, Y7, Y7

	// Level shift and clamp: saturate to int8, then +128 is ^0x80.
	VPACKSSDW Y1, Y0, Y0
	VPACKSSDW Y3, Y2, Y2
	VPACKSSDW Y5, Y4, Y4
	VPACKSSDW Y7, Y6, Y6
	VPACKSSWB Y2, Y0, Y0
	VPACKSSWB Y6, Y4, Y4
	VMOVDQU bias<>(SB), Y8
	VMOVDQU rowPerm<>(SB), Y9
	VPXOR Y8, Y0, Y0
	VPXOR Y8, Y4, Y4
	VPERMD Y0, Y9, Y0
	VPERMD Y4, Y9, Y4

	// Store rows 0..7.
	LEAQ (BX)(BX*2), R8
	LEAQ (DI)(BX*4), R9
	VEXTRACTI128 $1, Y0, X1
	VEXTRACTI128 $1, Y4, X5
	VMOVQ X0, (DI)
	VPEXTRQ $1, X0, (DI)(BX*1)
	VMOVQ X1, (DI)(BX*2)
	VPEXTRQ $1, X1, (DI)(R8*1)
	VMOVQ X4, (R9)
	VPEXTRQ $1, X4, (R9)(BX*1)
	VMOVQ X5, (R9)(BX*2)
	VPEXTRQ $1, X5, (R9)(R8*1)
	VZEROUPPER
	RET

// func idct4StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int, k *[18][8]int32)
//
// The AVX2 form of idct4StoreGo (Scale 2): the column pass of idct4 runs
// with one lane per column; a 4×8 transpose gives, for the row pass, one
// 4-lane vector per coefficient position (pairs of positions share a
// register), and the 4×4 result is transposed with a byte shuffle. k is
// idct4Tab (idct_amd64.go).
TEXT ·idct4StoreAVX2Asm(SB), NOSPLIT, $0-40
	MOVQ coef+0(FP), SI
	MOVQ q+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ stride+24(FP), BX
	MOVQ k+32(FP), AX

	// Dequantize rows 0-3 and 5-7 (column 4 of the 4-point box matrix is
	// zero), then re-zero all coefficients.
	VPMOVSXWD 0(SI), Y0
	VPMOVSXWD 16(SI), Y1
	VPMOVSXWD 32(SI), Y2
	VPMOVSXWD 48(SI), Y3
	VPMOVSXWD 80(SI), Y5
	VPMOVSXWD 96(SI), Y6
	VPMOVSXWD 112(SI), Y7
	VPMULLD 0(DX), Y0, Y0
	VPMULLD 32(DX), Y1, Y1
	VPMULLD 64(DX), Y2, Y2
	VPMULLD 96(DX), Y3, Y3
	VPMULLD 160(DX), Y5, Y5
	VPMULLD 192(DX), Y6, Y6
	VPMULLD 224(DX), Y7, Y7
	VPXOR Y8, Y8, Y8
	VMOVDQU Y8, 0(SI)
	VMOVDQU Y8, 32(SI)
	VMOVDQU Y8, 64(SI)
	VMOVDQU Y8, 96(SI)

	// Column pass: e0 = k4e0*f0 + rnd1, e = k4e2*f2 + k4e6*f6,
	// o0 = Σ k4a·f_odd, o1 = Σ k4b·f_odd.
	VPMULLD 0(AX), Y0, Y0
	VPADDD 352(AX), Y0, Y0
	VPMULLD 32(AX), Y2, Y2
	VPMULLD 64(AX), Y6, Y6
	VPADDD Y6, Y2, Y2
	VPMULLD 96(AX), Y1, Y8
	VPMULLD 128(AX), Y3, Y9
	VPADDD Y9, Y8, Y8
	VPMULLD 160(AX), Y5, Y9
	VPADDD Y9, Y8, Y8
	VPMULLD 192(AX), Y7, Y9
	VPADDD Y9, Y8, Y8
	VPMULLD 224(AX), Y1, Y10
	VPMULLD 256(AX), Y3, Y11
	VPADDD Y11, Y10, Y10
	VPMULLD 288(AX), Y5, Y11
	VPADDD Y11, Y10, Y10
	VPMULLD 320(AX), Y7, Y11
	VPADDD Y11, Y10, Y10
	VPADDD Y2, Y0, Y4 // e0 + e
	VPSUBD Y2, Y0, Y6 // e0 - e
	VPADDD Y8, Y4, Y12
	VPSUBD Y8, Y4, Y15
	VPADDD Y10, Y6, Y13
	VPSUBD Y10, Y6, Y14
	VPSRAD $10, Y12, Y12 // t row 0
	VPSRAD $10, Y13, Y13 // t row 1
	VPSRAD $10, Y14, Y14 // t row 2
	VPSRAD $10, Y15, Y15 // t row 3

	// Transpose: Y4 = [r0 | r4], Y5 = [r1 | r5], Y6 = [r2 | r6],
	// Y7 = [r3 | r7], where rj holds position j of t rows 0-3.
	VPUNPCKLDQ Y13, Y12, Y0
	VPUNPCKHDQ Y13, Y12, Y1
	VPUNPCKLDQ Y15, Y14, Y2
	VPUNPCKHDQ Y15, Y14, Y3
	VPUNPCKLQDQ Y2, Y0, Y4
	VPUNPCKHQDQ Y2, Y0, Y5
	VPUNPCKLQDQ Y3, Y1, Y6
	VPUNPCKHQDQ Y3, Y1, Y7

	// Row pass, one lane per output row.
	VPMULLD 0(AX), X4, X0
	VPADDD 544(AX), X0, X0 // e0
	VPMULLD 384(AX), Y6, Y1
	VEXTRACTI128 $1, Y1, X2
	VPADDD X2, X1, X1 // e
	VPMULLD 416(AX), Y5, Y2
	VPMULLD 448(AX), Y7, Y3
	VPADDD Y3, Y2, Y2
	VEXTRACTI128 $1, Y2, X3
	VPADDD X3, X2, X2 // o0
	VPMULLD 480(AX), Y5, Y3
	VPMULLD 512(AX), Y7, Y8
	VPADDD Y8, Y3, Y3
	VEXTRACTI128 $1, Y3, X8
	VPADDD X8, X3, X3 // o1
	VPADDD X1, X0, X4 // e0 + e
	VPSUBD X1, X0, X5 // e0 - e
	VPADDD X2, X4, X6
	VPSUBD X2, X4, X9
	VPADDD X3, X5, X7
	VPSUBD X3, X5, X8
	VPSRAD $14, X6, X6 // column 0
	VPSRAD $14, X7, X7 // column 1
	VPSRAD $14, X8, X8 // column 2
	VPSRAD $14, X9, X9 // column 3

	// Clamp to [0, 255], transpose to rows and store 4 bytes per row.
	VPACKSSDW X7, X6, X6
	VPACKSSDW X9, X8, X8
	VPACKUSWB X8, X6, X6
	VPSHUFB 576(AX), X6, X6
	LEAQ (BX)(BX*2), R8
	VMOVD X6, (DI)
	VPEXTRD $1, X6, (DI)(BX*1)
	VPEXTRD $2, X6, (DI)(BX*2)
	VPEXTRD $3, X6, (DI)(R8*1)
	VZEROUPPER
	RET

// func idct2StoreAVX2Asm(coef *[64]int16, q *[64]int32, dst *byte, stride int, k *[9][8]int32)
//
// The AVX2 form of idct2StoreGo (Scale 4): the column pass of idct2 runs
// with one lane per column; each of the four outputs of the row pass is
// then a dot product of a column-pass row with a constant vector (the odd
// terms negated for the second output), summed across lanes with VPHADDD.
// k is idct2Tab (idct_amd64.go).
TEXT ·idct2StoreAVX2Asm(SB), NOSPLIT, $0-40
	MOVQ coef+0(FP), SI
	MOVQ q+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ stride+24(FP), BX
	MOVQ k+32(FP), AX

	// Dequantize rows 0, 1, 3, 5 and 7 (the others do not contribute),
	// then re-zero all coefficients.
	VPMOVSXWD 0(SI), Y0
	VPMOVSXWD 16(SI), Y1
	VPMOVSXWD 48(SI), Y3
	VPMOVSXWD 80(SI), Y5
	VPMOVSXWD 112(SI), Y7
	VPMULLD 0(DX), Y0, Y0
	VPMULLD 32(DX), Y1, Y1
	VPMULLD 96(DX), Y3, Y3
	VPMULLD 160(DX), Y5, Y5
	VPMULLD 224(DX), Y7, Y7
	VPXOR Y8, Y8, Y8
	VMOVDQU Y8, 0(SI)
	VMOVDQU Y8, 32(SI)
	VMOVDQU Y8, 64(SI)
	VMOVDQU Y8, 96(SI)

	// Column pass: e = k2e0*f0 + rnd1, o = Σ k2o·f_odd.
	VPMULLD 0(AX), Y0, Y0
	VPADDD 160(AX), Y0, Y0
	VPMULLD 32(AX), Y1, Y1
	VPMULLD 64(AX), Y3, Y3
	VPADDD Y3, Y1, Y1
	VPMULLD 96(AX), Y5, Y5
	VPADDD Y5, Y1, Y1
	VPMULLD 128(AX), Y7, Y7
	VPADDD Y7, Y1, Y1
	VPADDD Y1, Y0, Y2
	VPSUBD Y1, Y0, Y3
	VPSRAD $10, Y2, Y2 // t row 0
	VPSRAD $10, Y3, Y3 // t row 1

	// Row pass: the four dot products, summed across lanes.
	VPMULLD 192(AX), Y2, Y4 // row 0, even + odd
	VPMULLD 224(AX), Y2, Y5 // row 0, even - odd
	VPMULLD 192(AX), Y3, Y6 // row 1, even + odd
	VPMULLD 224(AX), Y3, Y7 // row 1, even - odd
	VPHADDD Y5, Y4, Y4
	VPHADDD Y7, Y6, Y6
	VPHADDD Y6, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPADDD X5, X4, X4
	VPADDD 256(AX), X4, X4
	VPSRAD $14, X4, X4

	// Clamp to [0, 255] and store 2 bytes per row.
	VPACKSSDW X4, X4, X4
	VPACKUSWB X4, X4, X4
	VMOVD X4, CX
	MOVW CX, (DI)
	SHRL $16, CX
	MOVW CX, (DI)(BX*1)
	VZEROUPPER
	RET
