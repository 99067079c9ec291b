package hevc

import "encoding/binary"

// Intra sample prediction, ITU-T H.265 8.4.4.2, for 8-bit samples and
// ChromaArrayType 0 or 1 (4:0:0, 4:2:0).
//
// The reference samples of a block of size nTbS are kept in one line of
// 4*nTbS+1 samples, in the order the substitution process (8.4.4.2.2)
// scans them:
//
//	line[0]          = p[-1][2*nTbS-1]   (bottom of the left column)
//	line[2*nTbS-1-y] = p[-1][y]
//	line[2*nTbS]     = p[-1][-1]         (corner)
//	line[2*nTbS+1+x] = p[x][-1]
//	line[4*nTbS]     = p[2*nTbS-1][-1]   (right end of the top row)
//
// so substitution is a forward fill and the [1 2 1] filter (8.4.4.2.3) is
// a plain 1-D convolution along the line.

// intraPredAngle is Table 8-5 (intraPredAngle by predModeIntra 2..34).
var intraPredAngle = [35]int8{
	0, 0,
	32, 26, 21, 17, 13, 9, 5, 2, 0, -2, -5, -9, -13, -17, -21, -26,
	-32, -26, -21, -17, -13, -9, -5, -2, 0, 2, 5, 9, 13, 17, 21, 26, 32,
}

// invAngle is Table 8-6 (invAngle by predModeIntra 11..25).
var invAngle = [35]int16{
	11: -4096, 12: -1638, 13: -910, 14: -630, 15: -482, 16: -390, 17: -315,
	18: -256, 19: -315, 20: -390, 21: -482, 22: -630, 23: -910, 24: -1638,
	25: -4096,
}

// intraHorVerDistThres is Table 8-3 by Log2(nTbS) (8: 7, 16: 1, 32: 0).
var intraHorVerDistThres = [6]int{2: 64, 3: 7, 4: 1, 5: 0}

// predict writes the intra prediction of the (1<<log2Size)² block of
// component c at (x, y) (component samples) into f.planes[c]. mode is
// IntraPredModeY / IntraPredModeC (0 planar, 1 DC, 2..34 angular). It
// reads only neighbours that 6.4.1 reports available. Safe for concurrent
// use on disjoint blocks whose neighbours are final; no allocation.
func (f *frame) predict(c, x, y, log2Size, mode int) {
	n := 1 << uint(log2Size)
	var lineBuf [4*32 + 1]uint8
	line := lineBuf[:4*n+1]
	f.referenceSamples(c, x, y, n, line)

	if c == 0 && mode != 1 && n != 4 {
		// minDistVerHor > intraHorVerDistThres[nTbS] (never for DC or
		// nTbS 4; planar has distance 10).
		if min(absInt(mode-26), absInt(mode-10)) > intraHorVerDistThres[log2Size] {
			filterReference(line, n, f.sps.StrongIntraSmoothing && n == 32)
		}
	}

	stride := f.stride[c]
	plane := f.planes[c]
	dst := plane[y*stride+x:]
	// top[i] = p[i-1][-1], left[i] = p[-1][i-1], i = 0..2n (index 0 is the
	// corner).
	top := line[2*n : 4*n+1]
	var leftBuf [2*32 + 1]uint8
	left := leftBuf[:2*n+1]
	for i := range left {
		left[i] = line[2*n-i]
	}
	switch {
	case mode == 0:
		// A direct call (not through a func value), so that line and
		// left stay on the stack.
		if planarAVX2 {
			predPlanarAVX2(dst, stride, n, log2Size, top, left)
		} else {
			predPlanar(dst, stride, n, log2Size, top, left)
		}
	case mode == 1:
		predDC(dst, stride, n, log2Size, top, left, c == 0 && n < 32)
	case mode >= 18:
		predAngularVer(dst, stride, n, mode, top, left, c == 0 && n < 32)
	default:
		predAngularHor(dst, stride, n, mode, top, left, c == 0 && n < 32)
	}
}

