package jpegdec

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
)

// rowBuf holds the quantized coefficients of one MCU row in natural order
// and, per block, the zig-zag index of its last coefficient. Buffers in
// rowPool are all zero: reconstruct re-zeroes what it used, and a buffer
// left dirty by an error is dropped instead of being returned.
type rowBuf struct {
	coef []int16
	last []uint8
}

var rowPool sync.Pool

func getRowBuf(blocks int) *rowBuf {
	if b, ok := rowPool.Get().(*rowBuf); ok && cap(b.last) >= blocks {
		b.coef, b.last = b.coef[:blocks*64], b.last[:blocks]
		return b
	}
	return &rowBuf{coef: make([]int16, blocks*64), last: make([]uint8, blocks)}
}

// minParallelBlocks is the image size (in blocks) below which goroutines
// cost more than they save. Tests lower it to exercise the parallel paths.
var minParallelBlocks = 4096

// maxWorkers caps Options.Workers (each worker holds row buffers).
const maxWorkers = 64

// decodeScan decodes the scan of b into the planes, choosing between the
// sequential, restart-parallel and pipelined strategies.
func (p *plan) decodeScan(b []byte, workers int) error {
	// Each worker holds MCU-row buffers: bound their number.
	workers = min(workers, maxWorkers, p.mcusY)
	if workers > 1 && p.mcusX*p.mcusY*p.bpm >= minParallelBlocks {
		if p.hd.ri > 0 {
			if ok, err := p.decodeRestartParallel(b, workers); ok {
				return err
			}
		} else if p.mcusY > 1 {
			return p.decodePipelined(b, workers)
		}
	}
	return p.decodeSequential(b)
}

// decodeSequential decodes the whole scan on the calling goroutine,
// reconstructing each MCU row (or restart interval piece) right after
// decoding it while its coefficients are in cache.
func (p *plan) decodeSequential(b []byte) error {
	buf := getRowBuf(p.mcusX * p.bpm)
	sc := p.newScan(b)
	var tmp block
	for my := 0; my < p.mcusY; my++ {
		for mx := 0; mx < p.mcusX; {
			end, err := sc.next(buf, mx)
			if err != nil {
				return err
			}
			p.reconstruct(buf, my, mx, end, &tmp)
			mx = end
		}
		if sc.r.truncated() {
			return corrupt("entropy-coded data truncated in MCU row %d of %d", my, p.mcusY)
		}
	}
	rowPool.Put(buf)
	return nil
}

// scan walks the entropy-coded segment of a scan in order, MCU row by MCU
// row, handling restart intervals.
type scan struct {
	p    *plan
	r    bitReader
	pred [3]int32
	mcu  int  // MCUs decoded so far
	rst  byte // the next RST marker expected
}

func (p *plan) newScan(b []byte) *scan {
	sc := &scan{p: p, rst: mRST0}
	sc.r.reset(b, p.hd.scanStart)
	return sc
}

// next entropy-decodes the MCUs of the current MCU row from mx up to the
// row's end or the end of the restart interval, whichever comes first,
// into buf (at their offsets in the row), and returns where it stopped.
// At the end of an interval it reads the RST marker and resets the
// predictors.
func (sc *scan) next(buf *rowBuf, mx int) (end int, err error) {
	p := sc.p
	ri := p.hd.ri
	end = p.mcusX
	if ri > 0 {
		end = min(end, mx+ri-sc.mcu%ri)
	}
	if err := p.decodeMCUs(&sc.r, buf, mx, end, &sc.pred); err != nil {
		return 0, err
	}
	sc.mcu += end - mx
	if ri > 0 && sc.mcu%ri == 0 && sc.mcu < p.mcusX*p.mcusY {
		if err := sc.r.restart(sc.rst); err != nil {
			return 0, err
		}
		sc.rst = mRST0 + (sc.rst-mRST0+1)&7
		sc.pred = [3]int32{}
	}
	return end, nil
}

// decodePipelined runs entropy decoding on the calling goroutine and the
// inverse DCT on workers-1 others, handing over MCU rows through a small
// ring of reusable buffers. Entropy decoding is the smaller half of the
// work with this decoder's tables, so when the hand-over queue is full the
// calling goroutine reconstructs the row itself instead of waiting: the
// work balances across all workers without tuning.
func (p *plan) decodePipelined(b []byte, workers int) error {
	type job struct {
		my  int
		buf *rowBuf
	}
	blocks := p.mcusX * p.bpm
	nbuf := 2 * workers
	free := make(chan *rowBuf, nbuf)
	for i := 0; i < nbuf; i++ {
		free <- getRowBuf(blocks)
	}
	jobs := make(chan job, workers-1)
	var wg sync.WaitGroup
	var perr panicErr
	for w := 0; w < workers-1; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tmp block
			for j := range jobs {
				// Keep draining after a panic so that the producer never
				// blocks.
				if perr.get() == nil {
					perr.run(func() { p.reconstruct(j.buf, j.my, 0, p.mcusX, &tmp) })
				}
				free <- j.buf
			}
		}()
	}
	var r bitReader
	r.reset(b, p.hd.scanStart)
	var pred [3]int32
	var tmp block
	var err error
	for my := 0; my < p.mcusY; my++ {
		buf := <-free
		if err = p.decodeMCUs(&r, buf, 0, p.mcusX, &pred); err != nil {
			break
		}
		if r.truncated() {
			err = corrupt("entropy-coded data truncated in MCU row %d of %d", my, p.mcusY)
			break
		}
		select {
		case jobs <- job{my, buf}:
		default:
			p.reconstruct(buf, my, 0, p.mcusX, &tmp)
			free <- buf
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		err = perr.get()
	}
	if err == nil {
		for len(free) > 0 {
			rowPool.Put(<-free)
		}
	}
	return err
}

