package heif_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mediaprep/mediaprep/internal/heif"
)

// DecodeNative returns the stored pixels (here 64x96, as the phone wrote
// them) and the EXIF orientation that shows them as Decode would: 8 turns
// them 90 degrees anti-clockwise, to 96x64. Files it does not handle fail
// with ErrUnsupported, and Decode takes over.
func ExampleDecodeNative() {
	b, err := os.ReadFile("../../testdata/heic/irot90.heic")
	if err != nil {
		panic(err)
	}
	img, orientation, err := heif.DecodeNative(context.Background(), b)
	if errors.Is(err, heif.ErrUnsupported) {
		decoded, err := heif.Decode(context.Background(), b)
		if err != nil {
			panic(err)
		}
		fmt.Println("fallback", decoded.Bounds())
		return
	}
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T %v, orientation %d\n", img, img.Bounds(), orientation)
	// Output:
	// *image.YCbCr (0,0)-(64,96), orientation 8
}
