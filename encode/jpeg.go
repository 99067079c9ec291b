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
// alone (TestJPEGProxySearch, TestSearchOnCalibrationCurves). When even
// opts.MinQuality does not fit, the image is shrunk (aspect ratio kept,
// longer side scaled by about sqrt(budget/size)) and the quality searched
// again, down to a longer side of opts.MinSide; then a [*BudgetError] is
// returned. After a shrink the first pass is aimed with the sample's
// calibration carried over from the previous size, and a size predicted
// not to fit even at opts.MinQuality is shrunk again without a pass, so a
// budget that makes the image shrink also takes 2 passes on the corpus
// (TestJPEGShrinkPasses).
//
// ctx is checked before every pass. Invalid options or an empty image give
// an error matching [ErrInvalid]. Cost: Result.Passes encodes, plus one
// resample and an eighth of a read of the luma plane (blockActivity) per
// size shrunk to or from; memory: the converted image (none for
// *image.YCbCr and *image.Gray), two pooled output buffers, and the 1/16
// sample when the budget binds. Safe for concurrent use.
func JPEG(ctx context.Context, img image.Image, opts *Options) (*Result, error) {
	r, _, err := encodeJPEG(ctx, img, opts)
	return r, err
}

// stats are figures about a JPEG call that Result does not carry, for the
// benchmarks.
type stats struct {
	proxyPixels int // pixels encoded in proxy passes
	// trace, when tracing, records every full pass with the size the
	// search predicted for it.
	tracing bool
	trace   []passTrace
}

// passTrace is one full pass of a traced search: its dimensions, quality,
// encoded size, and the size predicted for it before it was made (0 for
// the first pass, which is not predicted). n == 0 records a size skipped
// without a pass because pred, at the minimum quality, did not fit.
type passTrace struct {
	w, h, q, n int
	pred       float64
}

// encodeJPEG is JPEG, also returning stats.
func encodeJPEG(ctx context.Context, img image.Image, opts *Options) (*Result, stats, error) {
	return encodeJPEGStats(ctx, img, opts, false)
}

// encodeJPEGStats is encodeJPEG; with trace set it also records every
// pass in stats.trace (which costs extra proxy encodes for the predicted
// sizes, so stats.proxyPixels is then not representative).
func encodeJPEGStats(ctx context.Context, img image.Image, opts *Options, trace bool) (*Result, stats, error) {
	st := stats{tracing: trace}
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
		// prior is the full/proxy ratio per pixel from the previous size,
		// divided by that size's activity ratio (see activityRatio).
		prior   float64
		carried qualityModel // the previous size's curve, scaled to this one
		layout  proxyLayout  // the previous size's proxy layout
	)
	smallest.Budget = s.maxBase64
	for {
		w, h := cur.Bounds().Dx(), cur.Bounds().Dy()
		long := max(w, h)
		atMinSide := long <= s.minSide
		var p predictor
		predicted := false // p has a prediction for the next pass
		measure := func(q int) (int, error) {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("encode: %w", err)
			}
			var pred float64
			switch {
			case !st.tracing:
			case predicted:
				var err error
				if pred, err = p.size(q); err != nil {
					return 0, err
				}
			case res.Shrinks > 0:
				pred = carried.size(q)
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
			if st.tracing {
				st.trace = append(st.trace, passTrace{w, h, q, n, pred})
			}
			predicted = true
			return n, nil
		}
		p = new(curvePredictor)
		pp := newPredictor(cur, layout)
		var (
			r       searchResult
			atMin   float64 // size at the minimum quality here, measured or predicted
			skipped bool    // no full pass here: predicted not to fit at all
		)
		if pp != nil {
			p = pp
			if prior > 0 {
				// After a shrink: predict with the previous size's
				// full/proxy ratio, which carries over because the proxy
				// samples the same places. Shrink again without a pass
				// when even the minimum quality is predicted not to fit;
				// else aim the first pass here.
				if err := pp.carry(cur, prior); err != nil {
					return nil, st, err
				}
				if predicted = pp.proxy != nil; predicted {
					if atMin, err = pp.size(s.minQuality); err != nil {
						return nil, st, err
					}
					skipped = !atMinSide && atMin > skipAfterShrink*float64(limit)
					if skipped && st.tracing {
						st.trace = append(st.trace, passTrace{w, h, s.minQuality, 0, atMin})
					}
					if !skipped {
						// Start the proxy search where the calibrated
						// curve through the minimum quality meets the
						// limit: usually one step from its end.
						pp.hint = fitModel(sample{s.minQuality, int(atMin)}, sample{}, nil).best(s.minQuality, s.quality, float64(limit))
						if first, err = aimWithPrior(pp, s, limit); err != nil {
							return nil, st, err
						}
					}
				}
			}
		}
		if !skipped {
			r, err = searchQuality(s.minQuality, s.quality, max(limit, 0), first, atMinSide, p, measure)
			atMin = r.atMin
		}
		if pp != nil {
			if k := pp.perPixelRatio(); k > 0 && r.fit.q == 0 {
				prior = k / activityRatio(cur, pp.proxy)
			}
			layout = pp.layout
		} else {
			prior, layout = 0, proxyLayout{}
		}
		releasePP := func() {
			if pp != nil {
				st.proxyPixels += pp.pixels
				pp.release()
			}
		}
		if err != nil {
			releasePP()
			return nil, st, err
		}
		if r.fit.q > 0 {
			releasePP()
			res.Data = append([]byte(nil), (*bestBuf)...)
			return &res, st, nil
		}
		if atMinSide {
			releasePP()
			e := smallest
			return nil, st, &e
		}
		side := shrinkSide(long, s.minSide, atMin, max(limit, 1))
		nw, nh := scaledDims(w, h, side)
		// Carry a curve over to the new size, scaled by the pixel ratio,
		// to aim the first pass there when it gets no proxy: the proxy's
		// own, through its predictions at the two qualities nearest to
		// where the search will land, when there is one (one full pass
		// gives the curve only the calibrated average slope, 30% off on
		// text), else the one fitted to the full passes.
		if !skipped {
			carried = r.model
		}
		if pp != nil && pp.proxy != nil && layoutFor(nw, nh, layout).tiles == 0 {
			if carried, err = pp.model(s.minQuality, min(s.minQuality+10, s.quality)); err != nil {
				releasePP()
				return nil, st, err
			}
		}
		releasePP()
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
		carried.a += pixelExponent * math.Log(float64(nw*nh)/float64(w*h))
		first = carried.best(s.minQuality, s.quality, curveTuning.aimFirst*float64(limit))
	}
}

