package encode

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"testing"
)

// appMarkers returns the APPn markers (0xE0..0xEF) of a JPEG, in order,
// walking the segments up to the first SOS.
func appMarkers(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		t.Fatal("no SOI")
	}
	var apps []byte
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			t.Fatalf("no marker at %d", i)
		}
		m := b[i+1]
		if m == 0xda { // SOS: entropy-coded data follows
			return apps
		}
		if m >= 0xe0 && m <= 0xef {
			apps = append(apps, m)
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
	}
	t.Fatal("no SOS")
	return nil
}

// TestNoEXIF: a JPEG with EXIF GPS, decoded and re-encoded, has no APP1
// (nor any APP segment but a JFIF APP0).
func TestNoEXIF(t *testing.T) {
	in, err := os.ReadFile("testdata/gps_exif.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(appMarkers(t, in), []byte{0xe1}) || !bytes.Contains(in, []byte("Exif\x00\x00")) {
		t.Fatal("fixture has no EXIF APP1; regenerate with testdata/make_encode.sh")
	}
	img, err := jpeg.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	r, err := JPEG(context.Background(), img, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range appMarkers(t, r.Data) {
		if m != 0xe0 {
			t.Fatalf("output has APP%d", m-0xe0)
		}
	}
	if bytes.Contains(r.Data, []byte("Exif")) || bytes.Contains(r.Data, []byte("mediaprep-test")) {
		t.Fatal("output still carries EXIF bytes")
	}
}
