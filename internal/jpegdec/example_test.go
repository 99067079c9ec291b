package jpegdec_test

import (
	"errors"
	"fmt"
	"image"
	"os"

	"github.com/mediaprep/mediaprep/internal/jpegdec"
)

// Decode a photo at the smallest DCT scale that still leaves at least
// maxSide pixels on the longer side, falling back when the file is not a
// baseline JPEG.
func Example() {
	b, err := os.ReadFile("testdata/mid_200x150_420.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := jpegdec.DecodeConfig(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	scale := jpegdec.ScaleFor(cfg.Width, cfg.Height, 64)
	m, err := jpegdec.Decode(b, &jpegdec.Options{Scale: scale, MaxPixels: 50_000_000})
	if errors.Is(err, jpegdec.ErrUnsupported) {
		fmt.Println("fall back to image/jpeg")
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	y := m.(*image.YCbCr)
	fmt.Println(cfg.Width, cfg.Height, "scale 1 /", scale, "->", m.Bounds().Dx(), m.Bounds().Dy(), y.SubsampleRatio)
	// Output: 200 150 scale 1 / 2 -> 100 75 YCbCrSubsampleRatio420
}

func ExampleScaleFor() {
	fmt.Println(jpegdec.ScaleFor(4032, 3024, 1920)) // 12 MP phone photo
	fmt.Println(jpegdec.ScaleFor(8064, 6048, 1920)) // 48 MP
	fmt.Println(jpegdec.ScaleFor(1280, 960, 1920))  // already small
	// Output:
	// 2
	// 4
	// 1
}
