package encode

import (
	"math"
)

// Search tuning, measured with TestSearchOnCalibrationCurves and the
// corpus benchmark.
const (
	// maxModelPasses: after this many passes at one size the search bisects,
	// so a pathological size curve still ends in log2(100) steps.
	maxModelPasses = 5
)

// tuning is how far a predictor is trusted.
type tuning struct {
	// aimFirst and aim are the fractions of the limit that predictions
	// made from one sample, and from more, aim at.
	aimFirst, aim float64
	// slack: accept the best fitting quality lo, inside a bracket, when
	// lo+1+slack is predicted not to fit. 0 searches to the exact
	// optimum; 1 may end one step below it.
	slack int
	// skip: when even the minimum quality is predicted to exceed the limit
	// by this factor, the search reports failure without spending a pass
	// to confirm it (the caller shrinks).
	skip float64
}

var (
	// curveTuning: predictions from the curve alone are within about 10%
	// after one pass and 2–3% after two. Aims of 0.85..0.96 cost more
	// passes on the calibration curves (the undershoot needs a pass up).
	curveTuning = tuning{aimFirst: 0.99, aim: 0.99, slack: 1, skip: 1.5}
	// exactTuning is for searches whose "measurements" are predictions
	// themselves (the proxy search): cheap, so search exactly.
	exactTuning = tuning{aimFirst: 1, aim: 1, slack: 0, skip: 1}
)

// predictor predicts the encoded size at a quality from the samples
// measured so far at the current dimensions.
type predictor interface {
	// update refits after a new sample; lo is the best fitting and hi the
	// lowest failing sample (q == 0 when absent), all every sample in order.
	update(lo, hi sample, all []sample) error
	// size predicts the encoded size in bytes at quality q.
	size(q int) (float64, error)
	// best returns the highest quality in [lo, hi] predicted to be at most
	// limit bytes, or lo-1 when none is.
	best(lo, hi int, limit float64) (int, error)
	// tuning says how far the predictions are trusted.
	tuning() tuning
}

// curvePredictor predicts with qualityModel: the calibrated curve, its
// slope fitted by secant through the measured samples. It costs nothing.
type curvePredictor struct {
	m     qualityModel
	exact bool // use exactTuning
}

func (c *curvePredictor) tuning() tuning {
	if c.exact {
		return exactTuning
	}
	return curveTuning
}

func (c *curvePredictor) update(lo, hi sample, all []sample) error {
	c.m = fitModel(lo, hi, all)
	return nil
}
func (c *curvePredictor) size(q int) (float64, error) { return c.m.size(q), nil }
func (c *curvePredictor) best(lo, hi int, limit float64) (int, error) {
	return c.m.best(lo, hi, limit), nil
}

// searchResult is the outcome of searchQuality at one size.
type searchResult struct {
	fit      sample       // the best fitting sample; fit.q == 0 if none fits
	atMin    float64      // measured or predicted size at the minimum quality
	smallest sample       // the smallest measured sample (n == 0 if none)
	model    qualityModel // the calibrated curve fitted to the samples
	passes   int
}

// searchQuality finds the highest quality in [minQ, maxQ] whose encoding is
// at most limit bytes, measuring with measure (one full encode per call),
// starting at quality first, choosing each next quality with p (nil means
// a curvePredictor). It stops when the bracket between the best fitting and
// the lowest failing quality is closed, or when p predicts that nothing
// above the best fitting quality fits. With force set it measures minQ
// rather than predicting that it fails.
func searchQuality(minQ, maxQ, limit, first int, force bool, p predictor, measure func(q int) (int, error)) (searchResult, error) {
	var (
		r      searchResult
		lo, hi sample // best fitting (highest q) and lowest failing samples
		all    []sample
	)
	if p == nil {
		p = new(curvePredictor)
	}
	q := min(max(first, minQ), maxQ)
	for {
		n, err := measure(q)
		if err != nil {
			return r, err
		}
		r.passes++
		s := sample{q, n}
		all = append(all, s)
		if r.smallest.n == 0 || n < r.smallest.n {
			r.smallest = s
		}
		if q == minQ {
			r.atMin = float64(n)
		}
		if n <= limit {
			if q > lo.q {
				lo = s
			}
		} else if hi.q == 0 || q < hi.q {
			hi = s
		}
		r.fit = lo
		r.model = fitModel(lo, hi, all)
		bottom, top := minQ, maxQ
		if lo.q > 0 {
			bottom = lo.q + 1
		}
		if hi.q > 0 {
			top = hi.q - 1
		}
		if bottom > top {
			// Closed bracket: lo is the optimum (or nothing fits at minQ).
			return r, nil
		}
		if err := p.update(lo, hi, all); err != nil {
			return r, err
		}
		tn := p.tuning()
		if lo.q > 0 {
			// Accept lo when lo+1+slack is predicted not to fit (or is
			// above the bracket): lo is then at most slack steps from the
			// optimum.
			if bottom+tn.slack > top {
				return r, nil
			}
			next, err := p.size(bottom + tn.slack)
			if err != nil {
				return r, err
			}
			if next > float64(limit) {
				return r, nil
			}
		}
		aim := tn.aim
		if len(all) == 1 {
			aim = tn.aimFirst
		}
		next, err := p.best(bottom, top, aim*float64(limit))
		if err != nil {
			return r, err
		}
		switch {
		case r.passes >= maxModelPasses:
			next = (bottom + top + 1) / 2
		case next < bottom && lo.q > 0:
			// Accept lo unless lo+1 is predicted to fit without the margin.
			sz, err := p.size(bottom)
			if err != nil {
				return r, err
			}
			if sz > float64(limit) {
				return r, nil
			}
			next = bottom
		case next < bottom:
			// Nothing predicted to fit even at minQ.
			if r.atMin, err = p.size(minQ); err != nil {
				return r, err
			}
			if !force && r.atMin > tn.skip*float64(limit) {
				return r, nil
			}
			next = minQ
		}
		q = next
	}
}

// pixelExponent is how encoded size scales with pixel count at a fixed
// quality (size ∝ pixels^γ), measured on the calibration set when halving
// and quartering sides: 1.0–1.07 for photos, 0.71–0.9 for the noisy scan,
// whose noise averages away when shrunk. We use 1: photos then fit at the
// first shrink near the minimum quality, keeping the most resolution;
// content that compresses worse when smaller takes a second shrink, which
// costs no full pass when the proxy at the first shrunk size predicts the
// minimum quality not to fit (see skipAfterShrink).
const pixelExponent = 1.0

// shrinkMargin is the safety factor on the side length of a shrink step.
const shrinkMargin = 0.97

// shrinkSide returns the next longer side for an image whose longer side is
// long and whose encoding at the minimum quality is atMin bytes against a
// limit: the side at which atMin is predicted to fit, with a margin, and
// never more than 97% of long nor less than minSide.
func shrinkSide(long, minSide int, atMin float64, limit int) int {
	area := math.Pow(float64(limit)/atMin, 1/pixelExponent)
	f := min(math.Sqrt(area)*shrinkMargin, shrinkMargin)
	return max(int(float64(long)*f), minSide)
}

// scaledDims scales w×h so that its longer side is long, keeping the aspect
// ratio within one pixel, each side at least 1.
func scaledDims(w, h, long int) (int, int) {
	if w >= h {
		return long, max(1, int(math.Round(float64(h)*float64(long)/float64(w))))
	}
	return max(1, int(math.Round(float64(w)*float64(long)/float64(h)))), long
}
