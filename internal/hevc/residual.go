package hevc

import (
	"fmt"
	"math/bits"
)

// residual_coding() (7.3.8.11) for an I slice without range extensions,
// with the context selection of 9.3.4.2.3 to 9.3.4.2.7 and the
// coeff_abs_level_remaining binarisation of 9.3.3.11. This is the hottest
// loop of the decoder; everything that depends only on the block size,
// scan and component is precomputed in tables at package init.

// tbParams describes one transform block for residualCoding.
type tbParams struct {
	// log2Size: log2TrafoSize of the block being coded (2..5; for chroma
	// the chroma block size). cIdx: 0 luma, 1 Cb, 2 Cr.
	log2Size, cIdx int
	// predModeIntra: IntraPredModeY (luma) or IntraPredModeC (chroma),
	// 0..34; selects the scan of 4x4 and luma 8x8 blocks (7.4.9.11).
	predModeIntra int
	// bypass: cu_transquant_bypass_flag of the CU.
	bypass bool
	// transformSkipEnabled: pps transform_skip_enabled_flag.
	transformSkipEnabled bool
	// signHiding: pps sign_data_hiding_enabled_flag.
	signHiding bool
}

// Scan orders (6.5.3 to 6.5.5), scanIdx 0 up-right diagonal, 1 horizontal,
// 2 vertical.
//
// rcScan4[scanIdx][n] is the position of scan index n in a 4x4 block,
// packed yP<<2 | xP. rcScanSb[log2Sb][scanIdx][i] is the position of
// sub-block i in a (1<<log2Sb)² grid of sub-blocks, packed yS<<3 | xS.
// rcInv4 and rcInvSb are the inverse mappings (packed position -> index).
var (
	rcScan4  [3][16]uint8
	rcInv4   [3][16]uint8
	rcScanSb [4][3][64]uint8
	rcInvSb  [4][3][64]uint8
)

// rcSigCtx[cls][sb00][prevCsbf][yP<<2|xP] is ctxInc of sig_coeff_flag
// (9.3.4.2.5, including the +27 of chroma) for a coefficient at (xP, yP)
// inside a sub-block. cls: 0 luma 4x4, 1 luma 8x8 diagonal scan, 2 luma
// 8x8 other scans, 3 luma 16x16/32x32, 4 chroma 4x4, 5 chroma 8x8,
// 6 chroma 16x16. sb00: the sub-block is (0, 0). prevCsbf:
// csbf(right) | csbf(below)<<1.
var rcSigCtx [7][2][4][16]uint8

// rcCtxIdxMap is ctxIdxMap of 9.3.4.2.5 (Table 9-50) for 4x4 blocks, by
// yC<<2 | xC (entry 15, never used since (3, 3) is always the last scan
// position, is given the value 8).
var rcCtxIdxMap = [16]uint8{0, 1, 4, 5, 2, 3, 4, 5, 6, 6, 8, 8, 7, 7, 8, 8}

func init() {
	// Scans of a blkSize x blkSize grid, for blkSize 1, 2, 4, 8.
	for l := range 4 {
		n := 1 << l
		for s := range 3 {
			pos := rcScanOrder(n, s)
			for i, p := range pos {
				packed := uint8(p[1]<<3 | p[0])
				rcScanSb[l][s][i] = packed
				rcInvSb[l][s][packed] = uint8(i)
				if l == 2 {
					p4 := uint8(p[1]<<2 | p[0])
					rcScan4[s][i] = p4
					rcInv4[s][p4] = uint8(i)
				}
			}
		}
	}
	for cls := range 7 {
		for sb00 := range 2 {
			for prev := range 4 {
				for p := range 16 {
					xP, yP := p&3, p>>2
					rcSigCtx[cls][sb00][prev][p] = uint8(rcSigCtxInc(cls, sb00 == 1, prev, xP, yP))
				}
			}
		}
	}
}

// rcScanOrder returns the positions (x, y) of a blkSize² block in scan
// order scanIdx: the up-right diagonal scan visits anti-diagonals x+y in
// increasing order, each from its bottom-left end (6.5.3); the horizontal
// scan is raster order (6.5.4); the vertical scan is column order (6.5.5).
func rcScanOrder(blkSize, scanIdx int) [][2]int {
	var out [][2]int
	switch scanIdx {
	case 0:
		for d := 0; d <= 2*(blkSize-1); d++ {
			for y := min(d, blkSize-1); y >= 0 && d-y < blkSize; y-- {
				out = append(out, [2]int{d - y, y})
			}
		}
	case 1:
		for y := range blkSize {
			for x := range blkSize {
				out = append(out, [2]int{x, y})
			}
		}
	default:
		for x := range blkSize {
			for y := range blkSize {
				out = append(out, [2]int{x, y})
			}
		}
	}
	return out
}

