//go:build !purego

#include "textflag.h"

// AVX2 passes of the HEVC inverse DCT and the scaling before it (see
// transform_amd64.go). Registers R14 and R15 are left alone.

// func idctPass1AVX2(gbuf, mtq, d *int16, n, nc, kp int)
//
// for c < nc, y < n: g[y*n+8c .. +8] = sat16((sum_{p<kp} bcast32(M[2p..2p+1][y])
// pmaddwd d[(p*n+8c)*2 .. +16] + 64) >> 7). Four rows at a time share each
// load of d: mtq holds, per group of 4 rows and pair p, the 4 rows' pairs
// (M[2p][y], M[2p+1][y]) side by side (16 bytes; a group is 8n bytes).
TEXT ·idctPass1AVX2(SB), NOSPLIT, $0-48
	MOVQ gbuf+0(FP), DI
	MOVQ mtq+8(FP), SI
	MOVQ d+16(FP), DX
	MOVQ n+24(FP), R12
	MOVQ nc+32(FP), R9
	MOVQ kp+40(FP), R10
	MOVL $64, AX
	VMOVD AX, X15
	VPBROADCASTD X15, Y15
	MOVQ R12, R11
	SHLQ $2, R11              // 4n: bytes per interleaved row pair of d
	SHLQ $1, R12              // 2n: bytes per row of g
	MOVQ R12, BX
	IMULQ BX, BX
	SHRQ $1, BX               // n*2n: end offset of the rows

p1chunk:
	XORQ R13, R13             // group offset (4 rows = 8n bytes, in g and mtq alike)

p1group:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	LEAQ (SI)(R13*1), AX      // mtq, this group
	MOVQ DX, CX               // d, this chunk
	MOVQ R10, R8

p1k:
	VMOVDQU (CX), Y8
	VPBROADCASTD (AX), Y4
	VPBROADCASTD 4(AX), Y5
	VPBROADCASTD 8(AX), Y6
	VPBROADCASTD 12(AX), Y7
	VPMADDWD Y8, Y4, Y4
	VPMADDWD Y8, Y5, Y5
	VPMADDWD Y8, Y6, Y6
	VPMADDWD Y8, Y7, Y7
	VPADDD Y4, Y0, Y0
	VPADDD Y5, Y1, Y1
	VPADDD Y6, Y2, Y2
	VPADDD Y7, Y3, Y3
	ADDQ $16, AX
	ADDQ R11, CX
	DECQ R8
	JNZ p1k

	VPADDD Y15, Y0, Y0
	VPADDD Y15, Y1, Y1
	VPADDD Y15, Y2, Y2
	VPADDD Y15, Y3, Y3
	VPSRAD $7, Y0, Y0
	VPSRAD $7, Y1, Y1
	VPSRAD $7, Y2, Y2
	VPSRAD $7, Y3, Y3
	VPACKSSDW Y1, Y0, Y0      // lanes: r0 0-3, r1 0-3 | r0 4-7, r1 4-7
	VPACKSSDW Y3, Y2, Y2
	VPERMQ $0xD8, Y0, Y0      // r0 0-7 | r1 0-7
	VPERMQ $0xD8, Y2, Y2      // r2 0-7 | r3 0-7
	LEAQ (DI)(R13*1), AX      // g row y, this chunk
	VMOVDQU X0, (AX)
	VEXTRACTI128 $1, Y0, X1
	VMOVDQU X1, (AX)(R12*1)
	ADDQ R11, AX              // row y+2
	VMOVDQU X2, (AX)
	VEXTRACTI128 $1, Y2, X3
	VMOVDQU X3, (AX)(R12*1)
	ADDQ R11, R13
	ADDQ R11, R13             // next group of 4 rows
	CMPQ R13, BX
	JNE p1group

	ADDQ $32, DX              // next 8 columns of d (8 pairs of int16)
	ADDQ $16, DI              // next 8 columns of g
	DECQ R9
	JNZ p1chunk
	VZEROUPPER
	RET

// func idctPass2AVX2(dst *uint8, stride int, gbuf, mi *int16, n, kp int)
//
// for y < n, c < n/8: dst[y*stride+8c .. +8] = satu8(dst + ((sum_{p<kp}
// bcast32(g[y*n+2p]) pmaddwd mi[(p*n+8c)*2 .. +16] + 2048) >> 12))
TEXT ·idctPass2AVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ stride+8(FP), R8
	MOVQ gbuf+16(FP), SI
	MOVQ mi+24(FP), DX
	MOVQ n+32(FP), R12
	MOVQ kp+40(FP), R10
	MOVL $2048, AX
	VMOVD AX, X15
	VPBROADCASTD X15, Y15
	MOVQ R12, R11
	SHLQ $2, R11              // 4n: bytes per interleaved row pair of mi
	MOVQ R12, R9              // rows left
	CMPQ R12, $32
	JEQ p2n32
	CMPQ R12, $16
	JEQ p2n16

