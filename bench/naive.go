package bench

import (
	"bytes"
	"fmt"
	"image/jpeg"

	"github.com/disintegration/imaging"
	_ "github.com/gen2brain/heic" // registers HEIC with image.Decode, as a user of imaging would
	_ "golang.org/x/image/webp"   // registers WebP with image.Decode, as a user of imaging would
)

// Naive is what a Go user would write with imaging instead of mediaprep:
// decode with EXIF auto-orientation to *image.NRGBA, Fit the longer side
// to maxSide with Lanczos (never upscaling), encode with image/jpeg at
// quality (4:2:0). It is the in-process peer of the benchmarks and of
// `mediaprep bench`. maxSide must be ≥ 1 and quality 1..100.
//
// Cost: the whole image at full size as NRGBA (4 bytes a pixel, 48 MB for
// 12 MP) plus a float resampling pass; no limit on pixel count, so never
// give it untrusted input. Safe for concurrent use.
func Naive(data []byte, maxSide, quality int) ([]byte, error) {
	if maxSide < 1 || quality < 1 || quality > 100 {
		return nil, fmt.Errorf("bench: Naive: maxSide %d, quality %d out of range", maxSide, quality)
	}
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, fmt.Errorf("bench: Naive: %w", err)
	}
	if b := img.Bounds(); b.Dx() > maxSide || b.Dy() > maxSide {
		img = imaging.Fit(img, maxSide, maxSide, imaging.Lanczos)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("bench: Naive: %w", err)
	}
	return buf.Bytes(), nil
}
