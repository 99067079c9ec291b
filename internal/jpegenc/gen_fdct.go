//go:build ignore

// gen_fdct writes fdct_amd64.s: the AVX2 kernel fdctQuantAVX2, which is
// fdctCols, fdctRows (fdct.go) and quantize (block.go) for one 8×8 block,
// bit-identical to them. Run with `go generate ./internal/jpegenc`.
//
// Layout: the column pass keeps one sample row per YMM register (lane i =
// column i), so each of fdctCols' 8 iterations is one lane. An 8×8 int32
// transpose then puts column j of the intermediate block in register j
// (lane i = row i), so fdctRows' 8 iterations are again the 8 lanes. The
// outputs are quantised lane-wise with tables stored in that transposed
// order (quantT) and permuted into zig-zag order with VPERMD/VPBLENDD;
// the non-zero mask comes from saturating packs and VPMOVMSKB.
//
// All the DCT arithmetic is int32 addition, subtraction and multiplication
// (exact modulo 2^32 in Go and in VPADDD/VPSUBD/VPMULLD alike) and
// arithmetic right shifts at the same points as the Go code, so the
// results are the same bits.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
)

var unzig = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// Fixed-point constants, as in fdct.go.
const (
	cos1       = 1130768441178740757
	sin1       = 224923827593068887
	cos3       = 958619196450722178
	sin3       = 640528868967736374
	sqrt2      = 1630477228166597777
	sqrt2_cos6 = 623956622067911264
	sqrt2_sin6 = 1506364539328854985
)

func c(x uint64, bits int) int32 {
	return int32((x + (1 << (59 - bits))) >> (60 - bits))
}

// gen accumulates the assembly text and tracks which YMM register holds
// which variable.
type gen struct {
	code   bytes.Buffer
	reg    map[string]int // variable -> YMM register
	free   []int
	consts []int32 // 8-lane broadcast constants, in DATA order
	cidx   map[int32]int
}

func newGen() *gen {
	return &gen{reg: map[string]int{}, cidx: map[int32]int{}}
}

func (g *gen) emit(format string, args ...any) {
	fmt.Fprintf(&g.code, "\t"+format+"\n", args...)
}

func (g *gen) comment(s string) { fmt.Fprintf(&g.code, "\n\t// %s\n", s) }

func y(r int) string { return fmt.Sprintf("Y%d", r) }

// alloc takes a free register.
func (g *gen) alloc() int {
	if len(g.free) == 0 {
		log.Fatal("out of registers")
	}
	r := g.free[len(g.free)-1]
	g.free = g.free[:len(g.free)-1]
	return r
}

func (g *gen) release(r int) { g.free = append(g.free, r) }

// r returns the register of variable v.
func (g *gen) r(v string) string {
	r, ok := g.reg[v]
	if !ok {
		log.Fatalf("no variable %s", v)
	}
	return y(r)
}

// k returns the memory operand of the broadcast constant v.
func (g *gen) k(v int32) string {
	i, ok := g.cidx[v]
	if !ok {
		i = len(g.consts)
		g.consts = append(g.consts, v)
		g.cidx[v] = i
	}
	return fmt.Sprintf("fdctK<>+%d(SB)", 32*i)
}

// butterfly is `a, b = a+b, a-b`.
func (g *gen) butterfly(a, b string) {
	t := g.alloc()
	g.emit("VPADDD %s, %s, %s", g.r(b), g.r(a), y(t))
	g.emit("VPSUBD %s, %s, %s", g.r(b), g.r(a), g.r(b))
	g.release(g.reg[a])
	g.reg[a] = t
}

// box is `a, b = dctBox(a>>shift, b>>shift, kcos, ksin)`.
func (g *gen) box(a, b string, shift int, kcos, ksin int32) {
	if shift > 0 {
		g.emit("VPSRAD $%d, %s, %s", shift, g.r(a), g.r(a))
		g.emit("VPSRAD $%d, %s, %s", shift, g.r(b), g.r(b))
	}
	t := g.alloc()
	g.emit("VPADDD %s, %s, %s", g.r(b), g.r(a), y(t))
	g.emit("VPMULLD %s, %s, %s", g.k(kcos), y(t), y(t)) // ksum
	g.emit("VPMULLD %s, %s, %s", g.k(ksin-kcos), g.r(b), g.r(b))
	g.emit("VPMULLD %s, %s, %s", g.k(kcos+ksin), g.r(a), g.r(a))
	g.emit("VPADDD %s, %s, %s", y(t), g.r(b), g.r(b)) // y0 = ksum + (ksin-kcos)*b
	g.emit("VPSUBD %s, %s, %s", g.r(a), y(t), g.r(a)) // y1 = ksum - (kcos+ksin)*a
	g.release(t)
	g.reg[a], g.reg[b] = g.reg[b], g.reg[a]
}