p2row:
	XORQ BX, BX               // column offset 8c

p2chunk:
	VPXOR Y0, Y0, Y0
	VPXOR Y5, Y5, Y5
	MOVQ SI, AX               // g row y
	LEAQ (DX)(BX*4), CX       // mi, this chunk
	MOVQ R10, R13
	SHRQ $1, R13              // two pairs per iteration
	JZ p2tail

p2k:
	VPBROADCASTD (AX), Y1
	VPBROADCASTD 4(AX), Y3
	VPMADDWD (CX), Y1, Y2
	VPMADDWD (CX)(R11*1), Y3, Y4
	VPADDD Y2, Y0, Y0
	VPADDD Y4, Y5, Y5
	ADDQ $8, AX
	LEAQ (CX)(R11*2), CX
	DECQ R13
	JNZ p2k

p2tail:
	TESTQ $1, R10
	JZ p2sum
	VPBROADCASTD (AX), Y1
	VPMADDWD (CX), Y1, Y2
	VPADDD Y2, Y0, Y0

p2sum:
	VPADDD Y5, Y0, Y0
	VPADDD Y15, Y0, Y0
	VPSRAD $12, Y0, Y0
	VPMOVZXBD (DI)(BX*1), Y1
	VPADDD Y1, Y0, Y0
	VPACKSSDW Y0, Y0, Y0
	VPERMQ $0x08, Y0, Y0
	VPACKUSWB X0, X0, X0
	VMOVQ X0, (DI)(BX*1)
	ADDQ $8, BX
	CMPQ BX, R12
	JNE p2chunk

	ADDQ R12, SI
	ADDQ R12, SI              // next row of g (2n bytes)
	ADDQ R8, DI               // next row of dst
	DECQ R9
	JNZ p2row
	VZEROUPPER
	RET

// n = 32: the four column chunks of a row share each broadcast.
p2n32:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	MOVQ SI, AX               // g row y
	MOVQ DX, CX               // mi
	MOVQ R10, R13

p2k32:
	VPBROADCASTD (AX), Y4
	VPMADDWD (CX), Y4, Y5
	VPMADDWD 32(CX), Y4, Y6
	VPMADDWD 64(CX), Y4, Y7
	VPMADDWD 96(CX), Y4, Y8
	VPADDD Y5, Y0, Y0
	VPADDD Y6, Y1, Y1
	VPADDD Y7, Y2, Y2
	VPADDD Y8, Y3, Y3
	ADDQ $4, AX
	ADDQ R11, CX
	DECQ R13
	JNZ p2k32

	VPADDD Y15, Y0, Y0
	VPADDD Y15, Y1, Y1
	VPADDD Y15, Y2, Y2
	VPADDD Y15, Y3, Y3
	VPSRAD $12, Y0, Y0
	VPSRAD $12, Y1, Y1
	VPSRAD $12, Y2, Y2
	VPSRAD $12, Y3, Y3
	VPMOVZXBD (DI), Y5
	VPMOVZXBD 8(DI), Y6
	VPMOVZXBD 16(DI), Y7
	VPMOVZXBD 24(DI), Y8
	VPADDD Y5, Y0, Y0
	VPADDD Y6, Y1, Y1
	VPADDD Y7, Y2, Y2
	VPADDD Y8, Y3, Y3
	VPACKSSDW Y1, Y0, Y0      // lanes: c0 0-3, c1 0-3 | c0 4-7, c1 4-7
	VPACKSSDW Y3, Y2, Y2
	VPERMQ $0xD8, Y0, Y0      // c0 0-7, c1 0-7
	VPERMQ $0xD8, Y2, Y2      // c2 0-7, c3 0-7
	VPACKUSWB Y2, Y0, Y0      // lanes: c0, c2 | c1, c3
	VPERMQ $0xD8, Y0, Y0      // c0, c1, c2, c3
	VMOVDQU Y0, (DI)

	ADDQ R12, SI
	ADDQ R12, SI              // next row of g (2n bytes)
	ADDQ R8, DI               // next row of dst
	DECQ R9
	JNZ p2n32
	VZEROUPPER
	RET

// n = 16: two column chunks per row.
p2n16:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	MOVQ SI, AX               // g row y
	MOVQ DX, CX               // mi
	MOVQ R10, R13

