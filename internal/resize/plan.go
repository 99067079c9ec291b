package resize

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// bandRows is the number of output rows one unit of parallel work covers;
// for the axis-swapping orientations a unit is bandCols output columns
// instead, and a worker's scratch holds bandCols pass-1 rows of srcW int32s.
const (
	bandRows = 16
	bandCols = 16
)

// parallelMin is the number of multiply-adds below which a resize runs on
// the calling goroutine only.
const parallelMin = 1 << 18

// plane is one 8-bit sample plane: w×h samples, row y at pix[y*stride:].
type plane struct {
	pix    []uint8
	stride int
	w, h   int
}

// valid reports whether p's slice holds all its rows.
func (p plane) valid() bool {
	if p.w <= 0 || p.h <= 0 || p.stride < p.w || len(p.pix) < p.w {
		return false
	}
	if p.stride > len(p.pix) {
		return p.h == 1 && len(p.pix) >= p.w
	}
	return p.h-1 <= (len(p.pix)-p.w)/p.stride
}

// task resamples one source plane into one output plane. xa maps output
// columns and ya output rows to source samples: to source columns (x) and
// rows (y) respectively, or, when swap is set, to source rows (y) and
// columns (x).
//
// Both cases run the cheap column pass (vertical1, a weighted sum of whole
// source rows) over the large source and the dot-product pass over the
// small output. Without swap a unit of work is a band of output rows: each
// row is one vertical1 into a scratch row and one horizontal2. With swap,
// output column X is a weighted sum of source rows, so a unit is a band of
// output columns: vertical1 makes one scratch row per column, and
// horizontal2T writes the band's bytes into every output row.
//
// Tasks of the colour layouts (kind ≠ kindPlane, see rgba.go) run the same
// two passes over whole pixels: src.w counts the bytes of a source row (4
// a pixel, or 1 for palette indexes) while dst.w, dst.h and the axes count
// pixels.
type task struct {
	src, dst plane
	xa, ya   *axis
	swap     bool
	kind     taskKind
	pass1    pass1Kind
	cb, cr   plane       // chroma outputs of kindRGBToYCbCr
	pal      *paletteLUT // palette of pass1Palette
	p16      bool        // on the int16 path (fast16.go, fast16rgb.go)
	v16, h16 *axis16     // p16: pass-1 and pass-2 weights for it
}

// scratch returns the int32 and int64 scratch values one unit of t needs.
func (t *task) scratch() (n32, n64 int) {
	n := t.rowLen()
	if t.kind == kindRGBToYCbCr {
		// pass 1 sums 4 int32s a pixel, then keeps R and B packed in
		// an int64 and G in an int32, for 2 rows (row bands) or
		// bandCols rows; pass 2 writes a tile of R, G, B int32s.
		px := 2 * n / 4
		if t.swap {
			px = bandCols * n / 4
		}
		// (+ the values the int16 path's pass 2 may read past its
		// last row, see unitOpaque16)
		return n + px + 3*t.tilePixels(), px + 4
	}
	if t.kind == kindToNRGBA {
		// pass 1 sums 4 int32s a pixel, kept as 2 packed int64s.
		px := n / 4
		if t.swap {
			px *= bandCols
		}
		return n, 2 * px
	}
	if t.swap {
		n *= bandCols
	}
	// + the values the int16 path's pass 2 may read past its last row
	return n + 8, 0
}

// units is the number of work units of t.
func (t *task) units() int {
	if t.swap {
		return (t.dst.w + bandCols - 1) / bandCols
	}
	return (t.dst.h + bandRows - 1) / bandRows
}

// cost estimates t's multiply-adds.
func (t *task) cost() int {
	c := 1
	if t.kind != kindPlane {
		c = 4
	}
	if t.swap {
		return t.dst.w*t.rowLen()*t.xa.taps + c*t.dst.h*t.dst.w*t.ya.taps
	}
	return t.dst.h*t.rowLen()*t.ya.taps + c*t.dst.h*t.dst.w*t.xa.taps
}

