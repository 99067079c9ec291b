package preprocess

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// SniffLen is how many leading bytes [Sniff] needs to decide (1024: a PDF
// header may start anywhere in the first 1024 bytes). Sniff never looks
// further, so its answer for a longer head is the answer for its first
// SniffLen bytes.
const SniffLen = 1024

// Sniff reports the format of the data whose first bytes are head (pass at
// least min(SniffLen, len(data)) bytes). It decides from content alone,
// never from a file name, by the formats' magic numbers:
//
//   - JPEG: FF D8 FF
//   - PNG: the 8-byte PNG signature
//   - GIF: "GIF87a" or "GIF89a"
//   - WebP: "RIFF", size, "WEBP", then a "VP8 ", "VP8L" or "VP8X" chunk
//   - TIFF: "II*\x00" or "MM\x00*" (not BigTIFF, not Canon CR2)
//   - BMP: "BM" and a plausible header (a known DIB header size)
//   - HEIC: an ISOBMFF "ftyp" box whose major or a compatible brand is
//     heic, heix, hevc, hevx, heim, heis, mif1 or msf1, unless it is AVIF
//     (avif or avis with none of the HEVC brands)
//   - PDF: "%PDF-" anywhere in the first SniffLen bytes (after the
//     magic numbers above, which win)
//
// Anything else returns an [*UnsupportedFormatError] (matching
// [ErrUnsupportedFormat]) whose Seen names what the bytes look like:
// "empty input", "AVIF", "SVG", "HTML", "XML", "text", "JPEG 2000",
// "JPEG XL", "ICO", "PSD", "ZIP", "MP4/QuickTime", ..., or else a quoted
// hex dump of at most the first 16 bytes.
//
// Sniff reads at most SniffLen bytes, does not allocate unless it returns
// an error, and is safe for concurrent use.
func Sniff(head []byte) (Format, error) {
	head = head[:min(len(head), SniffLen)]
	if len(head) == 0 {
		return "", unsupported("empty input")
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, nil
	case bytes.HasPrefix(head, []byte("RIFF")):
		return sniffRIFF(head)
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		if len(head) >= 10 && string(head[8:10]) == "CR" {
			return "", unsupported("Canon CR2")
		}
		return TIFF, nil
	case bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return "", unsupported("BigTIFF")
	case bytes.HasPrefix(head, []byte("BM")) && plausibleBMP(head):
		return BMP, nil
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	}
	if len(head) >= 12 {
		switch string(head[:12]) {
		case "\x00\x00\x00\x0cjP  \r\n\x87\n":
			return "", unsupported("JPEG 2000")
		case "\x00\x00\x00\x0cJXL \r\n\x87\n":
			return "", unsupported("JPEG XL")
		}
	}
	if len(head) >= 8 && string(head[4:8]) == "ftyp" {
		return sniffFtyp(head)
	}
	if bytes.Contains(head, []byte("%PDF-")) {
		return PDF, nil
	}
	if seen := sniffOther(head); seen != "" {
		return "", unsupported(seen)
	}
	return "", unsupported(fmt.Sprintf("%q", fmt.Sprintf("% x", head[:min(len(head), 16)])))
}

func unsupported(seen string) error { return &UnsupportedFormatError{Seen: seen} }

// sniffRIFF tells WebP from other RIFF files (WAVE, AVI, ...).
func sniffRIFF(head []byte) (Format, error) {
	if len(head) < 12 {
		return "", unsupported("truncated RIFF")
	}
	if form := head[8:12]; string(form) != "WEBP" {
		return "", unsupported(fmt.Sprintf("RIFF %q", form))
	}
	if len(head) < 16 {
		return "", unsupported("truncated WebP")
	}
	switch string(head[12:16]) {
	case "VP8 ", "VP8L", "VP8X":
		return WebP, nil
	}
	return "", unsupported(fmt.Sprintf("WebP with a %q chunk", head[12:16]))
}

// plausibleBMP checks the header after "BM": the DIB header size (at byte
// 14) must be one of the sizes the BMP variants define, and the pixel
// data must start after the headers.
func plausibleBMP(head []byte) bool {
	if len(head) < 18 {
		return false
	}
	off := binary.LittleEndian.Uint32(head[10:])
	dib := binary.LittleEndian.Uint32(head[14:])
	switch dib {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return off >= 14+dib
	}
	return false
}

