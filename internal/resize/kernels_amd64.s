//go:build !purego

#include "textflag.h"

// AVX2 versions of the planar resampling passes (see kernels_amd64.go for
// the contracts and kernels.go / fast16.go for the Go reference code they
// must match bit for bit). All sums are int32 with wrap-around, exactly as
// the Go code computes them; VPMADDWD products are exact because the Go
// wrappers only pass weights and values within ±32767.

// V1ROWS accumulates, for the 16 columns at SI, the weighted sum of the
// source rows into Y0 (columns 0..7) and Y1 (8..15), starting from the
// bias in Y7. Row pairs are interleaved to int16 pairs (r0, r1) so that
// one VPMADDWD with the broadcast weight pair (w0, w1) does 16 MACs; an
// odd last row is zero-extended to (r, 0) pairs and weighed by (w, 0).
// Uses BX (stride), CX, R9, R10; reads np, odd and wp from the frame.
#define V1ROWS \
	VMOVDQU Y7, Y0 \
	VMOVDQU Y7, Y1 \
	MOVQ    SI, R9 \
	MOVQ    wp+32(FP), R10 \
	MOVQ    np+40(FP), CX \
	TESTQ   CX, CX \
	JZ      v1odd \
v1pairs: \
	VMOVDQU      (R9), X2 \
	VMOVDQU      (R9)(BX*1), X3 \
	VPBROADCASTD (R10), Y6 \
	VPUNPCKLBW   X3, X2, X4 \
	VPUNPCKHBW   X3, X2, X5 \
	VPMOVZXBW    X4, Y4 \
	VPMOVZXBW    X5, Y5 \
	VPMADDWD     Y6, Y4, Y4 \
	VPMADDWD     Y6, Y5, Y5 \
	VPADDD       Y4, Y0, Y0 \
	VPADDD       Y5, Y1, Y1 \
	LEAQ         (R9)(BX*2), R9 \
	ADDQ         $4, R10 \
	DECQ         CX \
	JNZ          v1pairs \
v1odd: \
	CMPQ         odd+48(FP), $0 \
	JEQ          v1done \
	VPMOVZXBD    (R9), Y4 \
	VPMOVZXBD    8(R9), Y5 \
	VPBROADCASTD (R10), Y6 \
	VPMADDWD     Y6, Y4, Y4 \
	VPMADDWD     Y6, Y5, Y5 \
	VPADDD       Y4, Y0, Y0 \
	VPADDD       Y5, Y1, Y1 \
v1done: \
	VPSRAD $8, Y0, Y0 \
	VPSRAD $8, Y1, Y1

// func v1AVX2(dst *int32, n int, src *uint8, stride int, wp *uint32, np int, odd int)
TEXT ·v1AVX2(SB), NOSPLIT, $0-56
	MOVQ         dst+0(FP), DI
	MOVQ         n+8(FP), R8
	MOVQ         src+16(FP), SI
	MOVQ         stride+24(FP), BX
	MOVQ         $128, AX
	MOVQ         AX, X7
	VPBROADCASTD X7, Y7
	SHRQ         $4, R8
	JZ           v1ret

v1loop:
	V1ROWS
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ    $64, DI
	ADDQ    $16, SI
	DECQ    R8
	JNZ     v1loop

v1ret:
	VZEROUPPER
	RET

// func v16AVX2(dst *int16, n int, src *uint8, stride int, wp *uint32, np int, odd int)
TEXT ·v16AVX2(SB), NOSPLIT, $0-56
	MOVQ         dst+0(FP), DI
	MOVQ         n+8(FP), R8
	MOVQ         src+16(FP), SI
	MOVQ         stride+24(FP), BX
	MOVQ         $128, AX
	MOVQ         AX, X7
	VPBROADCASTD X7, Y7
	SHRQ         $4, R8
	JZ           v16ret

v16loop:
	V1ROWS
	// Pack to int16 (the wrapper guarantees no saturation) and undo
	// VPACKSSDW's lane interleave.
	VPACKSSDW Y1, Y0, Y0
	VPERMQ    $0xd8, Y0, Y0
	VMOVDQU   Y0, (DI)
	ADDQ      $32, DI
	ADDQ      $16, SI
	DECQ      R8
	JNZ       v16loop

v16ret:
	VZEROUPPER
	RET

