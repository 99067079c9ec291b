package hevc

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Wavefront parallel processing
// (entropy_coding_sync_enabled_flag). Each CTB row of a slice segment is
// its own CABAC substream; its context variables start from those saved
// after the second CTB of the row above (9.3.1, 9.3.2.3/9.3.2.4), so row r
// may decode CTB x once row r-1 has finished CTB min(x+1, ctbW-1). Rows
// are handed out in order to up to `workers` goroutines, each with its
// own ctuDecoder; progress counters give the happens-before edges.

// errStopped ends a row whose decoding was abandoned because another row
// failed; the caller reports that row's error instead.
var errStopped = errors.New("hevc: WPP row stopped")

// wppRows schedules the CTB rows (substreams) of one slice segment.
type wppRows struct {
	f    *frame
	idx  int
	subs [][]byte
	// x0, ry0: the first CTB of the segment (row 0 starts at column x0).
	x0, ry0 int
	// progress[k]: CTB columns of row k finished (row 0 starts at x0,
	// the earlier columns belonging to earlier slices).
	progress []atomic.Int32
	// row decodes substream k with d (w.decodeRow; tests substitute it).
	row func(d *ctuDecoder, k int) error
	// saved[k]: the context variables after CTB 1 of row k (written
	// before progress[k] reaches 2).
	saved []contexts

	mu      sync.Mutex
	cond    sync.Cond
	waiters atomic.Int32
	failed  atomic.Bool
	err     error // the first error, under mu
}

// newWPPRows prepares the rows of slice segment idx, one per substream.
func newWPPRows(f *frame, idx int, subs [][]byte) *wppRows {
	addr := f.slices[idx].SegmentAddress
	w := &wppRows{
		f: f, idx: idx, subs: subs,
		x0: addr % f.ctbW, ry0: addr / f.ctbW,
		progress: make([]atomic.Int32, len(subs)),
		saved:    make([]contexts, len(subs)),
	}
	w.cond.L = &w.mu
	w.row = w.decodeRow
	w.progress[0].Store(int32(w.x0))
	return w
}

// run decodes every row with up to workers goroutines and returns the
// first error.
func (w *wppRows) run(workers int) (err error) {
	n := min(workers, len(w.subs))
	if n <= 1 {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%w: panic decoding a WPP row: %v", ErrCorrupt, p)
			}
		}()
		d := newCtuDecoder(w.f, w.idx)
		for k := range w.subs {
			if err := w.row(d, k); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					w.fail(fmt.Errorf("%w: panic decoding a WPP row: %v", ErrCorrupt, p))
				}
			}()
			d := newCtuDecoder(w.f, w.idx)
			for !w.failed.Load() {
				k := int(next.Add(1)) - 1
				if k >= len(w.subs) {
					return
				}
				if err := w.row(d, k); err != nil {
					w.fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// fail records err (unless an error is already recorded) and wakes every
// waiting row so that it stops.
func (w *wppRows) fail(err error) {
	w.mu.Lock()
	if w.err == nil && !errors.Is(err, errStopped) {
		w.err = err
	}
	w.failed.Store(true)
	w.cond.Broadcast()
	w.mu.Unlock()
}

// wait blocks until row k has finished need CTB columns; false means the
// slice failed and the caller must stop.
func (w *wppRows) wait(k, need int) bool {
	if int(w.progress[k].Load()) >= need {
		return true
	}
	w.mu.Lock()
	w.waiters.Add(1)
	for int(w.progress[k].Load()) < need && !w.failed.Load() {
		w.cond.Wait()
	}
	w.waiters.Add(-1)
	w.mu.Unlock()
	return !w.failed.Load()
}

// done publishes that row k has finished cols CTB columns. The store
// precedes the load of waiters, and a waiter registers before re-checking
// progress, so no wake-up is lost.
func (w *wppRows) done(k, cols int) {
	w.progress[k].Store(int32(cols))
	if w.waiters.Load() > 0 {
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

// decodeRow decodes substream k: CTB row ry0+k from its first column of
// the segment to the end of the row (end_of_subset_one_bit) or to
// end_of_slice_segment_flag (only in the last substream).
func (w *wppRows) decodeRow(d *ctuDecoder, k int) error {
	f := w.f
	sh := d.sh
	ry := w.ry0 + k
	xs := 0
	if k == 0 {
		xs = w.x0
	}
	if err := d.startSubstream(w.subs[k]); err != nil {
		return err
	}
	if k == 0 {
		d.ctx.init(sh.QpY)
	} else {
		if !w.wait(k-1, min(2, f.ctbW)) {
			return errStopped
		}
		// Synchronise with CTB (1, ry-1) when it is available (same slice).
		if f.ctbW > 1 && (ry-1)*f.ctbW+1 >= sh.SegmentAddress {
			d.ctx = w.saved[k-1]
		} else {
			d.ctx.init(sh.QpY)
		}
	}
	last := k == len(w.subs)-1
	for x := xs; x < f.ctbW; x++ {
		if k > 0 && !w.wait(k-1, min(x+2, f.ctbW)) {
			return errStopped
		}
		if w.failed.Load() {
			return errStopped
		}
		end, err := d.decodeCTU(x, ry)
		if err != nil {
			return err
		}
		if x == 1 {
			w.saved[k] = d.ctx
		}
		w.done(k, x+1)
		if end {
			if !last {
				return fmt.Errorf("%w: slice segment ends in WPP substream %d of %d", ErrCorrupt, k+1, len(w.subs))
			}
			w.done(k, f.ctbW)
			return nil
		}
	}
	if last {
		return fmt.Errorf("%w: slice data continues past its last WPP substream", ErrCorrupt)
	}
	if d.cab.decodeTerminate() != 1 {
		return fmt.Errorf("%w: end_of_subset_one_bit is 0 in CTB row %d", ErrCorrupt, ry)
	}
	return d.cab.err()
}
