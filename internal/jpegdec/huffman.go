package jpegdec

// lutBits is the lookahead of the Huffman lookup tables. Codes of up to
// lutBits bits decode in one table lookup; when the code and its value bits
// together fit, the value is decoded in the same lookup.
const lutBits = 10

// Fast-entry layout (int32, 0 = no fast entry):
//
//	bits 0..4   total bits to consume (code + value bits)
//	bit  7      end of block (AC tables)
//	bits 8..15  zero run before the coefficient (AC tables)
//	bits 16..31 signed coefficient value (DC: the DC difference)
const fastEOB = 0x80

// huffTable is a decoding table for one DHT table.
type huffTable struct {
	fast [1 << lutBits]int32
	// lut holds symbol<<8 | code length for codes of at most lutBits bits,
	// 0 for longer codes.
	lut [1 << lutBits]uint16
	// maxCode[l] is the largest code of length l (-1 if none); valOff[l]
	// maps a code of length l to its index in vals.
	maxCode [17]int32
	valOff  [17]int32
	vals    [256]uint8
}

// buildHuffTable builds a decoding table from the BITS and HUFFVAL lists
// (section C) into t (reused when not nil, so that a file repeating DHT
// segments cannot make the decoder allocate per segment). ac selects the AC
// interpretation of symbols for fast entries.
func buildHuffTable(t *huffTable, counts *[16]int, vals []byte, ac bool) (*huffTable, error) {
	if t == nil {
		t = &huffTable{}
	} else {
		*t = huffTable{}
	}
	copy(t.vals[:], vals)
	code, k := int32(0), 0
	for l := 1; l <= 16; l++ {
		n := counts[l-1]
		t.maxCode[l] = -1
		if n > 0 {
			t.valOff[l] = int32(k) - code
			for i := 0; i < n; i++ {
				if code >= 1<<l {
					return nil, corrupt("Huffman table has too many codes of length %d", l)
				}
				sym := vals[k]
				if l <= lutBits {
					t.fillLUT(code, l, sym, ac)
				}
				code++
				k++
			}
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	return t, nil
}

// fillLUT records the code of length l for sym in the lookup tables.
func (t *huffTable) fillLUT(code int32, l int, sym uint8, ac bool) {
	shift := lutBits - l
	base := int(code) << shift
	for i := 0; i < 1<<shift; i++ {
		idx := base + i
		t.lut[idx] = uint16(sym)<<8 | uint16(l)
		// Bits following the code inside the lookahead.
		rest := uint32(i)
		var run, size int
		if ac {
			run, size = int(sym>>4), int(sym&15)
			if size == 0 {
				switch run {
				case 0:
					t.fast[idx] = int32(l) | fastEOB
				case 15:
					// ZRL: 15 zeros then a zero "coefficient".
					t.fast[idx] = int32(l) | 15<<8
				}
				continue
			}
		} else {
			size = int(sym)
			if size == 0 {
				t.fast[idx] = int32(l)
				continue
			}
			if size > 15 {
				continue
			}
		}
		if l+size > lutBits {
			continue
		}
		v := int32(rest >> (shift - size))
		v = extend(v, size)
		t.fast[idx] = v<<16 | int32(run)<<8 | int32(l+size)
	}
}

// extend converts the size-bit value v to a signed coefficient (F.2.2.1).
func extend(v int32, size int) int32 {
	if v < 1<<(size-1) {
		v += -1<<size + 1
	}
	return v
}
