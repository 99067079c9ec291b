package jpegenc

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
)

// DefaultQuality is the quality used when Options.Quality is 0.
const DefaultQuality = 90

// maxDim is the largest width or height a baseline JPEG can record.
const maxDim = 65535

var (
	// ErrUnsupported is returned for an image type other than *image.YCbCr
	// and *image.Gray, or a YCbCr subsampling ratio JPEG cannot express;
	// the caller converts such images first.
	ErrUnsupported = errors.New("jpegenc: unsupported image")
	// ErrInvalid is returned for an empty or too large image, planes too
	// short for the image's Rect and strides, or invalid Options.
	ErrInvalid = errors.New("jpegenc: invalid input")
)

// Options are the encoding parameters. A nil *Options and the zero value
// both mean quality 90, the standard Huffman tables, GOMAXPROCS workers, no
// JFIF APP0 and no extra segments: for 4:2:0 YCbCr and Gray, exactly the
// bytes image/jpeg.Encode writes at the same quality.
type Options struct {
	// Quality is 1..100 with image/jpeg's (and libjpeg's) scaling of the
	// ITU T.81 Annex K tables; 0 means DefaultQuality (90). Other values
	// are ErrInvalid.
	Quality int
	// OptimizeHuffman computes Huffman tables for the image (T.81 Annex
	// K.2): a first pass quantises every block into a token list (4 bytes
	// per coded symbol: 4-7 MB for 1920×1440 at q90), a second writes it
	// with the optimal tables. Measured on 1920×1440 4:2:0 at q90 the
	// output is 1.3 % smaller on a downscaled 12 MP photo and 8 % on
	// generated photo-like content, for 15-30 % more encode time. The
	// decoded pixels are identical either way. Off by default: the encode
	// stage's budget is 24 MB and speed matters more than 1-8 %.
	OptimizeHuffman bool
	// Workers is the number of goroutines; 0 means GOMAXPROCS and 1 means
	// a single-threaded encode. With more than one worker and an image of
	// at least 64 Ki pixels, about 16 stripes of MCU rows are coded
	// concurrently into raw bit streams, spliced together at the bit level
	// in order as they complete (no restart markers). The output is the
	// same bytes for every Workers. Negative values are ErrInvalid.
	Workers int
	// JFIF adds a JFIF APP0 segment (version 1.01, no density, 18 bytes)
	// after SOI. Off by default, as in image/jpeg: decoders take three
	// components with ids 1, 2, 3 as YCbCr without it.
	JFIF bool
	// APP are extra application segments written after SOI (and the JFIF
	// APP0), e.g. an ICC profile in APP2. None by default.
	APP []Segment
}

// Segment is an application segment (APPn) to write into the header.
type Segment struct {
	// Marker is the marker's second byte, 0xE0 (APP0) to 0xEF (APP15),
	// e.g. 0xE2 for an ICC profile.
	Marker byte
	// Data is the payload after the length field, at most 65533 bytes.
	Data []byte
}

// state is the per-call scratch of Append, reused through statePool.
type state struct {
	f     frame
	quant [2]quantizer
	b     blockScratch
	specs [nHuff]huffSpec
	luts  [nHuff]huffLUT
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// release drops the references to the caller's image and returns st to
// the pool.
func (st *state) release() {
	st.f = frame{}
	statePool.Put(st)
}

// settings are validated Options.
type settings struct {
	quality  int
	optimize bool
	workers  int
	jfif     bool
	app      []Segment
	// minParallel is the smallest image (in pixels) coded in stripes:
	// minParallelPixels, lowered by tests to stripe small images.
	minParallel int
}

func (o *Options) settings() (settings, error) {
	s := settings{quality: DefaultQuality, workers: runtime.GOMAXPROCS(0), minParallel: minParallelPixels}
	if o == nil {
		return s, nil
	}
	switch {
	case o.Quality < 0 || o.Quality > 100:
		return s, fmt.Errorf("%w: quality %d outside 1..100", ErrInvalid, o.Quality)
	case o.Workers < 0:
		return s, fmt.Errorf("%w: %d workers", ErrInvalid, o.Workers)
	}
	if o.Quality != 0 {
		s.quality = o.Quality
	}
	if o.Workers != 0 {
		s.workers = o.Workers
	}
	for i, seg := range o.APP {
		if seg.Marker < 0xe0 || seg.Marker > 0xef {
			return s, fmt.Errorf("%w: APP segment %d has marker 0x%02X, want 0xE0..0xEF", ErrInvalid, i, seg.Marker)
		}
		if len(seg.Data) > 65533 {
			return s, fmt.Errorf("%w: APP segment %d is %d bytes, limit 65533", ErrInvalid, i, len(seg.Data))
		}
	}
	s.optimize = o.OptimizeHuffman
	s.jfif = o.JFIF
	s.app = o.APP
	return s, nil
}

// Append appends a baseline JPEG of img to dst and returns the extended
// slice; on error it returns dst unchanged. For a 4:2:0 *image.YCbCr (also
// at an odd Rect.Min) or an *image.Gray with default Options but Quality
// and Workers, the output is byte-identical to image/jpeg.Encode's at the
// same quality, for any Workers.
//
// img must be an *image.YCbCr, written with its own sampling factors (4:4:4,
// 4:4:0, 4:2:2, 4:2:0, 4:1:1 or 4:1:0; nothing is re-subsampled), or an
// *image.Gray, written as a one-component JPEG. Other types are
// ErrUnsupported. Planes too short for the Rect and strides, an empty Rect,
// or a side over 65535 are ErrInvalid. Append does not modify img.
//
// Cost: one pass over the pixels, about 5-7× faster than image/jpeg on one
// core with AVX2 (3-4× without, or with -tags purego); with Workers > 1 it
// scales with cores, plus a sequential splice of the stripes' bit streams
// (about 0.4 ms for 1920×1440 at q90), mostly overlapped with coding the
// last stripes. Append allocates nothing in the steady state
// beyond growing dst (and, with several workers or OptimizeHuffman, pooled
// per-stripe buffers). It is safe for concurrent use.
func Append(dst []byte, img image.Image, o *Options) ([]byte, error) {
	s, err := o.settings()
	if err != nil {
		return dst, err
	}
	return s.encode(dst, img)
}

// encode is Append with validated settings.
func (s *settings) encode(dst []byte, img image.Image) ([]byte, error) {
	st := statePool.Get().(*state)
	defer st.release()
	f := &st.f
	if err := f.init(img); err != nil {
		return dst, err
	}
	q := scaledQuant(s.quality)
	st.quant[0].init(&q[0])
	st.quant[1].init(&q[1])
	f.quant[0], f.quant[1] = &st.quant[0], &st.quant[1]

	plan := f.plan(s.workers, s.minParallel)
	if s.optimize {
		toks := f.tokenize(plan)
		defer toks.release()
		for i := range f.nTables() {
			st.specs[i].build(&toks.total[i])
			st.luts[i] = st.specs[i].lut()
		}
		dst = f.writeHeader(dst, s, &q, &st.specs)
		dst = f.emitTokens(dst, toks, &st.luts, plan)
	} else {
		dst = f.writeHeader(dst, s, &q, &stdHuffSpec)
		dst = f.encode(dst, &stdLUT, &st.b, plan)
	}
	dst = append(dst, 0xff, 0xd9) // EOI
	return dst, nil
}
