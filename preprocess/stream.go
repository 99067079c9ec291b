package preprocess

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"time"

	"github.com/mediaprep/mediaprep/internal/jpegdec"
	"github.com/mediaprep/mediaprep/internal/resize"
)

// streamJPEGs enables streamJPEG; tests turn it off to compare with the
// whole-image path.
var streamJPEGs = true

// streamOverlap runs the resampler beside the decoder (jpegdec.Stream's
// Overlap).
var streamOverlap = true

// windows pools the row windows of streamed JPEG decodes (*[]byte): about
// 1 MB for a 12 MP photo, where a whole decode needs 18 MB.
var windows sync.Pool

// streamJPEG decodes a baseline JPEG and fits it in one pass: the decoder
// keeps only a window of rows, the resampler consumes each band of rows as
// soon as it is decoded, while it is still in cache, and the whole-size
// image never exists. It returns ok=false, with nothing done, when the
// streamed path does not apply (no downscale, or a file the fast decoder
// refuses or fails on): the caller then runs the whole-image path, which
// also reports the errors. decode and fit are the time spent in each.
func streamJPEG(ctx context.Context, data []byte, o, scale int, ro *resolved) (img image.Image, decode, fit time.Duration, ok bool, err error) {
	start := time.Now()
	var buf []byte
	if b, ok := windows.Get().(*[]byte); ok {
		buf = *b
	}
	s, err := jpegdec.NewStream(data, &jpegdec.Options{Scale: scale, MaxPixels: ro.MaxPixels, Buf: buf})
	if err != nil {
		return nil, 0, 0, false, nil
	}
	b := s.Bounds()
	W, H := resize.FitSize(b.Dx(), b.Dy(), o, ro.MaxSide)
	if int64(W)*int64(H) >= int64(b.Dx())*int64(b.Dy()) {
		return nil, 0, 0, false, nil // no downscale: nothing to stream
	}
	rs, err := resize.NewStream(b.Dx(), b.Dy(), s.Gray(), s.SubsampleRatio(), o, W, H)
	if err != nil {
		return nil, 0, 0, false, nil
	}
	defer rs.Close()
	mcu := s.MCURows()
	span := rs.Span()
	// Bands of at least 8 MCU rows keep both cores busy between the
	// hand-overs; the window holds a band plus what the resampler keeps.
	// The resampler works on one band while the decoder decodes the next.
	band := max(8*mcu, 2*span)
	s.Overlap = streamOverlap
	err = s.Decode(band, 2*band+span+mcu, func(win image.Image, base, avail int, final bool) (int, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t := time.Now()
		keep, err := rs.Advance(win, base, avail, final)
		fit += time.Since(t)
		return keep, err
	})
	if w := s.Backing(); cap(w) > 0 {
		windows.Put(&w)
	}
	switch {
	case err == nil:
		return rs.Image(), time.Since(start) - fit, fit, true, nil
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return nil, 0, 0, true, err
	case errors.Is(err, resize.ErrInvalid), errors.Is(err, resize.ErrInternal), errors.Is(err, jpegdec.ErrWindow):
		return nil, 0, 0, true, fmt.Errorf("preprocess: fit: %w", err)
	}
	// The decoder failed part-way (a corrupt file): let the whole-image
	// path decode it again and report, or fall back to image/jpeg.
	return nil, 0, 0, false, nil
}