// scale is `a = (a >> shift) * k`.
func (g *gen) scale(a string, shift int, k int32) {
	g.emit("VPSRAD $%d, %s, %s", shift, g.r(a), g.r(a))
	g.emit("VPMULLD %s, %s, %s", g.k(k), g.r(a), g.r(a))
}

// rename gives the variables new names: to[i] is the new name of from[i].
func (g *gen) rename(from, to []string) {
	m := map[string]int{}
	for i, f := range from {
		m[to[i]] = g.reg[f]
	}
	g.reg = m
}

var xs = []string{"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"}

// cols is fdctCols: rows r0..r7 in, rows b0..b7 of the block out.
func (g *gen) cols() {
	g.rename([]string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}, xs)
	g.comment("Column pass (fdctCols), lane i = column i.")
	g.butterfly("x0", "x7")
	g.butterfly("x1", "x6")
	g.butterfly("x2", "x5")
	g.butterfly("x3", "x4")
	g.box("x4", "x7", 0, c(cos3, 18), c(sin3, 18))
	g.box("x5", "x6", 0, c(cos1, 18), c(sin1, 18))
	g.butterfly("x0", "x3")
	g.butterfly("x1", "x2")
	g.box("x2", "x3", 0, c(sqrt2_cos6, 18), c(sqrt2_sin6, 18))
	g.butterfly("x0", "x1")
	// b0 = (x0 - 128*8) << 18, b4 = x1 << 18.
	g.emit("VPSUBD %s, %s, %s", g.k(128*8), g.r("x0"), g.r("x0"))
	g.emit("VPSLLD $18, %s, %s", g.r("x0"), g.r("x0"))
	g.emit("VPSLLD $18, %s, %s", g.r("x1"), g.r("x1"))
	g.butterfly("x4", "x6")
	g.butterfly("x7", "x5")
	g.scale("x5", 12, c(sqrt2, 12))
	g.scale("x6", 12, c(sqrt2, 12))
	g.butterfly("x7", "x4")
	g.rename([]string{"x0", "x7", "x2", "x5", "x1", "x6", "x3", "x4"},
		[]string{"b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"})
}

// transpose turns rows b0..b7 into columns x0..x7 (lane i = row i).
func (g *gen) transpose() {
	g.comment("8×8 transpose: register j = column j, lane i = row i.")
	t := make([]int, 8)
	for p := range 4 {
		lo, hi := fmt.Sprintf("b%d", 2*p), fmt.Sprintf("b%d", 2*p+1)
		t[2*p], t[2*p+1] = g.alloc(), g.alloc()
		g.emit("VPUNPCKLDQ %s, %s, %s", g.r(hi), g.r(lo), y(t[2*p]))
		g.emit("VPUNPCKHDQ %s, %s, %s", g.r(hi), g.r(lo), y(t[2*p+1]))
	}
	for i := range 8 {
		g.release(g.reg[fmt.Sprintf("b%d", i)])
	}
	// s[4h+0..3] hold columns (0|4, 1|5, 2|6, 3|7) of rows 4h..4h+3.
	s := make([]int, 8)
	for h := range 2 {
		t0, t1, t2, t3 := t[4*h], t[4*h+1], t[4*h+2], t[4*h+3]
		for n, op := range []struct {
			ins  string
			a, b int
		}{{"VPUNPCKLQDQ", t0, t2}, {"VPUNPCKHQDQ", t0, t2}, {"VPUNPCKLQDQ", t1, t3}, {"VPUNPCKHQDQ", t1, t3}} {
			s[4*h+n] = g.alloc()
			g.emit("%s %s, %s, %s", op.ins, y(op.b), y(op.a), y(s[4*h+n]))
		}
	}
	for _, r := range t {
		g.release(r)
	}
	g.reg = map[string]int{}
	for j := range 4 {
		lo, hi := g.alloc(), g.alloc()
		g.emit("VPERM2I128 $0x20, %s, %s, %s", y(s[4+j]), y(s[j]), y(lo))
		g.emit("VPERM2I128 $0x31, %s, %s, %s", y(s[4+j]), y(s[j]), y(hi))
		g.reg[xs[j]], g.reg[xs[j+4]] = lo, hi
	}
	for _, r := range s {
		g.release(r)
	}
}