// rcSigCtxInc computes sigCtx (+27 for chroma) per 9.3.4.2.5 for the
// coefficient (xP, yP) of a sub-block of class cls (see rcSigCtx).
func rcSigCtxInc(cls int, sb00 bool, prevCsbf, xP, yP int) int {
	chroma := cls >= 4
	off := 0
	if chroma {
		off = 27
	}
	if cls == 0 || cls == 4 {
		return off + int(rcCtxIdxMap[yP<<2|xP])
	}
	if sb00 && xP == 0 && yP == 0 {
		return off // DC: sigCtx 0
	}
	var sig int
	switch prevCsbf {
	case 0:
		switch s := xP + yP; {
		case s == 0:
			sig = 2
		case s < 3:
			sig = 1
		}
	case 1:
		switch yP {
		case 0:
			sig = 2
		case 1:
			sig = 1
		}
	case 2:
		switch xP {
		case 0:
			sig = 2
		case 1:
			sig = 1
		}
	default:
		sig = 2
	}
	if !chroma {
		if !sb00 {
			sig += 3
		}
		switch cls {
		case 1:
			sig += 9
		case 2:
			sig += 15
		default:
			sig += 21
		}
		return sig
	}
	if cls == 5 {
		return off + sig + 9
	}
	return off + sig + 12
}

