package encode

import (
	"errors"
	"fmt"
)

const (
	// DefaultQuality is the starting (and highest) JPEG quality [JPEG] uses
	// when [Options.Quality] is zero. At 90 a 1920 px phone photo is about
	// 0.4–0.6 MB, far below the default budget, so it is also the quality
	// most uploads end with.
	DefaultQuality = 90

	// DefaultMinQuality is the lowest quality [JPEG] lowers to before it
	// shrinks the dimensions instead. At the IJG scale, quality 40 still
	// keeps document text and faces legible at 1920 px (quantisation steps
	// about 1.25x those of quality 50), while below it blocking and ringing
	// destroy small print faster than a resolution cut of the same byte
	// saving would: on our calibration set going from q40 to q20 saves only
	// about 35% of the bytes, which a 20% smaller longer side also saves.
	DefaultMinQuality = 40

	// DefaultMaxBase64 is the default budget, in bytes, for the whole data
	// URI ("data:image/jpeg;base64," plus the base64 text): the vendor's
	// "24 MB" read as decimal megabytes, the safe reading.
	DefaultMaxBase64 = 24_000_000

	// DefaultMinSide is the smallest longer side, in pixels, that [JPEG]
	// shrinks an image to before giving up with a [*BudgetError]. Below
	// 64 px an identity image is useless, and a 64 px JPEG at quality 40 is
	// about 1.5–3 KB, so only budgets of a few KB are refused.
	DefaultMinSide = 64

	// MIMEType is the media type of every encoding produced by this
	// package, as used in its data URIs.
	MIMEType = "image/jpeg"
)

// ErrInvalid is returned (wrapped) for invalid [Options], a quality out of
// range, and a nil or empty image. Match it with errors.Is.
var ErrInvalid = errors.New("encode: invalid input")

// ErrBudget is matched (with errors.Is) by every [*BudgetError]: the budget
// cannot be reached even at the minimum quality and minimum side.
var ErrBudget = errors.New("encode: budget unreachable")

// BudgetError reports that no encoding fits the budget. Smallest is the
// data-URI length (bytes) of the smallest encoding reached, made at
// Width×Height and Quality; Budget is the data-URI budget it had to fit.
// errors.Is(err, ErrBudget) is true for a *BudgetError.
type BudgetError struct {
	Budget, Smallest, Width, Height, Quality int
}

// Error implements error.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("%v: smallest data URI is %d bytes (%dx%d at quality %d), budget %d bytes",
		ErrBudget, e.Smallest, e.Width, e.Height, e.Quality, e.Budget)
}

// Is reports whether target is [ErrBudget].
func (e *BudgetError) Is(target error) bool { return target == ErrBudget }

// Options controls [JPEG]. A nil *Options, and each zero field, mean the
// defaults. Options are only read, so one value may be shared by concurrent
// calls.
type Options struct {
	// Quality is the starting and highest JPEG quality, 1..100;
	// 0 means DefaultQuality (90).
	Quality int
	// MinQuality is the lowest quality tried before the dimensions are
	// reduced, 1..Quality; 0 means DefaultMinQuality (40), or Quality when
	// Quality is below 40.
	MinQuality int
	// MaxBase64 is the budget, in bytes, for the whole data URI
	// (DataURILen(MIMEType, len(Data))); 0 means DefaultMaxBase64.
	// Budgets as small as tens of KB are fine.
	MaxBase64 int
	// MinSide is the smallest longer side, in pixels, the shrink step may
	// reach before JPEG gives up; 0 means DefaultMinSide (64). Images whose
	// longer side is already below it are never shrunk.
	MinSide int
}

// settings are validated Options with the defaults filled in.
type settings struct {
	quality, minQuality, maxBase64, minSide int
}

// resolve validates o and fills in the defaults, in one place.
func (o *Options) resolve() (settings, error) {
	var s settings
	if o != nil {
		s = settings{o.Quality, o.MinQuality, o.MaxBase64, o.MinSide}
	}
	if s.quality == 0 {
		s.quality = DefaultQuality
	}
	if s.quality < 1 || s.quality > 100 {
		return s, fmt.Errorf("%w: Quality %d not in 1..100", ErrInvalid, s.quality)
	}
	if s.minQuality == 0 {
		s.minQuality = min(DefaultMinQuality, s.quality)
	}
	if s.minQuality < 1 || s.minQuality > s.quality {
		return s, fmt.Errorf("%w: MinQuality %d not in 1..Quality (%d)", ErrInvalid, s.minQuality, s.quality)
	}
	if s.maxBase64 == 0 {
		s.maxBase64 = DefaultMaxBase64
	}
	if s.maxBase64 < 0 {
		return s, fmt.Errorf("%w: MaxBase64 %d is negative", ErrInvalid, s.maxBase64)
	}
	if s.minSide == 0 {
		s.minSide = DefaultMinSide
	}
	if s.minSide < 1 {
		return s, fmt.Errorf("%w: MinSide %d is negative", ErrInvalid, s.minSide)
	}
	return s, nil
}