// rows is fdctRows: columns x0..x7 in, rounded coefficient columns q0..q7
// out (register j = natural column j, lane i = row i).
func (g *gen) rows() {
	g.comment("Row pass (fdctRows), lane i = row i.")
	g.butterfly("x0", "x7")
	g.butterfly("x1", "x6")
	g.butterfly("x2", "x5")
	g.butterfly("x3", "x4")
	g.box("x4", "x7", 14, c(cos3, 14), c(sin3, 14))
	g.box("x5", "x6", 14, c(cos1, 14), c(sin1, 14))
	g.butterfly("x0", "x3")
	g.butterfly("x1", "x2")
	g.box("x2", "x3", 14, c(sqrt2_cos6, 14), c(sqrt2_sin6, 14))
	g.butterfly("x0", "x1")
	g.butterfly("x4", "x6")
	g.butterfly("x7", "x5")
	g.scale("x5", 14, c(sqrt2, 14))
	g.scale("x6", 14, c(sqrt2, 14))
	g.butterfly("x7", "x4")
	g.rename([]string{"x0", "x7", "x2", "x5", "x1", "x6", "x3", "x4"},
		[]string{"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7"})
	g.comment("Cut from Q13.18 to Q13.0: (x + 1<<17) >> 18.")
	for j := range 8 {
		q := g.r(fmt.Sprintf("q%d", j))
		g.emit("VPADDD %s, %s, %s", g.k(1<<17), q, q)
		g.emit("VPSRAD $18, %s, %s", q, q)
	}
}

// quantize is quant1 on every lane: (|v|+half)*recip>>32 with v's sign.
// The 32×32→64 products come from VPMULUDQ on the even lanes and on the
// odd lanes shifted down (quantT.recipOdd holds their reciprocals in even
// positions). VPSIGND restores the sign; for v = 0 the quotient is
// half*recip>>32 = 0 (half*recip < 2^32), so it agrees with quant1.
func (g *gen) quantize() {
	g.comment("Quantise (quant1), tables in quantT (DI).")
	t1, t2 := g.alloc(), g.alloc()
	for j := range 8 {
		q := g.r(fmt.Sprintf("q%d", j))
		g.emit("VPABSD %s, %s", q, y(t1))
		g.emit("VPADDD %d(DI), %s, %s", 32*j, y(t1), y(t1))
		g.emit("VPMULUDQ %d(DI), %s, %s", 256+32*j, y(t1), y(t2))
		g.emit("VPSRLQ $32, %s, %s", y(t1), y(t1))
		g.emit("VPMULUDQ %d(DI), %s, %s", 512+32*j, y(t1), y(t1))
		g.emit("VPSRLQ $32, %s, %s", y(t2), y(t2))
		g.emit("VPBLENDD $0xAA, %s, %s, %s", y(t1), y(t2), y(t2))
		g.emit("VPSIGND %s, %s, %s", q, y(t2), q)
	}
	g.release(t1)
	g.release(t2)
}

// zigzag permutes q0..q7 into zig-zag order and stores them to zz (DX).
// Output register k holds zz[8k:8k+8]; each natural column j contributing
// to it is permuted into place with VPERMD and merged with VPBLENDD.
func (g *gen) zigzag() (idx []([8]int32)) {
	g.comment("Zig-zag order: zz[8k+p] = column j lane i where unzig[8k+p] = 8i+j.")
	acc, ix, tmp := g.alloc(), g.alloc(), g.alloc()
	for k := range 8 {
		var order []int
		lanes := map[int]*[8]int32{}
		blend := map[int]int{}
		for p := range 8 {
			n := unzig[8*k+p]
			i, j := n/8, n%8
			if lanes[j] == nil {
				lanes[j] = new([8]int32)
				order = append(order, j)
			}
			lanes[j][p] = int32(i)
			blend[j] |= 1 << p
		}
		for n, j := range order {
			src := g.r(fmt.Sprintf("q%d", j))
			// VPERMD is needed unless every lane is already in place.
			inPlace := true
			for p := range 8 {
				if blend[j]>>p&1 == 1 && lanes[j][p] != int32(p) {
					inPlace = false
				}
			}
			dst := y(tmp)
			if n == 0 {
				dst = y(acc)
			}
			if inPlace {
				dst = src
			} else {
				g.emit("VMOVDQU fdctZig<>+%d(SB), %s", 32*len(idx), y(ix))
				g.emit("VPERMD %s, %s, %s", src, y(ix), dst)
				idx = append(idx, *lanes[j])
			}
			switch {
			case n == 0 && inPlace:
				g.emit("VMOVDQA %s, %s", src, y(acc))
			case n > 0:
				g.emit("VPBLENDD $0x%02X, %s, %s, %s", blend[j], dst, y(acc), y(acc))
			}
		}
		g.emit("VMOVDQU %s, %d(DX)", y(acc), 32*k)
	}
	g.release(acc)
	g.release(ix)
	g.release(tmp)
	return idx
}

