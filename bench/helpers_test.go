package bench

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// halves returns a w×h JPEG whose left half is red and right half blue,
// with an EXIF Orientation tag when orientation is not 0.
func halves(t *testing.T, w, h, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{220, 30, 30, 255}
			if x >= w/2 {
				c = color.RGBA{30, 30, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if orientation == 0 {
		return data
	}
	exif := []byte{
		0xFF, 0xE1, 0, 34, // APP1, length 34 (2 + 6 + 26)
		'E', 'x', 'i', 'f', 0, 0,
		'I', 'I', 42, 0, 8, 0, 0, 0, // little-endian TIFF header, IFD0 at 8
		1, 0, // one entry
		0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(orientation), 0, 0, 0, // Orientation, SHORT, count 1
		0, 0, 0, 0, // no next IFD
	}
	return append(append(append([]byte{}, data[:2]...), exif...), data[2:]...)
}

// checkPayload decodes a tool's JPEG output and checks its size, its
// 4:2:0 chroma and that the source's red half ended up top-left.
func checkPayload(t *testing.T, out []byte, wantW, wantH int) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("image/jpeg cannot decode the output: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("output is %dx%d, want %dx%d", b.Dx(), b.Dy(), wantW, wantH)
	}
	if y, ok := img.(*image.YCbCr); !ok || y.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		t.Errorf("output is %T, want 4:2:0 YCbCr", img)
	}
	if r, _, bl, _ := img.At(b.Dx()/4, b.Dy()/4).RGBA(); r <= bl {
		t.Errorf("pixel (%d,%d) is not red: the image is turned wrongly", b.Dx()/4, b.Dy()/4)
	}
}
