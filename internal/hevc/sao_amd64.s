//go:build !purego

// Owned by helper D (filters). AVX2 row kernels of SAO (sao_amd64.go).
// Samples are biased by 0x80 into signed bytes so that VPCMPGTB compares
// them as unsigned values and VPADDSB adds a signed offset with the clip to
// [0, 255] (signed saturation to [-128, 127] before removing the bias).

#include "textflag.h"

DATA saoC80<>+0(SB)/8, $0x8080808080808080
DATA saoC80<>+8(SB)/8, $0x8080808080808080
DATA saoC80<>+16(SB)/8, $0x8080808080808080
DATA saoC80<>+24(SB)/8, $0x8080808080808080
GLOBL saoC80<>(SB), RODATA|NOPTR, $32

DATA saoC02<>+0(SB)/8, $0x0202020202020202
DATA saoC02<>+8(SB)/8, $0x0202020202020202
DATA saoC02<>+16(SB)/8, $0x0202020202020202
DATA saoC02<>+24(SB)/8, $0x0202020202020202
GLOBL saoC02<>(SB), RODATA|NOPTR, $32

DATA saoC1F<>+0(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA saoC1F<>+8(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA saoC1F<>+16(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA saoC1F<>+24(SB)/8, $0x1f1f1f1f1f1f1f1f
GLOBL saoC1F<>(SB), RODATA|NOPTR, $32

DATA saoC03<>+0(SB)/8, $0x0303030303030303
DATA saoC03<>+8(SB)/8, $0x0303030303030303
DATA saoC03<>+16(SB)/8, $0x0303030303030303
DATA saoC03<>+24(SB)/8, $0x0303030303030303
GLOBL saoC03<>(SB), RODATA|NOPTR, $32

// func saoEdgeAVX2(d, s, a, b *uint8, n int, tbl *[16]int8)
TEXT ·saoEdgeAVX2(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ a+16(FP), R8
	MOVQ b+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ tbl+40(FP), R10
	VBROADCASTI128 (R10), Y13 // offsets by raw edgeIdx, both lanes
	VMOVDQU saoC80<>(SB), Y15
	VMOVDQU saoC02<>(SB), Y14
	XORQ AX, AX

edgeloop:
	VMOVDQU (SI)(AX*1), Y0
	VMOVDQU (R8)(AX*1), Y1
	VMOVDQU (R9)(AX*1), Y2
	VPXOR   Y15, Y0, Y0    // s - 128
	VPXOR   Y15, Y1, Y1    // a - 128
	VPXOR   Y15, Y2, Y2    // b - 128
	VPCMPGTB Y1, Y0, Y3    // -1 where s > a
	VPCMPGTB Y0, Y1, Y4    // -1 where s < a
	VPSUBB  Y3, Y4, Y4     // Sign(s - a)
	VPCMPGTB Y2, Y0, Y3    // -1 where s > b
	VPCMPGTB Y0, Y2, Y5    // -1 where s < b
	VPSUBB  Y3, Y5, Y5     // Sign(s - b)
	VPADDB  Y4, Y5, Y5
	VPADDB  Y14, Y5, Y5    // raw edgeIdx 0..4
	VPSHUFB Y5, Y13, Y6    // offset
	VPADDSB Y6, Y0, Y0
	VPXOR   Y15, Y0, Y0
	VMOVDQU Y0, (DI)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, CX
	JLT     edgeloop
	VZEROUPPER
	RET

// func saoBandAVX2(d, s *uint8, n int, off *[16]int8, pos int)
TEXT ·saoBandAVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ off+24(FP), R10
	MOVQ pos+32(FP), R11
	VBROADCASTI128 (R10), Y13 // offsets of bands pos..pos+3, then zeros
	MOVQ R11, X12
	VPBROADCASTB X12, Y12     // pos
	VMOVDQU saoC80<>(SB), Y15
	VMOVDQU saoC1F<>(SB), Y11
	VMOVDQU saoC03<>(SB), Y10
	XORQ AX, AX

bandloop:
	VMOVDQU (SI)(AX*1), Y0
	VPSRLW  $3, Y0, Y1
	VPAND   Y11, Y1, Y1    // band = s >> 3
	VPSUBB  Y12, Y1, Y1
	VPAND   Y11, Y1, Y1    // k = (band - pos) & 31
	VPCMPGTB Y10, Y1, Y2   // -1 where k > 3
	VPOR    Y2, Y1, Y1     // index with the high bit set → offset 0
	VPSHUFB Y1, Y13, Y3    // offset
	VPXOR   Y15, Y0, Y0
	VPADDSB Y3, Y0, Y0
	VPXOR   Y15, Y0, Y0
	VMOVDQU Y0, (DI)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, CX
	JLT     bandloop
	VZEROUPPER
	RET

// func saoEdge16AVX2(d, s, a, b *uint8, tbl *[16]int8)
// The edge kernel over exactly 16 samples (128-bit registers).
TEXT ·saoEdge16AVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ a+16(FP), R8
	MOVQ b+24(FP), R9
	MOVQ tbl+32(FP), R10
	VMOVDQU (R10), X13
	VMOVDQU saoC80<>(SB), X15
	VMOVDQU saoC02<>(SB), X14
	VMOVDQU (SI), X0
	VMOVDQU (R8), X1
	VMOVDQU (R9), X2
	VPXOR   X15, X0, X0
	VPXOR   X15, X1, X1
	VPXOR   X15, X2, X2
	VPCMPGTB X1, X0, X3
	VPCMPGTB X0, X1, X4
	VPSUBB  X3, X4, X4
	VPCMPGTB X2, X0, X3
	VPCMPGTB X0, X2, X5
	VPSUBB  X3, X5, X5
	VPADDB  X4, X5, X5
	VPADDB  X14, X5, X5
	VPSHUFB X5, X13, X6
	VPADDSB X6, X0, X0
	VPXOR   X15, X0, X0
	VMOVDQU X0, (DI)
	RET

// func saoBand16AVX2(d, s *uint8, off *[16]int8, pos int)
// The band kernel over exactly 16 samples (128-bit registers).
TEXT ·saoBand16AVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ off+16(FP), R10
	MOVQ pos+24(FP), R11
	VMOVDQU (R10), X13
	MOVQ R11, X12
	VPBROADCASTB X12, X12
	VMOVDQU saoC80<>(SB), X15
	VMOVDQU saoC1F<>(SB), X11
	VMOVDQU saoC03<>(SB), X10
	VMOVDQU (SI), X0
	VPSRLW  $3, X0, X1
	VPAND   X11, X1, X1
	VPSUBB  X12, X1, X1
	VPAND   X11, X1, X1
	VPCMPGTB X10, X1, X2
	VPOR    X2, X1, X1
	VPSHUFB X1, X13, X3
	VPXOR   X15, X0, X0
	VPADDSB X3, X0, X0
	VPXOR   X15, X0, X0
	VMOVDQU X0, (DI)
	RET
