package heif

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/mediaprep/mediaprep/internal/hevc"
)

// DecodeNative decodes the primary image of a HEIC file with the pure-Go
// HEVC decoder of internal/hevc instead of the WebAssembly one of
// [Decode]. It returns the stored image with its clean aperture (clap)
// applied but NOT rotated or mirrored: orientation (EXIF numbering 1..8,
// 1 = as stored) is the turn and flip the caller must apply to obtain what
// Decode returns, derived from the irot/imir properties in their order.
// EXIF Orientation metadata is never consulted.
//
// The image is an *image.YCbCr (4:2:0) when the colour is JFIF's YCbCr
// (full range, BT.601 matrix: colr nclx matrix 5 or 6, or without nclx the
// SPS VUI, where "unspecified" means BT.601 as in libheif); its planes are
// the decoder's own, so resizing and JPEG encoding need no RGB. Other
// matrices (BT.709, BT.2020) and limited range are converted to
// *image.NRGBA with libheif 1.15's arithmetic (heif-convert's output,
// exactly); 4:0:0 gives *image.Gray. A colr nclx on the item (or grid)
// overrides the VUI; ICC profiles are ignored, as Decode ignores them.
//
// Errors wrap [ErrUnsupported] for files the native path does not handle,
// and the caller should then use Decode: an alpha plane (Decode applies
// it), bit depths other than 8, 4:2:2/4:4:4, HEVC tools the decoder
// refuses (e.g. tiles, range extensions), fractional clap or clap after
// irot/imir, grids with tiles of different sizes, odd tile sizes, or colr
// nclx that differs between a grid and its tiles (Decode and libheif
// disagree on those). [ErrCorrupt] reports malformed files or coded data,
// [ErrTooLarge] images over [MaxPixels] (checked from the header, before
// any pixel memory is allocated). Panics are recovered into ErrCorrupt.
//
// The image shares no memory with b, and b is not modified.
//
// Cost: the decoder's planes, 1.5 bytes a pixel (18 MB for 12 MP), plus
// its metadata while decoding (22 MB allocated in all for a 12 MP single
// image or grid; a grid's tile planes come from a pool), of which
// [DecodeNativeBuf] with a recycled buffer saves the planes (3.3-3.6 MB
// left), and for NRGBA output 4 bytes a pixel more
// (about 55 ms for 12 MP on 2 cores). A single image decodes on
// min(GOMAXPROCS, 4) goroutines (WPP rows and filters); a grid decodes
// its tiles one per goroutine, serially each, on up to min(GOMAXPROCS, 4)
// goroutines, taking decoder slots as Decode does (one always, more only
// if free; see [MaxConcurrent]). Measured on the corpus (BenchmarkDecodeNative,
// 2 busy cores): 0.22-0.3 s of CPU for 12 MP, a single image or a grid of
// 512-px tiles, 0.15-0.22x Decode's time in the same run. ctx is checked
// while waiting for a slot and between tiles; one picture's decode cannot
// be interrupted. Safe for concurrent use.
func DecodeNative(ctx context.Context, b []byte) (img image.Image, orientation int, err error) {
	return DecodeNativeBuf(ctx, b, nil)
}

