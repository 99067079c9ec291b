package preprocess

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sniffTestdata is the repository's top-level fixture folder.
var sniffTestdata = filepath.Join("..", "testdata")

// sniffFtypBox builds an ISOBMFF ftyp box: size, "ftyp", major brand, minor
// version 0, compatible brands.
func sniffFtypBox(major string, compat ...string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(16+4*len(compat)))
	b = append(b, "ftyp"...)
	b = append(b, major...)
	b = append(b, 0, 0, 0, 0)
	for _, c := range compat {
		b = append(b, c...)
	}
	// What follows the ftyp box in a real file: a meta box header.
	return append(b, 0x00, 0x00, 0x01, 0x00, 'm', 'e', 't', 'a')
}

func sniffJoin(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// sniffCase is one input and either the format or, for unsupported
// input, what Seen must say.
type sniffCase struct {
	name string
	in   []byte
	want Format
	seen string
}

func sniffCases() []sniffCase {
	bmpHeader := func(dib uint32) []byte {
		b := make([]byte, 54)
		copy(b, "BM")
		binary.LittleEndian.PutUint32(b[2:], 58)      // file size
		binary.LittleEndian.PutUint32(b[10:], 14+dib) // pixel data offset
		binary.LittleEndian.PutUint32(b[14:], dib)    // DIB header size
		return b
	}
	junk := bytes.Repeat([]byte{0x00, 0x9a}, 600) // binary, 1200 bytes
	cases := []sniffCase{
		// Supported formats.
		{"JPEG JFIF", []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F'}, JPEG, ""},
		{"JPEG Exif", []byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x62, 'E', 'x', 'i', 'f'}, JPEG, ""},
		{"JPEG raw DQT", []byte{0xff, 0xd8, 0xff, 0xdb}, JPEG, ""},
		{"JPEG 3 bytes", []byte{0xff, 0xd8, 0xff}, JPEG, ""},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), PNG, ""},
		{"GIF87a", []byte("GIF87a\x10\x00\x10\x00"), GIF, ""},
		{"GIF89a", []byte("GIF89a\x10\x00\x10\x00"), GIF, ""},
		{"WebP lossy", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), WebP, ""},
		{"WebP lossless", []byte("RIFF\x24\x00\x00\x00WEBPVP8L\x18\x00\x00\x00"), WebP, ""},
		{"WebP extended", []byte("RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00"), WebP, ""},
		{"TIFF II", []byte("II*\x00\x08\x00\x00\x00"), TIFF, ""},
		{"TIFF MM", []byte("MM\x00*\x00\x00\x00\x08"), TIFF, ""},
		{"BMP v3", bmpHeader(40), BMP, ""},
		{"BMP OS/2", bmpHeader(12), BMP, ""},
		{"BMP v5", bmpHeader(124), BMP, ""},
		{"PDF", []byte("%PDF-1.7\n%\xbf\xf7\xa2\xfe\n"), PDF, ""},
		{"PDF after a mail header", []byte("From: scanner@example.com\r\n\r\n%PDF-1.4\n"), PDF, ""},
		{"PDF after 1000 binary bytes", sniffJoin(junk[:1000], []byte("%PDF-1.4")), PDF, ""},
		{"PDF header ending at byte 1024", sniffJoin(junk[:1019], []byte("%PDF-1.4")), PDF, ""},
		{"HEIC ftyp size 0", sniffJoin([]byte("\x00\x00\x00\x00ftypheic\x00\x00\x00\x00mif1")), HEIC, ""},
		{"HEIC ftyp 64-bit size", sniffJoin([]byte("\x00\x00\x00\x01ftyp"), []byte{0, 0, 0, 0, 0, 0, 0, 28}, []byte("mif1\x00\x00\x00\x00heic")), HEIC, ""},
		{"HEIC ftyp size beyond head", sniffJoin([]byte("\xff\xff\xff\xffftypheic\x00\x00\x00\x00mif1")), HEIC, ""},
		{"iPhone HEIC", sniffFtypBox("heic", "mif1", "MiHE", "MiPr", "miaf", "MiHB", "heic"), HEIC, ""},
		{"HEIF mif1 only", sniffFtypBox("mif1", "mif1"), HEIC, ""},
		{"HEIF with AVIF and HEVC", sniffFtypBox("mif1", "avif", "heic"), HEIC, ""},

		// Unsupported: named.
		{"nil", nil, "", "empty input"},
		{"empty", []byte{}, "", "empty input"},
		{"AVIF", sniffFtypBox("avif", "mif1", "miaf", "MA1B"), "", "AVIF"},
		{"AVIF sequence", sniffFtypBox("avis", "msf1", "miaf", "MA1B"), "", "AVIF"},
		{"AVIF as compatible brand", sniffFtypBox("mif1", "avif", "mif1", "miaf"), "", "AVIF"},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", "SVG"},
		{"SVG with BOM, space and XML declaration", []byte("\xef\xbb\xbf \n\t<?xml version=\"1.0\"?>\n<!-- drawn -->\n<svg>"), "", "SVG"},
		{"SVG with DOCTYPE", []byte(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><SVG>`), "", "SVG"},
		{"HTML", []byte("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>"), "", "HTML"},
		{"HTML lower case", []byte("\n<html>"), "", "HTML"},
		{"XML", []byte(`<?xml version="1.0"?><note/>`), "", "XML"},
		{"text", []byte("hello"), "", "text"},
		{"UTF-8 text", []byte("Pass photo: Jõgeva, Ärni\n"), "", "text"},
		{"text that starts like BMP", []byte("BMW 320d, 2019"), "", "text"},
		{"text that starts like GIF", []byte("GIF88a is not a version"), "", "text"},
		{"JSON", []byte(`{"error":"not found"}`), "", "text"},
		{"base64 JPEG", []byte("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ"), "", "text"},
		{"data URI", []byte("data:image/jpeg;base64,/9j/4AAQ"), "", "text"},
		{"JPEG 2000", []byte("\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 "), "", "JPEG 2000"},
		{"JPEG 2000 codestream", []byte{0xff, 0x4f, 0xff, 0x51, 0x00, 0x2f}, "", "JPEG 2000"},
		{"JPEG XL", []byte("\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl "), "", "JPEG XL"},
		{"JPEG XL codestream", []byte{0xff, 0x0a, 0xfa, 0x1f}, "", "JPEG XL"},
		{"ICO", []byte{0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10}, "", "ICO"},
		{"CUR", []byte{0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x10, 0x10}, "", "CUR"},
		{"PSD", []byte("8BPS\x00\x01\x00\x00"), "", "PSD"},
		{"ZIP", []byte("PK\x03\x04\x14\x00"), "", "ZIP"},
		{"empty ZIP", []byte("PK\x05\x06\x00\x00"), "", "ZIP"},
		{"gzip", []byte{0x1f, 0x8b, 0x08, 0x00}, "", "gzip"},
		{"PostScript", []byte("%!PS-Adobe-3.0\n"), "", "PostScript"},
		{"MP4", sniffFtypBox("isom", "isom", "iso2", "avc1", "mp41"), "", "MP4/QuickTime"},
		{"MP4 mp42", sniffFtypBox("mp42", "mp42", "isom"), "", "MP4/QuickTime"},
		{"QuickTime", sniffFtypBox("qt  ", "qt  "), "", "MP4/QuickTime"},
		{"QuickTime without ftyp", []byte("\x00\x00\x00\x08wide\x00\x01\x00\x00mdat"), "", "MP4/QuickTime"},
		{"3GP", sniffFtypBox("3gp4", "isom", "3gp4"), "", "MP4/QuickTime"},
		{"Canon CR3", sniffFtypBox("crx ", "crx ", "isom"), "", "Canon CR3"},
		{"Canon CR2", []byte("II*\x00\x10\x00\x00\x00CR\x02\x00"), "", "Canon CR2"},
		{"BigTIFF", []byte("II+\x00\x08\x00\x00\x00"), "", "BigTIFF"},
		{"JPEG 2000 by brand", sniffFtypBox("jp2 ", "jp2 "), "", "JPEG 2000"},
		{"unknown ISO brand", sniffFtypBox("abcd", "efgh"), "", `ISO media with brand "abcd"`},
		{"ftyp too small", []byte("\x00\x00\x00\x0cftypheic\x00\x00\x00\x00"), "", `ISO media with a bad ftyp box "00 00 00 0c 66 74 79 70 68 65 69 63 00 00 00 00"`},
		{"ftyp cut in the major brand", []byte("\x00\x00\x00\x18ftyphei"), "", `ISO media with a bad ftyp box "00 00 00 18 66 74 79 70 68 65 69"`},
		{"brand past the ftyp size", sniffJoin([]byte("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00heic")), "", "MP4/QuickTime"},
		{"RIFF WAVE", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "", `RIFF "WAVE"`},
		{"RIFF cut", []byte("RIFF\x24\x00"), "", "truncated RIFF"},
		{"WebP cut before its chunk", []byte("RIFF\x24\x00\x00\x00WEBPVP"), "", "truncated WebP"},
		{"WebP unknown chunk", []byte("RIFF\x24\x00\x00\x00WEBPALPH"), "", `WebP with a "ALPH" chunk`},

		// Unsupported: hex dump of at most 16 bytes.
		{"JPEG SOI only", []byte{0xff, 0xd8}, "", `"ff d8"`},
		{"PNG signature cut", []byte("\x89PNG\r\n\x1a"), "", `"89 50 4e 47 0d 0a 1a"`},
		{"BM with a bad DIB size", sniffJoin([]byte("BM"), bytes.Repeat([]byte{0x99}, 20)), "", `"42 4d 99 99 99 99 99 99 99 99 99 99 99 99 99 99"`},
		{"PDF header crossing byte 1024", sniffJoin(junk[:1020], []byte("%PDF-1.4")), "", `"00 9a 00 9a 00 9a 00 9a 00 9a 00 9a 00 9a 00 9a"`},
		{"PDF header after byte 1024", sniffJoin(junk, []byte("%PDF-1.4")), "", `"00 9a 00 9a 00 9a 00 9a 00 9a 00 9a 00 9a 00 9a"`},
		{"ICO with no images", []byte{0x00, 0x00, 0x01, 0x00, 0x00, 0x00}, "", `"00 00 01 00 00 00"`},
		{"text with a NUL", []byte("abc\x00def"), "", `"61 62 63 00 64 65 66"`},
		{"invalid UTF-8", []byte("abc\xffdef"), "", `"61 62 63 ff 64 65 66"`},
	}
	// Every HEVC brand, as the major brand and as a compatible brand.
	for _, b := range []string{"heic", "heix", "hevc", "hevx", "heim", "heis"} {
		cases = append(cases,
			sniffCase{"major brand " + b, sniffFtypBox(b, "mif1"), HEIC, ""},
			sniffCase{"compatible brand " + b, sniffFtypBox("mif1", "miaf", b), HEIC, ""},
			sniffCase{"AVIF plus " + b, sniffFtypBox("avif", "mif1", b), HEIC, ""})
	}
	for _, b := range []string{"mif1", "msf1"} {
		cases = append(cases,
			sniffCase{"major brand " + b, sniffFtypBox(b, "miaf"), HEIC, ""},
			sniffCase{"compatible brand " + b, sniffFtypBox("abcd", b), HEIC, ""})
	}
	return cases
}

func checkSniff(t *testing.T, in []byte, want Format, seen string) {
	t.Helper()
	got, err := Sniff(in)
	if seen == "" {
		if err != nil || got != want {
			t.Fatalf("Sniff = %q, %v; want %q", got, err, want)
		}
		return
	}
	var ue *UnsupportedFormatError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupportedFormat) {
		t.Fatalf("Sniff = %q, %v; want an UnsupportedFormatError", got, err)
	}
	if ue.Seen != seen {
		t.Fatalf("Seen = %s, want %s", ue.Seen, seen)
	}
	if got != "" {
		t.Fatalf("Sniff returned format %q with an error", got)
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffCases() {
		t.Run(tt.name, func(t *testing.T) { checkSniff(t, tt.in, tt.want, tt.seen) })
	}
}

// TestSniffFixtures sniffs the files in testdata (made with real tools,
// see testdata/README.md).
func TestSniffFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Format
		seen string
	}{
		{"orientation_6.jpg", JPEG, ""},
		{"photo_2400x1800.jpg", JPEG, ""},
		{"jpeg_progressive.jpg", JPEG, ""},
		{"jpeg_cmyk.jpg", JPEG, ""},
		{"jpeg_gray.jpg", JPEG, ""},
		{"truncated.jpg", JPEG, ""},
		{"bomb_jpeg_65535x65535.jpg", JPEG, ""},
		{"small_640x480.png", PNG, ""},
		{"png_palette_trns.png", PNG, ""},
		{"png_exif_orient6.png", PNG, ""},
		{"bomb_png_100000x100000.png", PNG, ""},
		{"small_640x480.webp", WebP, ""},
		{"webp_lossless_alpha.webp", WebP, ""},
		{"webp_exif_orient6.webp", WebP, ""},
		{"bomb_webp_vp8l_16384x16384.webp", WebP, ""},
		{"bomb_webp_vp8x_16384x16384.webp", WebP, ""},
		{"image.tiff", TIFF, ""},
		{"bomb_tiff_100000x100000.tiff", TIFF, ""},
		{"image.bmp", BMP, ""},
		{"bomb_bmp_100000x100000.bmp", BMP, ""},
		{"image.gif", GIF, ""},
		{"animated.gif", GIF, ""},
		{"bomb_gif_65535x65535.gif", GIF, ""},
		{"tiny.avif", "", "AVIF"},
		{"image.svg", "", "SVG"},
		{"text.txt", "", "text"},
		{"empty.bin", "", "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(sniffTestdata, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			checkSniff(t, b, tt.want, tt.seen)
		})
	}
	// The HEIC fixtures (testdata/heic, made by libheif's heif-enc).
	heics, _ := filepath.Glob(filepath.Join(sniffTestdata, "heic", "*.heic"))
	for _, f := range heics {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkSniff(t, b, HEIC, "")
		})
	}
}

// TestSniffReadsOnlySniffLen: bytes after SniffLen never change the answer.
func TestSniffReadsOnlySniffLen(t *testing.T) {
	for _, tt := range sniffCases() {
		t.Run(tt.name, func(t *testing.T) {
			padded := make([]byte, SniffLen)
			copy(padded, tt.in)
			want, wantErr := Sniff(padded)
			longer := sniffJoin(padded, []byte("%PDF-1.7 <svg> ftypheic"))
			got, err := Sniff(longer)
			if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
				t.Fatalf("Sniff(%d bytes) = %q, %v; Sniff(first %d) = %q, %v", len(longer), got, err, SniffLen, want, wantErr)
			}
		})
	}
}

func TestSniffErrorMessage(t *testing.T) {
	_, err := Sniff(sniffFtypBox("avif", "mif1"))
	if err == nil || err.Error() != "preprocess: unsupported format: AVIF" {
		t.Fatalf("err = %v", err)
	}
}

func TestSniffZeroAllocs(t *testing.T) {
	heic := sniffFtypBox("heic", "mif1", "MiHE", "miaf", "heic")
	pdf := sniffJoin(bytes.Repeat([]byte{0x9a}, 900), []byte("%PDF-1.4"))
	for _, in := range [][]byte{{0xff, 0xd8, 0xff, 0xe1}, heic, pdf} {
		if n := testing.AllocsPerRun(50, func() { _, _ = Sniff(in) }); n != 0 {
			t.Errorf("Sniff(%q...) makes %v allocations, want 0", in[:4], n)
		}
	}
}

// FuzzSniff: Sniff never panics; a recognised format's magic number is
// really present; an unsupported input gets a short, non-empty Seen; and
// bytes after SniffLen never matter.
func FuzzSniff(f *testing.F) {
	for _, tt := range sniffCases() {
		f.Add(tt.in)
	}
	files, _ := filepath.Glob(filepath.Join(sniffTestdata, "*.*"))
	heics, _ := filepath.Glob(filepath.Join(sniffTestdata, "heic", "*.heic"))
	for _, file := range append(files, heics...) {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b[:min(len(b), SniffLen+16)])
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 4*SniffLen {
			return
		}
		got, err := Sniff(in)
		if err != nil {
			var ue *UnsupportedFormatError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupportedFormat) {
				t.Fatalf("error %v is not an UnsupportedFormatError", err)
			}
			if ue.Seen == "" || len(ue.Seen) > 100 {
				t.Fatalf("Seen = %q", ue.Seen)
			}
			if got != "" {
				t.Fatalf("format %q with an error", got)
			}
		} else if !magicPresent(got, in) {
			t.Fatalf("Sniff = %q, but its magic number is missing from % x", got, in[:min(len(in), 32)])
		}
		if len(in) > SniffLen {
			got2, err2 := Sniff(in[:SniffLen])
			if got2 != got || (err2 == nil) != (err == nil) {
				t.Fatalf("Sniff depends on bytes after SniffLen: %q, %v vs %q, %v", got, err, got2, err2)
			}
		}
	})
}

// magicPresent independently checks the magic number of format f in in.
func magicPresent(f Format, in []byte) bool {
	s := string(in)
	switch f {
	case JPEG:
		return strings.HasPrefix(s, "\xff\xd8\xff")
	case PNG:
		return strings.HasPrefix(s, "\x89PNG\r\n\x1a\n")
	case GIF:
		return strings.HasPrefix(s, "GIF87a") || strings.HasPrefix(s, "GIF89a")
	case WebP:
		return len(s) >= 16 && s[:4] == "RIFF" && s[8:12] == "WEBP" && strings.HasPrefix(s[12:], "VP8")
	case TIFF:
		return strings.HasPrefix(s, "II*\x00") || strings.HasPrefix(s, "MM\x00*")
	case BMP:
		return strings.HasPrefix(s, "BM")
	case PDF:
		return strings.Contains(s[:min(len(s), SniffLen)], "%PDF-")
	case HEIC:
		if len(s) < 16 || s[4:8] != "ftyp" {
			return false
		}
		head := s[:min(len(s), SniffLen)]
		for _, b := range []string{"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"} {
			if strings.Contains(head[8:], b) {
				return true
			}
		}
	}
	return false
}

// BenchmarkSniff compares Sniff with the baseline net/http.DetectContentType
// (the standard library's sniffer, which knows fewer formats) on the same
// heads, in the same run.
func BenchmarkSniff(b *testing.B) {
	heads := []struct {
		name string
		in   []byte
	}{
		{"jpeg", []byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x62, 'E', 'x', 'i', 'f', 0, 0}},
		{"heic", sniffFtypBox("heic", "mif1", "MiHE", "MiPr", "miaf", "MiHB", "heic")},
		{"pdf_at_1000", sniffJoin(bytes.Repeat([]byte{0x9a}, 1000), []byte("%PDF-1.4"))},
		{"text_1024", bytes.Repeat([]byte("text "), SniffLen/5)},
	}
	for _, h := range heads {
		head := h.in[:min(len(h.in), SniffLen)]
		b.Run("Sniff/"+h.name, func(b *testing.B) {
			b.SetBytes(int64(len(head)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Sniff(head)
			}
		})
		b.Run("baseline=http.DetectContentType/"+h.name, func(b *testing.B) {
			b.SetBytes(int64(len(head)))
			b.ReportAllocs()
			for b.Loop() {
				_ = http.DetectContentType(head)
			}
		})
	}
}
