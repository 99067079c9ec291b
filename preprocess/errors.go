package preprocess

import (
	"errors"
	"fmt"
)

// Sentinel errors of the pipeline. Every error returned by [Prepare] wraps
// one of these (or an error of package encode or pdf), so callers match
// them with [errors.Is]; the concrete types below add detail for
// [errors.As].
var (
	// ErrUnsupportedFormat: the bytes are not a format the pipeline reads
	// (AVIF, SVG, text, empty input, ...). See [UnsupportedFormatError].
	ErrUnsupportedFormat = errors.New("preprocess: unsupported format")
	// ErrTooLarge: the input is larger than Options.MaxInputBytes.
	ErrTooLarge = errors.New("preprocess: input too large")
	// ErrTooManyPixels: the declared image size exceeds Options.MaxPixels.
	// Returned after reading the header only, before any pixel is allocated.
	ErrTooManyPixels = errors.New("preprocess: too many pixels")
	// ErrCorrupt: the format was recognised but the data is truncated or
	// malformed (including a panic recovered from a third-party decoder).
	ErrCorrupt = errors.New("preprocess: corrupt image")
	// ErrInvalidOptions: an Options field is out of range.
	ErrInvalidOptions = errors.New("preprocess: invalid options")
)

// UnsupportedFormatError reports what the sniffer saw instead of a
// supported format. It matches [ErrUnsupportedFormat].
type UnsupportedFormatError struct {
	// Seen names what the first bytes look like ("empty input", "AVIF",
	// "SVG", "text", or a hex dump of the first bytes).
	Seen string
}

func (e *UnsupportedFormatError) Error() string {
	return "preprocess: unsupported format: " + e.Seen
}

// Is reports whether target is ErrUnsupportedFormat.
func (e *UnsupportedFormatError) Is(target error) bool { return target == ErrUnsupportedFormat }

// PixelLimitError reports an image whose declared size exceeds the pixel
// limit. It matches [ErrTooManyPixels].
type PixelLimitError struct {
	Format        Format
	Width, Height int
	Limit         int64 // Options.MaxPixels in effect
}

func (e *PixelLimitError) Error() string {
	return fmt.Sprintf("preprocess: %s declares %dx%d = %d pixels, over the limit of %d",
		e.Format, e.Width, e.Height, int64(e.Width)*int64(e.Height), e.Limit)
}

// Is reports whether target is ErrTooManyPixels.
func (e *PixelLimitError) Is(target error) bool { return target == ErrTooManyPixels }

// DecodeError reports a recognised input that could not be decoded: it is
// truncated, corrupt, or made a decoder panic. It matches [ErrCorrupt] and
// unwraps to the decoder's own error.
type DecodeError struct {
	Format Format
	Stage  string // "config", "decode", "exif"
	Err    error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("preprocess: corrupt %s (%s): %v", e.Format, e.Stage, e.Err)
}

// Is reports whether target is ErrCorrupt.
func (e *DecodeError) Is(target error) bool { return target == ErrCorrupt }

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }
