package heif_test

import (
	"context"
	"fmt"
	"os"

	"github.com/mediaprep/mediaprep/internal/heif"
)

// A file whose pixels are stored turned 90 degrees, with an irot property
// that turns them back: DecodeConfig and Decode report the upright size.
func Example() {
	b, err := os.ReadFile("../../testdata/heic/irot90.heic")
	if err != nil {
		panic(err)
	}
	info, err := heif.Parse(b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("stored %dx%d, irot %d, transformed %v\n", info.Width, info.Height, info.Rotation, info.Transformed())

	cfg, err := heif.DecodeConfig(b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("config %dx%d\n", cfg.Width, cfg.Height)

	img, err := heif.Decode(context.Background(), b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("decoded %T %v\n", img, img.Bounds())
	// Output:
	// stored 64x96, irot 90, transformed true
	// config 96x64
	// decoded *image.NRGBA (0,0)-(96,64)
}
