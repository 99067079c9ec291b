package hevc

import "math/rand/v2"

// A test-only residual_coding() encoder (the inverse of residualCoding),
// built on the test CABAC encoder of cabac_test.go, for round-trip tests,
// the fuzz seeds and the benchmark.

// testResidualEncoder writes residual_coding() syntax with the test CABAC
// encoder. Its context selection is written from the text of 9.3.4.2.3 to
// 9.3.4.2.7 independently of the decoder's tables.
type testResidualEncoder struct {
	e   *testCabacEncoder
	ctx []testCtx // numContexts entries, same layout as contexts
}

func (w *testResidualEncoder) bin(ctxIdx, v int) { w.e.encodeBin(&w.ctx[ctxIdx], v) }

func (w *testResidualEncoder) bypassBits(v, n int) {
	for b := n - 1; b >= 0; b-- {
		w.e.encodeBypass(v >> b & 1)
	}
}

// specSigCtx is sigCtx + (cIdx > 0 ? 27 : 0) of 9.3.4.2.5.
func specSigCtx(cIdx, log2, scanIdx, xC, yC int, csbf [8][8]int) int {
	ctxIdxMap := []int{0, 1, 4, 5, 2, 3, 4, 5, 6, 6, 8, 8, 7, 7, 8}
	var sigCtx int
	if log2 == 2 {
		sigCtx = ctxIdxMap[(yC<<2)+xC]
	} else if xC+yC == 0 {
		sigCtx = 0
	} else {
		xSubBlk, ySubBlk := xC>>2, yC>>2
		prevCsbf := 0
		if xSubBlk < (1<<(log2-2))-1 {
			prevCsbf += csbf[xSubBlk+1][ySubBlk]
		}
		if ySubBlk < (1<<(log2-2))-1 {
			prevCsbf += csbf[xSubBlk][ySubBlk+1] << 1
		}
		xP, yP := xC&3, yC&3
		switch prevCsbf {
		case 0:
			if xP+yP == 0 {
				sigCtx = 2
			} else if xP+yP < 3 {
				sigCtx = 1
			} else {
				sigCtx = 0
			}
		case 1:
			if yP == 0 {
				sigCtx = 2
			} else if yP == 1 {
				sigCtx = 1
			} else {
				sigCtx = 0
			}
		case 2:
			if xP == 0 {
				sigCtx = 2
			} else if xP == 1 {
				sigCtx = 1
			} else {
				sigCtx = 0
			}
		default:
			sigCtx = 2
		}
		if cIdx == 0 {
			if xSubBlk+ySubBlk > 0 {
				sigCtx += 3
			}
			if log2 == 3 {
				if scanIdx == 0 {
					sigCtx += 9
				} else {
					sigCtx += 15
				}
			} else {
				sigCtx += 21
			}
		} else {
			if log2 == 3 {
				sigCtx += 9
			} else {
				sigCtx += 12
			}
		}
	}
	if cIdx == 0 {
		return sigCtx
	}
	return 27 + sigCtx
}

// encodeEGk writes k-th order Exp-Golomb (9.3.3.3).
func (w *testResidualEncoder) encodeEGk(symbolVal, k int) {
	absV := symbolVal
	for {
		if absV >= 1<<k {
			w.e.encodeBypass(1)
			absV -= 1 << k
			k++
		} else {
			w.e.encodeBypass(0)
			for k > 0 {
				k--
				w.e.encodeBypass(absV >> k & 1)
			}
			return
		}
	}
}

// encodeRemaining writes coeff_abs_level_remaining (9.3.3.11, no range
// extensions): TR prefix with cMax 4<<rice, EG(rice+1) suffix.
func (w *testResidualEncoder) encodeRemaining(v, rice int) {
	cMax := 4 << rice
	prefixVal := min(cMax, v)
	u := prefixVal >> rice
	for range u {
		w.e.encodeBypass(1)
	}
	if u < cMax>>rice {
		w.e.encodeBypass(0)
		w.bypassBits(prefixVal&(1<<rice-1), rice)
	}
	if v >= cMax {
		w.encodeEGk(v-cMax, rice+1)
	}
}

