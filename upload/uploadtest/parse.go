package uploadtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig for image/jpeg
	_ "image/png"  // DecodeConfig for image/png
	"strings"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	_ "golang.org/x/image/webp" // DecodeConfig for image/webp
)

// apiError is a documented failure answer: HTTP status, vendor code, message.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func badRequest(code, format string, args ...any) *apiError {
	return &apiError{status: 400, code: code, message: fmt.Sprintf(format, args...)}
}

// parsed is a media request that passed every check.
type parsed struct {
	context   string
	declared  string    // MIME type of the data URI, "" for bare base64
	format    string    // MIME type sniffed from the content
	content   []byte    // decoded content
	width     int       // 0 for PDF
	height    int       // 0 for PDF
	timestamp time.Time // zero when absent
	dataURI   bool
}

// checkRules are the per-server knobs of checkMedia.
type checkRules struct {
	now            time.Time
	contexts       map[string]bool
	requireDataURI bool
	rejectPDF      bool
	headerOnly     bool
	maxDataURI     int // image data URI limit; 0 means upload.MaxImageDataURIBytes
	maxPDF         int // PDF limit; 0 means upload.MaxPDFBytes
}

// checkMedia parses and checks an untrusted media request body as the API
// documents. It never panics; the content it returns has passed every limit.
func checkMedia(body []byte, r checkRules) (p *parsed, err *apiError) {
	var outer map[string]json.RawMessage
	if json.Unmarshal(body, &outer) != nil || outer == nil {
		return nil, badRequest("1102", "Mandatory parameters are missing from the request.")
	}
	rawImage, ok := outer["image"]
	if !ok {
		return nil, badRequest("1102", "Mandatory parameters are missing from the request.")
	}
	var img struct {
		Context   *string         `json:"context"`
		Content   *string         `json:"content"`
		Timestamp json.RawMessage `json:"timestamp"`
	}
	if json.Unmarshal(rawImage, &img) != nil || bytes.Equal(bytes.TrimSpace(rawImage), []byte("null")) {
		return nil, badRequest("1102", "Mandatory parameters are missing from the request.")
	}
	if img.Context == nil || img.Content == nil {
		return nil, badRequest("1102", "Mandatory parameters are missing from the request.")
	}
	p = &parsed{context: *img.Context}
	if !r.contexts[p.context] {
		return nil, badRequest("1402", "Context not supported.")
	}
	if ts := bytes.TrimSpace(img.Timestamp); len(ts) > 0 && !bytes.Equal(ts, []byte("null")) {
		var s string
		if json.Unmarshal(ts, &s) != nil {
			return nil, badRequest("1202", "Timestamp has invalid format.")
		}
		t, perr := time.Parse(time.RFC3339Nano, s)
		if perr != nil {
			return nil, badRequest("1202", "Timestamp has invalid format.")
		}
		if r.now.Sub(t) > upload.MaxTimestampAge || t.Sub(r.now) > upload.MaxClockSkew {
			return nil, badRequest("1201", "Timestamp is older than one hour or in the future.")
		}
		p.timestamp = t
	}
	content := *img.Content
	if content == "" {
		return nil, badRequest("1400", "Image data not found.")
	}
	b64 := content
	if strings.HasPrefix(content, "data:") {
		head, rest, ok := strings.Cut(content[len("data:"):], ";base64,")
		if !ok {
			return nil, badRequest("1401", "Image data is not valid base64 data URI.")
		}
		if !upload.AcceptedMIME(head) {
			return nil, badRequest("1104", "Invalid parameters: unsupported media type %q.", clipString(head))
		}
		p.declared, p.dataURI, b64 = head, true, rest
	} else if r.requireDataURI {
		return nil, badRequest("1104", "Invalid parameters: content must be a data URI.")
	}
	if b64 == "" {
		return nil, badRequest("1400", "Image data not found.")
	}
	maxURI, maxPDF := r.maxDataURI, r.maxPDF
	if maxURI == 0 {
		maxURI = upload.MaxImageDataURIBytes
	}
	if maxPDF == 0 {
		maxPDF = upload.MaxPDFBytes
	}
	if p.declared != upload.MIMEPDF && len(content) > maxURI {
		return nil, badRequest("1104", "Invalid parameters: image content is %d bytes as base64, limit %d.", len(content), maxURI)
	}
	data, derr := base64.StdEncoding.DecodeString(b64)
	if derr != nil {
		return nil, badRequest("1401", "Image data is not valid base64.")
	}
	p.content = data
	p.format = upload.SniffMIME(data[:min(len(data), 32)])
	if p.format == "" {
		return nil, badRequest("1104", "Invalid parameters: content is not JPEG, PNG, HEIF, WebP or PDF.")
	}
	if p.declared != "" && !sameFormat(p.format, p.declared) {
		return nil, badRequest("1104", "Invalid parameters: data URI says %s but the content is %s.", p.declared, p.format)
	}
	if p.format == upload.MIMEPDF {
		if r.rejectPDF {
			return nil, badRequest("1104", "Invalid parameters: PDF upload is not enabled for this integration.")
		}
		if len(data) > maxPDF {
			return nil, badRequest("1104", "Invalid parameters: PDF is %d bytes, limit %d.", len(data), maxPDF)
		}
		if !r.headerOnly && !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
			return nil, badRequest("1104", "Invalid parameters: PDF is truncated (no %%%%EOF in its last 1024 bytes).")
		}
		return p, nil
	}
	w, h, cerr := dimensions(p.format, data)
	if cerr != nil {
		return nil, badRequest("1104", "Invalid parameters: cannot read image dimensions.")
	}
	if max(w, h) > upload.MaxImageSide {
		return nil, badRequest("1104", "Invalid parameters: image is %dx%d, longer side limit %d px.", w, h, upload.MaxImageSide)
	}
	p.width, p.height = w, h
	if !r.headerOnly && p.format != upload.MIMEHEIC {
		// At most 1920x1920 pixels by now, so a full decode is bounded.
		if err := decodeAll(data); err != nil {
			return nil, badRequest("1104", "Invalid parameters: image data is corrupt or truncated.")
		}
	}
	return p, nil
}

// decodeAll decodes a JPEG, PNG or WebP fully, to catch corrupt or
// truncated data behind a valid header.
func decodeAll(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("uploadtest: decoder panic: %v", r)
		}
	}()
	_, _, err = image.Decode(bytes.NewReader(data))
	return err
}

// dimensions reads an image's size from its header.
func dimensions(format string, data []byte) (w, h int, err error) {
	if format == upload.MIMEHEIC {
		return heifDims(data)
	}
	defer func() {
		if r := recover(); r != nil { // third-party decoder: never crash the fake
			w, h, err = 0, 0, fmt.Errorf("uploadtest: decoder panic: %v", r)
		}
	}()
	cfg, name, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	if "image/"+name != format {
		return 0, 0, fmt.Errorf("uploadtest: sniffed %s, decoded as %s", format, name)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, fmt.Errorf("uploadtest: empty image")
	}
	return cfg.Width, cfg.Height, nil
}

// sameFormat reports whether a sniffed MIME type satisfies a declared one.
func sameFormat(sniffed, declared string) bool {
	switch declared {
	case upload.MIMEJPEG, upload.MIMEJPG:
		return sniffed == upload.MIMEJPEG
	case upload.MIMEHEIC, upload.MIMEHEIF:
		return sniffed == upload.MIMEHEIC
	}
	return sniffed == declared
}

// clipString bounds client-supplied text echoed in messages.
func clipString(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
