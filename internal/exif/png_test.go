package exif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"testing"
)

// pngChunk encodes one PNG chunk with a correct CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngIHDR is the IHDR of a 1x1 8-bit grey image.
var pngIHDR = pngChunk("IHDR", []byte{
	0x00, 0x00, 0x00, 0x01, // width 1
	0x00, 0x00, 0x00, 0x01, // height 1
	0x08, // bit depth 8
	0x00, // colour type grey
	0x00, // compression deflate
	0x00, // filter adaptive
	0x00, // no interlace
})

// pngIDAT is the zlib stream of the one row (filter byte 0, pixel 0).
var pngIDAT = pngChunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01})

var pngIEND = pngChunk("IEND", nil)

func pngWith(chunks ...[]byte) []byte {
	b := []byte(pngSignature)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

func TestFromPNG(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Orientation
	}{
		{"eXIf before IDAT", pngWith(pngIHDR, pngChunk("eXIf", beOrient3), pngIDAT, pngIEND), Rotate180},
		{"eXIf after IDAT", pngWith(pngIHDR, pngIDAT, pngChunk("eXIf", leOrient6), pngIEND), Rotate90},
		{"eXIf with Exif prefix", pngWith(pngIHDR, pngChunk("eXIf", exifPayload(leOrient6)), pngIDAT, pngIEND), Rotate90},
		{"eXIf without the tag", pngWith(pngIHDR, pngChunk("eXIf", leNoTag), pngIDAT, pngIEND), Identity},
		{"no eXIf", pngWith(pngIHDR, pngIDAT, pngIEND), Identity},
		{"chunks after IEND ignored", pngWith(pngIHDR, pngIDAT, pngIEND, pngChunk("eXIf", leOrient6)), Identity},
		{"bad CRC elsewhere not checked", pngWith(pngIHDR, corruptCRC(pngIDAT), pngChunk("eXIf", leOrient6), pngIEND), Rotate90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromPNG(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("FromPNG = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func corruptCRC(chunk []byte) []byte {
	c := bytes.Clone(chunk)
	c[len(c)-1] ^= 0xff
	return c
}

func TestFromPNGMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"JPEG", []byte{0xff, 0xd8, 0xff, 0xe0}},
		{"signature only", []byte(pngSignature)},
		{"no IEND", pngWith(pngIHDR, pngIDAT)},
		{"eXIf bad CRC", pngWith(pngIHDR, corruptCRC(pngChunk("eXIf", leOrient6)), pngIDAT, pngIEND)},
		{"eXIf malformed", pngWith(pngIHDR, pngChunk("eXIf", block(littleEndian, typeShort, 1, 9)), pngIEND)},
		{"eXIf empty", pngWith(pngIHDR, pngChunk("eXIf", nil), pngIEND)},
		{"chunk length over 2^31-1", pngWith(pngIHDR, []byte{
			0x80, 0x00, 0x00, 0x00, // length 2^31
			'I', 'D', 'A', 'T', // type
			0x00, 0x00, 0x00, 0x00, // (would-be CRC)
		})},
		{"chunk longer than data", pngWith(pngIHDR, []byte{
			0x00, 0x00, 0x10, 0x00, // length 4096
			'e', 'X', 'I', 'f', // type
			0x00, 0x00, 0x00, 0x00, // 4 of the 4096 bytes
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromPNG(tt.in)
			if !errors.Is(err, ErrMalformed) || got != Identity {
				t.Fatalf("FromPNG = %v, %v; want Identity, ErrMalformed", got, err)
			}
		})
	}
}

// TestFromPNGFixtures reads files written by real tools: exiftool wrote
// the eXIf chunk of png_exif_orient6.png.
func TestFromPNGFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Orientation
	}{
		{"png_exif_orient6.png", Rotate90},
		{"small_640x480.png", Identity},
		{"png_rgba.png", Identity},
		{"png_palette_trns.png", Identity},
		{"png_rgb16.png", Identity},
		{"bomb_png_100000x100000.png", Identity},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := FromPNG(readFixture(t, tt.file))
			if err != nil || got != tt.want {
				t.Fatalf("FromPNG = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

// TestFromPNGTruncated cuts files at every length: until the eXIf chunk is
// complete (or, without one, until IEND is complete) the result is
// ErrMalformed.
func TestFromPNGTruncated(t *testing.T) {
	for _, tt := range []struct {
		file string
		want Orientation
	}{
		{"png_exif_orient6.png", Rotate90},
		{"png_gray.png", Identity},
	} {
		b := readFixture(t, tt.file)
		need := len(b)
		if i := bytes.Index(b, []byte("eXIf")); i >= 0 {
			need = i + 4 + int(binary.BigEndian.Uint32(b[i-4:])) + 4
		}
		for n := 0; n <= len(b); n++ {
			t.Run(fmt.Sprintf("%s/%d", tt.file, n), func(t *testing.T) {
				got, err := FromPNG(b[:n])
				if n < need {
					if !errors.Is(err, ErrMalformed) || got != Identity {
						t.Fatalf("FromPNG(first %d bytes) = %v, %v; want Identity, ErrMalformed", n, got, err)
					}
					return
				}
				if err != nil || got != tt.want {
					t.Fatalf("FromPNG(first %d bytes) = %v, %v; want %v, nil", n, got, err, tt.want)
				}
			})
		}
	}
}