// DecodeNativeBuf is [DecodeNative] decoding into buf when its capacity
// holds the image's planes, so that a caller can recycle one buffer across
// decodes instead of allocating 1.5 bytes a pixel each time. buf's old
// contents do not matter; nil (DecodeNative) or a buffer too small means
// fresh memory. For a single image the decoder's planes (padded to whole
// CTBs, about 1.5 bytes a coded pixel) are carved from buf, for a grid the
// output planes (1.5 bytes a pixel of the grid's output size); in both
// cases Y, Cb and Cr lie back to back from buf[0]. When the result is an
// *image.YCbCr or *image.Gray whose top-left corner is buf[0] (no clean
// aperture or conformance-window offset at the top left), its Y, Cb and Cr
// slices cover those planes exactly, the first with buf's capacity, so
// that the contiguous backing can be recovered from the image alone (as
// internal/jpegdec's Backing does). The image then aliases buf: the
// caller must not reuse buf while the image is in use, nor touch it during
// the call. An *image.NRGBA result never aliases buf. Otherwise as
// DecodeNative; safe for concurrent use with distinct bufs.
func DecodeNativeBuf(ctx context.Context, b, buf []byte) (img image.Image, orientation int, err error) {
	info, err := Parse(b)
	if err != nil {
		return nil, 0, err
	}
	if err := checkPixels(info); err != nil {
		return nil, 0, err
	}
	l, err := parseNative(b)
	if err != nil {
		return nil, 0, err
	}
	w, h := l.cropW, l.cropH
	if l.orientation >= 5 {
		w, h = h, w
	}
	if dw, dh := info.Size(); w != dw || h != dh {
		return nil, 0, unsupported("native layout gives %dx%d, header %dx%d", w, h, dw, dh)
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, fmt.Errorf("heif: waiting for a decoder: %w", context.Cause(ctx))
	}
	defer func() { <-sem }()
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("heif: %w", context.Cause(ctx))
	}
	img, err = l.decode(ctx, buf)
	if err != nil {
		return nil, 0, err
	}
	return img, l.orientation, nil
}

// maxWorkers bounds the goroutines of one DecodeNative.
func maxWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

// decode decodes the layout's items, into buf when it is large enough
// (see DecodeNativeBuf), and crops the result.
func (l *nativeLayout) decode(ctx context.Context, buf []byte) (image.Image, error) {
	var (
		p   *planes
		c   colour
		err error
	)
	if l.grid {
		p, c, err = l.decodeTiles(ctx, buf)
	} else {
		p, c, err = l.decodeSingle(buf)
	}
	if err != nil {
		return nil, err
	}
	return p.image(c, l.cropX, l.cropY, l.cropW, l.cropH, maxWorkers())
}

// decodeItem runs the HEVC decoder on one item (its planes carved from buf
// when it is large enough), recovering panics, and checks the picture
// against the container.
func decodeItem(it *hvcItem, workers int, buf []byte) (pic *hevc.Picture, err error) {
	defer func() {
		if r := recover(); r != nil {
			pic, err = nil, corrupt("hevc decoder panic: %v", r)
		}
	}()
	// The coded size is the ispe size rounded up to the coding block
	// grid (at most 64); more means the stream does not match the
	// container. Never above MaxPixels either: for a very narrow ispe
	// the rounding alone could otherwise admit a frame many times the
	// picture's own size.
	coded := min(int64(it.w+63)*int64(it.h+63), MaxPixels)
	pic, err = hevc.Decode(it.params, it.data, it.lengthSize, &hevc.Options{MaxPixels: coded, Workers: workers, Buf: buf})
	if err != nil {
		return nil, hevcError(err)
	}
	if pic.Width != it.w || pic.Height != it.h {
		return nil, corrupt("decoded %dx%d, ispe says %dx%d", pic.Width, pic.Height, it.w, it.h)
	}
	if pic.ChromaFormat != it.chroma {
		return nil, corrupt("decoded chroma format %d, hvcC says %d", pic.ChromaFormat, it.chroma)
	}
	return pic, nil
}