// mask computes the non-zero bitmask of zz (DX) into AX.
func (g *gen) mask() {
	g.comment("Non-zero mask: saturating packs keep zero and non-zero apart.")
	g.emit("VPXOR Y15, Y15, Y15")
	g.emit("VMOVDQU fdctPackOrder<>(SB), Y14")
	for h, reg := range []string{"AX", "BX"} {
		o := 128 * h
		g.emit("VMOVDQU %d(DX), Y0", o)
		g.emit("VPACKSSDW %d(DX), Y0, Y0", o+32)
		g.emit("VMOVDQU %d(DX), Y1", o+64)
		g.emit("VPACKSSDW %d(DX), Y1, Y1", o+96)
		g.emit("VPACKSSWB Y1, Y0, Y0")
		g.emit("VPERMD Y0, Y14, Y0")
		g.emit("VPCMPEQB Y15, Y0, Y0")
		g.emit("VPMOVMSKB Y0, %s", reg)
		g.emit("NOTL %s", reg)
	}
	g.emit("SHLQ $32, BX")
	g.emit("ORQ BX, AX")
}

func main() {
	g := newGen()
	for r := 15; r >= 8; r-- {
		g.free = append(g.free, r)
	}
	g.comment("Load the 8 rows of samples, zero-extended to int32.")
	g.emit("MOVQ pix+0(FP), SI")
	g.emit("MOVQ stride+8(FP), BX")
	g.emit("MOVQ zz+16(FP), DX")
	g.emit("MOVQ q+24(FP), DI")
	g.emit("LEAQ (BX)(BX*2), CX")
	g.emit("LEAQ (SI)(BX*4), R8")
	for i, addr := range []string{"(SI)", "(SI)(BX*1)", "(SI)(BX*2)", "(SI)(CX*1)", "(R8)", "(R8)(BX*1)", "(R8)(BX*2)", "(R8)(CX*1)"} {
		g.emit("VPMOVZXBD %s, Y%d", addr, i)
		g.reg[fmt.Sprintf("r%d", i)] = i
	}
	g.cols()
	g.transpose()
	g.rows()
	g.quantize()
	idx := g.zigzag()
	g.mask()
	g.emit("VZEROUPPER")
	g.emit("MOVQ AX, mask+32(FP)")
	g.emit("RET")

	var out bytes.Buffer
	out.WriteString(`// Code generated by gen_fdct.go; DO NOT EDIT.

//go:build !purego

#include "textflag.h"

`)
	data := func(name string, vals [][8]int32) {
		for n, v := range vals {
			for l, x := range v {
				fmt.Fprintf(&out, "DATA %s<>+%d(SB)/4, $%d\n", name, 32*n+4*l, x)
			}
		}
		fmt.Fprintf(&out, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", name, 32*len(vals))
	}
	var ks [][8]int32
	for _, k := range g.consts {
		ks = append(ks, [8]int32{k, k, k, k, k, k, k, k})
	}
	out.WriteString("// fdctK are the DCT's constants, each broadcast to 8 lanes.\n")
	data("fdctK", ks)
	out.WriteString("// fdctZig are the VPERMD indices of the zig-zag permutation.\n")
	data("fdctZig", idx)
	out.WriteString("// fdctPackOrder undoes the lane interleaving of VPACKSSDW+VPACKSSWB.\n")
	data("fdctPackOrder", [][8]int32{{0, 4, 1, 5, 2, 6, 3, 7}})
	out.WriteString(`// func fdctQuantAVX2(pix *byte, stride int, zz *[64]int32, q *quantT) (mask uint64)
TEXT ·fdctQuantAVX2(SB), NOSPLIT, $0-40
`)
	out.WriteString(strings.TrimLeft(g.code.String(), "\n"))
	if err := os.WriteFile("fdct_amd64.s", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
