package govips

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/mediaprep/mediaprep/preprocess"
)

// photo returns a w×h JPEG whose left half is red and right half blue,
// with an EXIF Orientation tag when orientation is not 0.
func photo(t *testing.T, w, h, orientation int) []byte {
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

// Thumbnail must make the payload preprocess makes: same size, same
// orientation, never upscaled, a JPEG that image/jpeg decodes.
func TestThumbnailMatchesPrepare(t *testing.T) {
	tests := []struct {
		name              string
		w, h, orientation int
		wantW, wantH      int
	}{
		{"landscape_shrunk", 2400, 1200, 0, 1920, 960},
		{"orientation6_rotated", 2400, 1200, 6, 960, 1920},
		{"small_not_upscaled", 800, 600, 0, 800, 600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := photo(t, tc.w, tc.h, tc.orientation)
			out, w, h, err := Thumbnail(data, preprocess.DefaultMaxSide, 90)
			if err != nil {
				t.Fatal(err)
			}
			if w != tc.wantW || h != tc.wantH {
				t.Errorf("Thumbnail: %dx%d, want %dx%d", w, h, tc.wantW, tc.wantH)
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("image/jpeg cannot decode the output: %v", err)
			}
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("decoded %v, Thumbnail said %dx%d", b, w, h)
			}
			// 4:2:0 like ours, not libvips's 4:4:4 default at Q 90.
			if y, ok := img.(*image.YCbCr); !ok || y.SubsampleRatio != image.YCbCrSubsampleRatio420 {
				t.Errorf("output is %T, want 4:2:0 YCbCr", img)
			}
			// The red half of the source is on top after a 90° clockwise
			// turn (orientation 6), on the left otherwise.
			r, _, b, _ := img.At(w/4, h/4).RGBA()
			if r <= b {
				t.Errorf("pixel (%d,%d) is not red: the image is turned wrongly", w/4, h/4)
			}
			p, err := preprocess.PrepareBytes(context.Background(), data, &preprocess.Options{ForceReencode: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.Width != w || p.Height != h {
				t.Errorf("preprocess made %dx%d, libvips %dx%d", p.Width, p.Height, w, h)
			}
		})
	}
}

func TestThumbnailErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		side, q int
	}{
		{"not_an_image", []byte("definitely not an image"), 1920, 90},
		{"truncated_jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16}, 1920, 90},
		{"bad_quality", nil, 1920, 0},
		{"bad_side", nil, 0, 90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := Thumbnail(tc.data, tc.side, tc.q)
			if !errors.Is(err, ErrVips) {
				t.Errorf("err = %v, want ErrVips", err)
			}
		})
	}
}
