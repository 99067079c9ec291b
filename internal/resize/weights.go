package resize

import "math"

// Fixed-point layout of the two resampling passes. Weights are scaled to
// 1<<weightBits and sum exactly to that per output sample. Pass 1 keeps
// weightBits-midShift fraction bits in its int32 results; pass 2 removes the
// remaining finalShift bits when it writes bytes.
const (
	weightBits = 14
	weightOne  = 1 << weightBits
	midShift   = 8
	finalShift = 2*weightBits - midShift
)

// kernel is a symmetric resampling kernel with support [-support, support].
type kernel struct {
	support float64
	at      func(x float64) float64
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	x *= math.Pi
	return math.Sin(x) / x
}

// lanczos3 is the same kernel as imaging.Lanczos.
var lanczos3 = kernel{support: 3, at: func(x float64) float64 {
	x = math.Abs(x)
	if x < 3 {
		return sinc(x) * sinc(x/3)
	}
	return 0
}}

// axisSpec describes how one axis of an output plane samples one axis of a
// source plane. Lengths are in luma pixels ("extent") and in samples.
type axisSpec struct {
	dstN   int // output samples on this axis
	dstF   int // output luma pixels per output sample (1 luma, 2 chroma 4:2:0)
	dstL   int // output luma extent
	srcN   int // source samples on the source axis
	srcF   int // source luma pixels per source sample (1, 2 or 4)
	srcL   int // source luma extent
	srcPha int // luma offset of source sample 0: sample u covers [srcF*u-srcPha, srcF*(u+1)-srcPha)
	flip   bool
}

// axis holds the precomputed fixed-point weights of one axisSpec: output
// sample v reads source samples start[v] .. start[v]+taps-1 with weights
// w[v*taps : (v+1)*taps]. Every output sample uses the same tap count (edge
// samples are zero-padded), which keeps the inner loops free of branches.
type axis struct {
	taps  int
	start []int32
	w     []int32
	fw    []float64 // scratch
}

// build fills a for spec with kernel k, reusing a's slices.
func (a *axis) build(s axisSpec, k kernel) {
	ratio := float64(s.srcL) / float64(s.dstL)
	step := float64(s.dstF) * ratio / float64(s.srcF) // source samples per output sample
	scale := math.Max(step, 1)
	r := k.support * scale
	taps := int(math.Ceil(2*r)) + 1
	if taps > s.srcN {
		taps = s.srcN
	}
	a.taps = taps
	a.start = grow(a.start, s.dstN)
	a.w = grow(a.w, s.dstN*taps)
	a.fw = growF(a.fw, taps)
	fw := a.fw
	for v := 0; v < s.dstN; v++ {
		x := (float64(v) + 0.5) * float64(s.dstF) * ratio
		if s.flip {
			x = float64(s.srcL) - x
		}
		fu := (x+float64(s.srcPha))/float64(s.srcF) - 0.5
		begin := int(math.Ceil(fu - r))
		end := int(math.Floor(fu + r))
		begin = max(begin, 0)
		end = min(end, s.srcN-1)
		start := max(min(begin, s.srcN-taps), 0)
		clear(fw)
		sum := 0.0
		for u := begin; u <= end; u++ {
			wt := k.at((float64(u) - fu) / scale)
			fw[u-start] = wt
			sum += wt
		}
		ws := a.w[v*taps : (v+1)*taps]
		a.start[v] = int32(start)
		if sum < 1e-9 {
			// The window fell outside the source (or cancelled out):
			// take the nearest sample.
			clear(ws)
			n := min(max(int(math.Round(fu)), 0), s.srcN-1)
			start = max(min(n, s.srcN-taps), 0)
			a.start[v] = int32(start)
			ws[n-start] = weightOne
			continue
		}
		// Cumulative rounding: the weights sum to weightOne exactly and
		// each is within one unit of its exact value, so the sum of their
		// magnitudes (which bounds the int32 ranges) stays ≈ that of the
		// exact kernel however many taps there are.
		cum, prev := 0.0, int32(0)
		for i, f := range fw {
			cum += f / sum
			c := int32(math.Round(cum * weightOne))
			ws[i] = c - prev
			prev = c
		}
		ws[len(ws)-1] += weightOne - prev
	}
	a.trim()
}

// trim drops the taps that are zero for every output sample (at scale 1 a
// Lanczos window has 7 taps but only one nonzero weight when the sample
// positions align), so that an axis that merely permutes samples ends up
// with taps == 1 and weight weightOne, which task.unit turns into a copy.
func (a *axis) trim() {
	taps := a.taps
	n := 0
	for v := range a.start {
		ws := a.w[v*taps : (v+1)*taps]
		first, last := taps, -1
		for i, w := range ws {
			if w != 0 {
				first = min(first, i)
				last = i
			}
		}
		n = max(n, last-first+1)
	}
	if n <= 0 || n >= taps {
		return
	}
	for v := range a.start {
		src := a.w[v*taps : (v+1)*taps]
		first := 0
		for first < taps-n && src[first] == 0 {
			first++
		}
		// src[first:first+n] holds every nonzero weight and stays in the
		// source plane (start+first ≤ srcN-taps+taps-n); the destination
		// a.w[v*n:] never passes the source position, so copying forward
		// in v is safe.
		copy(a.w[v*n:(v+1)*n], src[first:first+n])
		a.start[v] += int32(first)
	}
	a.taps = n
	a.w = a.w[:len(a.start)*n]
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