// residualCoding parses residual_coding() (7.3.8.11) of one transform
// block into r.coeff (raster order [y<<log2Size + x]; r.coeff must be all
// zero on entry and hold at least 1<<(2*log2Size) entries) and sets
// r.maxX, r.maxY (largest coordinates of a nonzero coefficient) and
// r.transformSkip. It returns an ErrCorrupt-wrapped error for values the
// standard forbids (a TransCoeffLevel outside 16 bits, an unbounded
// coeff_abs_level_remaining prefix). It does not allocate.
func residualCoding(c *cabac, x *contexts, p *tbParams, r *residual) error {
	log2 := p.log2Size
	if log2 < 2 || log2 > 5 || len(r.coeff) < 1<<(2*log2) {
		return fmt.Errorf("%w: transform block of log2 size %d", ErrCorrupt, log2)
	}
	chroma := 0
	if p.cIdx > 0 {
		chroma = 1
	}
	r.transformSkip = false
	if p.transformSkipEnabled && !p.bypass && log2 == 2 {
		r.transformSkip = c.decodeBin(&x[ctxTransformSkipFlag+chroma]) == 1
	}

	// last_sig_coeff_{x,y}_prefix: TR, cMax 2*log2-1, context coded with
	// ctxInc (binIdx >> ctxShift) + ctxOffset (9.3.4.2.3).
	var ctxOff, ctxShift int
	if chroma == 0 {
		ctxOff, ctxShift = 3*(log2-2)+(log2-1)>>2, (log2+1)>>2
	} else {
		ctxOff, ctxShift = 15, log2-2
	}
	cMax := 2*log2 - 1
	lastX := c.lastPrefix(x[ctxLastSigCoeffXPrefix+ctxOff:ctxLastSigCoeffXPrefix+18], cMax, uint(ctxShift))
	lastY := c.lastPrefix(x[ctxLastSigCoeffYPrefix+ctxOff:ctxLastSigCoeffYPrefix+18], cMax, uint(ctxShift))
	if px := lastX; px > 3 {
		nb := px>>1 - 1
		lastX = (2+px&1)<<nb + c.decodeBypassBits(nb)
	}
	if py := lastY; py > 3 {
		nb := py>>1 - 1
		lastY = (2+py&1)<<nb + c.decodeBypassBits(nb)
	}

	// scanIdx (7.4.9.11): mode-dependent for 4x4 blocks and luma 8x8.
	scanIdx := 0
	if log2 == 2 || (log2 == 3 && chroma == 0) {
		switch m := p.predModeIntra; {
		case m >= 6 && m <= 14:
			scanIdx = 2
		case m >= 22 && m <= 30:
			scanIdx = 1
		}
	}
	if scanIdx == 2 {
		lastX, lastY = lastY, lastX
	}

	// Context tables for this block.
	var cls int
	switch {
	case chroma == 0 && log2 == 2:
		cls = 0
	case chroma == 0 && log2 == 3 && scanIdx == 0:
		cls = 1
	case chroma == 0 && log2 == 3:
		cls = 2
	case chroma == 0:
		cls = 3
	case log2 == 2:
		cls = 4
	case log2 == 3:
		cls = 5
	default:
		cls = 6
	}
	sigTab := &rcSigCtx[cls]
	sigCtx := (*[44]uint8)(x[ctxSigCoeffFlag : ctxSigCoeffFlag+44])
	g1All := (*[24]uint8)(x[ctxCoeffAbsLevelGreater1Flag : ctxCoeffAbsLevelGreater1Flag+24])
	g1Base := 16 * chroma
	g2Base := ctxCoeffAbsLevelGreater2Flag + 4*chroma
	csbfBase := ctxCodedSubBlockFlag + 2*chroma
	signHidingOK := p.signHiding && !p.bypass

	log2Sb := uint(log2 - 2)
	nSb := 1 << log2Sb
	scan4 := &rcScan4[scanIdx]
	scanSb := &rcScanSb[log2Sb][scanIdx]
	lastSubBlock := int(rcInvSb[log2Sb][scanIdx][(lastY>>2)<<3|lastX>>2])
	lastScanPos := int(rcInv4[scanIdx][(lastY&3)<<2|lastX&3])

	coeff := r.coeff
	shift := uint(log2)
	posMask := 1<<(2*shift) - 1
	maxX, maxY := 0, 0
	var csbf uint64 // coded_sub_block_flag, bit yS<<3 | xS
	greater1Ctx := 1
	first := true

	for i := lastSubBlock; i >= 0; i-- {
		sbPos := scanSb[i&63]
		xS, yS := int(sbPos&7), int(sbPos>>3)
		right := uint(0)
		if xS+1 < nSb {
			right = uint(csbf>>(sbPos+1)) & 1
		}
		below := uint(0)
		if yS+1 < nSb {
			below = uint(csbf>>(sbPos+8)) & 1
		}
		inferSbDc := false
		if i < lastSubBlock && i > 0 {
			if c.decodeBin(&x[csbfBase+int(right|below)]) == 0 {
				continue
			}
			inferSbDc = true
		}
		csbf |= 1 << sbPos

		// sig_coeff_flag, n from high to low; sig collects the positions
		// (yP<<2 | xP) of the significant ones in that order, and their
		// scan indices.
		var sig rcSig
		n := 15
		if i == lastSubBlock {
			n = lastScanPos - 1
			sig.pos[0] = scan4[lastScanPos&15]
			sig.n[0] = uint8(lastScanPos)
			sig.cnt = 1
		}
		sb00 := 0
		if sbPos == 0 {
			sb00 = 1
		}
		ctxTab := &sigTab[sb00][right|below<<1]
		if n > 0 && c.sigRun(n, scan4, ctxTab, sigCtx, &sig) {
			inferSbDc = false
		}
		if n >= 0 {
			if inferSbDc || c.decodeBin(&sigCtx[ctxTab[scan4[0]&15]]) == 1 {
				sig.pos[sig.cnt&15] = scan4[0]
				sig.n[sig.cnt&15] = 0
				sig.cnt++
			}
		}
		nSig := sig.cnt
		if nSig == 0 {
			continue
		}

		// coeff_abs_level_greater1_flag for the first 8, ctxSet and
		// greater1Ctx per 9.3.4.2.6: ctxSet 0 for sub-block 0 and chroma,
		// else 2; +1 when the previous invocation in this TB ended with
		// greater1Ctx 0 (a greater1 flag of 1 was seen in the last
		// sub-block that had any).
		ctxSet := 0
		if i > 0 && chroma == 0 {
			ctxSet = 2
		}
		if !first && greater1Ctx == 0 {
			ctxSet++
		}
		first = false
		var absLvl [16]int32
		var lastG1 int
		greater1Ctx, lastG1 = c.greater1Run(min(nSig, 8), (*[4]uint8)(g1All[g1Base+4*ctxSet:]), &absLvl)
		for k := 8; k < nSig; k++ {
			absLvl[k&15] = 1
		}
		if lastG1 >= 0 {
			absLvl[lastG1&15] += int32(c.decodeBin(&x[g2Base+ctxSet]))
		}

		// Signs, as one run of bypass bins; sign data hiding (7.3.8.11).
		signHidden := signHidingOK && int(sig.n[0])-int(sig.n[(nSig-1)&15]) > 3
		nSigns := nSig
		if signHidden {
			nSigns--
		}
		signs := uint32(c.decodeBypassBits(nSigns)) << (32 - uint(nSigns))

		// coeff_abs_level_remaining where baseLevel reached its cap.
		sumAbs := 0
		cLastAbs, cLastRice := 0, 0
		firstRem := true
		for k := range nSig {
			base := absLvl[k&15]
			thresh := int32(1)
			if k < 8 {
				thresh = 2
				if k == lastG1 {
					thresh = 3
				}
			}
			lvl := int(base)
			if base == thresh {
				rice := 0
				if !firstRem {
					rice = min(cLastRice+rcBool(cLastAbs > 3<<cLastRice), 4)
				}
				firstRem = false
				rem, ok := c.absLevelRemaining(uint(rice))
				if !ok {
					return fmt.Errorf("%w: coeff_abs_level_remaining prefix too long", ErrCorrupt)
				}
				lvl += rem
				cLastAbs, cLastRice = lvl, rice
				if lvl > 32768 {
					return fmt.Errorf("%w: coefficient level %d out of range", ErrCorrupt, lvl)
				}
			}
			sumAbs += lvl
			// Sign: the next coeff_sign_flag, or for the hidden one the
			// parity of sumAbsLevel. Applied without a branch (signs are
			// unpredictable).
			var neg int
			if signHidden && k == nSig-1 {
				neg = sumAbs & 1
			} else {
				neg = int(signs >> 31)
				signs <<= 1
			}
			lvl = (lvl ^ -neg) + neg
			if lvl > 32767 {
				return fmt.Errorf("%w: coefficient level %d out of range", ErrCorrupt, lvl)
			}
			pp := sig.pos[k&15]
			xC := xS<<2 | int(pp&3)
			yC := yS<<2 | int(pp>>2)
			coeff[(yC<<shift|xC)&posMask] = int16(lvl)
			maxX = max(maxX, xC)
			maxY = max(maxY, yC)
		}
	}
	r.maxX, r.maxY = maxX, maxY
	return nil
}

