package exif

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// maxFuzzInput bounds fuzz inputs; the parsers' work does not grow with
// the image data, so larger inputs add nothing.
const maxFuzzInput = 1 << 16

// addSeeds adds every top-level testdata file matching the patterns.
func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join(testdata, p))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			if len(b) <= maxFuzzInput {
				f.Add(b)
			}
		}
	}
}

// checkResult asserts the properties every entry point guarantees.
func checkResult(t *testing.T, o Orientation, err error) {
	t.Helper()
	if !o.Valid() {
		t.Fatalf("orientation %d outside 1..8 (err %v)", o, err)
	}
	if err != nil {
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v does not match ErrMalformed", err)
		}
		if o != Identity {
			t.Fatalf("orientation %v returned with error %v", o, err)
		}
	}
}

// FuzzParse also checks that the containers agree with Parse on the same
// block: an "Exif\0\0" prefix, a JPEG APP1 segment, a PNG eXIf chunk and
// a WebP EXIF chunk must not change the answer.
func FuzzParse(f *testing.F) {
	for _, seed := range [][]byte{leOrient6, beOrient3, leNoTag, beLong8, leEmptyIFD, nil, []byte("Exif\x00\x00")} {
		f.Add(seed)
	}
	for _, file := range []string{"orientation_6.jpg", "orient6_2400x1800.jpg", "jpeg_exif_gps.jpg"} {
		b := readFixture(f, file)
		for i := 0; i+6 < len(b) && i < 64; i++ {
			if string(b[i:i+6]) == exifHeader {
				n := int(b[i-2])<<8 | int(b[i-1])
				f.Add(b[i+6 : i-2+n])
				break
			}
		}
	}
	f.Fuzz(func(t *testing.T, tiff []byte) {
		if len(tiff) > maxFuzzInput {
			return
		}
		o, err := Parse(tiff)
		checkResult(t, o, err)
		if string(tiff[:min(len(tiff), 6)]) == exifHeader {
			return // the prefix would be stripped twice below
		}
		same := func(name string, o2 Orientation, err2 error) {
			if o2 != o || (err2 == nil) != (err == nil) {
				t.Fatalf("%s = %v, %v; Parse = %v, %v", name, o2, err2, o, err)
			}
		}
		o2, err2 := Parse(exifPayload(tiff))
		same("Parse with Exif prefix", o2, err2)
		if len(tiff) <= 0xffff-2-6 {
			o2, err2 = FromJPEG(jpegWith(jfif, app1(exifPayload(tiff))))
			same("FromJPEG", o2, err2)
		}
		o2, err2 = FromPNG(pngWith(pngIHDR, pngChunk("eXIf", tiff), pngIDAT, pngIEND))
		same("FromPNG", o2, err2)
		o2, err2 = FromWebP(webpWith(vp8x, vp8l, riffChunk("EXIF", tiff)))
		same("FromWebP", o2, err2)
	})
}

func FuzzFromJPEG(f *testing.F) {
	addSeeds(f, "*.jpg")
	f.Add(jpegWith(jfif, xmp, app1(exifPayload(leOrient6))))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		o, err := FromJPEG(b)
		checkResult(t, o, err)
	})
}

func FuzzFromPNG(f *testing.F) {
	addSeeds(f, "*.png")
	f.Add(pngWith(pngIHDR, pngIDAT, pngChunk("eXIf", leOrient6), pngIEND))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		o, err := FromPNG(b)
		checkResult(t, o, err)
	})
}

func FuzzFromWebP(f *testing.F) {
	addSeeds(f, "*.webp")
	f.Add(webpWith(vp8x, vp8l, riffChunk("EXIF", exifPayload(beOrient3))))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		o, err := FromWebP(b)
		checkResult(t, o, err)
	})
}
