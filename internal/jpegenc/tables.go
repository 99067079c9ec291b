package jpegenc

// blockSize is the number of coefficients in an 8×8 block.
const blockSize = 64

// unzig maps a zig-zag index to the natural (row-major) index.
var unzig = [blockSize]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// unscaledQuant are image/jpeg's (and ITU T.81 Annex K.1's) luminance and
// chrominance quantisation tables in zig-zag order.
var unscaledQuant = [2][blockSize]uint8{
	{
		16, 11, 12, 14, 12, 10, 16, 14,
		13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37,
		29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68,
		87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113,
		121, 112, 100, 120, 92, 101, 103, 99,
	},
	{
		17, 18, 18, 24, 21, 24, 47, 26,
		26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
	},
}

// scaledQuant returns the quantisation tables for quality (already clamped
// to 1..100), scaled exactly as image/jpeg and libjpeg do.
func scaledQuant(quality int) (q [2][blockSize]uint8) {
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - quality*2
	}
	for i := range q {
		for j := range q[i] {
			x := (int(unscaledQuant[i][j])*scale + 50) / 100
			q[i][j] = uint8(min(max(x, 1), 255))
		}
	}
	return q
}

// quantizer holds, in zig-zag order, what quantising needs for one table:
// half the divisor (for rounding) and the reciprocal of the divisor.
type quantizer struct {
	half  [blockSize]uint32
	recip [blockSize]uint32
	// t holds the same tables in the order of the AVX2 kernel.
	t quantT
}

// quantT are a quantizer's tables for the AVX2 kernel (fdct_amd64.s), in
// its transposed natural order: entry 8*j+i is for the coefficient at row
// i, column j (natural index 8*i+j). recipOdd[8*j+p] for even p is
// recip[8*j+p+1] (the odd lanes' reciprocals moved to the even lanes that
// VPMULUDQ reads); its odd entries are zero. The kernel relies on this
// field order (offsets 0, 256, 512).
type quantT struct {
	half     [blockSize]uint32
	recip    [blockSize]uint32
	recipOdd [blockSize]uint32
}

// newQuantizer prepares reciprocal quantisation for table q. The forward DCT
// output is 8× the DCT coefficient, so the divisor is 8*q[k]. For numerators
// below 2^17 (the DCT bounds keep them below 2^15) floor(n*recip>>32) equals
// n/d exactly, which the tests check exhaustively.
func newQuantizer(q *[blockSize]uint8) *quantizer {
	z := new(quantizer)
	z.init(q)
	return z
}

// init prepares z for table q.
func (z *quantizer) init(q *[blockSize]uint8) {
	for k := range q {
		d := 8 * uint32(q[k])
		z.half[k] = d >> 1
		z.recip[k] = uint32((1<<32)/uint64(d)) + 1
	}
	for k, n := range unzig {
		t := 8*(n%8) + n/8
		z.t.half[t] = z.half[k]
		z.t.recip[t] = z.recip[k]
	}
	for t := 0; t < blockSize; t += 2 {
		z.t.recipOdd[t] = z.t.recip[t+1]
	}
}

// huffSpec is a Huffman table as stored in a DHT segment: count[i] codes of
// length i+1 and the symbols in code order.
type huffSpec struct {
	count [16]uint8
	value []uint8
}

// Huffman table classes, in the order of the DHT segment.
const (
	hLumDC = iota
	hLumAC
	hChromDC
	hChromAC
	nHuff
)

// stdHuffSpec are the tables of ITU T.81 Annex K.3, which image/jpeg uses.
var stdHuffSpec = [nHuff]huffSpec{
	{
		[16]uint8{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
		[]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
	},
	{
		[16]uint8{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125},
		[]uint8{
			0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12,
			0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
			0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
			0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
			0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16,
			0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
			0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
			0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
			0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
			0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
			0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
			0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
			0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
			0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
			0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
			0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
			0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4,
			0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
			0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
			0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
			0xf9, 0xfa,
		},
	},
	{
		[16]uint8{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
		[]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
	},
	{
		[16]uint8{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119},
		[]uint8{
			0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21,
			0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
			0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
			0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
			0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34,
			0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
			0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38,
			0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
			0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
			0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
			0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
			0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
			0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96,
			0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
			0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
			0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
			0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2,
			0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
			0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
			0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
			0xf9, 0xfa,
		},
	},
}

// huffLUT maps a symbol to its code: the low 16 bits hold the code and the
// next 8 bits its length. Symbols without a code map to 0 (length 0).
type huffLUT [256]uint32

// lut compiles s (canonical code assignment, ITU T.81 Annex C).
func (s *huffSpec) lut() (h huffLUT) {
	code, k := uint32(0), 0
	for i, n := range s.count {
		for range n {
			h[s.value[k]] = uint32(i+1)<<16 | code
			code++
			k++
		}
		code <<= 1
	}
	return h
}

// stdLUT are the compiled stdHuffSpec tables.
var stdLUT = func() (l [nHuff]huffLUT) {
	for i := range stdHuffSpec {
		l[i] = stdHuffSpec[i].lut()
	}
	return l
}()
