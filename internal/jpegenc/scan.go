package jpegenc

import (
	"sync"
	"sync/atomic"
)

const (
	// minParallelPixels is the smallest image encoded in stripes; below it
	// goroutine start-up costs more than it saves.
	minParallelPixels = 1 << 16
	// targetStripes is how many stripes a parallel encode aims for: enough
	// to balance load on busy machines, few enough that the per-stripe
	// costs (a goroutine hand-off and the DC predictors, one MCU's DCTs)
	// stay negligible. Stripes cost no output bytes.
	targetStripes = 16
)

// plan is the stripe layout of one encode.
type plan struct {
	rowsPer int // MCU rows per stripe
	stripes int
	workers int
}

// plan splits the frame into stripes for workers goroutines; images under
// minPixels pixels get one stripe. The output does not depend on the
// layout: stripes are joined at the bit level.
func (f *frame) plan(workers, minPixels int) plan {
	p := plan{rowsPer: f.mcusY, stripes: 1, workers: 1}
	if workers <= 1 || f.w*f.h < minPixels || f.mcusY < 2 {
		return p
	}
	rows := (f.mcusY + targetStripes - 1) / targetStripes
	p.rowsPer = rows
	p.stripes = (f.mcusY + rows - 1) / rows
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
	return fdctQuant(&sc.b, &sc.zz, pix, off, stride, z)
}

// scratch holds per-stripe buffers reused across calls through a pool.
type scratch struct {
	bits   []stripeBits
	blocks []blockScratch
	toks   [][]token
	freq   [][nHuff][256]uint32
	// total frequencies, merged over stripes.
	total [nHuff][256]uint32
	join  splicer
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns pooled scratch with n empty stripe buffers.
func getScratch(n int, tokens bool) *scratch {
	s := scratchPool.Get().(*scratch)
	for len(s.bits) < n {
		s.bits = append(s.bits, stripeBits{})
	}
	for i := range n {
		s.bits[i] = stripeBits{buf: s.bits[i].buf[:0]}
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
	for _, b := range s.bits {
		n += cap(b.buf)
	}
	for _, t := range s.toks {
		n += 4 * cap(t)
	}
	if n <= 64<<20 {
		scratchPool.Put(s)
	}
}

// startDCs returns the DC predictors at the start of MCU row my: zero for
// the first row, else the quantised DCs of the last block of each
// component in the last MCU of row my-1, recomputed here (one MCU's DCTs)
// so that a stripe can be coded without waiting for the one before it.
func (f *frame) startDCs(my int, sc *blockScratch) (dc [3]int32) {
	if my == 0 {
		return dc
	}
	qy, qc := f.quant[0], f.quant[1]
	f.mcuBlocks(f.mcusX-1, my-1, &sc.e, func(pix []byte, off, stride, comp int) {
		if comp == 0 {
			sc.transform(pix, off, stride, qy)
		} else {
			sc.transform(pix, off, stride, qc)
		}
		dc[comp] = sc.zz[0]
	})
	return dc
}

// encodeRows Huffman-codes the MCU rows [my0, my1) into w with luts,
// starting from the DC predictors of row my0.
func (f *frame) encodeRows(w *bitWriter, luts *[nHuff]huffLUT, sc *blockScratch, my0, my1 int) {
	dc := f.startDCs(my0, sc)
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
}

// encode appends the entropy-coded data of the whole frame to dst, using
// b as scratch when single-threaded. With several stripes each is coded
// into its own raw bit stream concurrently, and a splicer joins them in
// order as they complete.
func (f *frame) encode(dst []byte, luts *[nHuff]huffLUT, b *blockScratch, p plan) []byte {
	if p.stripes == 1 {
		w := bitWriter{buf: dst}
		f.encodeRows(&w, luts, b, 0, f.mcusY)
		w.finish()
		return w.buf
	}
	s := getScratch(p.stripes, false)
	defer s.release()
	s.join.start(dst, s.bits[:p.stripes])
	parallel(p.stripes, p.workers, func(i int) {
		sb := &s.bits[i]
		w := bitWriter{buf: sb.buf, raw: true}
		my0, my1 := f.stripeRows(p, i)
		f.encodeRows(&w, luts, &s.blocks[i], my0, my1)
		sb.tail, sb.nbits = w.finishRaw()
		sb.buf = w.buf
		s.join.complete(i)
	})
	return s.join.finish()
}

// tokenize runs the first pass of OptimizeHuffman: it quantises every
// block into per-stripe token lists and counts the symbols. The caller
// releases the returned scratch.
func (f *frame) tokenize(p plan) *scratch {
	s := getScratch(p.stripes, true)
	qy, qc := f.quant[0], f.quant[1]
	parallel(p.stripes, p.workers, func(i int) {
		toks, freq := s.toks[i], &s.freq[i]
		my0, my1 := f.stripeRows(p, i)
		sc := &s.blocks[i]
		dc := f.startDCs(my0, sc)
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
	s.join.start(dst, s.bits[:p.stripes])
	parallel(p.stripes, p.workers, func(i int) {
		sb := &s.bits[i]
		w := bitWriter{buf: sb.buf, raw: true}
		w.emitTokens(s.toks[i], luts)
		sb.tail, sb.nbits = w.finishRaw()
		sb.buf = w.buf
		s.join.complete(i)
	})
	return s.join.finish()
}
