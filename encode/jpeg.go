package encode

import (
	"context"
	"fmt"
	"image"
	"math"
	"sync"
)

// Result is the outcome of [JPEG].
type Result struct {
	// Data is the JPEG: baseline, no EXIF (no APP segment at all). It is
	// owned by the caller.
	Data []byte
	// Width and Height are the dimensions of Data: the input's, or smaller
	// when the image had to be shrunk to fit.
	Width, Height int
	// Quality is the JPEG quality of Data (IJG scale, 1..100).
	Quality int
	// Passes is the number of full encodes performed.
	Passes int
	// Shrinks is the number of times the dimensions were reduced to fit.
	Shrinks int
}

// encBufPool holds encode output buffers; JPEG keeps two (the pass being
// made and the best fitting pass so far) and copies only the final one out.
var encBufPool sync.Pool // of *[]byte

func getEncBuf() *[]byte {
	if bp, _ := encBufPool.Get().(*[]byte); bp != nil {
		*bp = (*bp)[:0]
		return bp
	}
	b := make([]byte, 0, 64<<10)
	return &b
}

// JPEG encodes img as a JPEG whose data URI (see [DataURILen] with
// [MIMEType]) fits opts.MaxBase64, at the highest quality that fits.
// A nil opts means the defaults. img must be decoded, oriented and fitted
// already; alpha is flattened onto white.
//
// The first pass is at opts.Quality; when it fits the call is done. Else
// each further quality is predicted from the passes so far: for images of
// at least 512K pixels from a 1/16 tile sample of the image encoded at
// candidate qualities and calibrated by the full passes, for smaller ones
// from a size-versus-quality curve calibrated on real photos. When the
// budget binds this takes 2 full passes on the corpus photos and scans,
// plus proxy encodes worth about 0.2–0.3 of a pass. The result is the best
// quality measured that fits: on the corpus and calibration images at most
// one step below the exhaustive optimum with the proxy, two with the curve
// alone (TestJPEGProxySearch, TestSearchOnCalibrationCurves). When even opts.MinQuality does not fit, the image
// is shrunk (aspect ratio kept, longer side scaled by about
// sqrt(budget/size)) and the quality searched again, down to a longer side
// of opts.MinSide; then a [*BudgetError] is returned.
//
// ctx is checked before every pass. Invalid options or an empty image give
// an error matching [ErrInvalid]. Cost: Result.Passes encodes, plus one
// resample per shrink; memory: the converted image (none for *image.YCbCr
// and *image.Gray), two pooled output buffers, and the 1/16 sample when
// the budget binds. Safe for concurrent use.
func JPEG(ctx context.Context, img image.Image, opts *Options) (*Result, error) {
	r, _, err := encodeJPEG(ctx, img, opts)
	return r, err
}

// stats are figures about a JPEG call that Result does not carry, for the
// benchmarks.
type stats struct {
	proxyPixels int // pixels encoded in proxy passes
}

// encodeJPEG is JPEG, also returning stats.
func encodeJPEG(ctx context.Context, img image.Image, opts *Options) (*Result, stats, error) {
	var st stats
	s, err := opts.resolve()
	if err != nil {
		return nil, st, err
	}
	if err := checkImage(img); err != nil {
		return nil, st, err
	}
	limit := maxContent(MIMEType, s.maxBase64)

	src, release := planar(img)
	defer release()
	cur := src
	releaseCur := func() {}
	defer func() { releaseCur() }()

	curBuf, bestBuf := getEncBuf(), getEncBuf()
	defer encBufPool.Put(curBuf)
	defer encBufPool.Put(bestBuf)

	var (
		res      Result
		smallest BudgetError
		first    = s.quality
		prior    float64 // full/proxy ratio per pixel from the previous size
	)
	smallest.Budget = s.maxBase64
	for {
		w, h := cur.Bounds().Dx(), cur.Bounds().Dy()
		long := max(w, h)
		atMinSide := long <= s.minSide
		measure := func(q int) (int, error) {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("encode: %w", err)
			}
			out, err := appendPlanar((*curBuf)[:0], cur, q)
			if err != nil {
				return 0, err
			}
			*curBuf = out
			res.Passes++
			n := len(out)
			if n <= limit && q > res.Quality {
				res.Quality, res.Width, res.Height = q, w, h
				curBuf, bestBuf = bestBuf, curBuf
			}
			if smallest.Smallest == 0 || DataURILen(MIMEType, n) < smallest.Smallest {
				smallest.Smallest = DataURILen(MIMEType, n)
				smallest.Width, smallest.Height, smallest.Quality = w, h, q
			}
			return n, nil
		}
		var p predictor
		pp := newPredictor(cur)
		if pp != nil {
			p = pp
			if prior > 0 {
				// After a shrink: aim the first pass here with the
				// previous size's full/proxy ratio.
				pp.prior = prior
				if first, err = aimWithPrior(pp, s, limit); err != nil {
					return nil, st, err
				}
			}
		}
		r, err := searchQuality(s.minQuality, s.quality, max(limit, 0), first, atMinSide, p, measure)
		prior = 0
		if pp != nil {
			prior = pp.perPixelRatio()
			st.proxyPixels += pp.pixels
			pp.release()
		}
		if err != nil {
			return nil, st, err
		}
		if r.fit.q > 0 {
			res.Data = append([]byte(nil), (*bestBuf)...)
			return &res, st, nil
		}
		if atMinSide {
			e := smallest
			return nil, st, &e
		}
		side := shrinkSide(long, s.minSide, r.atMin, max(limit, 1))
		nw, nh := scaledDims(w, h, side)
		if err := ctx.Err(); err != nil {
			return nil, st, fmt.Errorf("encode: %w", err)
		}
		shrunk, err := shrink(src, nw, nh)
		if err != nil {
			return nil, st, fmt.Errorf("encode: shrink to %dx%d: %w", nw, nh, err)
		}
		releaseCur()
		cur, releaseCur = planar(shrunk)
		res.Shrinks++
		// Carry the fitted curve over to the new size, scaled by the
		// pixel ratio, to aim the first pass there.
		m := r.model
		m.a += pixelExponent * math.Log(float64(nw*nh)/float64(w*h))
		first = m.best(s.minQuality, s.quality, curveTuning.aimFirst*float64(limit))
	}
}

// aimAfterShrink is the fraction of the limit the first pass after a
// shrink aims at. The carried-over ratio predicts that pass to about ±1.5%;
// aiming 1.5% low makes it fit, and be accepted, more often than not
// (corpus at 300 KB: 2.5 → 2.33 passes), for about one quality step.
const aimAfterShrink = 0.985

// aimWithPrior returns the quality predicted to fit by a proxy calibrated
// only with a carried-over ratio, or the minimum quality.
func aimWithPrior(pp *proxyPredictor, s settings, limit int) (int, error) {
	if err := pp.build(); err != nil || pp.proxy == nil {
		return s.minQuality, err
	}
	q, err := pp.best(s.minQuality, s.quality, aimAfterShrink*float64(limit))
	return max(q, s.minQuality), err
}
