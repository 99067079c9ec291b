package exif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// riffChunk encodes one RIFF chunk, padded to an even size.
func riffChunk(typ string, data []byte) []byte {
	b := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// webpWith wraps chunks in a RIFF/WEBP header with the right size.
func webpWith(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(b, body...)
}

// vp8x is a VP8X chunk with the EXIF flag set and a 1x1 canvas.
var vp8x = riffChunk("VP8X", []byte{
	0x08,             // flags: EXIF present
	0x00, 0x00, 0x00, // reserved
	0x00, 0x00, 0x00, // canvas width - 1 = 0
	0x00, 0x00, 0x00, // canvas height - 1 = 0
})

// vp8l is a VP8L chunk with a 1x1 header (the bitstream is not read).
var vp8l = riffChunk("VP8L", []byte{0x2f, 0x00, 0x00, 0x00, 0x00})

func TestFromWebP(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Orientation
	}{
		{"EXIF after image", webpWith(vp8x, vp8l, riffChunk("EXIF", beOrient3)), Rotate180},
		{"EXIF with Exif prefix", webpWith(vp8x, vp8l, riffChunk("EXIF", exifPayload(leOrient6))), Rotate90},
		{"odd-sized chunk before EXIF", webpWith(vp8x, riffChunk("ICCP", []byte{1, 2, 3}), vp8l, riffChunk("EXIF", leOrient6)), Rotate90},
		{"EXIF without the tag", webpWith(vp8x, vp8l, riffChunk("EXIF", leNoTag)), Identity},
		{"simple lossless", webpWith(vp8l), Identity},
		{"VP8X without EXIF", webpWith(vp8x, vp8l), Identity},
		{"bytes after RIFF payload ignored", append(webpWith(vp8l), riffChunk("EXIF", leOrient6)...), Identity},
		{"last chunk unpadded", webpWith(vp8l, []byte{
			'X', 'M', 'P', ' ', // type
			0x01, 0x00, 0x00, 0x00, // size 1
			'x', // data, no padding byte
		}), Identity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromWebP(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("FromWebP = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestFromWebPMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"RIFF but not WEBP", []byte("RIFF\x04\x00\x00\x00WAVE")},
		{"EXIF malformed", webpWith(vp8x, vp8l, riffChunk("EXIF", block(bigEndian, typeShort, 1, 0)))},
		{"EXIF empty", webpWith(vp8x, vp8l, riffChunk("EXIF", nil))},
		{"chunk longer than RIFF", webpWith(vp8x, []byte{
			'E', 'X', 'I', 'F', // type
			0x00, 0x01, 0x00, 0x00, // size 256
			'I', 'I', 0x2a, 0x00, // 4 of the 256 bytes
		})},
		{"cut chunk header", webpWith(vp8x, []byte{'E', 'X', 'I', 'F'})},
		{"RIFF size beyond data", func() []byte {
			b := webpWith(vp8x, vp8l)
			binary.LittleEndian.PutUint32(b[4:], 1000)
			return b
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromWebP(tt.in)
			if !errors.Is(err, ErrMalformed) || got != Identity {
				t.Fatalf("FromWebP = %v, %v; want Identity, ErrMalformed", got, err)
			}
		})
	}
}

// TestFromWebPFixtures reads files written by real tools: webpmux wrote
// the EXIF chunk (made by exiftool) of webp_exif_orient6.webp.
func TestFromWebPFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Orientation
	}{
		{"webp_exif_orient6.webp", Rotate90},
		{"webp_lossy.webp", Identity},
		{"webp_lossless_alpha.webp", Identity},
		{"small_640x480.webp", Identity},
		{"bomb_webp_vp8x_16384x16384.webp", Identity},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := FromWebP(readFixture(t, tt.file))
			if err != nil || got != tt.want {
				t.Fatalf("FromWebP = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

// TestFromWebPTruncated cuts files at every length: until the EXIF chunk
// is complete (or, without one, until the RIFF payload is complete) the
// result is ErrMalformed.
func TestFromWebPTruncated(t *testing.T) {
	for _, tt := range []struct {
		file string
		want Orientation
	}{
		{"webp_exif_orient6.webp", Rotate90},
		{"webp_lossless_alpha.webp", Identity},
	} {
		b := readFixture(t, tt.file)
		need := len(b)
		if i := bytes.Index(b, []byte("EXIF")); i >= 0 {
			need = i + 8 + int(binary.LittleEndian.Uint32(b[i+4:]))
		}
		for n := 0; n <= len(b); n++ {
			t.Run(fmt.Sprintf("%s/%d", tt.file, n), func(t *testing.T) {
				got, err := FromWebP(b[:n])
				if n < need {
					if !errors.Is(err, ErrMalformed) || got != Identity {
						t.Fatalf("FromWebP(first %d bytes) = %v, %v; want Identity, ErrMalformed", n, got, err)
					}
					return
				}
				if err != nil || got != tt.want {
					t.Fatalf("FromWebP(first %d bytes) = %v, %v; want %v, nil", n, got, err, tt.want)
				}
			})
		}
	}
}
