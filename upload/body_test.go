package upload

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// wantBody builds the expected body the slow, obvious way.
func wantBody(t testing.TB, m *Media) []byte {
	t.Helper()
	content := m.Content
	if content == nil {
		content = make([]byte, m.Size)
		if _, err := m.Reader.ReadAt(content, 0); err != nil && err != io.EOF {
			t.Fatal(err)
		}
	}
	image := map[string]string{
		"context": m.Context,
		"content": "data:" + m.MIMEType + ";base64," + base64.StdEncoding.EncodeToString(content),
	}
	if !m.CaptureTime.IsZero() {
		image["timestamp"] = m.CaptureTime.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	b, err := json.Marshal(map[string]any{"image": image})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// canonical re-encodes JSON so that key order does not matter.
func canonical(t testing.TB, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%.200s", err, b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestMediaBody(t *testing.T) {
	capture := time.Date(2025, 1, 1, 10, 0, 0, 123456789, time.FixedZone("EET", 2*3600))
	sizes := []int{1, 2, 3, 4, 5, rawChunk - 1, rawChunk, rawChunk + 1, 3*rawChunk + 2}
	for _, n := range sizes {
		content := make([]byte, n)
		for i := range content {
			content[i] = byte(i*7 + i>>8)
		}
		for _, tc := range []struct {
			name string
			m    Media
		}{
			{"bytes", Media{Context: "face", MIMEType: MIMEJPEG, Content: content}},
			{"reader+timestamp", Media{Context: `odd"ctx\`, MIMEType: MIMEPNG, Reader: bytes.NewReader(content), Size: int64(n), CaptureTime: capture}},
		} {
			t.Run(tc.name+"/"+itoa(n), func(t *testing.T) {
				b := newMediaBody(&tc.m)
				got, err := io.ReadAll(b.open())
				if err != nil {
					t.Fatal(err)
				}
				if int64(len(got)) != b.Len() {
					t.Fatalf("Len = %d, read %d", b.Len(), len(got))
				}
				if canonical(t, got) != canonical(t, wantBody(t, &tc.m)) {
					t.Fatalf("body differs from json.Marshal's")
				}
				if !tc.m.CaptureTime.IsZero() && !bytes.Contains(got, []byte(`"timestamp":"2025-01-01T08:00:00.123Z"`)) {
					t.Fatalf("timestamp not UTC with milliseconds: %.80s…", got[len(got)-60:])
				}
				// Byte-at-a-time and the io.Reader contract checks.
				if err := iotest.TestReader(b.open(), got); err != nil {
					t.Fatal(err)
				}
				one, err := io.ReadAll(iotest.OneByteReader(b.open()))
				if err != nil || !bytes.Equal(one, got) {
					t.Fatalf("one-byte reads differ (err %v)", err)
				}
				sig, sn, err := signReader([]byte("k"), b.open())
				if err != nil || sn != b.Len() || sig != Sign([]byte("k"), got) {
					t.Fatalf("streamed signature differs from Sign of the bytes")
				}
			})
		}
	}
}

func TestMediaBodyShortReader(t *testing.T) {
	m := Media{Context: "face", MIMEType: MIMEJPEG, Reader: strings.NewReader("abc"), Size: 100}
	_, err := io.ReadAll(newMediaBody(&m).open())
	if !errors.Is(err, io.ErrUnexpectedEOF) || !errors.Is(err, ErrInvalidMedia) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF and ErrInvalidMedia", err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzMediaBody checks that the streamed body is always valid JSON whose
// content decodes back to the input, with the exact advertised length, and
// that the streamed signature equals Sign over the materialised bytes.
func FuzzMediaBody(f *testing.F) {
	f.Add("face", []byte{0xff, 0xd8, 0xff}, int64(0))
	f.Add("document-front", []byte("\x89PNG\r\n\x1a\n"), int64(1735725600123))
	f.Add("\u2028<&>\"\\\x00é\xff", bytes.Repeat([]byte{1, 2, 3}, 5000), int64(-1))
	for _, name := range []string{"tiny.jpg", "tiny.heic", "tiny.pdf"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("document-front", b, int64(1735725615000))
	}
	f.Fuzz(func(t *testing.T, ctx string, content []byte, ms int64) {
		if len(content) > 1<<16 || len(content) == 0 {
			return
		}
		m := Media{Context: ctx, MIMEType: MIMEWebP, Content: content}
		if ms > 0 {
			m.CaptureTime = time.UnixMilli(ms % (1 << 45))
		}
		b := newMediaBody(&m)
		got, err := io.ReadAll(b.open())
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) != b.Len() {
			t.Fatalf("Len = %d, read %d", b.Len(), len(got))
		}
		var v struct {
			Image struct{ Context, Content, Timestamp string }
		}
		if err := json.Unmarshal(got, &v); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		data, ok := strings.CutPrefix(v.Image.Content, "data:image/webp;base64,")
		if !ok {
			t.Fatal("no data URI prefix")
		}
		dec, err := base64.StdEncoding.DecodeString(data)
		if err != nil || !bytes.Equal(dec, content) {
			t.Fatalf("content does not round-trip (err %v)", err)
		}
		if sig, _, _ := signReader([]byte("s"), b.open()); sig != Sign([]byte("s"), got) {
			t.Fatal("streamed signature differs")
		}
		if !m.CaptureTime.IsZero() {
			ts, err := time.Parse(time.RFC3339Nano, v.Image.Timestamp)
			if err != nil || !ts.Equal(m.CaptureTime.Truncate(time.Millisecond)) {
				t.Fatalf("timestamp %q does not round-trip (err %v)", v.Image.Timestamp, err)
			}
		}
	})
}

// TestMediaBodyMatchesVector: the body for the vendor's document-back
// example is byte for byte the payload of the "media-body" openssl vector
// in testdata/hmac_vectors.tsv, and its streamed signature is openssl's.
func TestMediaBodyMatchesVector(t *testing.T) {
	png, err := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
	if err != nil {
		t.Fatal(err)
	}
	m := Media{Context: "document-back", MIMEType: MIMEPNG, Content: png, CaptureTime: time.Date(2025, 1, 1, 10, 0, 15, 0, time.UTC)}
	want := `{"image":{"context":"document-back","content":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==","timestamp":"2025-01-01T10:00:15.000Z"}}`
	const opensslSig = "8c60b3bea804df12b5f1a795ce42b7551ddde08229920785e0b338872b9e1724"
	b := newMediaBody(&m)
	got, err := io.ReadAll(b.open())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("body\n%s\nwant\n%s", got, want)
	}
	if sig, _, _ := signReader([]byte("my-shared-secret"), b.open()); sig != opensslSig {
		t.Fatalf("signature %s, openssl says %s", sig, opensslSig)
	}
}
