package jpegdec

import (
	"errors"
	"fmt"
	"image"
	"sync"
)

// ErrWindow reports that a [Stream]'s window cannot hold the rows its sink
// keeps plus the next band: a caller bug (windowRows too small for the
// rows the sink keeps), never caused by the input.
var ErrWindow = errors.New("jpegdec: stream window too small")

// Sink receives the rows of a [Stream] as they are decoded. win holds the
// decoded rows base..avail-1 of the (scaled) image at its rows 0..; its
// bounds are (0, 0)–(width, avail-base) and it is only valid during the
// call. final is true on the last call (avail is then the image height).
// The sink returns keep, the first row it will still read: rows before
// keep may be dropped (keep ≤ avail; rows are dropped in whole MCU rows,
// so some rows before keep may be shown again). A non-nil error stops the
// decode and is returned by [Stream.Decode].
type Sink func(win image.Image, base, avail int, final bool) (keep int, err error)

// Stream decodes a JPEG into a window of rows instead of a whole image, for
// a consumer (a resampler) that reads the rows in order and then no longer
// needs them: a 24 MP photo then never holds more than a few hundred rows
// in memory, and the consumer reads each row while it is still in cache.
// It supports what [Decode] supports. A Stream is used once, by one
// goroutine.
type Stream struct {
	decoding
	b      []byte
	bounds image.Rectangle
	mcuH   int // output rows per MCU row
	win    []byte
	vg     image.Gray  // see view
	vy     image.YCbCr // see view

	// Overlap makes Decode call the sink on its own goroutine while it
	// decodes the next band, and wait for it at the end of that band:
	// decoding and the sink's work then share the cores. The window must
	// then hold two bands plus the rows the sink keeps. Default false: the
	// sink runs between bands.
	Overlap bool
}

// NewStream parses the headers of the JPEG in b and checks it can be
// decoded (see [Decode]: the same errors, ErrTooLarge by the declared
// size), without allocating pixel memory. o is read as for Decode (Buf,
// when large enough, backs the window).
func NewStream(b []byte, o *Options) (s *Stream, err error) {
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("%w: internal error: %v", ErrCorrupt, v)
		}
	}()
	d, err := setup(b, o)
	if err != nil {
		return nil, err
	}
	hd := d.p.hd
	d.workers = min(d.workers, maxWorkers)
	return &Stream{
		decoding: d, b: b,
		bounds: image.Rect(0, 0, (hd.w+d.scale-1)/d.scale, (hd.h+d.scale-1)/d.scale),
		mcuH:   d.p.comp[0].v * (8 >> d.p.shift),
	}, nil
}

// Bounds returns the bounds of the decoded (scaled) image.
func (s *Stream) Bounds() image.Rectangle { return s.bounds }

// Gray reports whether the image decodes to *image.Gray (else
// *image.YCbCr with SubsampleRatio).
func (s *Stream) Gray() bool { return s.p.nComp == 1 }

// SubsampleRatio returns the chroma subsampling of a colour image.
func (s *Stream) SubsampleRatio() image.YCbCrSubsampleRatio {
	r, _, _ := chromaLayout(s.ratio, 0, 0)
	return r
}

// MCURows returns the number of output rows decoded at a time (one MCU
// row); bands and dropped rows are multiples of it.
func (s *Stream) MCURows() int { return s.mcuH }

// Backing returns the window's buffer after Decode, for the caller to pass
// as Options.Buf to a later decode; nil before.
func (s *Stream) Backing() []byte { return s.win }

// WindowBytes returns the bytes a window of rows rows needs.
func (s *Stream) WindowBytes(rows int) int {
	_, n := s.windowLayout(rows)
	return n
}

// windowLayout returns the window's MCU rows and bytes for rows rows.
func (s *Stream) windowLayout(rows int) (mcuRows, bytes int) {
	mcuRows = min((rows+s.mcuH-1)/s.mcuH, s.p.mcusY)
	pw, ph, cw, ch := s.p.planesLayout(s.ratio, mcuRows)
	return mcuRows, pw*ph + 2*cw*ch
}

