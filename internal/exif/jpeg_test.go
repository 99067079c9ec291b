package exif

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// jpegWith builds a minimal JPEG prefix: SOI, the given segments, then SOS
// (nothing after it is read).
func jpegWith(segments ...[]byte) []byte {
	b := []byte{0xff, 0xd8} // SOI
	for _, s := range segments {
		b = append(b, s...)
	}
	return append(b, 0xff, 0xda, 0x00, 0x02) // SOS, length 2 (body not read)
}

// app1 wraps payload in an APP1 segment.
func app1(payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xff, 0xe1, byte(n >> 8), byte(n)}, payload...)
}

// jfif is an APP0 JFIF segment as cjpeg writes it.
var jfif = []byte{
	0xff, 0xe0, 0x00, 0x10, // APP0, length 16
	'J', 'F', 'I', 'F', 0x00, // identifier
	0x01, 0x01, // version 1.1
	0x00,       // density units: none
	0x00, 0x01, // X density 1
	0x00, 0x01, // Y density 1
	0x00, 0x00, // no thumbnail
}

// xmp is an APP1 segment that is not EXIF (XMP).
var xmp = app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))

func exifPayload(tiff []byte) []byte { return append([]byte("Exif\x00\x00"), tiff...) }

func TestFromJPEG(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Orientation
	}{
		{"APP1 first", jpegWith(app1(exifPayload(leOrient6))), Rotate90},
		{"after JFIF", jpegWith(jfif, app1(exifPayload(beOrient3))), Rotate180},
		{"after XMP", jpegWith(jfif, xmp, app1(exifPayload(beLong8))), Rotate270},
		{"first EXIF wins", jpegWith(app1(exifPayload(leOrient6)), app1(exifPayload(beOrient3))), Rotate90},
		{"EXIF without the tag", jpegWith(app1(exifPayload(leNoTag))), Identity},
		{"no EXIF", jpegWith(jfif), Identity},
		{"only XMP", jpegWith(xmp), Identity},
		{"EXIF after SOS is ignored", append(jpegWith(jfif), app1(exifPayload(leOrient6))...), Identity},
		{"fill bytes before markers", jpegWith([]byte{0xff, 0xff, 0xff}, app1(exifPayload(leOrient6))), Rotate90},
		{"garbage between segments", jpegWith(jfif, []byte{0x00, 0x13, 0x37}, app1(exifPayload(leOrient6))), Rotate90},
		{"RST and TEM markers", jpegWith([]byte{0xff, 0xd0, 0xff, 0x01}, app1(exifPayload(leOrient6))), Rotate90},
		{"SOI then EOI", []byte{0xff, 0xd8, 0xff, 0xd9}, Identity},
		{"APP1 without Exif header", jpegWith(app1(leOrient6)), Identity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromJPEG(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("FromJPEG = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestFromJPEGMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"PNG", []byte("\x89PNG\r\n\x1a\n")},
		{"SOI only", []byte{0xff, 0xd8}},
		{"segment length 0", []byte{
			0xff, 0xd8, // SOI
			0xff, 0xe0, 0x00, 0x00, // APP0 with length 0
		}},
		{"segment length 1", []byte{
			0xff, 0xd8, // SOI
			0xff, 0xe1, 0x00, 0x01, // APP1 with length 1
		}},
		{"segment longer than data", []byte{
			0xff, 0xd8, // SOI
			0xff, 0xe1, 0xff, 0xff, // APP1 with length 65535
			'E', 'x', 'i', 'f', 0x00, 0x00,
		}},
		{"no SOS", []byte{
			0xff, 0xd8, // SOI
			0xff, 0xe0, 0x00, 0x02, // empty APP0
		}},
		{"malformed EXIF", jpegWith(app1(exifPayload(block(bigEndian, typeShort, 1, 0))))},
		{"EXIF header only", jpegWith(app1([]byte("Exif\x00\x00")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromJPEG(tt.in)
			if !errors.Is(err, ErrMalformed) || got != Identity {
				t.Fatalf("FromJPEG = %v, %v; want Identity, ErrMalformed", got, err)
			}
		})
	}
}

// TestFromJPEGFixtures reads files written by real tools (exiftool, cjpeg,
// ImageMagick; see testdata/README.md).
func TestFromJPEGFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Orientation
	}{
		{"orientation_1.jpg", Identity}, // big-endian EXIF, all eight
		{"orientation_2.jpg", MirrorHorizontal},
		{"orientation_3.jpg", Rotate180},
		{"orientation_4.jpg", MirrorVertical},
		{"orientation_5.jpg", Transpose},
		{"orientation_6.jpg", Rotate90},
		{"orientation_7.jpg", Transverse},
		{"orientation_8.jpg", Rotate270},
		{"orient6_2400x1800.jpg", Rotate90}, // little-endian EXIF
		{"jpeg_exif_gps.jpg", Identity},     // little-endian, GPS IFD, Orientation=1
		{"photo_2400x1800.jpg", Identity},   // no EXIF
		{"jpeg_progressive.jpg", Identity},
		{"jpeg_cmyk.jpg", Identity}, // Adobe APP14
		{"jpeg_restart.jpg", Identity},
		{"bomb_jpeg_65535x65535.jpg", Identity},
		{"corrupt.jpg", Identity}, // damage is in the DHT, not the markers
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := FromJPEG(readFixture(t, tt.file))
			if err != nil || got != tt.want {
				t.Fatalf("FromJPEG = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

// TestFromJPEGTruncated cuts real files at every length up to their scan:
// before the EXIF segment is complete (or, without EXIF, before SOS) the
// result is ErrMalformed; after it, the right orientation.
func TestFromJPEGTruncated(t *testing.T) {
	for _, tt := range []struct {
		file string
		want Orientation
	}{
		{"orientation_6.jpg", Rotate90},
		{"jpeg_exif_gps.jpg", Identity},
		{"jpeg_444.jpg", Identity},
	} {
		b := readFixture(t, tt.file)
		sos := bytes.Index(b, []byte{0xff, 0xda})
		need := sos + 2 // without EXIF the walk must reach SOS
		if i := bytes.Index(b, []byte("Exif\x00\x00")); i >= 0 {
			need = i - 2 + (int(b[i-2])<<8 | int(b[i-1])) // end of the APP1 segment
		}
		for n := 0; n < sos+8; n++ {
			t.Run(fmt.Sprintf("%s/%d", tt.file, n), func(t *testing.T) {
				got, err := FromJPEG(b[:n])
				if n < need {
					if !errors.Is(err, ErrMalformed) || got != Identity {
						t.Fatalf("FromJPEG(first %d bytes) = %v, %v; want Identity, ErrMalformed", n, got, err)
					}
					return
				}
				if err != nil || got != tt.want {
					t.Fatalf("FromJPEG(first %d bytes) = %v, %v; want %v, nil", n, got, err, tt.want)
				}
			})
		}
	}
}
