//go:build !purego

#include "textflag.h"

// AVX2 INTRA_PLANAR rows (see intra_amd64.go). Registers R14 and R15 are
// left alone.

// func planarRowsAVX2(dst *uint8, stride int, a, b, wn *int16, left *uint8, n, shift int)
TEXT ·planarRowsAVX2(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ stride+8(FP), R8
	MOVQ a+16(FP), AX
	MOVQ b+24(FP), BX
	MOVQ wn+32(FP), CX
	MOVQ left+40(FP), SI
	MOVQ n+48(FP), R9
	MOVQ shift+56(FP), DX
	VMOVQ DX, X15              // shift count
	VMOVDQU (AX), Y0          // a[0..15]: the running a + y*b
	VMOVDQU (BX), Y1          // b[0..15]
	VMOVDQU (CX), Y2          // wn[0..15]
	MOVQ R9, R10              // rows left
	CMPQ R9, $32
	JEQ pl32
	CMPQ R9, $16
	JEQ pl16
	CMPQ R9, $8
	JEQ pl8

pl4:
	MOVBLZX (SI), R11
	VMOVQ R11, X3
	VPBROADCASTW X3, Y3
	VPMULLW Y2, Y3, Y3
	VPADDW Y0, Y3, Y3
	VPSRLW X15, Y3, Y3
	VPACKUSWB Y3, Y3, Y3
	VMOVQ X3, R11
	MOVL R11, (DI)
	VPADDW Y1, Y0, Y0
	INCQ SI
	ADDQ R8, DI
	DECQ R10
	JNZ pl4
	VZEROUPPER
	RET

pl8:
	MOVBLZX (SI), R11
	VMOVQ R11, X3
	VPBROADCASTW X3, Y3
	VPMULLW Y2, Y3, Y3
	VPADDW Y0, Y3, Y3
	VPSRLW X15, Y3, Y3
	VPACKUSWB Y3, Y3, Y3
	VMOVQ X3, (DI)
	VPADDW Y1, Y0, Y0
	INCQ SI
	ADDQ R8, DI
	DECQ R10
	JNZ pl8
	VZEROUPPER
	RET

pl16:
	MOVBLZX (SI), R11
	VMOVQ R11, X3
	VPBROADCASTW X3, Y3
	VPMULLW Y2, Y3, Y3
	VPADDW Y0, Y3, Y3
	VPSRLW X15, Y3, Y3
	VPACKUSWB Y3, Y3, Y3      // lanes: x0-7 x0-7 | x8-15 x8-15
	VPERMQ $0x08, Y3, Y3      // x0-15
	VMOVDQU X3, (DI)
	VPADDW Y1, Y0, Y0
	INCQ SI
	ADDQ R8, DI
	DECQ R10
	JNZ pl16
	VZEROUPPER
	RET

pl32:
	VMOVDQU 32(AX), Y4        // a[16..31]
	VMOVDQU 32(BX), Y5        // b[16..31]
	VMOVDQU 32(CX), Y6        // wn[16..31]

pl32row:
	MOVBLZX (SI), R11
	VMOVQ R11, X3
	VPBROADCASTW X3, Y3
	VPMULLW Y2, Y3, Y7
	VPMULLW Y6, Y3, Y8
	VPADDW Y0, Y7, Y7
	VPADDW Y4, Y8, Y8
	VPSRLW X15, Y7, Y7
	VPSRLW X15, Y8, Y8
	VPACKUSWB Y8, Y7, Y7      // lanes: x0-7 x16-23 | x8-15 x24-31
	VPERMQ $0xD8, Y7, Y7      // x0-31
	VMOVDQU Y7, (DI)
	VPADDW Y1, Y0, Y0
	VPADDW Y5, Y4, Y4
	INCQ SI
	ADDQ R8, DI
	DECQ R10
	JNZ pl32row
	VZEROUPPER
	RET
