package preprocess

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"time"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/internal/resize"
	"github.com/mediaprep/mediaprep/pdf"
)

// Prepare reads an image or PDF from r and returns a payload that the
// vendor's media endpoint accepts under opts (nil means the defaults: longer
// side ≤ 1920 px, data URI ≤ 24 MB; PDFs: first 5 non-empty pages within
// 20 MB).
//
// Input already within every limit, in an accepted format (JPEG, PNG, WebP,
// HEIC) and with identity orientation, is returned byte for byte after a
// decode that proves it intact (Payload.Passthrough); everything else is
// decoded, oriented, fitted and re-encoded as JPEG. At most
// Options.MaxInputBytes are read; an image's pixel count is checked against
// Options.MaxPixels from its header before any pixel is allocated.
//
// Cost: one copy of the input in memory plus the decoded image and the
// output. Baseline JPEGs that are downscaled are decoded and fitted in one
// streamed pass, so only a window of a few hundred rows of the decoded
// image exists at a time (about 2 MB for 12 MP, where the whole image is
// 18 MB; at a reduced DCT scale when that still covers MaxSide twice).
// ctx is checked between stages and between bands of rows. Safe for
// concurrent use.
//
// Errors match ErrUnsupportedFormat, ErrTooLarge, ErrTooManyPixels,
// ErrCorrupt, ErrInvalidOptions, encode.ErrBudget, the pdf package's
// errors, or ctx.Err().
func Prepare(ctx context.Context, r io.Reader, opts *Options) (*Payload, error) {
	ro, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	data, err := readAll(r, ro.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	return prepare(ctx, data, &ro, start)
}

// PrepareBytes is [Prepare] for input already in memory. data is not
// modified; on passthrough, Payload.Data is data itself (not a copy).
func PrepareBytes(ctx context.Context, data []byte, opts *Options) (*Payload, error) {
	ro, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > ro.MaxInputBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, len(data), ro.MaxInputBytes)
	}
	return prepare(ctx, data, &ro, time.Now())
}

// readAll reads r through a limit of max+1 bytes, sizing the buffer once
// when r can tell its length.
func readAll(r io.Reader, max int64) ([]byte, error) {
	size := int64(-1)
	switch v := r.(type) {
	case interface{ Len() int }:
		size = int64(v.Len())
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	if size > max {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, size, max)
	}
	var buf bytes.Buffer
	if size >= 0 {
		buf.Grow(int(size) + 1) // +1 so the final EOF read needs no growth
	}
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("preprocess: reading input: %w", err)
	}
	if n > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return buf.Bytes(), nil
}

