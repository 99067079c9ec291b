//go:build ignore

// Command bombs writes the pixel-bomb fixtures: tiny files (well under 1 KB)
// whose headers declare enormous dimensions, so that a decoder that trusts
// the header would allocate gigabytes. Each file is valid up to and
// including its header (DecodeConfig succeeds and reports the huge size);
// the pixel data that follows is short.
//
//	go run testdata/gen/bombs.go -out testdata
//
// The output is deterministic.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"log"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "testdata", "output directory")
	flag.Parse()
	files := []struct {
		name string
		make func() ([]byte, error)
	}{
		{"bomb_png_100000x100000.png", pngBomb},
		{"bomb_jpeg_65535x65535.jpg", jpegBomb},
		{"bomb_gif_65535x65535.gif", gifBomb},
		{"bomb_webp_vp8l_16384x16384.webp", func() ([]byte, error) { return webpBomb(false), nil }},
		{"bomb_webp_vp8x_16384x16384.webp", func() ([]byte, error) { return webpBomb(true), nil }},
		{"bomb_bmp_100000x100000.bmp", func() ([]byte, error) { return bmpBomb(), nil }},
		{"bomb_tiff_100000x100000.tiff", func() ([]byte, error) { return tiffBomb(), nil }},
	}
	for _, f := range files {
		b, err := f.make()
		if err != nil {
			log.Fatalf("%s: %v", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(*out, f.name), b, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d bytes\n", f.name, len(b))
	}
}

// tiny is an 8x8 picture used as the body of the JPEG and GIF bombs.
func tiny() *image.Paletted {
	m := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.White, color.Black})
	for i := 0; i < 8; i++ {
		m.SetColorIndex(i, i, 1)
	}
	return m
}

// pngBomb: signature, IHDR 100000x100000 8-bit RGB (valid CRC), one IDAT
// holding a complete zlib stream of a single zero byte, IEND.
func pngBomb() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000) // width
	binary.BigEndian.PutUint32(ihdr[4:], 100000) // height
	ihdr[8] = 8                                  // bit depth
	ihdr[9] = 2                                  // colour type: RGB
	// compression, filter, interlace: 0
	chunk(&b, "IHDR", ihdr)
	// zlib: CMF 0x78, FLG 0x9c, stored final block of one zero byte, Adler-32 of "\x00".
	chunk(&b, "IDAT", []byte{0x78, 0x9c, 0x01, 0x01, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk(&b, "IEND", nil)
	return b.Bytes(), nil
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}

// jpegBomb: an 8x8 baseline JPEG from image/jpeg whose SOF0 is patched to
// 65535x65535 (the JPEG maximum).
func jpegBomb() ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, tiny(), &jpeg.Options{Quality: 75}); err != nil {
		return nil, err
	}
	p := b.Bytes()
	i := bytes.Index(p, []byte{0xff, 0xc0})
	if i < 0 {
		return nil, fmt.Errorf("no SOF0")
	}
	// FF C0, length (2), precision (1), height (2), width (2).
	binary.BigEndian.PutUint16(p[i+5:], 65535)
	binary.BigEndian.PutUint16(p[i+7:], 65535)
	return p, nil
}

// gifBomb: an 8x8 GIF from image/gif with both the logical screen and the
// first image descriptor patched to 65535x65535 (the GIF maximum).
func gifBomb() ([]byte, error) {
	var b bytes.Buffer
	if err := gif.Encode(&b, tiny(), nil); err != nil {
		return nil, err
	}
	p := b.Bytes()
	binary.LittleEndian.PutUint16(p[6:], 65535) // logical screen width
	binary.LittleEndian.PutUint16(p[8:], 65535) // logical screen height
	i := bytes.IndexByte(p[13+3*2:], 0x2c)      // image separator, after a 2-colour table
	if i < 0 {
		return nil, fmt.Errorf("no image descriptor")
	}
	i += 13 + 3*2
	// 2C, left (2), top (2), width (2), height (2).
	binary.LittleEndian.PutUint16(p[i+5:], 65535)
	binary.LittleEndian.PutUint16(p[i+7:], 65535)
	return p, nil
}

