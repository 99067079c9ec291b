package hevc

import (
	"errors"
	"fmt"
)

var (
	// ErrUnsupported reports a valid stream using a feature this decoder
	// does not implement; callers fall back to another decoder. It is
	// wrapped with the reason (errors.Is matches it).
	ErrUnsupported = errors.New("hevc: unsupported")
	// ErrCorrupt reports a stream that violates the standard (or that
	// ends early). It is wrapped with the reason.
	ErrCorrupt = errors.New("hevc: corrupt stream")
	// ErrTooLarge reports a picture over Options.MaxPixels (or with a
	// side beyond what any HEVC level allows).
	ErrTooLarge = errors.New("hevc: picture too large")
)

// corruptf returns ErrCorrupt wrapped with a formatted reason.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// unsupportedf returns ErrUnsupported wrapped with a formatted reason.
func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}
