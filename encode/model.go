package encode

import "math"

// logSizeCurve[q-1] is ln(size(q)/size(90)) for a baseline 4:2:0 JPEG of
// quality q, averaged over seven 1357..1920 px images encoded with
// image/jpeg at every quality 1..100: two phone photos (corpus a and d), a
// photo upscaled (h), a noisy A4 scan and its clean render (e, e2), a blurred
// plasma fractal and Gaussian noise. The individual curves are in
// testdata/quality_curves.txt, with how they were made in
// testdata/README.md (section "encode/testdata"). Each image follows this curve up to a factor
// on its slope (0.7 for clean text, 1.2 for smooth gradients, near 1 for
// photos), which is what qualityModel fits.
var logSizeCurve = [100]float64{
	-2.651, -2.651, -2.616, -2.543, -2.460, -2.374, -2.288, -2.204, -2.122, -2.044,
	-1.974, -1.911, -1.845, -1.795, -1.747, -1.701, -1.658, -1.616, -1.582, -1.549,
	-1.513, -1.480, -1.452, -1.423, -1.396, -1.368, -1.343, -1.317, -1.297, -1.275,
	-1.253, -1.231, -1.208, -1.193, -1.166, -1.148, -1.135, -1.112, -1.096, -1.086,
	-1.060, -1.047, -1.033, -1.014, -1.002, -0.983, -0.974, -0.959, -0.938, -0.933,
	-0.927, -0.906, -0.889, -0.880, -0.867, -0.850, -0.833, -0.816, -0.803, -0.790,
	-0.769, -0.757, -0.736, -0.723, -0.702, -0.687, -0.670, -0.646, -0.629, -0.605,
	-0.585, -0.569, -0.545, -0.513, -0.505, -0.481, -0.446, -0.419, -0.399, -0.371,
	-0.337, -0.312, -0.273, -0.243, -0.215, -0.171, -0.142, -0.093, -0.059, 0.000,
	0.045, 0.089, 0.165, 0.248, 0.337, 0.440, 0.550, 0.667, 0.858, 0.980,
}

func curve(q int) float64 { return logSizeCurve[q-1] }

// Slope limits for qualityModel: the calibration images range over 0.7..1.3;
// anything far outside comes from noise in near-equal measurements.
const (
	minSlope = 0.25
	maxSlope = 4
)

// qualityModel predicts ln(size) at quality q as a + b·curve(q).
type qualityModel struct{ a, b float64 }

// sample is one measured encoding at the current dimensions.
type sample struct{ q, n int }

// fitModel returns the model through the measured samples: with one sample
// the calibrated curve (slope 1) shifted onto it; with two or more, the
// secant through the two that bracket the target most tightly (lo fits, hi
// does not), or else the two nearest qualities.
func fitModel(lo, hi sample, last []sample) qualityModel {
	pts := make([]sample, 0, 2)
	if lo.n > 0 {
		pts = append(pts, lo)
	}
	if hi.n > 0 {
		pts = append(pts, hi)
	}
	for i := len(last) - 1; i >= 0 && len(pts) < 2; i-- {
		if len(pts) == 0 || last[i].q != pts[0].q {
			pts = append(pts, last[i])
		}
	}
	p := pts[0]
	b := 1.0
	if len(pts) == 2 {
		dg := curve(pts[1].q) - curve(p.q)
		if math.Abs(dg) > 1e-9 {
			b = (math.Log(float64(pts[1].n)) - math.Log(float64(p.n))) / dg
		}
		b = min(max(b, minSlope), maxSlope)
	}
	return qualityModel{a: math.Log(float64(p.n)) - b*curve(p.q), b: b}
}

// size predicts the encoded size at quality q.
func (m qualityModel) size(q int) float64 { return math.Exp(m.a + m.b*curve(q)) }

// best returns the highest quality in [lo, hi] predicted to be at most
// limit bytes, or lo-1 when none is.
func (m qualityModel) best(lo, hi int, limit float64) int {
	for q := hi; q >= lo; q-- {
		if m.size(q) <= limit {
			return q
		}
	}
	return lo - 1
}
