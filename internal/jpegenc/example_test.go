package jpegenc_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/mediaprep/mediaprep/internal/jpegenc"
)

func ExampleAppend() {
	// A 4:2:0 image, as the resizer hands it over.
	m := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for y := range 48 {
		for x := range 64 {
			m.Y[y*m.YStride+x] = uint8(4 * x)
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = 128, 128
	}

	buf := make([]byte, 0, 64<<10) // reuse across calls to avoid allocations
	buf, err := jpegenc.Append(buf[:0], m, &jpegenc.Options{Quality: 85})
	if err != nil {
		fmt.Println(err)
		return
	}
	dec, err := jpeg.Decode(bytes.NewReader(buf))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.HasPrefix(buf, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")), dec.Bounds(), dec.(*image.YCbCr).SubsampleRatio)
	// Output: true (0,0)-(64,48) YCbCrSubsampleRatio420
}

func ExampleAppend_unsupported() {
	_, err := jpegenc.Append(nil, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil)
	fmt.Println(err)
	// Output: jpegenc: unsupported image: *image.RGBA (want *image.YCbCr or *image.Gray)
}
