package preprocess_test

import (
	"context"
	"fmt"
	"os"

	"github.com/mediaprep/mediaprep/preprocess"
)

func ExamplePrepare() {
	f, err := os.Open("../testdata/orient6_2400x1800.jpg")
	if err != nil {
		panic(err)
	}
	defer f.Close()

	p, err := preprocess.Prepare(context.Background(), f, nil) // nil: the vendor's limits
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %dx%d -> %s %dx%d, orientation %d applied, quality %d\n",
		p.InputFormat, p.InputWidth, p.InputHeight, p.MIMEType, p.Width, p.Height, p.Orientation, p.Quality)
	fmt.Println("data URI within 24 MB:", p.DataURILen() <= 24_000_000)
	// Output:
	// jpeg 2400x1800 -> image/jpeg 1440x1920, orientation 6 applied, quality 90
	// data URI within 24 MB: true
}

func ExampleWarmup() {
	// At server start-up, before taking requests.
	if err := preprocess.Warmup(context.Background()); err != nil {
		panic(err)
	}
	fmt.Println("decoders ready")
	// Output: decoders ready
}