// Decode decodes the scan into a window of windowRows rows (rounded up to
// whole MCU rows), calling sink after every bandRows rows (rounded up
// likewise) and after the last row. The window must hold the rows the sink
// keeps plus one band (two with Overlap), else Decode returns ErrWindow.
// Errors are those of [Decode] plus the sink's. It uses up to
// Options.Workers goroutines, as Decode does. The sink is called on the
// calling goroutine while nothing else touches the window, or with
// Overlap on another goroutine while only rows after the ones it is shown
// are written; the calls never overlap each other, and Decode returns only
// after the last one has.
//
// Cost: the window ([Stream.WindowBytes], carved from Options.Buf when it
// is large enough) plus the pooled MCU-row buffers Decode uses, and the
// same CPU as Decode.
func (s *Stream) Decode(bandRows, windowRows int, sink Sink) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: internal error: %v", ErrCorrupt, v)
		}
	}()
	p := s.p
	bandMCU := max(1, (bandRows+s.mcuH-1)/s.mcuH)
	winMCU, n := s.windowLayout(windowRows)
	if winMCU < bandMCU && winMCU < p.mcusY {
		return fmt.Errorf("%w: %d rows for bands of %d", ErrWindow, windowRows, bandRows)
	}
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	s.win = s.buf[:n]
	win := p.planes(s.ratio, winMCU, s.win)

	workers := s.workers
	if p.mcusX*p.bpm*bandMCU < minParallelBlocks/4 {
		workers = 1
	}
	type job struct {
		my  int // row in the window
		buf *rowBuf
	}
	blocks := p.mcusX * p.bpm
	nbuf := 2 * workers
	free := make(chan *rowBuf, nbuf)
	for i := 0; i < nbuf; i++ {
		free <- getRowBuf(blocks)
	}
	jobs := make(chan job, workers)
	var inflight, wg sync.WaitGroup
	var perr panicErr
	for w := 0; w < workers-1; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tmp block
			for j := range jobs {
				if perr.get() == nil {
					perr.run(func() { p.reconstruct(j.buf, j.my, 0, p.mcusX, &tmp) })
				}
				free <- j.buf
				inflight.Done()
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
		if err == nil {
			for len(free) > 0 {
				rowPool.Put(<-free)
			}
		}
	}()

	// With Overlap, the sink works on one band while the next is decoded.
	results := make(chan sinkResult, 1)
	pending := false
	defer func() {
		if pending {
			<-results // never return while the sink reads the window
		}
	}()

	sc := p.newScan(s.b)
	var tmp block
	base := 0 // first MCU row held by the window
	H := s.bounds.Dy()
	for my := 0; my < p.mcusY; my++ {
		if my-base >= winMCU {
			return fmt.Errorf("%w: %d rows, the sink keeps from row %d at row %d", ErrWindow, windowRows, base*s.mcuH, my*s.mcuH)
		}
		buf := <-free
		for mx := 0; mx < p.mcusX; {
			end, err := sc.next(buf, mx)
			if err != nil {
				return err
			}
			mx = end
		}
		if sc.r.truncated() {
			return corrupt("entropy-coded data truncated in MCU row %d of %d", my, p.mcusY)
		}
		inflight.Add(1)
		if workers > 1 {
			select {
			case jobs <- job{my - base, buf}:
				buf = nil
			default:
			}
		}
		if buf != nil {
			p.reconstruct(buf, my-base, 0, p.mcusX, &tmp)
			free <- buf
			inflight.Done()
		}
		final := my == p.mcusY-1
		if !final && (my+1)%bandMCU != 0 {
			continue
		}
		inflight.Wait()
		if err := perr.get(); err != nil {
			return err
		}
		if pending {
			// The previous band's sink call is done with the window:
			// drop the rows it no longer needs.
			res := <-results
			pending = false
			if res.err != nil {
				return res.err
			}
			base = s.drop(win, res.keep, base, my+1)
		}
		b0, avail := base*s.mcuH, min((my+1)*s.mcuH, H)
		view := s.view(win, avail-b0)
		if final || !s.Overlap {
			keep, err := sink(view, b0, avail, final)
			if err != nil || final {
				return err
			}
			base = s.drop(win, keep, base, my+1)
			continue
		}
		pending = true
		go func() {
			var res sinkResult
			defer func() {
				if v := recover(); v != nil {
					res.err = fmt.Errorf("%w: internal error in the sink: %v", ErrCorrupt, v)
				}
				results <- res
			}()
			res.keep, res.err = sink(view, b0, avail, false)
		}()
	}
	return nil
}

// sinkResult is the outcome of a Sink call made while decoding goes on.
type sinkResult struct {
	keep int
	err  error
}

// drop slides the window so that it starts at the MCU row holding row
// keep (of the rows base..done-1 it holds, in MCU rows), and returns the
// new base.
func (s *Stream) drop(win image.Image, keep, base, done int) int {
	keepMCU := min(max(keep, base*s.mcuH)/s.mcuH, done)
	if keepMCU > base {
		s.slide(win, keepMCU-base, done-base)
	}
	return max(base, keepMCU)
}

// view returns the window's first rows rows, cropped to the image width
// (the window's sub-image at the origin, in a value the Stream reuses: a
// view is only used until the next one is made).
func (s *Stream) view(win image.Image, rows int) image.Image {
	r := image.Rect(0, 0, s.bounds.Dx(), rows)
	switch m := win.(type) {
	case *image.Gray:
		s.vg = *m
		s.vg.Rect = r
		return &s.vg
	case *image.YCbCr:
		s.vy = *m
		s.vy.Rect = r
		return &s.vy
	}
	return nil
}

// slide moves MCU rows from..to-1 of the window to its top.
func (s *Stream) slide(win image.Image, from, to int) {
	move := func(pix []byte, stride, rowsPerMCU int) {
		copy(pix, pix[from*rowsPerMCU*stride:to*rowsPerMCU*stride])
	}
	switch m := win.(type) {
	case *image.Gray:
		move(m.Pix, m.Stride, s.mcuH)
	case *image.YCbCr:
		move(m.Y, m.YStride, s.mcuH)
		ch := len(m.Cb) / m.CStride * s.mcuH / (len(m.Y) / m.YStride)
		move(m.Cb, m.CStride, ch)
		move(m.Cr, m.CStride, ch)
	}
}