// rcSig lists the significant coefficients of a sub-block in decoding
// order (decreasing scan index): pos packed yP<<2 | xP, n the scan index.
type rcSig struct {
	pos, n [16]uint8
	cnt    int
}

// lastPrefix decodes a last_sig_coeff_{x,y}_prefix: truncated unary with
// cMax, the bin binIdx using context ctx[binIdx>>shift].
func (c *cabac) lastPrefix(ctx []uint8, cMax int, shift uint) int {
	val, rng, cnt := c.val, c.rng, c.cnt
	v := 0
	for v < cMax {
		ci := &ctx[v>>shift]
		s := *ci
		var lps uint
		val, rng, cnt, lps = cabacBinStep(val, rng, cnt, s)
		*ci = cabacTrans[(uint(s)<<1|lps)&255]
		if cnt < 8 {
			val, cnt = c.refillRegs(val, cnt)
		}
		if uint(s&1)^lps == 0 {
			break
		}
		v++
	}
	c.val, c.rng, c.cnt = val, rng, cnt
	return v
}

// sigRun decodes sig_coeff_flag for scan indices n down to 1 of a
// sub-block, with sigCtx[ctxTab[pos]] as the context of position pos, and
// appends the significant ones to sig. It reports whether any was 1. The
// loop keeps the engine registers in locals and does not branch on the
// decoded bins (they are unpredictable): the position is always stored
// and the count advances by the bin.
func (c *cabac) sigRun(n int, scan4, ctxTab *[16]uint8, sigCtx *[44]uint8, sig *rcSig) bool {
	val, rng, cnt := c.val, c.rng, c.cnt
	nSig := sig.cnt
	any := 0
	// The state just written is kept in a register: consecutive
	// positions often share a context, and reloading it would put a
	// store-to-load forwarding on the bin-to-bin dependency chain. Both
	// successor states are looked up before the bin is known.
	prevCi, prevS := uint8(255), uint8(0)
	for ; n > 0; n-- {
		pp := scan4[n&15]
		ci := ctxTab[pp&15]
		s := sigCtx[ci%44]
		if ci == prevCi {
			s = prevS
		}
		mps, lpsS := cabacTrans[uint(s)<<1&255], cabacTrans[(uint(s)<<1|1)&255]
		var lps uint
		val, rng, cnt, lps = cabacBinStep(val, rng, cnt, s)
		ns := mps ^ (mps^lpsS)&-uint8(lps)
		sigCtx[ci%44] = ns
		prevCi, prevS = ci, ns
		if cnt < 8 {
			val, cnt = c.refillRegs(val, cnt)
		}
		bin := int(uint(s&1) ^ lps)
		sig.pos[nSig&15] = pp
		sig.n[nSig&15] = uint8(n)
		nSig += bin
		any |= bin
	}
	c.val, c.rng, c.cnt = val, rng, cnt
	sig.cnt = nSig
	return any != 0
}