// REDUCE8 turns the 8 accumulators Y0..Y7 (output i's partial sums in
// Yi) into output i's total in lane i of Y0, adds the bias in Y14,
// shifts by finalShift and stores the 8 clamped bytes at (DST).
#define REDUCE8(DST) \
	VPHADDD      Y1, Y0, Y0 \
	VPHADDD      Y3, Y2, Y2 \
	VPHADDD      Y5, Y4, Y4 \
	VPHADDD      Y7, Y6, Y6 \
	VPHADDD      Y2, Y0, Y0 \
	VPHADDD      Y6, Y4, Y4 \
	VPERM2I128   $0x20, Y4, Y0, Y1 \
	VPERM2I128   $0x31, Y4, Y0, Y2 \
	VPADDD       Y2, Y1, Y0 \
	VPADDD       Y14, Y0, Y0 \
	VPSRAD       $20, Y0, Y0 \
	VEXTRACTI128 $1, Y0, X1 \
	VPACKSSDW    X1, X0, X0 \
	VPACKUSWB    X0, X0, X0 \
	MOVQ         X0, DST

#define ZERO8 \
	VPXOR Y0, Y0, Y0 \
	VPXOR Y1, Y1, Y1 \
	VPXOR Y2, Y2, Y2 \
	VPXOR Y3, Y3, Y3 \
	VPXOR Y4, Y4, Y4 \
	VPXOR Y5, Y5, Y5 \
	VPXOR Y6, Y6, Y6 \
	VPXOR Y7, Y7, Y7

#define BIAS20 \
	MOVQ         $0x80000, AX \
	MOVQ         AX, X14 \
	VPBROADCASTD X14, Y14

// MAC16(P, OFF, ACC, T) adds to ACC the VPMADDWD of the 16 int16 at
// P+R11 with the 16 weights at OFF(R10), using T as scratch; MAC8 does the
// same for 8 int16 (the upper lane of Y8 is zeroed by the VEX.128 ops).
#define MAC16(P, OFF, ACC, T) \
	VMOVDQU  (P)(R11*1), T \
	VPMADDWD OFF(R10), T, T \
	VPADDD   T, ACC, ACC

#define MAC8(P, OFF, ACC) \
	VMOVDQU  (P)(R11*1), X8 \
	VPMADDWD OFF(R10), X8, X8 \
	VPADDD   Y8, ACC, ACC

// func h16AVX2(dst *uint8, ng int, src *int16, st *int32, w *int16, ncb int, tail int)
//
// For each of ng groups of 8 outputs: output i reads the int16 values at
// src[st[i]:] against its weights in the group layout (see axis16): ncb/32
// chunks of 16 taps (8×16 weights a chunk), then, if tail ≠ 0, 8 more taps
// (8×8 weights).
TEXT ·h16AVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), R13
	MOVQ ng+8(FP), R14
	MOVQ st+24(FP), R12
	MOVQ w+32(FP), R10
	BIAS20
	TESTQ R14, R14
	JZ    h16ret

h16group:
	MOVQ    src+16(FP), R11
	MOVLQSX 0(R12), AX
	LEAQ    (R11)(AX*2), AX
	MOVLQSX 4(R12), BX
	LEAQ    (R11)(BX*2), BX
	MOVLQSX 8(R12), CX
	LEAQ    (R11)(CX*2), CX
	MOVLQSX 12(R12), DX
	LEAQ    (R11)(DX*2), DX
	MOVLQSX 16(R12), SI
	LEAQ    (R11)(SI*2), SI
	MOVLQSX 20(R12), DI
	LEAQ    (R11)(DI*2), DI
	MOVLQSX 24(R12), R8
	LEAQ    (R11)(R8*2), R8
	MOVLQSX 28(R12), R9
	LEAQ    (R11)(R9*2), R9
	ZERO8
	XORQ    R11, R11
	CMPQ    ncb+40(FP), $0
	JEQ     h16tail

h16chunk:
	MAC16(AX, 0, Y0, Y8)
	MAC16(BX, 32, Y1, Y9)
	MAC16(CX, 64, Y2, Y10)
	MAC16(DX, 96, Y3, Y11)
	MAC16(SI, 128, Y4, Y12)
	MAC16(DI, 160, Y5, Y13)
	MAC16(R8, 192, Y6, Y8)
	MAC16(R9, 224, Y7, Y9)
	ADDQ $256, R10
	ADDQ $32, R11
	CMPQ R11, ncb+40(FP)
	JLT  h16chunk