func prepare(ctx context.Context, data []byte, ro *resolved, start time.Time) (*Payload, error) {
	p := &Payload{InputBytes: len(data), Orientation: 1, Scale: 1, DecodeScale: 1}
	p.Timings.Read = time.Since(start)
	defer func() { p.Timings.Total = time.Since(start) }()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	t := time.Now()
	f, err := Sniff(data[:min(len(data), SniffLen)])
	if err != nil {
		return nil, err
	}
	p.InputFormat = f
	if f == PDF {
		return preparePDF(ctx, data, ro, p)
	}

	hdr, err := readHeader(f, data, ro.MaxPixels)
	if err != nil {
		return nil, err
	}
	p.InputWidth, p.InputHeight = hdr.width, hdr.height
	p.Orientation = hdr.orientation
	p.HEICTransform = hdr.transformed
	p.Timings.Header = time.Since(t)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	scale := decodeScale(f, data, hdr, ro.MaxSide)
	streamable := streamJPEGs && f == JPEG && jpegBaseline(data) && downscales(hdr, scale, ro.MaxSide)
	var held int64 // reserved from ro.Limiter
	if ro.Limiter != nil {
		t = time.Now()
		n, err := ro.Limiter.acquire(ctx, workingSet(hdr, scale, ro.MaxSide, streamable))
		if err != nil {
			return nil, err
		}
		held = n
		defer func() { ro.Limiter.release(held) }()
		p.Timings.Wait = time.Since(t)
	}

	if ro.canPassThrough(f, hdr, len(data)) {
		t = time.Now()
		if err := validate(ctx, f, data); err != nil {
			return nil, err
		}
		p.Timings.Decode = time.Since(t)
		p.MIMEType = f.MIMEType()
		p.Data = data
		p.Width, p.Height = hdr.width, hdr.height
		p.Passthrough = true
		return p, nil
	}

	if streamable {
		fitted, dec, fit, ok, err := streamJPEG(ctx, data, hdr.orientation, scale, ro)
		if err != nil {
			return nil, err
		}
		if ok {
			p.DecodeScale = scale
			p.Timings.Decode, p.Timings.Fit = dec, fit
			if err := encodeInto(ctx, p, fitted, hdr, ro); err != nil {
				return nil, err
			}
			return p, nil
		}
		if ro.Limiter != nil {
			// The whole-image path needs the whole image: trade the
			// window-sized reservation for a full one, releasing first so
			// that no job holds a reservation while it waits for another.
			ro.Limiter.release(held)
			held = 0
			t = time.Now()
			n, err := ro.Limiter.acquire(ctx, workingSet(hdr, scale, ro.MaxSide, false))
			if err != nil {
				return nil, err
			}
			held = n
			p.Timings.Wait += time.Since(t)
		}
	}

	t = time.Now()
	orientation := hdr.orientation
	var img image.Image
	if f == HEIC {
		img, orientation, err = decodeHEIC(ctx, data, hdr, ro, &held)
		err = decodeErr(f, err)
	} else {
		img, scale, err = decode(ctx, f, data, hdr, scale, ro)
	}
	if err != nil {
		return nil, err
	}
	defer putPlanes(img) // after encoding: the fitted image may be img itself
	p.DecodeScale = scale
	p.Timings.Decode = time.Since(t)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	t = time.Now()
	fitted, err := resize.Fit(img, orientation, ro.MaxSide)
	if err != nil {
		return nil, fmt.Errorf("preprocess: fit: %w", err)
	}
	p.Timings.Fit = time.Since(t)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if err := encodeInto(ctx, p, fitted, hdr, ro); err != nil {
		return nil, err
	}
	return p, nil
}

// encodeInto encodes the fitted image under the budget into p.
func encodeInto(ctx context.Context, p *Payload, fitted image.Image, hdr header, ro *resolved) error {
	t := time.Now()
	res, err := encode.JPEG(ctx, fitted, ro.encodeOptions())
	if err != nil {
		return err
	}
	p.Timings.Encode = time.Since(t)
	p.MIMEType = "image/jpeg"
	p.Data = res.Data
	p.Width, p.Height = res.Width, res.Height
	p.Quality = res.Quality
	p.Passes = res.Passes
	p.Scale = float64(max(res.Width, res.Height)) / float64(max(hdr.width, hdr.height))
	return nil
}

// canPassThrough reports whether an input of format f with header hdr and
// n bytes may be sent as it is.
func (ro *resolved) canPassThrough(f Format, hdr header, n int) bool {
	mime := f.MIMEType()
	return !ro.ForceReencode && mime != "" &&
		hdr.orientation == 1 && !hdr.transformed &&
		max(hdr.width, hdr.height) <= ro.MaxSide &&
		encode.DataURILen(mime, n) <= ro.MaxBase64
}

func preparePDF(ctx context.Context, data []byte, ro *resolved, p *Payload) (*Payload, error) {
	if ro.Limiter != nil {
		// pdfcpu holds the parsed objects and the rewritten file; images
		// it re-encodes are decoded one at a time.
		t := time.Now()
		n, err := ro.Limiter.acquire(ctx, pdfWorkingSet(len(data)))
		if err != nil {
			return nil, err
		}
		defer ro.Limiter.release(n)
		p.Timings.Wait = time.Since(t)
	}
	t := time.Now()
	res, err := pdf.Trim(ctx, data, ro.PDF)
	if err != nil {
		return nil, err
	}
	p.Timings.PDF = time.Since(t)
	p.MIMEType = "application/pdf"
	p.Data = res.Data
	p.PDF = &PDFInfo{
		PagesIn:         res.PagesIn,
		PagesKept:       res.Kept,
		PagesEmpty:      res.Empty,
		ImagesResampled: res.ImagesResampled,
	}
	return p, nil
}
