package resize_test

import (
	"fmt"
	"image"

	"github.com/mediaprep/mediaprep/internal/resize"
)

func ExampleFitSize() {
	// A 12 MP photo stored landscape with EXIF orientation 6 (rotate 90° CW)
	// is displayed portrait.
	fmt.Println(resize.FitSize(4032, 3024, 6, 1920))
	// Already small enough: unchanged.
	fmt.Println(resize.FitSize(1280, 960, 1, 1920))
	// Output:
	// 1440 1920
	// 1280 960
}

func ExampleFit() {
	// A decoded JPEG: 4:4:4 YCbCr, stored 1600×1200, orientation 8.
	img := image.NewYCbCr(image.Rect(0, 0, 1600, 1200), image.YCbCrSubsampleRatio444)
	out, err := resize.Fit(img, 8, 800)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := out.(*image.YCbCr)
	fmt.Println(m.Bounds(), m.SubsampleRatio)

	// Nothing to do: the same image comes back.
	same, _ := resize.Fit(img, 1, 1920)
	fmt.Println(same == image.Image(img))

	_, err = resize.Fit(img, 9, 800)
	fmt.Println(err)
	// Output:
	// (0,0)-(600,800) YCbCrSubsampleRatio420
	// true
	// resize: invalid argument: orientation 9 not in 1..8
}

func ExampleResize_rgb() {
	// A decoded HEIC or PNG image: opaque *image.NRGBA, stored 400×300.
	img := image.NewNRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 255 // opaque white
	}
	out, err := resize.Resize(img, 6, 150, 200) // rotated 90° CW
	if err != nil {
		fmt.Println(err)
		return
	}
	m := out.(*image.YCbCr) // opaque colour becomes JPEG-ready 4:2:0
	fmt.Println(m.Bounds(), m.SubsampleRatio, m.Y[0], m.Cb[0], m.Cr[0])

	// One translucent pixel: the output keeps alpha, as *image.NRGBA.
	img.Pix[3] = 0
	out, _ = resize.Resize(img, 6, 150, 200)
	fmt.Printf("%T\n", out)
	// Output:
	// (0,0)-(150,200) YCbCrSubsampleRatio420 255 128 128
	// *image.NRGBA
}
