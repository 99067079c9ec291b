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

// windows pools the row windows of streamed JPEG decodes (*[]byte): about
// 1 MB for a 12 MP photo, where a whole decode needs 18 MB.
var windows sync.Pool

func putWindow(b []byte) {
	if cap(b) > 0 {
		windows.Put(&b)
	}
}

// streamJPEG decodes a baseline JPEG and fits it in one pass: the decoder
// keeps only a window of rows, the resampler consumes each band of rows as
// soon as it is decoded (on its own goroutine, while the decoder decodes
// the next band) and the whole-size image never exists. The caller has
// checked that the image is downscaled. It returns ok=false, with nothing
// done, for a file the fast decoder refuses or fails on: the caller then
// runs the whole-image path, which also reports the errors. decode is the
// whole pass, fit the part of it the resampler ran.
func streamJPEG(ctx context.Context, data []byte, o, scale int, ro *resolved) (img image.Image, decode, fit time.Duration, ok bool, err error) {
	start := time.Now()
	var buf []byte
	if b, ok := windows.Get().(*[]byte); ok {
		buf = *b
	}
	s, err := jpegdec.NewStream(data, &jpegdec.Options{Scale: scale, MaxPixels: ro.MaxPixels, Buf: buf})
	if err != nil {
		putWindow(buf)
		return nil, 0, 0, false, nil
	}
	b := s.Bounds()
	W, H := resize.FitSize(b.Dx(), b.Dy(), o, ro.MaxSide)
	rs, err := resize.NewStream(b.Dx(), b.Dy(), s.Gray(), s.SubsampleRatio(), o, W, H)
	if err != nil {
		putWindow(buf)
		return nil, 0, 0, false, nil
	}
	defer rs.Close()
	mcu := s.MCURows()
	span := rs.Span()
	// Bands of at least 8 MCU rows keep both cores busy between the
	// hand-overs; the window holds two bands (one being resampled, one
	// being decoded) plus what the resampler keeps.
	band := max(8*mcu, 2*span)
	s.Overlap = true
	err = s.Decode(band, 2*band+span+mcu, func(win image.Image, base, avail int, final bool) (int, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t := time.Now()
		keep, err := rs.Advance(win, base, avail, final)
		fit += time.Since(t)
		return keep, err
	})
	putWindow(s.Backing())
	switch {
	case err == nil:
		return rs.Image(), time.Since(start), fit, true, nil
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return nil, 0, 0, true, err
	case errors.Is(err, resize.ErrInvalid), errors.Is(err, resize.ErrInternal), errors.Is(err, jpegdec.ErrWindow):
		return nil, 0, 0, true, fmt.Errorf("preprocess: fit: %w", err)
	}
	// The decoder failed part-way (a corrupt file): let the whole-image
	// path decode it again and report, or fall back to image/jpeg.
	return nil, 0, 0, false, nil
}
