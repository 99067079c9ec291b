package encode

import (
	"image"

	"github.com/mediaprep/mediaprep/internal/resize"
)

// shrink resamples an opaque image (as returned by planar) to w×h with
// internal/resize, which keeps *image.YCbCr and *image.Gray in their
// layout; the result goes through planar again, so any type is fine.
func shrink(img image.Image, w, h int) (image.Image, error) {
	return resize.Resize(img, 1, w, h)
}
