package upload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Documented limits of the media endpoint, checked before sending.
const (
	// MaxImageDataURIBytes is the largest image content accepted, measured
	// as the whole data URI string "data:<mime>;base64,<base64>" (24 MB).
	MaxImageDataURIBytes = 24_000_000
	// MaxPDFBytes is the largest PDF accepted, measured on the raw file
	// (20 MB).
	MaxPDFBytes = 20_000_000
	// MaxImageSide is the longest image side the API processes, in pixels.
	// The client does not decode images, so it does not check it; package
	// preprocess fits images to it and package uploadtest enforces it.
	MaxImageSide = 1920
	// MaxTimestampAge is how old Media.CaptureTime may be (vendor code 1201).
	MaxTimestampAge = time.Hour
	// MaxClockSkew is how far in the future Media.CaptureTime may be, to
	// absorb clock differences between the capturing device and this host.
	MaxClockSkew = time.Minute
	// TimestampLayout formats Media.CaptureTime in the body, in UTC with
	// milliseconds, e.g. "2025-01-01T10:00:00.000Z".
	TimestampLayout = "2006-01-02T15:04:05.000Z07:00"
)

// MIME types accepted by the media endpoint.
const (
	MIMEJPEG = "image/jpeg"
	MIMEJPG  = "image/jpg" // non-standard alias the API lists
	MIMEPNG  = "image/png"
	MIMEHEIF = "image/heif"
	MIMEHEIC = "image/heic"
	MIMEWebP = "image/webp"
	MIMEPDF  = "application/pdf"
)

// MIMETypes lists the MIME types accepted by the media endpoint, in the order
// of the vendor's documentation. It is informative: validation uses a private
// copy, so modifying it changes nothing.
var MIMETypes = []string{MIMEJPEG, MIMEJPG, MIMEPNG, MIMEHEIF, MIMEHEIC, MIMEWebP, MIMEPDF}

var acceptedMIME = map[string]bool{MIMEJPEG: true, MIMEJPG: true, MIMEPNG: true, MIMEHEIF: true, MIMEHEIC: true, MIMEWebP: true, MIMEPDF: true}

// AcceptedMIME reports whether the media endpoint accepts mimeType, compared
// exactly (lowercase, no parameters), as in MIMETypes.
func AcceptedMIME(mimeType string) bool { return acceptedMIME[mimeType] }

// Contexts lists the documented media contexts (what an image shows). The
// client refuses others unless AllowContexts or AllowAnyContext is given.
// New copies it, so modifying it affects only clients created afterwards;
// prefer AllowContexts.
var Contexts = []string{
	"face", "face-pre", "face-nfc", "face-cropped", "face-reference",
	"document-front", "document-front-pre", "document-front-qrcode",
	"document-front-qrcode-pre", "document-front-face-cropped",
	"document-back", "document-back-pre", "document-back-barcode",
	"document-back-barcode-pre", "document-back-qrcode",
	"document-back-qrcode-pre", "document-and-face", "document-and-face-pre",
	"registry-face", "address-front", "generic-document-front",
}

// Media is one file to upload. Give either Content or Reader with Size.
// The zero CaptureTime omits the timestamp.
type Media struct {
	// Context says what the media shows, one of Contexts, e.g.
	// "document-front".
	Context string
	// MIMEType is one of MIMETypes and must match the content's real
	// format (checked on its first bytes).
	MIMEType string
	// Content is the raw file. It is read, never modified or retained
	// after the call returns.
	Content []byte
	// Reader supplies the raw file when Content is nil; it is read at
	// least twice (once to sign, once per attempt) from offset 0 to Size,
	// so it must return the same bytes every time (*os.File,
	// *bytes.Reader, *io.SectionReader).
	Reader io.ReaderAt
	// Size is the number of bytes of Reader to send; ignored with Content.
	Size int64
	// CaptureTime is when the media was captured. Optional; it must be at
	// most MaxTimestampAge old and at most MaxClockSkew in the future.
	CaptureTime time.Time
}

// source returns the content as a ReaderAt and its size.
func (m *Media) source() (io.ReaderAt, int64) {
	if m.Content != nil {
		return bytes.NewReader(m.Content), int64(len(m.Content))
	}
	return m.Reader, m.Size
}

// DataURISize returns the length in bytes of the data URI
// "data:<mimeType>;base64,<base64 of n bytes>" without building it.
func DataURISize(mimeType string, n int64) int64 {
	return int64(len(dataURIPrefix(mimeType))) + base64Len(n)
}

