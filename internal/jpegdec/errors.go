package jpegdec

import (
	"errors"
	"fmt"
)

var (
	// ErrUnsupported reports a valid JPEG that this decoder does not handle
	// (progressive, arithmetic coding, 12-bit, lossless, CMYK/YCCK, RGB,
	// unusual sampling or multi-scan sequential). Callers fall back to
	// image/jpeg.
	ErrUnsupported = errors.New("jpegdec: unsupported JPEG")
	// ErrCorrupt reports malformed or truncated JPEG data.
	ErrCorrupt = errors.New("jpegdec: corrupt JPEG")
	// ErrTooLarge reports an image whose declared width×height exceeds
	// Options.MaxPixels. It is returned before any pixel memory is allocated.
	ErrTooLarge = errors.New("jpegdec: image too large")
)

// corrupt returns an error wrapping ErrCorrupt with a reason.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// unsupported returns an error wrapping ErrUnsupported with a reason.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}
