package exif_test

import (
	"fmt"
	"os"

	"github.com/mediaprep/mediaprep/internal/exif"
)

func ExampleFromJPEG() {
	b, err := os.ReadFile("../../testdata/orientation_6.jpg") // stored 80x120
	if err != nil {
		panic(err)
	}
	o, err := exif.FromJPEG(b)
	if err != nil {
		fmt.Println("ignoring bad EXIF:", err)
	}
	w, h := o.DisplaySize(80, 120)
	fmt.Println(o, o.SwapsAxes(), w, h)
	// Output: rotate-90-cw true 120 80
}

func ExampleParse() {
	// A little-endian TIFF header, IFD0 with one entry: Orientation = 9.
	block := []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x09\x00\x00\x00")
	o, err := exif.Parse(block)
	fmt.Println(o, err)
	// Output: identity exif: malformed: orientation value 9 outside 1..8
}
