package upload

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	jpegHead = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	webpHead = []byte("RIFF\x24\x00\x00\x00WEBPVP8 ")
	heicHead = []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	pdfHead  = []byte("%PDF-1.7\n")
)

// sized returns head padded with zeros to n bytes.
func sized(head []byte, n int) []byte {
	b := make([]byte, n)
	copy(b, head)
	return b
}

func TestValidate(t *testing.T) {
	now := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	contexts := map[string]bool{}
	for _, c := range Contexts {
		contexts[c] = true
	}
	maxJPEG := (MaxImageDataURIBytes - len("data:image/jpeg;base64,")) / 4 * 3
	tests := []struct {
		name      string
		m         Media
		any       bool
		wantField string // "" = valid
		wantCode  string
	}{
		{"jpeg ok", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead}, false, "", ""},
		{"jpg alias ok", Media{Context: "face", MIMEType: MIMEJPG, Content: jpegHead}, false, "", ""},
		{"png ok", Media{Context: "document-back", MIMEType: MIMEPNG, Content: pngHead}, false, "", ""},
		{"webp ok", Media{Context: "document-front", MIMEType: MIMEWebP, Content: webpHead}, false, "", ""},
		{"heic ok", Media{Context: "document-front", MIMEType: MIMEHEIC, Content: heicHead}, false, "", ""},
		{"heif ok", Media{Context: "document-front", MIMEType: MIMEHEIF, Content: heicHead}, false, "", ""},
		{"pdf ok", Media{Context: "address-front", MIMEType: MIMEPDF, Content: pdfHead}, false, "", ""},
		{"reader ok", Media{Context: "face", MIMEType: MIMEJPEG, Reader: bytes.NewReader(jpegHead), Size: int64(len(jpegHead))}, false, "", ""},
		{"largest jpeg ok", Media{Context: "face", MIMEType: MIMEJPEG, Content: sized(jpegHead, maxJPEG)}, false, "", ""},
		{"timestamp now ok", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead, CaptureTime: now}, false, "", ""},
		{"timestamp 59m ok", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead, CaptureTime: now.Add(-59 * time.Minute)}, false, "", ""},
		{"timestamp skew ok", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead, CaptureTime: now.Add(30 * time.Second)}, false, "", ""},
		{"any context ok", Media{Context: "selfie", MIMEType: MIMEJPEG, Content: jpegHead}, true, "", ""},

		{"empty context", Media{MIMEType: MIMEJPEG, Content: jpegHead}, true, "context", "1102"},
		{"unknown context", Media{Context: "selfie", MIMEType: MIMEJPEG, Content: jpegHead}, false, "context", "1402"},
		{"unknown mime", Media{Context: "face", MIMEType: "image/gif", Content: []byte("GIF89a")}, false, "mimeType", "1104"},
		{"mime with params", Media{Context: "face", MIMEType: "image/jpeg; q=1", Content: jpegHead}, false, "mimeType", "1104"},
		{"no content", Media{Context: "face", MIMEType: MIMEJPEG}, false, "content", "1400"},
		{"empty content", Media{Context: "face", MIMEType: MIMEJPEG, Content: []byte{}}, false, "content", "1400"},
		{"reader size 0", Media{Context: "face", MIMEType: MIMEJPEG, Reader: bytes.NewReader(jpegHead)}, false, "content", "1400"},
		{"png declared jpeg", Media{Context: "face", MIMEType: MIMEJPEG, Content: pngHead}, false, "mimeType", "1104"},
		{"heic declared webp", Media{Context: "face", MIMEType: MIMEWebP, Content: heicHead}, false, "mimeType", "1104"},
		{"garbage", Media{Context: "face", MIMEType: MIMEPNG, Content: []byte("hello world!")}, false, "mimeType", "1104"},
		{"jpeg one byte over", Media{Context: "face", MIMEType: MIMEJPEG, Content: sized(jpegHead, maxJPEG+1)}, false, "content", "1104"},
		{"pdf at limit", Media{Context: "face", MIMEType: MIMEPDF, Reader: bytes.NewReader(pdfHead), Size: MaxPDFBytes}, false, "", ""},
		{"pdf over limit", Media{Context: "face", MIMEType: MIMEPDF, Reader: bytes.NewReader(pdfHead), Size: MaxPDFBytes + 1}, false, "content", "1104"},
		{"huge reader", Media{Context: "face", MIMEType: MIMEJPEG, Reader: bytes.NewReader(jpegHead), Size: 1 << 62}, false, "content", "1104"},
		{"timestamp old", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead, CaptureTime: now.Add(-time.Hour - time.Second)}, false, "timestamp", "1201"},
		{"timestamp future", Media{Context: "face", MIMEType: MIMEJPEG, Content: jpegHead, CaptureTime: now.Add(2 * time.Minute)}, false, "timestamp", "1201"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.validate(now, contexts, tt.any)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var ie *InvalidMediaError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidMedia) {
				t.Fatalf("err = %v, want *InvalidMediaError", err)
			}
			if ie.Field != tt.wantField || ie.Code != tt.wantCode {
				t.Fatalf("field/code = %s/%s, want %s/%s (%v)", ie.Field, ie.Code, tt.wantField, tt.wantCode, err)
			}
			if !strings.HasPrefix(err.Error(), "upload: invalid media: ") {
				t.Fatalf("message %q lacks the package prefix", err)
			}
		})
	}
}

func TestSniffMIME(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"jpeg", jpegHead, MIMEJPEG},
		{"png", pngHead, MIMEPNG},
		{"webp", webpHead, MIMEWebP},
		{"heic", heicHead, MIMEHEIC},
		{"mif1", []byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00"), MIMEHEIC},
		{"avif is not accepted", []byte("\x00\x00\x00\x18ftypavif\x00\x00\x00\x00"), ""},
		{"mp4 is not heic", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x00\x00"), ""},
		{"pdf", pdfHead, MIMEPDF},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), ""},
		{"short jpeg", []byte{0xFF, 0xD8}, ""},
		{"empty", nil, ""},
		{"gif", []byte("GIF89a"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SniffMIME(tt.head); got != tt.want {
				t.Fatalf("SniffMIME = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsUUID(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"f04bdb47-d3be-4b28-b028-a652feb060b5", true},
		{"F04BDB47-D3BE-4B28-B028-A652FEB060B5", true},
		{"f04bdb47d3be4b28b028a652feb060b5", false},
		{"f04bdb47-d3be-4b28-b028-a652feb060b", false},
		{"a1b2c3d4-e5f6-4g7h-8i9j-0k1l2m3n4o5p", false},
		{"../../../etc/passwd-000000000000000", false},
		{"f04bdb47-d3be-4b28-b028-a652feb060b5/", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := isUUID(tt.s); got != tt.want {
				t.Fatalf("isUUID = %v", got)
			}
		})
	}
}

func TestAcceptedMIME(t *testing.T) {
	for _, m := range MIMETypes {
		if !AcceptedMIME(m) {
			t.Errorf("%s not accepted", m)
		}
	}
	for _, m := range []string{"", "image/gif", "IMAGE/JPEG", "image/jpeg;charset=x", "application/octet-stream"} {
		if AcceptedMIME(m) {
			t.Errorf("%q accepted", m)
		}
	}
}

func TestDataURISize(t *testing.T) {
	for n, want := range map[int64]int64{0: 23, 1: 27, 2: 27, 3: 27, 4: 31, 3_000_000: 4_000_023} {
		if got := DataURISize(MIMEJPEG, n); got != want {
			t.Errorf("DataURISize(jpeg, %d) = %d, want %d", n, got, want)
		}
	}
}
