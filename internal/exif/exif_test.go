package exif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// Byte literals of TIFF-structured EXIF blocks, one comment per field.
var (
	// leOrient6: little-endian, IFD0 with one entry, Orientation = 6.
	leOrient6 = []byte{
		'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
		0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
		0x01, 0x00, // 1 entry
		0x12, 0x01, // tag 0x0112 Orientation
		0x03, 0x00, // type SHORT
		0x01, 0x00, 0x00, 0x00, // count 1
		0x06, 0x00, 0x00, 0x00, // value 6, padded
		0x00, 0x00, 0x00, 0x00, // next IFD: none
	}
	// beOrient3: big-endian, IFD0 with an XResolution entry first, then
	// Orientation = 3.
	beOrient3 = []byte{
		'M', 'M', 0x00, 0x2a, // byte order "MM", magic 42
		0x00, 0x00, 0x00, 0x08, // IFD0 offset 8
		0x00, 0x02, // 2 entries
		0x01, 0x1a, // tag 0x011a XResolution
		0x00, 0x05, // type RATIONAL
		0x00, 0x00, 0x00, 0x01, // count 1
		0x00, 0x00, 0x00, 0x26, // value offset 38
		0x01, 0x12, // tag 0x0112 Orientation
		0x00, 0x03, // type SHORT
		0x00, 0x00, 0x00, 0x01, // count 1
		0x00, 0x03, 0x00, 0x00, // value 3, padded
		0x00, 0x00, 0x00, 0x00, // next IFD: none
		0x00, 0x00, 0x00, 0x48, // XResolution numerator 72
		0x00, 0x00, 0x00, 0x01, // XResolution denominator 1
	}
	// leNoTag: little-endian, IFD0 with only a Make entry.
	leNoTag = []byte{
		'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
		0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
		0x01, 0x00, // 1 entry
		0x0f, 0x01, // tag 0x010f Make
		0x02, 0x00, // type ASCII
		0x02, 0x00, 0x00, 0x00, // count 2
		'X', 0x00, 0x00, 0x00, // "X\0" inline
		0x00, 0x00, 0x00, 0x00, // next IFD: none
	}
	// beLong8: big-endian, Orientation = 8 stored (wrongly, but seen in
	// the wild) as LONG.
	beLong8 = []byte{
		'M', 'M', 0x00, 0x2a, // byte order "MM", magic 42
		0x00, 0x00, 0x00, 0x08, // IFD0 offset 8
		0x00, 0x01, // 1 entry
		0x01, 0x12, // tag 0x0112 Orientation
		0x00, 0x04, // type LONG
		0x00, 0x00, 0x00, 0x01, // count 1
		0x00, 0x00, 0x00, 0x08, // value 8
	}
	// leEmptyIFD: little-endian, IFD0 with no entries.
	leEmptyIFD = []byte{
		'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
		0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
		0x00, 0x00, // 0 entries
		0x00, 0x00, 0x00, 0x00, // next IFD: none
	}
)

