package heif

import "errors"

var (
	// ErrCorrupt reports bytes that are not a well-formed HEIF file, or an
	// image the decoder could not reconstruct (truncated, damaged).
	ErrCorrupt = errors.New("heif: corrupt or truncated file")
	// ErrUnsupported reports a well-formed HEIF file this package does not
	// decode: AVIF or other codecs, image sequences without a primary item,
	// derived images other than grid (iden, iovl), unusual transform stacks.
	ErrUnsupported = errors.New("heif: unsupported file")
	// ErrTooLarge reports an image whose header declares more than
	// [MaxPixels] pixels (output or the sum of its tiles).
	ErrTooLarge = errors.New("heif: image too large")
)
