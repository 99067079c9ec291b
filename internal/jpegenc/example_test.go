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
	// For 4:2:0 and Gray the bytes are image/jpeg's, only faster.
	var std bytes.Buffer
	if err := jpeg.Encode(&std, m, &jpeg.Options{Quality: 85}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dec.Bounds(), dec.(*image.YCbCr).SubsampleRatio, bytes.Equal(buf, std.Bytes()))
	// Output: (0,0)-(64,48) YCbCrSubsampleRatio420 true
}

func ExampleAppend_unsupported() {
	_, err := jpegenc.Append(nil, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil)
	fmt.Println(err)
	// Output: jpegenc: unsupported image: *image.RGBA (want *image.YCbCr or *image.Gray)
}