// skipAfterShrink: after a shrink, when the proxy predicts the minimum
// quality to exceed this fraction of the limit, the image is shrunk again
// without a pass to confirm it. The carried-over prediction is good to
// about ±1%, so a pass at the minimum quality predicted within 1% under
// the limit misses about as often as it fits, and when it fits it is at
// the minimum quality anyway; the next shrink costs a resample, not a
// pass (corpus, 40 budgets from 80 KB to 1.6 MB: 2.10 → 2.08 passes, the
// mean longer side 0.4 px shorter).
const skipAfterShrink = 0.99

// aimWithPrior returns the quality of the first pass after a shrink, as
// predicted by pp calibrated only with a ratio carried over from the
// previous size (see carry), or the minimum quality when none is predicted
// to fit.
//
// The carried ratio predicts that pass to about ±1% (−3.3% to +1.7% on the
// corpus), as much as a quality step near the minimum quality (1–2%), so
// instead of aiming just under the limit it picks, among the slack+1
// qualities up to the highest predicted to fit, the one that puts the
// limit most centrally between its own predicted size and that of the
// quality slack+1 steps above it: the pass then fits, and is accepted by
// the search without a second one, for the widest error either way. It
// costs no proxy encode beyond the search for the highest quality
// predicted to fit.
func aimWithPrior(pp *proxyPredictor, s settings, limit int) (int, error) {
	lim := float64(limit)
	top, err := pp.best(s.minQuality, s.quality, lim)
	if err != nil || top < s.minQuality {
		return s.minQuality, err
	}
	// The sizes in between from the calibrated curve through the two
	// proxy predictions the search ended on (top fits, top+1 does not):
	// the curve carries the uneven steps of the IJG quantiser scaling
	// (near q45 the steps alternate between 1% and 2%), which a constant
	// step ratio would average away.
	n0, err := pp.size(top)
	if err != nil {
		return 0, err
	}
	q2 := top + 1
	if top == s.quality {
		q2 = top - 1
	}
	var cm qualityModel
	if q2 < s.minQuality {
		cm = fitModel(sample{top, int(n0)}, sample{}, nil) // a single quality: the curve's slope
	} else {
		n1, err := pp.size(q2)
		if err != nil {
			return 0, err
		}
		cm = fitModel(sample{top, int(n0)}, sample{q2, int(n1)}, nil)
	}
	slack := proxyTuning.slack
	q, margin := top, math.Inf(-1)
	for c := top; c >= max(s.minQuality, top-slack); c-- {
		low := 1 - cm.size(c)/lim
		high := math.Inf(1)
		if c+slack+1 <= s.quality {
			high = cm.size(c+slack+1)/lim - 1
		}
		if d := min(low, high); d > margin {
			q, margin = c, d
		}
	}
	return q, nil
}