p2k16:
	VPBROADCASTD (AX), Y4
	VPMADDWD (CX), Y4, Y5
	VPMADDWD 32(CX), Y4, Y6
	VPADDD Y5, Y0, Y0
	VPADDD Y6, Y1, Y1
	ADDQ $4, AX
	ADDQ R11, CX
	DECQ R13
	JNZ p2k16

	VPADDD Y15, Y0, Y0
	VPADDD Y15, Y1, Y1
	VPSRAD $12, Y0, Y0
	VPSRAD $12, Y1, Y1
	VPMOVZXBD (DI), Y5
	VPMOVZXBD 8(DI), Y6
	VPADDD Y5, Y0, Y0
	VPADDD Y6, Y1, Y1
	VPACKSSDW Y1, Y0, Y0      // lanes: c0 0-3, c1 0-3 | c0 4-7, c1 4-7
	VPERMQ $0xD8, Y0, Y0      // c0 0-7, c1 0-7
	VEXTRACTI128 $1, Y0, X1
	VPACKUSWB X1, X0, X0
	VMOVDQU X0, (DI)

	ADDQ R12, SI
	ADDQ R12, SI              // next row of g (2n bytes)
	ADDQ R8, DI               // next row of dst
	DECQ R9
	JNZ p2n16
	VZEROUPPER
	RET

// func scaleAVX2(d, coeff *int16, m *uint8, n, nc, kp int, ls, lim, round, shift int32)
//
// 8.6.3 for row pairs p < kp and column chunks c < nc (8 columns each):
// for y in {2p, 2p+1}, x in [8c, 8c+8): d[(p*n+x)*2 + y&1] =
// sat16((clamp(coeff[y*n+x], -lim, lim) * m[y*n+x]*ls + round) >> shift),
// then coeff[y*n+x] = 0. The clamp keeps the int32 product exact (see
// dctAVX2Run).
TEXT ·scaleAVX2(SB), NOSPLIT, $0-64
	MOVQ d+0(FP), DI
	MOVQ coeff+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ n+24(FP), R12
	MOVQ nc+32(FP), R11
	SHLQ $4, R11              // 16*nc: end byte offset in a coefficient row
	MOVQ kp+40(FP), R13
	MOVL ls+48(FP), AX
	VMOVQ AX, X15
	VPBROADCASTD X15, Y15
	MOVL lim+52(FP), AX
	VMOVQ AX, X14
	VPBROADCASTD X14, Y14
	VPXOR Y10, Y10, Y10
	VPSUBD Y14, Y10, Y13      // -lim
	MOVL round+56(FP), AX
	VMOVQ AX, X12
	VPBROADCASTD X12, Y12
	MOVL shift+60(FP), AX
	VMOVQ AX, X11

scpair:
	LEAQ (SI)(R12*2), R9      // coefficient row 2p+1
	LEAQ (DX)(R12*1), R10     // m row 2p+1
	XORQ BX, BX               // 16c
	XORQ CX, CX               // 8c

scchunk:
	VPMOVSXWD (SI)(BX*1), Y0
	VPMOVSXWD (R9)(BX*1), Y1
	VPMINSD Y14, Y0, Y0
	VPMAXSD Y13, Y0, Y0
	VPMINSD Y14, Y1, Y1
	VPMAXSD Y13, Y1, Y1
	VPMOVZXBD (DX)(CX*1), Y2
	VPMOVZXBD (R10)(CX*1), Y3
	VPMULLD Y15, Y2, Y2
	VPMULLD Y15, Y3, Y3
	VPMULLD Y2, Y0, Y0
	VPMULLD Y3, Y1, Y1
	VPADDD Y12, Y0, Y0
	VPADDD Y12, Y1, Y1
	VPSRAD X11, Y0, Y0
	VPSRAD X11, Y1, Y1
	VPACKSSDW Y0, Y0, Y0
	VPACKSSDW Y1, Y1, Y1
	VPUNPCKLWD Y1, Y0, Y0
	VMOVDQU Y0, (DI)(BX*2)
	VMOVDQU X10, (SI)(BX*1)
	VMOVDQU X10, (R9)(BX*1)
	ADDQ $16, BX
	ADDQ $8, CX
	CMPQ BX, R11
	JNE scchunk

	LEAQ (SI)(R12*4), SI      // next row pair of coefficients
	LEAQ (DX)(R12*2), DX      // next row pair of m
	LEAQ (DI)(R12*4), DI      // next row pair of d (n pairs of int16)
	DECQ R13
	JNZ scpair
	VZEROUPPER
	RET