// unit computes work unit u of t using buf and buf64 (sized by scratch)
// as scratch.
func (t *task) unit(u int, buf []int32, buf64 []int64) {
	dst, src := t.dst, t.src
	switch t.kind {
	case kindRGBToYCbCr:
		t.unitOpaque(u, buf, buf64)
		return
	case kindToNRGBA:
		t.unitAlpha(u, buf, buf64)
		return
	}
	if t.xa.taps == 1 && t.ya.taps == 1 {
		t.copyUnit(u)
		return
	}
	if t.p16 {
		t.unit16(u, buf)
		return
	}
	if !t.swap {
		acc := buf[:src.w]
		taps := t.ya.taps
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y++ {
			vertical1(acc, src.pix, src.stride, int(t.ya.start[y]), t.ya.w[y*taps:(y+1)*taps])
			horizontal2(dst.pix[y*dst.stride:][:dst.w], acc, t.xa)
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	taps := t.xa.taps
	for x := x0; x < x1; x++ {
		j := x - x0
		vertical1(buf[j*src.w:(j+1)*src.w], src.pix, src.stride, int(t.xa.start[x]), t.xa.w[x*taps:(x+1)*taps])
	}
	horizontal2T(dst.pix[x0:], dst.stride, x1-x0, buf, src.w, t.ya)
}

// copyUnit is unit for a task whose axes only permute samples (one tap of
// weight one each: orientation without scaling): every output byte is a
// source byte.
func (t *task) copyUnit(u int) {
	dst, src := t.dst, t.src
	xs, ys := t.xa.start, t.ya.start
	if !t.swap {
		for y := u * bandRows; y < min((u+1)*bandRows, dst.h); y++ {
			srow := src.pix[int(ys[y])*src.stride:][:src.w]
			drow := dst.pix[y*dst.stride:][:dst.w]
			for x, sx := range xs[:len(drow)] {
				drow[x] = srow[sx]
			}
		}
		return
	}
	x0, x1 := u*bandCols, min((u+1)*bandCols, dst.w)
	for y, sx := range ys[:dst.h] {
		out := dst.pix[y*dst.stride+x0 : y*dst.stride+x1]
		for j, sy := range xs[x0:x1] {
			out[j] = src.pix[int(sy)*src.stride+int(sx)]
		}
	}
}

// plan is the reusable state of one resize: weights and tasks. Plans are
// pooled so that steady-state calls allocate only their output.
type plan struct {
	axes  [4]axis
	ax16  [4]axis16 // int16-path layouts of axes
	tasks [3]task
	n     int
	pal   paletteLUT // palette of a pass1Palette task
}

var planPool = sync.Pool{New: func() any { return new(plan) }}

var (
	scratchPool   sync.Pool // of *[]int32
	scratch64Pool sync.Pool // of *[]int64
)

func getScratch(n int) *[]int32 {
	if v, ok := scratchPool.Get().(*[]int32); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]int32, n)
	return &s
}

func getScratch64(n int) *[]int64 {
	if v, ok := scratch64Pool.Get().(*[]int64); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]int64, n)
	return &s
}

// work is the shared state of the goroutines running one plan.
type work struct {
	p      *plan
	run    []int // the units to compute (indexes over all tasks' units); nil: all
	total  int
	need   int // int32 scratch per worker
	need64 int // int64 scratch per worker
	next   atomic.Int64
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
}

// run executes p's tasks on up to GOMAXPROCS goroutines (the caller's
// included) and waits for them.
func (p *plan) run() error { return p.runUnits(nil) }

// runUnits computes the units listed in run (indexes over all tasks'
// units, in task order), or every unit when run is nil, like run.
func (p *plan) runUnits(run []int) error {
	w := &work{p: p, run: run}
	cost, units := 0, 0
	for i := range p.tasks[:p.n] {
		t := &p.tasks[i]
		units += t.units()
		n32, n64 := t.scratch()
		w.need = max(w.need, n32)
		w.need64 = max(w.need64, n64)
		cost += t.cost()
	}
	w.total = units
	if run != nil {
		w.total = len(run)
		cost = cost / max(units, 1) * len(run)
	}
	nw := min(runtime.GOMAXPROCS(0), w.total)
	if cost < parallelMin {
		nw = 1
	}
	w.wg.Add(nw - 1)
	for range nw - 1 {
		go func() {
			defer w.wg.Done()
			w.loop()
		}()
	}
	w.loop()
	w.wg.Wait()
	return w.err
}

// loop takes units until none are left. A panic (a bug, never expected)
// is turned into ErrInternal instead of crashing the process.
func (w *work) loop() {
	defer func() {
		if r := recover(); r != nil {
			w.mu.Lock()
			if w.err == nil {
				w.err = fmt.Errorf("%w: %v", ErrInternal, r)
			}
			w.mu.Unlock()
			w.next.Store(int64(w.total)) // stop the others early
		}
	}()
	bp := getScratch(w.need)
	defer scratchPool.Put(bp)
	buf := *bp
	var buf64 []int64
	if w.need64 > 0 {
		bp64 := getScratch64(w.need64)
		defer scratch64Pool.Put(bp64)
		buf64 = *bp64
	}
	for {
		i := int(w.next.Add(1) - 1)
		if i >= w.total {
			return
		}
		if w.run != nil {
			i = w.run[i]
		}
		for k := range w.p.tasks[:w.p.n] {
			t := &w.p.tasks[k]
			c := t.units()
			if i < c {
				t.unit(i, buf, buf64)
				break
			}
			i -= c
		}
	}
}