h16tail:
	CMPQ tail+48(FP), $0
	JEQ  h16reduce
	MAC8(AX, 0, Y0)
	MAC8(BX, 16, Y1)
	MAC8(CX, 32, Y2)
	MAC8(DX, 48, Y3)
	MAC8(SI, 64, Y4)
	MAC8(DI, 80, Y5)
	MAC8(R8, 96, Y6)
	MAC8(R9, 112, Y7)
	ADDQ $128, R10

h16reduce:
	REDUCE8((R13))
	ADDQ $8, R13
	ADDQ $32, R12
	DECQ R14
	JNZ  h16group

h16ret:
	VZEROUPPER
	RET

// func h16TAVX2(dst *uint8, dstride int, ny int, tmp *int16, tstride int, st *int32, w *int16, nc int, gb int, tailoff int, tail int)
//
// For each output row y < ny: the 8 bytes at dst+y*dstride are the dot
// products of the weights of output y (group layout, gb bytes a group of
// 8 outputs, tail weights at tailoff bytes into the group) with the int16
// values of the 8 tmp rows (tstride bytes apart) at st[y].
TEXT ·h16TAVX2(SB), NOSPLIT, $0-88
	MOVQ dst+0(FP), R11
	MOVQ dstride+8(FP), R14
	MOVQ ny+16(FP), R13
	MOVQ tstride+32(FP), CX
	LEAQ (CX)(CX*2), DX
	MOVQ st+40(FP), R12
	XORQ R10, R10
	BIAS20
	TESTQ R13, R13
	JZ    h16Tret

h16Trow:
	MOVLQSX (R12)(R10*4), SI
	MOVQ    tmp+24(FP), AX
	LEAQ    (AX)(SI*2), AX
	LEAQ    (AX)(CX*4), BX

	// DI = group base + i*32 (chunk weights), R8 = group base + tailoff
	// + i*16 (tail weights), with the group y>>3 and i = y&7.
	MOVQ  R10, SI
	SHRQ  $3, SI
	IMULQ gb+64(FP), SI
	ADDQ  w+48(FP), SI
	MOVQ  R10, R9
	ANDQ  $7, R9
	SHLQ  $4, R9
	LEAQ  (SI)(R9*2), DI
	ADDQ  tailoff+72(FP), SI
	LEAQ  (SI)(R9*1), R8
	ZERO8
	MOVQ  nc+56(FP), R9
	TESTQ R9, R9
	JZ    h16Ttail

h16Tchunk:
	VMOVDQU  (DI), Y8
	VPMADDWD (AX), Y8, Y9
	VPADDD   Y9, Y0, Y0
	VPMADDWD (AX)(CX*1), Y8, Y10
	VPADDD   Y10, Y1, Y1
	VPMADDWD (AX)(CX*2), Y8, Y11
	VPADDD   Y11, Y2, Y2
	VPMADDWD (AX)(DX*1), Y8, Y12
	VPADDD   Y12, Y3, Y3
	VPMADDWD (BX), Y8, Y9
	VPADDD   Y9, Y4, Y4
	VPMADDWD (BX)(CX*1), Y8, Y10
	VPADDD   Y10, Y5, Y5
	VPMADDWD (BX)(CX*2), Y8, Y11
	VPADDD   Y11, Y6, Y6
	VPMADDWD (BX)(DX*1), Y8, Y12
	VPADDD   Y12, Y7, Y7
	ADDQ     $32, AX
	ADDQ     $32, BX
	ADDQ     $256, DI
	DECQ     R9
	JNZ      h16Tchunk

h16Ttail:
	CMPQ     tail+80(FP), $0
	JEQ      h16Treduce
	VMOVDQU  (R8), X8
	VPMADDWD (AX), X8, X9
	VPADDD   Y9, Y0, Y0
	VPMADDWD (AX)(CX*1), X8, X10
	VPADDD   Y10, Y1, Y1
	VPMADDWD (AX)(CX*2), X8, X11
	VPADDD   Y11, Y2, Y2
	VPMADDWD (AX)(DX*1), X8, X12
	VPADDD   Y12, Y3, Y3
	VPMADDWD (BX), X8, X9
	VPADDD   Y9, Y4, Y4
	VPMADDWD (BX)(CX*1), X8, X10
	VPADDD   Y10, Y5, Y5
	VPMADDWD (BX)(CX*2), X8, X11
	VPADDD   Y11, Y6, Y6
	VPMADDWD (BX)(DX*1), X8, X12
	VPADDD   Y12, Y7, Y7

