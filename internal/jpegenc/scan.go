package jpegenc

import (
	"slices"
	"sync"
	"sync/atomic"
)

const (
	// minParallelPixels is the smallest image encoded in stripes; below it
	// goroutine start-up costs more than it saves.
	minParallelPixels = 1 << 16
	// targetStripes is how many stripes a parallel encode aims for: enough
	// to balance load on busy machines, few enough that restart markers
	// cost nothing measurable (about 4 bytes each).
	targetStripes = 16
)

// plan is the stripe layout of one encode.
type plan struct {
	rowsPer  int // MCU rows per stripe
	stripes  int
	interval int // restart interval in MCUs; 0 means no restart markers
	workers  int
}

// plan splits the frame into stripes for workers goroutines. The layout
// depends only on the image size (and on whether workers > 1).
func (f *frame) plan(workers int) plan {
	p := plan{rowsPer: f.mcusY, stripes: 1, workers: 1}
	if workers <= 1 || f.w*f.h < minParallelPixels || f.mcusY < 2 {
		return p
	}
	rows := (f.mcusY + targetStripes - 1) / targetStripes
	if rows*f.mcusX > 0xffff {
		rows = max(1, 0xffff/f.mcusX)
	}
	p.rowsPer = rows
	p.stripes = (f.mcusY + rows - 1) / rows
	p.interval = rows * f.mcusX
	p.workers = min(workers, p.stripes)
	return p
}

// stripeRows returns the MCU rows of stripe i.
func (f *frame) stripeRows(p plan, i int) (my0, my1 int) {
	return i * p.rowsPer, min((i+1)*p.rowsPer, f.mcusY)
}