// greater1Run decodes num (1..8) coeff_abs_level_greater1_flag with the
// four contexts ctx of the current ctxSet, starting at greater1Ctx 1, and
// stores 1 + flag in lvl[k]. It returns the final greater1Ctx (0 once a
// flag was 1, else 1 -> 2 -> 3 per flag, 9.3.4.2.6) and the index of the
// first flag equal to 1 (-1 if none). Branch-free on the bins.
func (c *cabac) greater1Run(num int, ctx *[4]uint8, lvl *[16]int32) (greater1Ctx, firstG1 int) {
	val, rng, cnt := c.val, c.rng, c.cnt
	g := 1
	first := -1
	prevG, prevS := -1, uint8(0) // see sigRun
	for k := range num {
		s := ctx[g&3]
		if g == prevG {
			s = prevS
		}
		mps, lpsS := cabacTrans[uint(s)<<1&255], cabacTrans[(uint(s)<<1|1)&255]
		var lps uint
		val, rng, cnt, lps = cabacBinStep(val, rng, cnt, s)
		ns := mps ^ (mps^lpsS)&-uint8(lps)
		ctx[g&3] = ns
		prevG, prevS = g, ns
		if cnt < 8 {
			val, cnt = c.refillRegs(val, cnt)
		}
		bin := int(uint(s&1) ^ lps)
		lvl[k&15] = int32(1 + bin)
		g = int(rcGreater1Next[g&3]) &^ -bin
		first ^= (first ^ k) & (first >> (bits.UintSize - 1)) & -bin
	}
	c.val, c.rng, c.cnt = val, rng, cnt
	return g, first
}

// absLevelRemaining decodes coeff_abs_level_remaining (9.3.3.11, no range
// extensions) with Rice parameter rice (0..4): a TR prefix of up to 4 ones
// with cMax 4<<rice, then an EG(rice+1) suffix; together a unary prefix of
// p ones, a zero, and then rice bits (p <= 3) or p-3+rice bits (p >= 4).
// ok is false when the prefix exceeds 18 ones: the value would be above
// 2^16, which no 16-bit coefficient needs (the caller refuses levels above
// 32768 anyway), and with 30 or more ones would overflow a 32-bit int.
//
// Fast path: the next 16 bypass bins are peeked with one division; when
// the whole codeword lies within them it is consumed at once (no branch
// per bin).
func (c *cabac) absLevelRemaining(rice uint) (v int, ok bool) {
	q := c.peekBypass16()
	if prefix := uint(bits.LeadingZeros16(^uint16(q))); prefix < 16 {
		var nb uint
		if prefix <= 3 {
			v = int(prefix << rice)
			nb = rice
		} else {
			v = (1<<(prefix-3) + 2) << rice
			nb = prefix - 3 + rice
		}
		if used := prefix + 1 + nb; used <= 16 {
			c.skipBypass(used, q)
			return v + int(q>>(16-used))&(1<<nb-1), true
		}
	}
	// Long codeword: bin by bin for the prefix, then the suffix at once.
	prefix := 0
	for c.decodeBypass() == 1 {
		prefix++
		if prefix > 18 {
			return 0, false
		}
	}
	if prefix <= 3 {
		return prefix<<rice + c.decodeBypassBits(int(rice)), true
	}
	return (1<<(prefix-3)+2)<<rice + c.decodeBypassBits(prefix-3+int(rice)), true
}

// rcGreater1Next is greater1Ctx after a coeff_abs_level_greater1_flag of
// 0 (9.3.4.2.6: incremented while > 0, capped at 3).
var rcGreater1Next = [4]uint8{0, 2, 3, 3}

// rcBool converts a bool to 0 / 1.
func rcBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