// webpBomb: a lossless WebP whose VP8L header declares 16384x16384 (the
// VP8L maximum), optionally wrapped in a VP8X chunk with the same canvas.
// The VP8L bitstream ends after its header.
func webpBomb(vp8x bool) []byte {
	const w, h = 16384, 16384
	// VP8L: signature 0x2f, then 14 bits width-1, 14 bits height-1, 1 bit
	// alpha, 3 bits version (0), little-endian bit order.
	vp8l := make([]byte, 5, 16)
	vp8l[0] = 0x2f
	bits := uint32(w-1) | uint32(h-1)<<14
	binary.LittleEndian.PutUint32(vp8l[1:], bits)
	vp8l = append(vp8l, make([]byte, 11)...) // a few zero bytes of "image data"
	var body bytes.Buffer
	body.WriteString("WEBP")
	if vp8x {
		x := make([]byte, 10)
		// flags (1) + reserved (3) = 0; canvas width-1, height-1 as 24-bit LE.
		put24(x[4:], w-1)
		put24(x[7:], h-1)
		riffChunk(&body, "VP8X", x)
	}
	riffChunk(&body, "VP8L", vp8l)
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(body.Len()))
	b.Write(body.Bytes())
	return b.Bytes()
}

func put24(p []byte, v int) { p[0], p[1], p[2] = byte(v), byte(v>>8), byte(v>>16) }

func riffChunk(b *bytes.Buffer, typ string, data []byte) {
	b.WriteString(typ)
	binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	if len(data)%2 == 1 {
		b.WriteByte(0)
	}
}

// bmpBomb: BITMAPFILEHEADER + BITMAPINFOHEADER declaring a 100000x100000
// 24-bit bottom-up image, followed by 16 bytes of pixels.
func bmpBomb() []byte {
	const w, h = 100000, 100000
	b := make([]byte, 54+16)
	copy(b, "BM")
	binary.LittleEndian.PutUint32(b[2:], uint32(len(b))) // file size (actual)
	binary.LittleEndian.PutUint32(b[10:], 54)            // pixel data offset
	binary.LittleEndian.PutUint32(b[14:], 40)            // info header size
	binary.LittleEndian.PutUint32(b[18:], w)             // width
	binary.LittleEndian.PutUint32(b[22:], h)             // height (bottom-up)
	binary.LittleEndian.PutUint16(b[26:], 1)             // planes
	binary.LittleEndian.PutUint16(b[28:], 24)            // bits per pixel
	// compression 0 (BI_RGB), image size 0, resolution 0, colours 0.
	return b
}

// tiffBomb: a little-endian TIFF, one IFD declaring a 100000x100000 8-bit
// grayscale uncompressed image in one strip of which 16 bytes exist.
func tiffBomb() []byte {
	const w, h = 100000, 100000
	type entry struct {
		tag, typ uint16
		val      uint32
	}
	const short, long = 3, 4
	entries := []entry{
		{256, long, w},  // ImageWidth
		{257, long, h},  // ImageLength
		{258, short, 8}, // BitsPerSample
		{259, short, 1}, // Compression: none
		{262, short, 1}, // PhotometricInterpretation: BlackIsZero
		{273, long, 0},  // StripOffsets (patched below)
		{277, short, 1}, // SamplesPerPixel
		{278, long, h},  // RowsPerStrip
		{279, long, 16}, // StripByteCounts
	}
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8)) // IFD0 offset
	dataOff := uint32(8 + 2 + 12*len(entries) + 4)
	binary.Write(&b, binary.LittleEndian, uint16(len(entries)))
	for _, e := range entries {
		if e.tag == 273 {
			e.val = dataOff
		}
		binary.Write(&b, binary.LittleEndian, e.tag)
		binary.Write(&b, binary.LittleEndian, e.typ)
		binary.Write(&b, binary.LittleEndian, uint32(1)) // count
		if e.typ == short {
			binary.Write(&b, binary.LittleEndian, uint16(e.val))
			binary.Write(&b, binary.LittleEndian, uint16(0))
		} else {
			binary.Write(&b, binary.LittleEndian, e.val)
		}
	}
	binary.Write(&b, binary.LittleEndian, uint32(0)) // no next IFD
	b.Write(make([]byte, 16))
	return b.Bytes()
}