// referenceSamples fills line (see the file comment) with the neighbouring
// samples of the n×n block of component c at (x, y), after the
// substitution process 8.4.4.2.2. Availability (6.4.1) is decided per run
// of samples rather than per sample: the left and top runs of n samples
// and the corner each share one status (the block is aligned to its size
// inside one CTB); the below-left and above-right runs are available up to
// the picture edge when their first sample is (an aligned n×n block lies
// in one CTB, wholly before or wholly after the current block in z-scan
// order).
func (f *frame) referenceSamples(c, x, y, n int, line []uint8) {
	sh := uint(0)
	if c > 0 {
		sh = 1 // 4:2:0: one chroma sample covers 2x2 luma samples
	}
	xl, yl := x<<sh, y<<sh
	plane := f.planes[c]
	stride := f.stride[c]

	// Left, above and above-left neighbours inside the current CTB always
	// precede the block in z-scan order (z-order grows with x and with
	// y); only across a CTB edge does 6.4.1 need asking.
	mask := 1<<uint(f.sps.Log2CtbSize) - 1
	inX, inY := xl&mask != 0, yl&mask != 0
	availL := inX || f.available(xl, yl, xl-(1<<sh), yl)
	availT := inY || f.available(xl, yl, xl, yl-(1<<sh))
	availC := inX && inY || f.available(xl, yl, xl-(1<<sh), yl-(1<<sh))
	nBL, nTR := 0, 0
	nl := n << sh
	// Below-left: in the next CTB row it comes later in decoding order;
	// in the left CTB it shares the left run's status; in this CTB it is
	// available when it precedes in z-order (compared per 4x4 unit: the
	// blocks are aligned to the minimum TB size, which is at least 4).
	if (yl+nl)&mask != 0 && yl+nl < f.h {
		if inX {
			if zorder4(xl-1, yl+nl, mask) < zorder4(xl, yl, mask) {
				nBL = min(n, (f.h>>sh)-(y+n))
			}
		} else if availL {
			nBL = min(n, (f.h>>sh)-(y+n))
		}
	}
	// Above-right: in the next CTB of this CTB row it comes later; in the
	// CTB above it shares the above run's status; in the CTB above-right
	// it may even be available when the above run is not (that CTB may
	// start the current slice); in this CTB it is decided by z-order.
	if xl+nl < f.w {
		switch {
		case inY && (xl+nl)&mask == 0:
		case inY:
			if zorder4(xl+nl, yl-1, mask) < zorder4(xl, yl, mask) {
				nTR = min(n, (f.w>>sh)-(x+n))
			}
		case (xl+nl)&mask != 0:
			if availT {
				nTR = min(n, (f.w>>sh)-(x+n))
			}
		default:
			if f.available(xl, yl, xl+nl, yl-(1<<sh)) {
				nTR = min(n, (f.w>>sh)-(x+n))
			}
		}
	}

	// Read the available runs and find the first available sample in scan
	// order.
	first := -1
	if nBL > 0 {
		col := plane[(y+n)*stride+x-1:]
		for i := 0; i < nBL; i++ {
			line[n-1-i] = col[i*stride]
		}
		first = n - nBL
	}
	if availL {
		col := plane[y*stride+x-1:]
		for i := 0; i < n; i++ {
			line[2*n-1-i] = col[i*stride]
		}
		if first < 0 {
			first = n
		}
	}
	if availC {
		line[2*n] = plane[(y-1)*stride+x-1]
		if first < 0 {
			first = 2 * n
		}
	}
	if availT {
		copy(line[2*n+1:3*n+1], plane[(y-1)*stride+x:])
		if first < 0 {
			first = 2*n + 1
		}
	}
	if nTR > 0 {
		copy(line[3*n+1:3*n+1+nTR], plane[(y-1)*stride+x+n:])
		if first < 0 {
			first = 3*n + 1
		}
	}
	if first < 0 {
		for i := range line {
			line[i] = 128 // 1 << (BitDepth - 1)
		}
		return
	}

	// Substitute the others (8.4.4.2.2): the first available sample in
	// scan order fills everything before it, every later unavailable
	// sample copies its predecessor. (Runs before first are already
	// filled by the first loop, so re-filling them below is harmless.)
	v := line[first]
	for i := 0; i < first; i++ {
		line[i] = v
	}
	if !availL && first < n {
		// Not expected (below-left available implies left available),
		// handled for completeness.
		for i := n; i < 2*n; i++ {
			line[i] = line[n-1]
		}
	}
	if !availC {
		line[2*n] = line[2*n-1]
	}
	if !availT {
		v := line[2*n]
		for i := 2*n + 1; i <= 3*n; i++ {
			line[i] = v
		}
	}
	if nTR < n {
		v := line[3*n+nTR]
		for i := 3*n + 1 + nTR; i <= 4*n; i++ {
			line[i] = v
		}
	}
}

