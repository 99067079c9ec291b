package hevc

// scaling_list_data() (7.3.4), the
// default lists (Table 7-5, 7-6) and the ScalingFactor derivation (7.4.5).

// defaultScalingIntra and defaultScalingInter are Table 7-6: the default
// values of ScalingList[1..3][matrixId][i] for i = 0..63 (up-right diagonal
// scan order of an 8x8 block), matrixId 0..2 (intra) and 3..5 (inter).
// (Table 7-5: the 4x4 default list is flat 16.)
var defaultScalingIntra = [64]uint8{
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 17, 16, 17, 16, 17, 18,
	17, 18, 18, 17, 18, 21, 19, 20, 21, 20, 19, 21, 24, 22, 22, 24,
	24, 22, 22, 24, 25, 25, 27, 30, 27, 25, 25, 29, 31, 35, 35, 31,
	29, 36, 41, 44, 41, 36, 47, 54, 54, 47, 65, 70, 65, 88, 88, 115,
}

var defaultScalingInter = [64]uint8{
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17, 18,
	18, 18, 18, 18, 18, 20, 20, 20, 20, 20, 20, 20, 24, 24, 24, 24,
	24, 24, 24, 24, 25, 25, 25, 25, 25, 25, 25, 28, 28, 28, 28, 28,
	28, 33, 33, 33, 33, 33, 41, 41, 41, 41, 54, 54, 54, 71, 71, 91,
}

// scalingLists is the parsed form of scaling_list_data(): ScalingList[sizeId]
// [matrixId][i] in diagonal scan order (16 entries for sizeId 0, 64 for the
// others) and the DC values scaling_list_dc_coef_minus8 + 8 for sizeId 2, 3.
type scalingLists struct {
	list [4][6][64]uint8
	dc   [2][6]uint8 // [sizeId-2][matrixId]
}

// setDefault sets list [sizeID][matrixID] to its default (Table 7-5/7-6).
func (s *scalingLists) setDefault(sizeID, matrixID int) {
	switch {
	case sizeID == 0:
		for i := range 16 {
			s.list[0][matrixID][i] = 16
		}
		return
	case matrixID < 3:
		s.list[sizeID][matrixID] = defaultScalingIntra
	default:
		s.list[sizeID][matrixID] = defaultScalingInter
	}
	if sizeID >= 2 {
		s.dc[sizeID-2][matrixID] = 16
	}
}

// defaultScalingLists returns the lists used when scaling_list_enabled_flag
// is 1 and no scaling_list_data() is sent (all default).
func defaultScalingLists() *scalingLists {
	s := new(scalingLists)
	for sizeID := range 4 {
		for m := range 6 {
			s.setDefault(sizeID, m)
		}
	}
	return s
}

// parseScalingListData reads scaling_list_data() (7.3.4) with the
// prediction from a reference list or the defaults (7.4.5). For sizeId 3,
// only matrixId 0 and 3 are coded (chroma_format_idc < 3); the chroma
// 32x32 lists 1, 2, 4, 5 are set from the 16x16 ones (as for ChromaArrayType
// 3 in later editions), which 4:2:0 never uses.
func parseScalingListData(r *bitReader) *scalingLists {
	s := new(scalingLists)
	for sizeID := range 4 {
		step := 1
		if sizeID == 3 {
			step = 3
		}
		coefNum := min(64, 1<<(4+sizeID<<1))
		for m := 0; m < 6; m += step {
			if !r.flag() { // scaling_list_pred_mode_flag
				maxDelta := m
				if sizeID == 3 {
					maxDelta = m / 3
				}
				delta := r.ueIn("scaling_list_pred_matrix_id_delta", 0, maxDelta)
				if r.err != nil {
					return nil
				}
				if delta == 0 {
					s.setDefault(sizeID, m)
					continue
				}
				ref := m - delta*step
				s.list[sizeID][m] = s.list[sizeID][ref]
				if sizeID >= 2 {
					s.dc[sizeID-2][m] = s.dc[sizeID-2][ref]
				}
				continue
			}
			next := 8
			if sizeID > 1 {
				dc := r.seIn("scaling_list_dc_coef_minus8", -7, 247)
				next = dc + 8
				s.dc[sizeID-2][m] = uint8(next)
			}
			for i := range coefNum {
				d := r.seIn("scaling_list_delta_coef", -128, 127)
				next = (next + d + 256) % 256
				if next == 0 && r.err == nil {
					// 7.4.5: ScalingList values shall be greater than 0.
					r.fail(corruptf("scaling list entry 0"))
				}
				s.list[sizeID][m][i] = uint8(next)
			}
			if r.err != nil {
				return nil
			}
		}
	}
	if r.err != nil {
		return nil
	}
	for _, m := range [...]int{1, 2, 4, 5} {
		s.list[3][m] = s.list[2][m]
		s.dc[1][m] = s.dc[0][m]
	}
	return s
}

// diagScan returns the up-right diagonal scan (6.5.3) of a blkSize x
// blkSize block: entry i is the raster position y*blkSize + x.
func diagScan(blkSize int) []int {
	out := make([]int, 0, blkSize*blkSize)
	x, y := 0, 0
	for len(out) < blkSize*blkSize {
		for y >= 0 {
			if x < blkSize && y < blkSize {
				out = append(out, y*blkSize+x)
			}
			y--
			x++
		}
		y = x
		x = 0
	}
	return out
}

// factors derives ScalingFactor (7.4.5) for every size and matrixId:
// 4x4 and 8x8 lists map through the diagonal scan; 16x16 and 32x32 upsample
// the 8x8 list by 2 and 4 and replace the DC entry.
func (s *scalingLists) factors() *ScalingList {
	sl := new(ScalingList)
	scan4, scan8 := diagScan(4), diagScan(8)
	for m := range 6 {
		f0 := make([]uint8, 16)
		for i, p := range scan4 {
			f0[p] = s.list[0][m][i]
		}
		sl.Factor[0][m] = f0
		f1 := make([]uint8, 64)
		for i, p := range scan8 {
			f1[p] = s.list[1][m][i]
		}
		sl.Factor[1][m] = f1
		for sizeID := 2; sizeID <= 3; sizeID++ {
			n := 4 << sizeID
			ratio := n / 8
			f := make([]uint8, n*n)
			for y := range n {
				for x := range n {
					f[y*n+x] = s.list[sizeID][m][scanInverse8[(y/ratio)*8+x/ratio]]
				}
			}
			f[0] = s.dc[sizeID-2][m]
			sl.Factor[sizeID][m] = f
		}
	}
	return sl
}

// scanInverse8 maps a raster position in an 8x8 block to its index in the
// up-right diagonal scan.
var scanInverse8 = func() [64]int {
	var inv [64]int
	for i, p := range diagScan(8) {
		inv[p] = i
	}
	return inv
}()
