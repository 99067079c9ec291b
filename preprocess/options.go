package preprocess

import (
	"fmt"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/pdf"
)

// Defaults used when the corresponding [Options] field is zero.
const (
	// DefaultMaxSide is the vendor's limit on the longer image side.
	DefaultMaxSide = 1920
	// DefaultMaxPixels is the decoded pixel limit (bomb guard). It admits
	// every current phone camera (the largest, 200 MP sensors, write
	// 16320×12240 = 199.8 MP) and refuses anything beyond.
	DefaultMaxPixels = 200_000_000
	// DefaultMaxInputBytes bounds how much of the input is read: 256 MiB,
	// above any real 200 MP JPEG or HEIC and any 20 MB-budget PDF scan.
	DefaultMaxInputBytes = 256 << 20
)

// Options configures [Prepare]. A nil *Options and every zero field mean the
// documented default, so &Options{} and nil behave the same.
type Options struct {
	// MaxSide is the largest allowed longer side of an output image, in
	// pixels. Images are never upscaled. Default DefaultMaxSide (1920).
	MaxSide int
	// MaxBase64 is the budget for the whole data URI of an image payload
	// ("data:image/jpeg;base64," plus the base64 text), in bytes. Default
	// encode.DefaultMaxBase64 (24 MB). May be as small as tens of KB.
	MaxBase64 int
	// Quality is the JPEG quality used when re-encoding, and the highest
	// the budget search may pick. Default encode.DefaultQuality (90).
	Quality int
	// MinQuality is the lowest JPEG quality the budget search may use
	// before it shrinks the image instead. Default encode.DefaultMinQuality.
	MinQuality int
	// MaxPixels refuses images whose declared width×height exceeds it,
	// from the header alone. Default DefaultMaxPixels (200 MP).
	MaxPixels int64
	// MaxInputBytes refuses inputs longer than this many bytes without
	// reading further. Default DefaultMaxInputBytes (256 MiB).
	MaxInputBytes int64
	// ForceReencode disables passthrough: every image is decoded and
	// re-encoded as JPEG even when the input already fits every limit.
	ForceReencode bool
	// Limiter, when set, bounds the memory of concurrent calls that share
	// it (see [Limiter]). nil means no bound beyond MaxPixels.
	Limiter *Limiter
	// PDF configures the PDF stage (nil means pdf's defaults: the first 5
	// non-empty pages, within 20 MB).
	PDF *pdf.Options
}

// resolved is Options with every default filled in.
type resolved struct {
	Options
}

// resolve validates o and fills in the defaults. Negative values and a
// quality above 100 are errors, not silently clamped.
func (o *Options) resolve() (resolved, error) {
	var r resolved
	if o != nil {
		r.Options = *o
	}
	switch {
	case r.MaxSide < 0, r.MaxBase64 < 0, r.Quality < 0, r.MinQuality < 0,
		r.MaxPixels < 0, r.MaxInputBytes < 0:
		return r, fmt.Errorf("%w: negative limit in %+v", ErrInvalidOptions, r.Options)
	case r.Quality > 100, r.MinQuality > 100:
		return r, fmt.Errorf("%w: quality %d/%d above 100", ErrInvalidOptions, r.Quality, r.MinQuality)
	}
	if r.MaxSide <= 0 {
		r.MaxSide = DefaultMaxSide
	}
	if r.MaxBase64 <= 0 {
		r.MaxBase64 = encode.DefaultMaxBase64
	}
	if r.Quality <= 0 {
		r.Quality = encode.DefaultQuality
	}
	if r.MinQuality <= 0 {
		r.MinQuality = encode.DefaultMinQuality
	}
	if r.MinQuality > r.Quality {
		r.MinQuality = r.Quality
	}
	if r.MaxPixels <= 0 {
		r.MaxPixels = DefaultMaxPixels
	}
	if r.MaxInputBytes <= 0 {
		r.MaxInputBytes = DefaultMaxInputBytes
	}
	return r, nil
}

func (r *resolved) encodeOptions() *encode.Options {
	return &encode.Options{
		Quality:    r.Quality,
		MinQuality: r.MinQuality,
		MaxBase64:  r.MaxBase64,
	}
}