// spread4bits[v] moves bit i of v (v < 16) to bit 2i.
var spread4bits = [16]uint8{0, 1, 4, 5, 16, 17, 20, 21, 64, 65, 68, 69, 80, 81, 84, 85}

// zorder4 is the z-scan order of the 4x4 unit holding luma sample (x, y)
// inside its CTB (mask = CtbSizeY - 1, at most 63).
func zorder4(x, y, mask int) int {
	return int(spread4bits[(x&mask)>>2&15]) | int(spread4bits[(y&mask)>>2&15])<<1
}

// filterReference applies the filtering process of neighbouring samples
// (8.4.4.2.3) to line in place, for luma blocks whose filterFlag is 1:
// the bilinear strong smoothing when strong (sps flag, nTbS 32) and the
// corner/end samples are flat enough, else [1 2 1].
func filterReference(line []uint8, n int, strong bool) {
	last := 4 * n
	if strong {
		c, l, t := int(line[2*n]), int(line[0]), int(line[last])
		const thr = 1 << (8 - 5) // 1 << (BitDepthY - 5)
		if absInt(c+t-2*int(line[3*n])) < thr && absInt(c+l-2*int(line[n])) < thr {
			// n == 32: pF[-1][y] = ((63-y)*c + (y+1)*l + 32) >> 6 sits at
			// line[63-y]; pF[x][-1] at line[65+x].
			for i := 0; i < 63; i++ {
				line[63-i] = uint8(((63-i)*c + (i+1)*l + 32) >> 6)
				line[65+i] = uint8(((63-i)*c + (i+1)*t + 32) >> 6)
			}
			return
		}
	}
	prev := int(line[0])
	cur := int(line[1])
	for i := 1; i < last; i++ {
		next := int(line[i+1])
		line[i] = uint8((prev + 2*cur + next + 2) >> 2)
		prev, cur = cur, next
	}
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// clipPel is Clip1 for 8-bit samples.
func clipPel(v int) uint8 {
	if uint(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}

// SWAR helpers: several samples in one uint64, as 8-bit or 16-bit lanes.
const (
	swarOnes16 = 0x0001000100010001 // 1 in each 16-bit lane
	swarLow8   = 0x00FF00FF00FF00FF // the low byte of each 16-bit lane
	swarRound5 = 16 * swarOnes16
)

// spread4 puts 4 bytes (little-endian in v) into the 16-bit lanes of a
// uint64.
func spread4(v uint32) uint64 {
	w := uint64(v)
	w = (w | w<<16) & 0x0000FFFF0000FFFF
	return (w | w<<8) & swarLow8
}

// pack4 is the inverse of spread4 for lane values below 256.
func pack4(w uint64) uint32 {
	w = (w | w>>8) & 0x0000FFFF0000FFFF
	return uint32(w | w>>16)
}

// planarKernel writes the INTRA_PLANAR prediction (8.4.4.2.5) of the n×n
// block at dst from top[i] = p[i-1][-1] and left[i] = p[-1][i-1], i =
// 0..n+1.
type planarKernel func(dst []uint8, stride, n, log2Size int, top, left []uint8)

// namedPlanar is a planarKernel with a name, for the differential tests.
type namedPlanar struct {
	name string
	run  planarKernel
}

// predPlanar is the portable planarKernel. Four samples are computed at
// once in 16-bit lanes: every term is non-negative and the sum stays
// below 4*32*255 + 32 < 1<<16, so the lanes never carry into each other.
func predPlanar(dst []uint8, stride, n, log2Size int, top, left []uint8) {
	tr := uint64(top[n+1])
	bl := uint64(left[n+1])
	shift := uint(log2Size + 1)
	// Per group of 4 columns: the top samples, the weights x+1 and
	// n-1-x, and their fixed part (x+1)*tr.
	var tg, wn, fixed [8]uint64
	groups := n / 4
	for g := 0; g < groups; g++ {
		tg[g] = spread4(binary.LittleEndian.Uint32(top[1+4*g:]))
		wx := 0x0004000300020001 + uint64(4*g)*swarOnes16
		wn[g] = uint64(n)*swarOnes16 - wx
		fixed[g] = wx * tr
	}
	for y := 0; y < n; y++ {
		row := dst[y*stride : y*stride+n]
		l := uint64(left[y+1])
		wy := uint64(n - 1 - y)
		c := (uint64(y+1)*bl + uint64(n)) * swarOnes16
		for g := 0; g < groups; g++ {
			v := wn[g]*l + fixed[g] + tg[g]*wy + c
			binary.LittleEndian.PutUint32(row[4*g:], pack4(v>>shift&swarLow8))
		}
	}
}

// predDC is INTRA_DC (8.4.4.2.6) with the edge filter for luma blocks
// smaller than 32 when edge is set.
func predDC(dst []uint8, stride, n, log2Size int, top, left []uint8, edge bool) {
	sum := n
	for i := 1; i <= n; i++ {
		sum += int(top[i]) + int(left[i])
	}
	dc := sum >> uint(log2Size+1)
	fillBlock(dst, stride, n, uint8(dc))
	if !edge {
		return
	}
	dst[0] = uint8((int(left[1]) + 2*dc + int(top[1]) + 2) >> 2)
	row := dst[:n]
	for x := 1; x < n; x++ {
		row[x] = uint8((int(top[x+1]) + 3*dc + 2) >> 2)
	}
	for y := 1; y < n; y++ {
		dst[y*stride] = uint8((int(left[y+1]) + 3*dc + 2) >> 2)
	}
}

// fillBlock sets the n×n block at dst to v.
func fillBlock(dst []uint8, stride, n int, v uint8) {
	for y := 0; y < n; y++ {
		fillRow(dst[y*stride:y*stride+n], v)
	}
}

// fillRow sets row (length 4, 8, 16 or 32) to v.
func fillRow(row []uint8, v uint8) {
	w := uint64(v) * 0x0101010101010101
	if len(row) == 4 {
		binary.LittleEndian.PutUint32(row, uint32(w))
		return
	}
	for x := 0; x+8 <= len(row); x += 8 {
		binary.LittleEndian.PutUint64(row[x:], w)
	}
}

// interpRow writes row[x] = ((32-f)*r[x] + f*r[x+1] + 16) >> 5 (the
// angular interpolation, 0 < f < 32) for x < len(row); r has at least
// len(row)+1 samples. Eight samples at a time: even and odd bytes in the
// 16-bit lanes of two words ((32-f)*a + f*b + 16 <= 8176 cannot carry).
func interpRow(row, r []uint8, f int) {
	f0, f1 := uint64(32-f), uint64(f)
	x := 0
	for ; x+8 <= len(row); x += 8 {
		a := binary.LittleEndian.Uint64(r[x:])
		b := binary.LittleEndian.Uint64(r[x+1:])
		e := ((a&swarLow8)*f0 + (b&swarLow8)*f1 + swarRound5) >> 5 & swarLow8
		o := ((a>>8&swarLow8)*f0 + (b>>8&swarLow8)*f1 + swarRound5) >> 5 & swarLow8
		binary.LittleEndian.PutUint64(row[x:], e|o<<8)
	}
	if x < len(row) { // 4 samples left (nTbS 4)
		a := spread4(binary.LittleEndian.Uint32(r[x:]))
		b := spread4(binary.LittleEndian.Uint32(r[x+1:]))
		binary.LittleEndian.PutUint32(row[x:], pack4((a*f0+b*f1+swarRound5)>>5&swarLow8))
	}
}

// refLen is the size of the angular reference buffer: ref[-32..64] at
// buf[32+k], plus the one sample past the end that a zero-weight tap reads.
const refLen = 32 + 2*32 + 2

// buildRef builds ref[-n..2n] (8.4.4.2.6) in buf with ref[k] at buf[32+k]:
// main[0..2n] and, for negative angles, the projection of side.
func buildRef(buf *[refLen]uint8, n, mode, angle int, main, side []uint8) {
	copy(buf[32:32+2*n+1], main[:2*n+1])
	if angle < 0 {
		if last := (n * angle) >> 5; last < -1 {
			inv := int(invAngle[mode])
			for k := last; k <= -1; k++ {
				buf[32+k] = side[(k*inv+128)>>8]
			}
		}
	}
}

// predAngularVer is INTRA_ANGULAR for predModeIntra 18..34 (8.4.4.2.6),
// with the mode-26 boundary filter when edge is set.
func predAngularVer(dst []uint8, stride, n, mode int, top, left []uint8, edge bool) {
	angle := int(intraPredAngle[mode])
	var buf [refLen]uint8
	buildRef(&buf, n, mode, angle, top, left)
	for y := 0; y < n; y++ {
		pos := (y + 1) * angle
		idx, fact := pos>>5, pos&31
		row := dst[y*stride : y*stride+n]
		r := buf[32+idx+1 : 32+idx+1+n+1]
		if fact == 0 {
			copy(row, r[:n])
			continue
		}
		interpRow(row, r, fact)
	}
	if mode == 26 && edge {
		t, c := int(top[1]), int(left[0])
		for y := 0; y < n; y++ {
			dst[y*stride] = clipPel(t + (int(left[y+1])-c)>>1)
		}
	}
}

// predAngularHor is INTRA_ANGULAR for predModeIntra 2..17 (8.4.4.2.6),
// with the mode-10 boundary filter when edge is set.
func predAngularHor(dst []uint8, stride, n, mode int, top, left []uint8, edge bool) {
	angle := int(intraPredAngle[mode])
	var buf [refLen]uint8
	buildRef(&buf, n, mode, angle, left, top)
	if angle == 0 {
		for y := 0; y < n; y++ {
			fillRow(dst[y*stride:y*stride+n], left[y+1])
		}
		if edge {
			l, c := int(left[1]), int(top[0])
			row := dst[:n]
			for x := range row {
				row[x] = clipPel(l + (int(top[x+1])-c)>>1)
			}
		}
		return
	}
	// Column x is a run of the reference array (iIdx, iFact constant down
	// a column): compute the columns as rows of a transposed block, then
	// transpose into dst. (Scratch sized per block: Go zeroes it.)
	switch {
	case n <= 8:
		var tmp [64]uint8
		predHorTransposed(dst, stride, n, angle, &buf, tmp[:n*n])
	case n == 16:
		var tmp [256]uint8
		predHorTransposed(dst, stride, n, angle, &buf, tmp[:])
	default:
		var tmp [1024]uint8
		predHorTransposed(dst, stride, n, angle, &buf, tmp[:])
	}
}

// predHorTransposed computes the angular prediction from the reference
// array buf (predModeIntra < 18) column by column into tmp (n*n, column
// x at tmp[x*n:]), then stores it transposed into dst.
func predHorTransposed(dst []uint8, stride, n, angle int, buf *[refLen]uint8, tmp []uint8) {
	for x := 0; x < n; x++ {
		pos := (x + 1) * angle
		idx, fact := pos>>5, pos&31
		r := buf[32+idx+1 : 32+idx+1+n+1]
		col := tmp[x*n : x*n+n]
		if fact == 0 {
			copy(col, r[:n])
		} else {
			interpRow(col, r, fact)
		}
	}
	for y := 0; y < n; y++ {
		row := dst[y*stride : y*stride+n]
		t := tmp[y:]
		for x := range row {
			row[x] = t[x*n]
		}
	}
}