// base64Len is the padded standard base64 length of n bytes, in int64 so
// that it cannot overflow on 32-bit platforms.
func base64Len(n int64) int64 { return (n + 2) / 3 * 4 }

func dataURIPrefix(mimeType string) string { return "data:" + mimeType + ";base64," }

// validate checks m against the documented rules. now is the reference time
// for the timestamp; contexts is the accepted set (nil = any non-empty).
func (m *Media) validate(now time.Time, contexts map[string]bool, anyContext bool) error {
	if m.Context == "" {
		return &InvalidMediaError{Field: "context", Code: "1102", Reason: "empty"}
	}
	if !anyContext && !contexts[m.Context] {
		return &InvalidMediaError{Field: "context", Code: "1402", Reason: fmt.Sprintf("%q is not a documented context", m.Context)}
	}
	if !AcceptedMIME(m.MIMEType) {
		return &InvalidMediaError{Field: "mimeType", Code: "1104", Reason: fmt.Sprintf("%q is not accepted by the API", m.MIMEType)}
	}
	src, size := m.source()
	if m.Content == nil && m.Reader == nil {
		return &InvalidMediaError{Field: "content", Code: "1400", Reason: "neither Content nor Reader given"}
	}
	if size <= 0 {
		return &InvalidMediaError{Field: "content", Code: "1400", Reason: "empty"}
	}
	if m.MIMEType == MIMEPDF {
		if size > MaxPDFBytes {
			return &InvalidMediaError{Field: "content", Code: "1104", Reason: fmt.Sprintf("PDF is %d bytes, limit %d", size, MaxPDFBytes)}
		}
	} else if size > MaxImageDataURIBytes { // guards the int conversion below
		return &InvalidMediaError{Field: "content", Code: "1104", Reason: fmt.Sprintf("image is %d bytes, data URI limit %d", size, MaxImageDataURIBytes)}
	} else if n := DataURISize(m.MIMEType, size); n > MaxImageDataURIBytes {
		return &InvalidMediaError{Field: "content", Code: "1104", Reason: fmt.Sprintf("image data URI is %d bytes, limit %d", n, MaxImageDataURIBytes)}
	}
	var head [32]byte
	k, err := src.ReadAt(head[:min(int64(len(head)), size)], 0)
	if err != nil && err != io.EOF {
		return fmt.Errorf("upload: reading content: %w", err)
	}
	if got := SniffMIME(head[:k]); !sameFormat(got, m.MIMEType) {
		if got == "" {
			got = "unknown"
		}
		return &InvalidMediaError{Field: "mimeType", Code: "1104", Reason: fmt.Sprintf("declared %s but content is %s", m.MIMEType, got)}
	}
	if !m.CaptureTime.IsZero() {
		age := now.Sub(m.CaptureTime)
		if age > MaxTimestampAge {
			return &InvalidMediaError{Field: "timestamp", Code: "1201", Reason: "older than " + MaxTimestampAge.String() + " (" + age.Round(time.Second).String() + ")"}
		}
		if age < -MaxClockSkew {
			return &InvalidMediaError{Field: "timestamp", Code: "1201", Reason: "in the future by " + (-age).Round(time.Second).String()}
		}
	}
	return nil
}

// SniffMIME returns the MIME type of the format whose signature starts head
// (at least 12 bytes are needed for WebP and HEIF): MIMEJPEG, MIMEPNG,
// MIMEWebP, MIMEHEIC (any HEIF brand), MIMEPDF, or "" when none matches.
// Cost is constant.
func SniffMIME(head []byte) string {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return MIMEJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return MIMEPNG
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return MIMEWebP
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return MIMEPDF
	case len(head) >= 12 && string(head[4:8]) == "ftyp" && isHEIFBrand(string(head[8:12])):
		return MIMEHEIC
	}
	return ""
}

// isHEIFBrand reports whether a major brand marks a HEIF still image.
func isHEIFBrand(b string) bool {
	switch b {
	case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1":
		return true
	}
	return false
}

// sameFormat reports whether a sniffed MIME type satisfies a declared one.
func sameFormat(sniffed, declared string) bool {
	switch declared {
	case MIMEJPEG, MIMEJPG:
		return sniffed == MIMEJPEG
	case MIMEHEIC, MIMEHEIF:
		return sniffed == MIMEHEIC
	}
	return sniffed == declared
}

// formatTimestamp writes t in UTC as TimestampLayout.
func formatTimestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// quoteJSON returns s as a JSON string literal. Contexts and MIME types are
// validated, but quoting keeps the body well-formed under AllowAnyContext.
func quoteJSON(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
