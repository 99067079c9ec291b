package uploadtest

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
)

var testNow = time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)

func testRules() checkRules {
	r := checkRules{now: testNow, contexts: map[string]bool{}}
	for _, c := range upload.Contexts {
		r.contexts[c] = true
	}
	return r
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mediaJSON(ctx, content, extra string) []byte {
	return []byte(`{"image":{"context":"` + ctx + `","content":"` + content + `"` + extra + `}}`)
}

func uri(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func TestCheckMedia(t *testing.T) {
	jpg, pngb, webp, heic, pdf := fixture(t, "tiny.jpg"), fixture(t, "tiny.png"), fixture(t, "tiny.webp"), fixture(t, "tiny.heic"), fixture(t, "tiny.pdf")
	tests := []struct {
		name     string
		body     []byte
		rules    func(*checkRules)
		wantCode string // "" = accepted
		wantW    int
		wantH    int
		format   string
	}{
		{"jpeg", mediaJSON("face", uri("image/jpeg", jpg), ""), nil, "", 64, 48, upload.MIMEJPEG},
		{"jpg alias", mediaJSON("face", uri("image/jpg", jpg), ""), nil, "", 64, 48, upload.MIMEJPEG},
		{"png", mediaJSON("document-back", uri("image/png", pngb), ""), nil, "", 64, 48, upload.MIMEPNG},
		{"webp", mediaJSON("document-front", uri("image/webp", webp), ""), nil, "", 64, 48, upload.MIMEWebP},
		{"heic", mediaJSON("document-front", uri("image/heic", heic), ""), nil, "", 64, 48, upload.MIMEHEIC},
		{"heif alias", mediaJSON("document-front", uri("image/heif", heic), ""), nil, "", 64, 48, upload.MIMEHEIC},
		{"pdf", mediaJSON("address-front", uri("application/pdf", pdf), ""), nil, "", 0, 0, upload.MIMEPDF},
		{"bare base64 (vendor demo)", mediaJSON("face", base64.StdEncoding.EncodeToString(jpg), ""), nil, "", 64, 48, upload.MIMEJPEG},
		{"timestamp ok", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":"2025-01-01T09:30:00.000Z"`), nil, "", 64, 48, upload.MIMEJPEG},
		{"timestamp null", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":null`), nil, "", 64, 48, upload.MIMEJPEG},
		{"1920 side ok", mediaJSON("face", uri("image/png", pngOf(t, 1920, 2)), ""), nil, "", 1920, 2, upload.MIMEPNG},
		{"extra fields ignored", []byte(`{"x":1,"image":{"y":[],"content":"` + uri("image/jpeg", jpg) + `","context":"face"}}`), nil, "", 64, 48, upload.MIMEJPEG},

		{"not JSON", []byte(`image=1`), nil, "1102", 0, 0, ""},
		{"JSON array", []byte(`[]`), nil, "1102", 0, 0, ""},
		{"JSON null", []byte(`null`), nil, "1102", 0, 0, ""},
		{"no image", []byte(`{"media":{}}`), nil, "1102", 0, 0, ""},
		{"image null", []byte(`{"image":null}`), nil, "1102", 0, 0, ""},
		{"image string", []byte(`{"image":"x"}`), nil, "1102", 0, 0, ""},
		{"no context", []byte(`{"image":{"content":"` + uri("image/jpeg", jpg) + `"}}`), nil, "1102", 0, 0, ""},
		{"no content", []byte(`{"image":{"context":"face"}}`), nil, "1102", 0, 0, ""},
		{"content number", []byte(`{"image":{"context":"face","content":1}}`), nil, "1102", 0, 0, ""},
		{"unknown context", mediaJSON("selfie", uri("image/jpeg", jpg), ""), nil, "1402", 0, 0, ""},
		{"empty content", mediaJSON("face", "", ""), nil, "1400", 0, 0, ""},
		{"empty data URI", mediaJSON("face", "data:image/jpeg;base64,", ""), nil, "1400", 0, 0, ""},
		{"not base64", mediaJSON("face", "data:image/jpeg;base64,@@@@", ""), nil, "1401", 0, 0, ""},
		{"data URI without base64", mediaJSON("face", "data:image/jpeg,abc", ""), nil, "1401", 0, 0, ""},
		{"gif MIME", mediaJSON("face", uri("image/gif", []byte("GIF89a")), ""), nil, "1104", 0, 0, ""},
		{"png declared jpeg", mediaJSON("face", uri("image/jpeg", pngb), ""), nil, "1104", 0, 0, ""},
		{"heic declared webp", mediaJSON("face", uri("image/webp", heic), ""), nil, "1104", 0, 0, ""},
		{"unknown format", mediaJSON("face", uri("image/png", []byte("hello, world")), ""), nil, "1104", 0, 0, ""},
		{"png too wide", mediaJSON("face", uri("image/png", pngOf(t, 1921, 2)), ""), nil, "1104", 0, 0, ""},
		{"png too tall", mediaJSON("face", uri("image/png", pngOf(t, 2, 2000)), ""), nil, "1104", 0, 0, ""},
		{"webp too wide", mediaJSON("face", uri("image/webp", fixture(t, "wide.webp")), ""), nil, "1104", 0, 0, ""},
		{"heic too wide", mediaJSON("face", uri("image/heic", fixture(t, "wide.heic")), ""), nil, "1104", 0, 0, ""},
		{"truncated jpeg header", mediaJSON("face", uri("image/jpeg", jpg[:20]), ""), nil, "1104", 0, 0, ""},
		{"truncated jpeg data", mediaJSON("face", uri("image/jpeg", jpg[:len(jpg)-200]), ""), nil, "1104", 0, 0, ""},
		{"truncated jpeg data, header only", mediaJSON("face", uri("image/jpeg", jpg[:len(jpg)-200]), ""), func(r *checkRules) { r.headerOnly = true }, "", 64, 48, upload.MIMEJPEG},
		{"truncated png data", mediaJSON("face", uri("image/png", pngb[:len(pngb)-100]), ""), nil, "1104", 0, 0, ""},
		{"truncated webp data", mediaJSON("face", uri("image/webp", webp[:len(webp)-100]), ""), nil, "1104", 0, 0, ""},
		{"truncated pdf", mediaJSON("address-front", uri("application/pdf", pdf[:len(pdf)-30]), ""), nil, "1104", 0, 0, ""},
		{"truncated pdf, header only", mediaJSON("address-front", uri("application/pdf", pdf[:len(pdf)-30]), ""), func(r *checkRules) { r.headerOnly = true }, "", 0, 0, upload.MIMEPDF},
		// Limits scaled down (a 24 MB body takes seconds under -race); the
		// defaults are checked in TestCheckRulesDefaults.
		{"image data URI at limit", mediaJSON("face", uri("image/jpeg", jpg), ""), func(r *checkRules) { r.maxDataURI = len(uri("image/jpeg", jpg)) }, "", 64, 48, upload.MIMEJPEG},
		{"image data URI over limit", mediaJSON("face", uri("image/jpeg", jpg), ""), func(r *checkRules) { r.maxDataURI = len(uri("image/jpeg", jpg)) - 1 }, "1104", 0, 0, ""},
		{"bare base64 over limit", mediaJSON("face", base64.StdEncoding.EncodeToString(jpg), ""), func(r *checkRules) { r.maxDataURI = 100 }, "1104", 0, 0, ""},
		{"pdf at limit", mediaJSON("address-front", uri("application/pdf", pdf), ""), func(r *checkRules) { r.maxPDF = len(pdf) }, "", 0, 0, upload.MIMEPDF},
		{"pdf over limit", mediaJSON("address-front", uri("application/pdf", pdf), ""), func(r *checkRules) { r.maxPDF = len(pdf) - 1 }, "1104", 0, 0, ""},
		{"pdf data URI may exceed the image limit", mediaJSON("address-front", uri("application/pdf", pdf), ""), func(r *checkRules) { r.maxDataURI = 100 }, "", 0, 0, upload.MIMEPDF},
		{"timestamp old", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":"2025-01-01T08:59:59Z"`), nil, "1201", 0, 0, ""},
		{"timestamp future", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":"2025-01-01T10:05:00Z"`), nil, "1201", 0, 0, ""},
		{"timestamp bad format", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":"01/01/2025 10:00"`), nil, "1202", 0, 0, ""},
		{"timestamp number", mediaJSON("face", uri("image/jpeg", jpg), `,"timestamp":1735725600`), nil, "1202", 0, 0, ""},
		{"bare base64 refused", mediaJSON("face", base64.StdEncoding.EncodeToString(jpg), ""), func(r *checkRules) { r.requireDataURI = true }, "1104", 0, 0, ""},
		{"pdf not enabled", mediaJSON("address-front", uri("application/pdf", pdf), ""), func(r *checkRules) { r.rejectPDF = true }, "1104", 0, 0, ""},
		{"extra context", mediaJSON("selfie", uri("image/jpeg", jpg), ""), func(r *checkRules) { r.contexts["selfie"] = true }, "", 64, 48, upload.MIMEJPEG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRules()
			if tt.rules != nil {
				tt.rules(&r)
			}
			p, e := checkMedia(tt.body, r)
			if tt.wantCode != "" {
				if e == nil {
					t.Fatalf("accepted, want code %s", tt.wantCode)
				}
				if e.code != tt.wantCode || e.status != 400 {
					t.Fatalf("got %v, want 400/%s", e, tt.wantCode)
				}
				return
			}
			if e != nil {
				t.Fatalf("refused: %v", e)
			}
			if p.width != tt.wantW || p.height != tt.wantH || p.format != tt.format {
				t.Fatalf("got %dx%d %s, want %dx%d %s", p.width, p.height, p.format, tt.wantW, tt.wantH, tt.format)
			}
		})
	}
}

// TestCheckRulesDefaults: zero limits mean the documented ones. The request
// is a data URI one byte over 24 MB made of "A"s; it must be refused on its
// length before any decoding.
func TestCheckRulesDefaults(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("24 MB body: slow under -race or -short")
	}
	content := "data:image/jpeg;base64," + strings.Repeat("A", upload.MaxImageDataURIBytes-len("data:image/jpeg;base64,")+1)
	_, e := checkMedia(mediaJSON("face", content, ""), testRules())
	if e == nil || e.code != "1104" || !strings.Contains(e.message, "limit 24000000") {
		t.Fatalf("got %v, want 1104 at the 24 MB limit", e)
	}
}

// FuzzCheckMedia feeds arbitrary request bodies to the fake's parser: it
// must never panic, and whatever it accepts must be within every limit.
func FuzzCheckMedia(f *testing.F) {
	for _, name := range []string{"tiny.jpg", "tiny.png", "tiny.webp", "tiny.heic", "tiny.pdf", "wide.heic", "wide.webp"} {
		b := fixture(f, name)
		mime := upload.SniffMIME(b[:32])
		f.Add(mediaJSON("face", uri(mime, b), ""))
		f.Add(mediaJSON("document-front", base64.StdEncoding.EncodeToString(b), `,"timestamp":"2025-01-01T09:59:00Z"`))
	}
	f.Add([]byte(`{"image":{"context":"face","content":"data:;base64,"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<16 {
			return
		}
		p, e := checkMedia(body, testRules())
		if e != nil {
			if e.status != 400 || e.code == "" {
				t.Fatalf("bad error %v", e)
			}
			return
		}
		if len(p.content) == 0 || !testRules().contexts[p.context] {
			t.Fatalf("accepted empty content or unknown context %q", p.context)
		}
		if p.format == upload.MIMEPDF {
			return
		}
		if p.width <= 0 || p.height <= 0 || max(p.width, p.height) > upload.MaxImageSide {
			t.Fatalf("accepted %dx%d", p.width, p.height)
		}
		if p.declared != "" && !sameFormat(p.format, p.declared) {
			t.Fatalf("accepted %s declared as %s", p.format, p.declared)
		}
	})
}