// block builds a one-entry IFD0 block holding tag 0x0112 with the given
// type, count and value, in either byte order; it is the generator behind
// the literals above, used where a table would otherwise repeat them.
func block(bo binary.ByteOrder, typ uint16, count, value uint32) []byte {
	b := make([]byte, 8+2+12+4)
	if bo == binary.ByteOrder(binary.LittleEndian) {
		copy(b, "II*\x00")
	} else {
		copy(b, "MM\x00*")
	}
	bo.PutUint32(b[4:], 8)
	bo.PutUint16(b[8:], 1)
	bo.PutUint16(b[10:], tagOrientation)
	bo.PutUint16(b[12:], typ)
	bo.PutUint32(b[14:], count)
	if typ == typeShort {
		bo.PutUint16(b[18:], uint16(value))
	} else {
		bo.PutUint32(b[18:], value)
	}
	return b
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Orientation
	}{
		{"II one entry", leOrient6, Rotate90},
		{"MM two entries", beOrient3, Rotate180},
		{"II no tag", leNoTag, Identity},
		{"II empty IFD", leEmptyIFD, Identity},
		{"MM LONG type", beLong8, Rotate270},
		{"Exif prefix", append([]byte("Exif\x00\x00"), leOrient6...), Rotate90},
		{"Exif prefix MM", append([]byte("Exif\x00\x00"), beOrient3...), Rotate180},
		{"IFD0 not right after header", func() []byte {
			// Same entry as leOrient6, IFD0 moved to offset 12.
			b := append([]byte{}, leOrient6[:8]...)
			b[4] = 12
			b = append(b, 0xAA, 0xBB, 0xCC, 0xDD)
			return append(b, leOrient6[8:]...)
		}(), Rotate90},
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for v := Orientation(1); v <= 8; v++ {
			tests = append(tests, struct {
				name string
				in   []byte
				want Orientation
			}{fmt.Sprintf("%s value %d", bo, v), block(bo, typeShort, 1, uint32(v)), v})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("Parse = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	tests := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"only Exif prefix", []byte("Exif\x00\x00")},
		{"short header", []byte{'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00}},
		{"bad byte order", []byte{
			'I', 'M', 0x2a, 0x00, // neither "II" nor "MM"
			0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
			0x00, 0x00, // 0 entries
		}},
		{"bad magic", []byte{
			'I', 'I', 0x2b, 0x00, // magic 43 (BigTIFF), unsupported
			0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
			0x00, 0x00, // 0 entries
		}},
		{"IFD0 offset inside header", []byte{
			'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
			0x04, 0x00, 0x00, 0x00, // IFD0 offset 4: points into the header
			0x00, 0x00, // 0 entries
		}},
		{"IFD0 offset past end", []byte{
			'M', 'M', 0x00, 0x2a, // byte order "MM", magic 42
			0x00, 0x00, 0x01, 0x00, // IFD0 offset 256, block is 10 bytes
			0x00, 0x00, // 0 entries
		}},
		{"IFD0 offset near 4 GiB", []byte{
			'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
			0xff, 0xff, 0xff, 0xff, // IFD0 offset 2^32-1 (overflow bait)
			0x00, 0x00, // 0 entries
		}},
		{"entry count overruns", []byte{
			'I', 'I', 0x2a, 0x00, // byte order "II", magic 42
			0x08, 0x00, 0x00, 0x00, // IFD0 offset 8
			0x02, 0x00, // 2 entries, room for 1
			0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, // Orientation 6
		}},
		{"entry count over MaxEntries", func() []byte {
			b := make([]byte, 8+2+12*(MaxEntries+1))
			copy(b, "II*\x00\x08\x00\x00\x00")
			le.PutUint16(b[8:], MaxEntries+1)
			return b
		}()},
		{"value 0", block(le, typeShort, 1, 0)},
		{"value 9", block(be, typeShort, 1, 9)},
		{"value 0xffff", block(le, typeShort, 1, 0xffff)},
		{"LONG value 0x10006", block(be, typeLong, 1, 0x10006)},
		{"type ASCII", block(le, 2, 1, 6)},
		{"type RATIONAL", block(be, 5, 1, 6)},
		{"count 0", block(le, typeShort, 0, 6)},
		{"count 2", block(be, typeShort, 2, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse err = %v, want ErrMalformed", err)
			}
			if got != Identity {
				t.Errorf("Parse orientation = %v with an error, want Identity", got)
			}
		})
	}
}

// TestParseTruncated cuts each valid block at every length: a cut inside
// the header or the entry table is malformed, never a panic or a value.
func TestParseTruncated(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		need int // shortest prefix that still holds the whole entry table
		want Orientation
	}{
		{"II", leOrient6, 8 + 2 + 12, Rotate90},
		{"MM", beOrient3, 8 + 2 + 24, Rotate180},
		{"MM LONG", beLong8, 8 + 2 + 12, Rotate270},
	} {
		for n := 0; n < len(tt.in); n++ {
			t.Run(fmt.Sprintf("%s/%d", tt.name, n), func(t *testing.T) {
				got, err := Parse(tt.in[:n])
				if n < tt.need {
					if !errors.Is(err, ErrMalformed) || got != Identity {
						t.Fatalf("Parse(first %d bytes) = %v, %v; want Identity, ErrMalformed", n, got, err)
					}
					return
				}
				if err != nil || got != tt.want {
					t.Fatalf("Parse(first %d bytes) = %v, %v; want %v, nil", n, got, err, tt.want)
				}
			})
		}
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Parse(block(binary.BigEndian, typeShort, 1, 9))
	const want = "exif: malformed: orientation value 9 outside 1..8"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

var bigEndian, littleEndian binary.ByteOrder = binary.BigEndian, binary.LittleEndian