// hevcError maps the decoder's errors to this package's sentinels, keeping
// the decoder's error in the chain.
func hevcError(err error) error {
	switch {
	case errors.Is(err, hevc.ErrUnsupported):
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	default: // ErrCorrupt, and ErrTooLarge: a picture larger than its ispe
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
}

// colourOf returns the conversion of an item: its colr nclx, else the VUI.
func colourOf(it *hvcItem, pic *hevc.Picture) (colour, error) {
	c := colour{matrix: pic.MatrixCoefficients, fullRange: pic.FullRange}
	if it.nclx != nil {
		c = colour{matrix: it.nclx.matrix, fullRange: it.nclx.fullRange}
	}
	if _, _, ok := krkb(c.matrix); !ok && it.chroma != 0 {
		return colour{}, unsupported("matrix_coefficients %d", c.matrix)
	}
	return c, nil
}

// decodeSingle decodes a single-item image, its planes carved from buf
// when it is large enough, else from a new buffer of the same layout (so
// that the image's backing can be recycled either way). The new buffer has
// room for planes padded to whole CTBs of up to 64, from the ispe size
// (when those padded planes are within MaxPixels, else the decoder
// allocates what the SPS needs).
func (l *nativeLayout) decodeSingle(buf []byte) (*planes, colour, error) {
	it := &l.items[0]
	if pw, ph := int64(it.w+63)&^63, int64(it.h+63)&^63; int64(cap(buf)) < pw*ph*3/2 && pw*ph <= MaxPixels {
		buf = make([]byte, pw*ph*3/2)
	}
	pic, err := decodeItem(it, maxWorkers(), buf)
	if err != nil {
		return nil, colour{}, err
	}
	c, err := colourOf(it, pic)
	if err != nil {
		return nil, colour{}, err
	}
	p := &planes{
		w: pic.Width, h: pic.Height, y: pic.Y, cb: pic.Cb, cr: pic.Cr,
		yStride: pic.YStride, cStride: pic.CStride, chroma: pic.ChromaFormat,
	}
	p.spanBuf(buf)
	return p, c, nil
}

// spanBuf widens p's planes, when they are the padded planes the decoder
// carved from buf back to back from buf[0] (hevc.Picture's layout: each
// plane's capacity runs to the end of its padded plane), to cover those
// planes whole, Y with buf's capacity: image then gives images whose
// backing internal/jpegdec's Backing recovers. Anything else (no buf,
// planes not carved from it, a conformance window cropping the top left)
// is left as it is.
func (p *planes) spanBuf(buf []byte) {
	if len(p.y) == 0 || cap(buf) == 0 {
		return
	}
	buf = buf[:cap(buf)]
	if &p.y[0] != &buf[0] {
		return
	}
	ny := cap(p.y)
	if p.chroma == 0 {
		p.y = buf[:ny]
		return
	}
	nc := cap(p.cb)
	if len(p.cb) == 0 || len(p.cr) == 0 || cap(p.cr) != nc || ny+2*nc > len(buf) ||
		&p.cb[0] != &buf[ny] || &p.cr[0] != &buf[ny+nc] {
		return
	}
	p.y, p.cb, p.cr = buf[:ny], buf[ny:ny+nc:ny+nc], buf[ny+nc:ny+2*nc:ny+2*nc]
}

// decodeTiles decodes a grid's tiles on up to maxWorkers goroutines (one
// decoder slot each: the caller holds one, more are taken only if free)
// into one set of planes of the grid's size, carved from buf (Y, Cb, Cr
// back to back from buf[0], Y with buf's capacity) when it is large
// enough: the tiles write every sample of the output, so buf's old
// contents do not matter. Tiles are decoded into frame buffers recycled
// through tileBufs.
func (l *nativeLayout) decodeTiles(ctx context.Context, buf []byte) (*planes, colour, error) {
	chroma := l.items[0].chroma
	p := &planes{w: l.outW, h: l.outH, chroma: chroma, yStride: l.outW}
	ny, nc := l.outW*l.outH, 0
	if chroma != 0 {
		p.cStride = (l.outW + 1) / 2
		nc = p.cStride * ((l.outH + 1) / 2)
	}
	if cap(buf) < ny+2*nc {
		buf = make([]byte, ny+2*nc)
	}
	buf = buf[:cap(buf)]
	p.y = buf[:ny]
	if chroma != 0 {
		p.cb, p.cr = buf[ny:ny+nc:ny+nc], buf[ny+nc:ny+2*nc:ny+2*nc]
	}
	var (
		mu      sync.Mutex
		col     colour
		haveCol bool
	)
	// agree checks that every tile converts like the first, and that
	// libheif's choice (the tile's colr nclx, else its VUI) is Decode's
	// (the grid's colr nclx, else the VUI): they differ when the grid
	// and its tiles carry different nclx, and such files are left to
	// Decode.
	agree := func(c colour, pic *hevc.Picture) error {
		if chroma == 0 {
			return nil
		}
		d := colour{matrix: pic.MatrixCoefficients, fullRange: pic.FullRange}
		if g := l.nclx; g != nil {
			d = colour{matrix: g.matrix, fullRange: g.fullRange}
		}
		if !c.same(d) {
			return unsupported("grid colour (matrix %d, full range %v) differs from its tiles' (matrix %d, full range %v)",
				d.matrix, d.fullRange, c.matrix, c.fullRange)
		}
		mu.Lock()
		defer mu.Unlock()
		if !haveCol {
			col, haveCol = c, true
		} else if !col.same(c) {
			return unsupported("tiles with different colour (matrix %d/%d, full range %v/%v)", col.matrix, c.matrix, col.fullRange, c.fullRange)
		}
		return nil
	}
	err := runTiles(ctx, len(l.items), maxWorkers(), func(i int) error {
		tb := l.getTileBuf()
		err := l.decodeTile(i, p, agree, tb)
		if tb != nil {
			tileBufs.Put(&tb)
		}
		return err
	}, func(r any) error {
		return corrupt("tile decode panic: %v", r)
	})
	if err != nil {
		return nil, colour{}, err
	}
	if chroma == 0 {
		return p, colour{}, nil
	}
	return p, col, nil
}

// tileBufs pools the frame buffers grid tiles are decoded into (*[]byte):
// a tile's picture is copied out before its buffer goes back, and tiles
// are mostly of one size (512x512 on iPhones), so decoding a grid
// allocates no tile planes once the pool is warm.
var tileBufs sync.Pool

// getTileBuf returns a buffer with room for a tile's planes padded to
// whole CTBs of up to 64 (so the decoder never allocates them), from
// tileBufs when one there is large enough; nil when the tiles' ispe size
// is out of proportion with the grid or padded over MaxPixels (the decoder
// then allocates what the coded size needs, after checking it).
func (l *nativeLayout) getTileBuf() []byte {
	pw, ph := int64(l.tileW+63)&^63, int64(l.tileH+63)&^63
	if pw*ph > 2*int64(l.outW+64)*int64(l.outH+64) || pw*ph > MaxPixels {
		return nil
	}
	n := int(pw * ph * 3 / 2)
	if b, ok := tileBufs.Get().(*[]byte); ok && cap(*b) >= n {
		return *b
	}
	return make([]byte, n)
}

// decodeTile decodes tile i, its frame carved from tb when it is large
// enough, and copies the part inside the grid's output into p. Tiles write
// disjoint samples (tile sizes are even, so chroma too), so tiles may be
// copied concurrently. tb is free for the next tile once it returns.
func (l *nativeLayout) decodeTile(i int, p *planes, agree func(colour, *hevc.Picture) error, tb []byte) error {
	it := &l.items[i]
	pic, err := decodeItem(it, 1, tb)
	if err != nil {
		return fmt.Errorf("tile %d: %w", i, err)
	}
	c, err := colourOf(it, pic)
	if err != nil {
		return err
	}
	if err := agree(c, pic); err != nil {
		return err
	}
	x0, y0 := (i%l.cols)*l.tileW, (i/l.cols)*l.tileH
	w, h := min(l.tileW, l.outW-x0), min(l.tileH, l.outH-y0)
	for y := range h {
		copy(p.y[(y0+y)*p.yStride+x0:][:w], pic.Y[y*pic.YStride:][:w])
	}
	if p.chroma == 0 {
		return nil
	}
	cw, ch := (w+1)/2, (h+1)/2
	for y := range ch {
		d := (y0/2+y)*p.cStride + x0/2
		copy(p.cb[d:d+cw], pic.Cb[y*pic.CStride:][:cw])
		copy(p.cr[d:d+cw], pic.Cr[y*pic.CStride:][:cw])
	}
	return nil
}