// ftypBrands returns the major brand and the compatible brands (4 bytes
// each, a partial last one dropped) of the ftyp box at the start of head,
// reading no further than the box's declared size or the end of head. ok
// is false if the declared size cannot hold a major brand and minor
// version.
func ftypBrands(head []byte) (major, compat []byte, ok bool) {
	size := uint64(binary.BigEndian.Uint32(head))
	start := uint64(8)
	switch size {
	case 0: // the box extends to the end of the file
		size = uint64(len(head))
	case 1: // a 64-bit size follows the type
		if len(head) < 16 {
			return nil, nil, false
		}
		size, start = binary.BigEndian.Uint64(head[8:]), 16
	}
	end := min(size, uint64(len(head)))
	if size < start+8 || end < start+8 {
		return nil, nil, false
	}
	compat = head[start+8 : end]
	return head[start : start+4], compat[:len(compat)/4*4], true
}

// sniffFtyp classifies an ISOBMFF file by the brands of its ftyp box.
func sniffFtyp(head []byte) (Format, error) {
	major, compat, ok := ftypBrands(head)
	if !ok {
		return "", unsupported(fmt.Sprintf("ISO media with a bad ftyp box %q", fmt.Sprintf("% x", head[:min(len(head), 16)])))
	}
	var hevc, avif, mif, jp2, video, cr3 bool
	each := func(b []byte) {
		switch string(b) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis":
			hevc = true
		case "avif", "avis":
			avif = true
		case "mif1", "msf1":
			mif = true
		case "jp2 ", "jpx ", "jpm ":
			jp2 = true
		case "crx ":
			cr3 = true
		case "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1",
			"qt  ", "M4V ", "M4A ", "M4P ", "M4B ", "3gp4", "3gp5", "3gp6", "3g2a", "dash", "f4v ", "MSNV":
			video = true
		}
	}
	each(major)
	for i := 0; i < len(compat); i += 4 {
		each(compat[i : i+4])
	}
	// AVIF files carry mif1/msf1 too, so the HEVC brands decide first,
	// then AVIF, and only then the generic HEIF brands.
	switch {
	case hevc:
		return HEIC, nil
	case avif:
		return "", unsupported("AVIF")
	case mif:
		return HEIC, nil
	case jp2:
		return "", unsupported("JPEG 2000")
	case cr3:
		return "", unsupported("Canon CR3")
	case video:
		return "", unsupported("MP4/QuickTime")
	}
	return "", unsupported(fmt.Sprintf("ISO media with brand %q", major))
}

// sniffOther names the unsupported kinds recognisable from the first
// bytes, or returns "".
func sniffOther(head []byte) string {
	has := func(p string) bool { return bytes.HasPrefix(head, []byte(p)) }
	switch {
	case has("\xff\x4f\xff\x51"):
		return "JPEG 2000"
	case has("\xff\x0a"):
		return "JPEG XL"
	case has("8BPS"):
		return "PSD"
	case has("PK\x03\x04"), has("PK\x05\x06"), has("PK\x07\x08"):
		return "ZIP"
	case has("\x1f\x8b"):
		return "gzip"
	case (has("\x00\x00\x01\x00") || has("\x00\x00\x02\x00")) && len(head) >= 6 && (head[4] != 0 || head[5] != 0):
		if head[2] == 2 {
			return "CUR"
		}
		return "ICO"
	case len(head) >= 8 && isQuickTimeAtom(head[4:8]):
		return "MP4/QuickTime"
	case has("%!PS"):
		return "PostScript"
	}
	return sniffText(head)
}

// isQuickTimeAtom reports the top-level atoms a QuickTime file without an
// ftyp box starts with.
func isQuickTimeAtom(typ []byte) bool {
	switch string(typ) {
	case "moov", "mdat", "wide", "free", "skip", "pnot":
		return true
	}
	return false
}

// sniffText names SVG, HTML, XML and plain text (valid UTF-8 without
// control characters other than whitespace), or returns "".
func sniffText(head []byte) string {
	s := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	if !isText(s) {
		return ""
	}
	s = bytes.TrimLeft(s, " \t\r\n\f")
	if len(s) > 0 && s[0] == '<' {
		lower := func(p string) bool { return len(s) >= len(p) && bytes.EqualFold(s[:len(p)], []byte(p)) }
		switch {
		case lower("<svg"):
			return "SVG"
		case lower("<!doctype html"), lower("<html"), lower("<head"), lower("<body"):
			return "HTML"
		case containsFold(s, "<svg"):
			return "SVG"
		case containsFold(s, "<html"):
			return "HTML"
		}
		return "XML"
	}
	return "text"
}

// isText reports whether b is UTF-8 text: no NUL or other control bytes
// except tab, LF, CR and FF, and valid UTF-8 apart from a rune cut at
// the end.
func isText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return !utf8.FullRune(b[i:]) // a rune cut by the end of head
		}
		i += n
	}
	return true
}

// containsFold reports whether s contains the ASCII string sub, ignoring
// ASCII case.
func containsFold(s []byte, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(sub)], []byte(sub)) {
			return true
		}
	}
	return false
}