// restartSegments returns the byte ranges [starts[i], ends[i]) of the
// restart intervals of the scan starting at start, or ok=false if the
// markers are not exactly want intervals with RST numbers in sequence (the
// sequential decoder then reports or tolerates the problem).
func restartSegments(b []byte, start, want int) (starts, ends []int, ok bool) {
	// Each marker takes two bytes: do not trust want for the capacity.
	c := min(want, (len(b)-start)/2+1)
	starts = make([]int, 1, c)
	ends = make([]int, 0, c)
	starts[0] = start
	p := start
	for {
		i := bytes.IndexByte(b[p:], 0xFF)
		if i < 0 || p+i+1 >= len(b) {
			ends = append(ends, len(b))
			break
		}
		p += i
		c := b[p+1]
		if c == 0 {
			p += 2
			continue
		}
		if c == 0xFF {
			p++
			continue
		}
		if c < mRST0 || c > mRST7 {
			ends = append(ends, p)
			break
		}
		if int(c-mRST0) != (len(starts)-1)&7 || len(starts) == want {
			return nil, nil, false
		}
		ends = append(ends, p)
		starts = append(starts, p+2)
		p += 2
	}
	return starts, ends, len(starts) == want
}

// decodeRestartParallel decodes restart intervals concurrently: each is
// independent (DC predictors reset, byte aligned) and covers its own MCUs,
// so workers write disjoint parts of the planes. ok is false if the
// markers do not match the restart interval.
func (p *plan) decodeRestartParallel(b []byte, workers int) (ok bool, err error) {
	ri, total := p.hd.ri, p.mcusX*p.mcusY
	n := (total + ri - 1) / ri
	starts, ends, ok := restartSegments(b, p.hd.scanStart, n)
	if !ok {
		return false, nil
	}
	// Hand out runs of intervals: about 8 tasks per worker for balance.
	per := max(1, (n+8*workers-1)/(8*workers))
	var next atomic.Int64
	var failed atomic.Bool
	var mu sync.Mutex
	var wg sync.WaitGroup
	var perr panicErr
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer perr.recover()
			buf := getRowBuf(p.mcusX * p.bpm)
			var r bitReader
			var tmp block
			for !failed.Load() {
				t := int(next.Add(1)) - 1
				if t*per >= n {
					break
				}
				for iv := t * per; iv < min(n, (t+1)*per); iv++ {
					if e := p.decodeInterval(&r, b[:ends[iv]], starts[iv], iv*ri, min(total, (iv+1)*ri), buf, &tmp); e != nil {
						mu.Lock()
						if err == nil {
							err = e
						}
						mu.Unlock()
						failed.Store(true)
						return
					}
				}
			}
			rowPool.Put(buf)
		}()
	}
	wg.Wait()
	if err == nil {
		err = perr.get()
	}
	return true, err
}

// decodeInterval decodes MCUs m0..m1-1, one restart interval starting at
// data[start], and reconstructs them.
func (p *plan) decodeInterval(r *bitReader, data []byte, start, m0, m1 int, buf *rowBuf, tmp *block) error {
	r.reset(data, start)
	var pred [3]int32
	for m := m0; m < m1; {
		my, mx := m/p.mcusX, m%p.mcusX
		end := min(p.mcusX, mx+m1-m)
		if err := p.decodeMCUs(r, buf, mx, end, &pred); err != nil {
			return err
		}
		p.reconstruct(buf, my, mx, end, tmp)
		m += end - mx
	}
	if r.truncated() {
		return corrupt("restart interval at MCU %d truncated", m0)
	}
	return nil
}

// panicErr turns a panic in a worker goroutine into an error (a bug
// safety net: a panic there could not be recovered by Decode's caller).
type panicErr struct {
	mu  sync.Mutex
	err error
}

func (e *panicErr) recover() {
	if v := recover(); v != nil {
		e.mu.Lock()
		if e.err == nil {
			e.err = fmt.Errorf("%w: internal error: %v", ErrCorrupt, v)
		}
		e.mu.Unlock()
	}
}

// run calls f, recording a panic.
func (e *panicErr) run(f func()) {
	defer e.recover()
	f()
}

func (e *panicErr) get() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}
