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
// image, 41 MB for a 12 MP grid), and for NRGBA output 4 bytes a pixel more
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
	img, err = l.decode(ctx)
	if err != nil {
		return nil, 0, err
	}
	return img, l.orientation, nil
}

// maxWorkers bounds the goroutines of one DecodeNative.
func maxWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

// decode decodes the layout's items and crops the result.
func (l *nativeLayout) decode(ctx context.Context) (image.Image, error) {
	var (
		p   *planes
		c   colour
		err error
	)
	if l.grid {
		p, c, err = l.decodeTiles(ctx)
	} else {
		p, c, err = l.decodeSingle()
	}
	if err != nil {
		return nil, err
	}
	return p.image(c, l.cropX, l.cropY, l.cropW, l.cropH, maxWorkers())
}

// decodeItem runs the HEVC decoder on one item, recovering panics, and
// checks the picture against the container.
func decodeItem(it *hvcItem, workers int) (pic *hevc.Picture, err error) {
	defer func() {
		if r := recover(); r != nil {
			pic, err = nil, corrupt("hevc decoder panic: %v", r)
		}
	}()
	// The coded size is the ispe size rounded up to the coding block
	// grid (at most 64); more means the stream does not match the
	// container.
	coded := int64(it.w+63) * int64(it.h+63)
	pic, err = hevc.Decode(it.params, it.data, it.lengthSize, &hevc.Options{MaxPixels: coded, Workers: workers})
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

func (l *nativeLayout) decodeSingle() (*planes, colour, error) {
	it := &l.items[0]
	pic, err := decodeItem(it, maxWorkers())
	if err != nil {
		return nil, colour{}, err
	}
	c, err := colourOf(it, pic)
	if err != nil {
		return nil, colour{}, err
	}
	return &planes{
		w: pic.Width, h: pic.Height, y: pic.Y, cb: pic.Cb, cr: pic.Cr,
		yStride: pic.YStride, cStride: pic.CStride, chroma: pic.ChromaFormat,
	}, c, nil
}

// decodeTiles decodes a grid's tiles on up to maxWorkers goroutines (one
// decoder slot each: the caller holds one, more are taken only if free)
// into one set of planes of the grid's size.
func (l *nativeLayout) decodeTiles(ctx context.Context) (*planes, colour, error) {
	chroma := l.items[0].chroma
	p := &planes{w: l.outW, h: l.outH, chroma: chroma, yStride: l.outW}
	p.y = make([]byte, l.outW*l.outH)
	if chroma != 0 {
		p.cStride = (l.outW + 1) / 2
		n := p.cStride * ((l.outH + 1) / 2)
		p.cb, p.cr = make([]byte, n), make([]byte, n)
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
		return l.decodeTile(i, p, agree)
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

// decodeTile decodes tile i and copies the part inside the grid's output
// into p. Tiles write disjoint samples (tile sizes are even, so chroma
// too), so tiles may be copied concurrently.
func (l *nativeLayout) decodeTile(i int, p *planes, agree func(colour, *hevc.Picture) error) error {
	it := &l.items[i]
	pic, err := decodeItem(it, 1)
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