// parallel runs fn(0..n-1) on up to workers goroutines (one of them the
// caller's) and waits.
func parallel(n, workers int, fn func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			fn(i)
		}
	}
	var wg sync.WaitGroup
	for range min(workers, n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// blockScratch is the per-goroutine scratch of the block loop.
type blockScratch struct {
	b  block
	zz [blockSize]int32
	e  edgeBlock
}

// transform runs the forward DCT on the 8×8 samples at pix[off:] and
// quantises them with z into sc.zz, returning the non-zero bitmask.
func (sc *blockScratch) transform(pix []byte, off, stride int, z *quantizer) uint64 {
	fdctCols(&sc.b, pix, off, stride)
	return fdctRowsQuantize(&sc.b, &sc.zz, z)
}

// scratch holds per-stripe buffers reused across calls through a pool.
type scratch struct {
	bufs   [][]byte
	blocks []blockScratch
	toks   [][]token
	freq   [][nHuff][256]uint32
	// total frequencies, merged over stripes.
	total [nHuff][256]uint32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns pooled scratch with n empty stripe buffers.
func getScratch(n int, tokens bool) *scratch {
	s := scratchPool.Get().(*scratch)
	for len(s.bufs) < n {
		s.bufs = append(s.bufs, nil)
	}
	for i := range n {
		s.bufs[i] = s.bufs[i][:0]
	}
	if len(s.blocks) < n {
		s.blocks = make([]blockScratch, n)
	}
	if tokens {
		for len(s.toks) < n {
			s.toks = append(s.toks, nil)
		}
		if len(s.freq) < n {
			s.freq = make([][nHuff][256]uint32, n)
		}
		for i := range n {
			s.toks[i] = s.toks[i][:0]
			s.freq[i] = [nHuff][256]uint32{}
		}
		s.total = [nHuff][256]uint32{}
	}
	return s
}

// release returns s to the pool unless it grew very large.
func (s *scratch) release() {
	var n int
	for _, b := range s.bufs {
		n += cap(b)
	}
	for _, t := range s.toks {
		n += 4 * cap(t)
	}
	if n <= 64<<20 {
		scratchPool.Put(s)
	}
}

// encodeRows Huffman-codes the MCU rows [my0, my1) into w with luts,
// starting DC prediction afresh, and pads the last byte.
func (f *frame) encodeRows(w *bitWriter, luts *[nHuff]huffLUT, sc *blockScratch, my0, my1 int) {
	var dc [3]int32
	qy, qc := f.quant[0], f.quant[1]
	f.eachBlock(my0, my1, &sc.e, func(pix []byte, off, stride, comp int) {
		if comp == 0 {
			mask := sc.transform(pix, off, stride, qy)
			dc[0] = w.encodeBlock(&sc.zz, mask, &luts[hLumDC], &luts[hLumAC], dc[0])
		} else {
			mask := sc.transform(pix, off, stride, qc)
			dc[comp] = w.encodeBlock(&sc.zz, mask, &luts[hChromDC], &luts[hChromAC], dc[comp])
		}
	})
	w.finish()
}

// encode appends the entropy-coded data of the whole frame to dst, using
// b as scratch when single-threaded.
func (f *frame) encode(dst []byte, luts *[nHuff]huffLUT, b *blockScratch, p plan) []byte {
	if p.stripes == 1 {
		w := bitWriter{buf: dst}
		f.encodeRows(&w, luts, b, 0, f.mcusY)
		return w.buf
	}
	s := getScratch(p.stripes, false)
	defer s.release()
	parallel(p.stripes, p.workers, func(i int) {
		w := bitWriter{buf: s.bufs[i]}
		my0, my1 := f.stripeRows(p, i)
		f.encodeRows(&w, luts, &s.blocks[i], my0, my1)
		s.bufs[i] = w.buf
	})
	return joinStripes(dst, s.bufs[:p.stripes])
}

// joinStripes appends the stripes separated by RST0..RST7 markers.
func joinStripes(dst []byte, bufs [][]byte) []byte {
	n := 2 * len(bufs)
	for _, b := range bufs {
		n += len(b)
	}
	dst = slices.Grow(dst, n)
	for i, b := range bufs {
		if i > 0 {
			dst = append(dst, 0xff, 0xd0+byte((i-1)&7))
		}
		dst = append(dst, b...)
	}
	return dst
}

// tokenize runs the first pass of OptimizeHuffman: it quantises every
// block into per-stripe token lists and counts the symbols. The caller
// releases the returned scratch.
func (f *frame) tokenize(p plan) *scratch {
	s := getScratch(p.stripes, true)
	qy, qc := f.quant[0], f.quant[1]
	parallel(p.stripes, p.workers, func(i int) {
		var dc [3]int32
		toks, freq := s.toks[i], &s.freq[i]
		my0, my1 := f.stripeRows(p, i)
		sc := &s.blocks[i]
		f.eachBlock(my0, my1, &sc.e, func(pix []byte, off, stride, comp int) {
			if comp == 0 {
				mask := sc.transform(pix, off, stride, qy)
				toks, dc[0] = tokenizeBlock(toks, freq, &sc.zz, mask, hLumDC, dc[0])
			} else {
				mask := sc.transform(pix, off, stride, qc)
				toks, dc[comp] = tokenizeBlock(toks, freq, &sc.zz, mask, hChromDC, dc[comp])
			}
		})
		s.toks[i] = toks
	})
	for i := range p.stripes {
		for t := range s.total {
			for k, n := range s.freq[i][t] {
				s.total[t][k] += n
			}
		}
	}
	return s
}

// emitTokens Huffman-codes the tokens of every stripe with luts and
// appends the result to dst.
func (f *frame) emitTokens(dst []byte, s *scratch, luts *[nHuff]huffLUT, p plan) []byte {
	if p.stripes == 1 {
		w := bitWriter{buf: dst}
		w.emitTokens(s.toks[0], luts)
		w.finish()
		return w.buf
	}
	parallel(p.stripes, p.workers, func(i int) {
		w := bitWriter{buf: s.bufs[i]}
		w.emitTokens(s.toks[i], luts)
		w.finish()
		s.bufs[i] = w.buf
	})
	return joinStripes(dst, s.bufs[:p.stripes])
}
