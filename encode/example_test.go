package encode_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"

	"github.com/mediaprep/mediaprep/encode"
)

// A translucent RGBA image is flattened onto white and encoded at the
// default quality, which fits the default 24 MB budget in one pass.
func ExampleJPEG() {
	img := image.NewNRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 128, uint8(x + y)})
		}
	}
	r, err := encode.JPEG(context.Background(), img, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%dx%d q%d, %d pass, fits: %v\n", r.Width, r.Height, r.Quality, r.Passes,
		encode.DataURILen(encode.MIMEType, len(r.Data)) <= encode.DefaultMaxBase64)
	// Output: 640x480 q90, 1 pass, fits: true
}

// A budget that cannot be met reports the smallest encoding reached.
func ExampleBudgetError() {
	img := image.NewGray(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7919 % 251) // incompressible texture
	}
	_, err := encode.JPEG(context.Background(), img, &encode.Options{MaxBase64: 500})
	var be *encode.BudgetError
	if errors.As(err, &be) {
		fmt.Printf("budget %d, smallest at %dx%d q%d\n", be.Budget, be.Width, be.Height, be.Quality)
	}
	// Output: budget 500, smallest at 64x64 q40
}

// WriteDataURI streams the data URI without building it in memory.
func ExampleWriteDataURI() {
	n, err := encode.WriteDataURI(os.Stdout, "image/jpeg", []byte{0xff, 0xd8, 0xff, 0xd9})
	fmt.Println()
	fmt.Println(n, err, encode.DataURILen("image/jpeg", 4))
	// Output:
	// data:image/jpeg;base64,/9j/2Q==
	// 31 <nil> 31
}