// encode writes one residual_coding() for coefficients blk (raster,
// n = 1<<p.log2Size). It returns blk with signs fixed up so that sign
// data hiding reproduces them (the caller compares the decoder's output
// against the returned block).
func (w *testResidualEncoder) encode(p *tbParams, blk []int16, transformSkip bool) []int16 {
	log2 := p.log2Size
	n := 1 << log2
	blk = append([]int16(nil), blk...)
	if p.transformSkipEnabled && !p.bypass && log2 <= 2 {
		ts := 0
		if transformSkip {
			ts = 1
		}
		c := 0
		if p.cIdx > 0 {
			c = 1
		}
		w.bin(ctxTransformSkipFlag+c, ts)
	}
	scanIdx := 0
	if log2 == 2 || (log2 == 3 && p.cIdx == 0) {
		if p.predModeIntra >= 6 && p.predModeIntra <= 14 {
			scanIdx = 2
		} else if p.predModeIntra >= 22 && p.predModeIntra <= 30 {
			scanIdx = 1
		}
	}
	sbScan := specScan(n>>2, scanIdx)
	scan := specScan(4, scanIdx)
	// Last significant coefficient in scan order.
	lastX, lastY := -1, -1
	lastSubBlock, lastScanPos := -1, -1
	for i := range sbScan {
		for k := range scan {
			x := sbScan[i][0]<<2 + scan[k][0]
			y := sbScan[i][1]<<2 + scan[k][1]
			if blk[y*n+x] != 0 {
				lastX, lastY, lastSubBlock, lastScanPos = x, y, i, k
			}
		}
	}
	cx, cy := lastX, lastY
	if scanIdx == 2 {
		cx, cy = cy, cx
	}
	var ctxOffset, ctxShift int
	if p.cIdx == 0 {
		ctxOffset = 3*(log2-2) + ((log2 - 1) >> 2)
		ctxShift = (log2 + 1) >> 2
	} else {
		ctxOffset = 15
		ctxShift = log2 - 2
	}
	cMax := (log2 << 1) - 1
	binarise := func(v int) (prefix, suffix, suffixLen int) {
		if v < 4 {
			return v, 0, 0
		}
		for pfx := 4; pfx <= cMax; pfx++ {
			l := (pfx >> 1) - 1
			base := (2 + (pfx & 1)) << l
			if v >= base && v < base+1<<l {
				return pfx, v - base, l
			}
		}
		panic("last position out of range")
	}
	xPre, xSuf, xLen := binarise(cx)
	yPre, ySuf, yLen := binarise(cy)
	for b := 0; b < xPre; b++ {
		w.bin(ctxLastSigCoeffXPrefix+ctxOffset+(b>>ctxShift), 1)
	}
	if xPre < cMax {
		w.bin(ctxLastSigCoeffXPrefix+ctxOffset+(xPre>>ctxShift), 0)
	}
	for b := 0; b < yPre; b++ {
		w.bin(ctxLastSigCoeffYPrefix+ctxOffset+(b>>ctxShift), 1)
	}
	if yPre < cMax {
		w.bin(ctxLastSigCoeffYPrefix+ctxOffset+(yPre>>ctxShift), 0)
	}
	w.bypassBits(xSuf, xLen)
	w.bypassBits(ySuf, yLen)

	var csbf [8][8]int
	greater1Ctx := 0
	firstInvocation := true
	var lastGreater1Flag int
	for i := lastSubBlock; i >= 0; i-- {
		xS, yS := sbScan[i][0], sbScan[i][1]
		nz := 0
		for k := range 16 {
			if blk[(yS<<2+scan[k][1])*n+xS<<2+scan[k][0]] != 0 {
				nz = 1
			}
		}
		inferSbDcSigCoeffFlag := 0
		if i < lastSubBlock && i > 0 {
			csbfCtx := 0
			if xS < (1<<(log2-2))-1 {
				csbfCtx += csbf[xS+1][yS]
			}
			if yS < (1<<(log2-2))-1 {
				csbfCtx += csbf[xS][yS+1]
			}
			ci := min(csbfCtx, 1)
			if p.cIdx > 0 {
				ci += 2
			}
			w.bin(ctxCodedSubBlockFlag+ci, nz)
			csbf[xS][yS] = nz
			inferSbDcSigCoeffFlag = 1
		} else {
			csbf[xS][yS] = 1
		}
		start := 15
		if i == lastSubBlock {
			start = lastScanPos - 1
		}
		sig := [16]bool{}
		if i == lastSubBlock {
			sig[lastScanPos] = true
		}
		for k := start; k >= 0; k-- {
			xC := xS<<2 + scan[k][0]
			yC := yS<<2 + scan[k][1]
			v := blk[yC*n+xC] != 0
			if csbf[xS][yS] == 1 && (k > 0 || inferSbDcSigCoeffFlag == 0) {
				b := 0
				if v {
					b = 1
					inferSbDcSigCoeffFlag = 0
				}
				w.bin(ctxSigCoeffFlag+specSigCtx(p.cIdx, log2, scanIdx, xC, yC, csbf), b)
			} else if csbf[xS][yS] == 1 && !v {
				panic("inferred DC coefficient is zero")
			}
			sig[k] = v
		}
		firstSigScanPos, lastSigScanPos := 16, -1
		numGreater1Flag := 0
		lastGreater1ScanPos := -1
		var g1, g2 [16]int
		ctxSet := -1
		for k := 15; k >= 0; k-- {
			if !sig[k] {
				continue
			}
			a := int(blk[(yS<<2+scan[k][1])*n+xS<<2+scan[k][0]])
			a = max(a, -a)
			if numGreater1Flag < 8 {
				// 9.3.4.2.6.
				if ctxSet < 0 {
					if i == 0 || p.cIdx > 0 {
						ctxSet = 0
					} else {
						ctxSet = 2
					}
					lastGreater1Ctx := 1
					if !firstInvocation {
						lastGreater1Ctx = greater1Ctx
						if lastGreater1Ctx > 0 && lastGreater1Flag == 1 {
							lastGreater1Ctx = 0
						}
					}
					if lastGreater1Ctx == 0 {
						ctxSet++
					}
					greater1Ctx = 1
				} else if greater1Ctx > 0 {
					if lastGreater1Flag == 1 {
						greater1Ctx = 0
					} else {
						greater1Ctx++
					}
				}
				firstInvocation = false
				ci := ctxSet*4 + min(3, greater1Ctx)
				if p.cIdx > 0 {
					ci += 16
				}
				if a > 1 {
					g1[k] = 1
				}
				w.bin(ctxCoeffAbsLevelGreater1Flag+ci, g1[k])
				lastGreater1Flag = g1[k]
				numGreater1Flag++
				if g1[k] == 1 && lastGreater1ScanPos == -1 {
					lastGreater1ScanPos = k
				}
			}
			if lastSigScanPos == -1 {
				lastSigScanPos = k
			}
			firstSigScanPos = k
		}
		signHidden := p.signHiding && !p.bypass && lastSigScanPos-firstSigScanPos > 3
		if lastGreater1ScanPos != -1 {
			a := int(blk[(yS<<2+scan[lastGreater1ScanPos][1])*n+xS<<2+scan[lastGreater1ScanPos][0]])
			a = max(a, -a)
			if a > 2 {
				g2[lastGreater1ScanPos] = 1
			}
			ci := ctxSet
			if p.cIdx > 0 {
				ci += 4
			}
			w.bin(ctxCoeffAbsLevelGreater2Flag+ci, g2[lastGreater1ScanPos])
		}
		// Fix the hidden sign so that the parity rule reproduces it.
		if signHidden {
			sum := 0
			for k := 15; k >= 0; k-- {
				if sig[k] {
					a := int(blk[(yS<<2+scan[k][1])*n+xS<<2+scan[k][0]])
					sum += max(a, -a)
				}
			}
			idx := (yS<<2+scan[firstSigScanPos][1])*n + xS<<2 + scan[firstSigScanPos][0]
			a := int(blk[idx])
			a = max(a, -a)
			if sum%2 == 1 {
				blk[idx] = int16(-a)
			} else {
				blk[idx] = int16(a) // a < 32768: the generator avoids -32768 with sign hiding
			}
		}
		for k := 15; k >= 0; k-- {
			if sig[k] && (!signHidden || k != firstSigScanPos) {
				s := 0
				if blk[(yS<<2+scan[k][1])*n+xS<<2+scan[k][0]] < 0 {
					s = 1
				}
				w.e.encodeBypass(s)
			}
		}
		numSigCoeff := 0
		cLastAbsLevel, cLastRiceParam := 0, 0
		firstRem := true
		for k := 15; k >= 0; k-- {
			if !sig[k] {
				continue
			}
			a := int(blk[(yS<<2+scan[k][1])*n+xS<<2+scan[k][0]])
			a = max(a, -a)
			baseLevel := 1 + g1[k] + g2[k]
			want := 1
			if numSigCoeff < 8 {
				want = 2
				if k == lastGreater1ScanPos {
					want = 3
				}
			}
			if baseLevel == want {
				if firstRem {
					cLastAbsLevel, cLastRiceParam = 0, 0
				}
				add := 0
				if cLastAbsLevel > 3*(1<<cLastRiceParam) {
					add = 1
				}
				rice := min(cLastRiceParam+add, 4)
				w.encodeRemaining(a-baseLevel, rice)
				cLastAbsLevel, cLastRiceParam = a, rice
				firstRem = false
			} else if a != baseLevel {
				panic("level not representable")
			}
			numSigCoeff++
		}
	}
	return blk
}

// randomBlock returns a random coefficient block with at least one
// nonzero coefficient; magnitudes follow a rough photo-like distribution
// with occasional huge values.
func randomBlock(r *rand.Rand, log2 int) []int16 {
	n := 1 << log2
	blk := make([]int16, n*n)
	density := r.Float64()
	extent := 1 + r.IntN(n) // nonzero region size
	for y := range extent {
		for x := range extent {
			if r.Float64() > density {
				continue
			}
			var a int
			switch k := r.IntN(100); {
			case k < 60:
				a = 1
			case k < 80:
				a = 2
			case k < 90:
				a = 3 + r.IntN(5)
			case k < 98:
				a = 8 + r.IntN(200)
			default:
				a = 1 + r.IntN(32767)
			}
			if r.IntN(2) == 0 {
				a = -a
			}
			blk[y*n+x] = int16(a)
		}
	}
	if r.IntN(4) == 0 {
		blk[r.IntN(n*n)] = -32768
	}
	blk[r.IntN(extent)*n+r.IntN(extent)] = int16(1 + r.IntN(3))
	return blk
}