h16Treduce:
	REDUCE8((R11))
	ADDQ R14, R11
	INCQ R10
	CMPQ R10, R13
	JLT  h16Trow

h16Tret:
	VZEROUPPER
	RET

// rgbShuf reorders each 128-bit lane of 4-channel int16 pixels
// (R0 G0 B0 A0 R1 G1 B1 A1) into channel pairs (R0 R1 G0 G1 B0 B1 A0 A1).
DATA rgbShuf<>+0(SB)/8, $0x0b0a030209080100
DATA rgbShuf<>+8(SB)/8, $0x0f0e07060d0c0504
DATA rgbShuf<>+16(SB)/8, $0x0b0a030209080100
DATA rgbShuf<>+24(SB)/8, $0x0f0e07060d0c0504
GLOBL rgbShuf<>(SB), RODATA|NOPTR, $32

// rgbIdx broadcasts dword 0 to the low lane and dword 1 to the high lane.
DATA rgbIdx<>+0(SB)/8, $0
DATA rgbIdx<>+8(SB)/8, $0
DATA rgbIdx<>+16(SB)/8, $0x0000000100000001
DATA rgbIdx<>+24(SB)/8, $0x0000000100000001
GLOBL rgbIdx<>(SB), RODATA|NOPTR, $32

// func rgb16AVX2(dst *int32, n int, src *int16, srcStep int, st *int32, stStep int, w *int16, wStep int, nc int)
//
// For each of n outputs i: with p = src + i*srcStep + 8*st[i*stStep/4]
// (4-channel int16 pixels) and weights w + i*wStep (nc chunks of 4 taps,
// readable 24 bytes past the last), it writes the clamped R, G, B (3
// int32s) of Σ weight·pixel to dst + 12*i. A chunk of 4 pixels is
// shuffled into channel pairs and multiplied by the tap pairs (w0, w1)
// in the low lane and (w2, w3) in the high lane.
TEXT ·rgb16AVX2(SB), NOSPLIT, $0-72
	MOVQ    dst+0(FP), DI
	MOVQ    n+8(FP), CX
	MOVQ    src+16(FP), SI
	MOVQ    st+32(FP), R8
	MOVQ    w+48(FP), R9
	VMOVDQU rgbShuf<>(SB), Y13
	VMOVDQU rgbIdx<>(SB), Y12
	BIAS20
	VMOVDQU Y14, Y11
	VPXOR   Y10, Y10, Y10
	MOVQ    $255, AX
	MOVQ    AX, X9
	VPBROADCASTD X9, Y9
	TESTQ   CX, CX
	JZ      rgbret

rgbout:
	MOVLQSX (R8), AX
	LEAQ    (SI)(AX*8), AX
	MOVQ    R9, BX
	MOVQ    nc+64(FP), DX
	VPXOR   Y0, Y0, Y0

rgbchunk:
	VMOVDQU  (AX), Y1
	VPSHUFB  Y13, Y1, Y1
	VPERMD   (BX), Y12, Y2
	VPMADDWD Y2, Y1, Y1
	VPADDD   Y1, Y0, Y0
	ADDQ     $32, AX
	ADDQ     $8, BX
	DECQ     DX
	JNZ      rgbchunk

	VEXTRACTI128 $1, Y0, X1
	VPADDD       X1, X0, X0
	VPADDD       X11, X0, X0
	VPSRAD       $20, X0, X0
	VPMAXSD      X10, X0, X0
	VPMINSD      X9, X0, X0
	MOVQ         X0, (DI)
	VPEXTRD      $2, X0, 8(DI)
	ADDQ         $12, DI
	ADDQ         srcStep+24(FP), SI
	ADDQ         stStep+40(FP), R8
	ADDQ         wStep+56(FP), R9
	DECQ         CX
	JNZ          rgbout

rgbret:
	VZEROUPPER
	RET
