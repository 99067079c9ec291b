package heif

import (
	"context"
	"fmt"
	"image"
	"sync"
	"sync/atomic"
)

// decodeGrid decodes a grid image tile by tile: each tile becomes a small
// standalone HEIF decoded by its own decoder instance, on as many
// goroutines as decoder slots are free (the caller holds one slot of sem;
// extra slots are taken only if free at once, so the number of instances
// decoding at any time never exceeds MaxConcurrent). Each tile's pixels go
// straight to their place in the output with irot/imir applied, cropped to
// the grid's output size. Errors wrapping errNoTilePath mean "use the
// whole-file decode"; others come from the tiles (corrupt data) or ctx.
func decodeGrid(ctx context.Context, b []byte, info Info) (*image.NRGBA, error) {
	g, err := parseLayout(b)
	if err != nil {
		return nil, err
	}
	pl, err := newPlacement(g)
	if err != nil {
		return nil, err
	}
	if w, h := info.Size(); pl.w != w || pl.h != h {
		return nil, noTiles("tile layout gives %dx%d, header %dx%d", pl.w, pl.h, w, h)
	}
	out := image.NewNRGBA(image.Rect(0, 0, pl.w, pl.h))

	err = runTiles(ctx, len(g.tiles), cap(sem), func(i int) error {
		return decodeTile(b, g, i, pl, out)
	}, func(r any) error {
		// decodeRecover catches the decoder's panics; this catches a bug
		// of the tile path itself, which then falls back.
		return noTiles("panic: %v", r)
	})
	if err != nil {
		return nil, err
	}
	tileDecodes.Add(1)
	return out, nil
}

// runTiles runs work(i) for every i in [0, n), in order, on up to limit
// goroutines: the caller holds one decoder slot of sem, and each further
// goroutine takes one more only if it is free at once, so the decoders
// running never exceed MaxConcurrent. The first error (or ctx's end,
// checked before each tile) stops the goroutines from taking further tiles
// and is returned; a panic in work is returned as onPanic(r).
func runTiles(ctx context.Context, n, limit int, work func(i int) error, onPanic func(r any) error) error {
	workers := 1
	for workers < min(n, limit) {
		select {
		case sem <- struct{}{}:
			workers++
			continue
		default:
		}
		break
	}
	defer func() {
		for range workers - 1 {
			<-sem
		}
	}()

	var (
		next    atomic.Int64
		failed  atomic.Bool
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { first = err })
		failed.Store(true)
	}
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					fail(onPanic(r))
				}
			}()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if ctx.Err() != nil {
					fail(fmt.Errorf("heif: %w", context.Cause(ctx)))
					return
				}
				if err := work(i); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// decodeTile decodes tile i and places it in out.
func decodeTile(b []byte, g *gridLayout, i int, pl placement, out *image.NRGBA) error {
	f, err := tileFile(b, g.tiles[i])
	if err != nil {
		return err
	}
	img, err := decodeRecover(f)
	if err != nil {
		return fmt.Errorf("tile %d: %w", i, err)
	}
	t, ok := img.(*image.NRGBA)
	if !ok {
		return noTiles("tile %d decoded as %T", i, img)
	}
	if r := t.Bounds(); r.Dx() != g.tileW || r.Dy() != g.tileH {
		return corrupt("tile %d decoded %dx%d, ispe says %dx%d", i, r.Dx(), r.Dy(), g.tileW, g.tileH)
	}
	pl.put(out, t, (i%g.cols)*g.tileW, (i/g.cols)*g.tileH)
	return nil
}

// placement maps a pixel (x, y) of the grid's output (before transforms) to
// its place after the irot/imir transforms: (ax*x+bx*y+cx, ay*x+by*y+cy).
type placement struct {
	ax, bx, cx, ay, by, cy int
	gw, gh                 int // grid output size
	w, h                   int // size after the transforms
}

// newPlacement composes the grid's transforms in their order. An irot
// angle turns anti-clockwise; imir axis 0 exchanges top and bottom, axis 1
// left and right (as libheif and the decoder read them).
func newPlacement(g *gridLayout) (placement, error) {
	p := placement{ax: 1, by: 1, gw: g.outW, gh: g.outH, w: g.outW, h: g.outH}
	for _, t := range g.transforms {
		body := propBody(t)
		if len(body) < 1 {
			return placement{}, corrupt("%s truncated", t[4:8])
		}
		// Each step is (x, y) -> (m00*x+m01*y+t0, m10*x+m11*y+t1) on a w x h image.
		var m00, m01, m10, m11, t0, t1 int
		w, h := p.w, p.h
		switch string(t[4:8]) {
		case "irot":
			switch body[0] & 3 {
			case 0:
				continue
			case 1: // 90 anti-clockwise: (y, w-1-x)
				m01, m10, t1 = 1, -1, w-1
				p.w, p.h = h, w
			case 2: // 180: (w-1-x, h-1-y)
				m00, m11, t0, t1 = -1, -1, w-1, h-1
			case 3: // 90 clockwise: (h-1-y, x)
				m01, m10, t0 = -1, 1, h-1
				p.w, p.h = h, w
			}
		case "imir":
			if body[0]&1 == 0 { // top and bottom exchanged
				m00, m11, t1 = 1, -1, h-1
			} else { // left and right exchanged
				m00, m11, t0 = -1, 1, w-1
			}
		}
		p.ax, p.bx, p.cx, p.ay, p.by, p.cy =
			m00*p.ax+m01*p.ay, m00*p.bx+m01*p.by, m00*p.cx+m01*p.cy+t0,
			m10*p.ax+m11*p.ay, m10*p.bx+m11*p.by, m10*p.cx+m11*p.cy+t1
	}
	return p, nil
}

// put copies the part of tile t (placed at x0, y0 in the grid) that lies
// inside the grid's output to its transformed place in out. Tiles write
// disjoint pixels, so puts of different tiles may run concurrently.
func (p placement) put(out, t *image.NRGBA, x0, y0 int) {
	w := min(t.Rect.Dx(), p.gw-x0)
	h := min(t.Rect.Dy(), p.gh-y0)
	step := p.ax*4 + p.ay*out.Stride // a step of +1 in x
	for y := range h {
		src := t.Pix[y*t.Stride : y*t.Stride+w*4]
		gx, gy := x0, y0+y
		d := (p.ay*gx+p.by*gy+p.cy)*out.Stride + (p.ax*gx+p.bx*gy+p.cx)*4
		if step == 4 {
			copy(out.Pix[d:d+w*4], src)
			continue
		}
		for s := 0; s < len(src); s += 4 {
			copy(out.Pix[d:d+4:d+4], src[s:s+4:s+4])
			d += step
		}
	}
}

// decodeWhole runs the whole-file decode and checks its size.
func decodeWhole(b []byte, info Info) (image.Image, error) {
	img, err := decodeRecover(b)
	if err != nil {
		return nil, err
	}
	w, h := info.Size()
	if r := img.Bounds(); r.Dx() != w || r.Dy() != h {
		return nil, corrupt("decoded %dx%d, header says %dx%d after transforms", r.Dx(), r.Dy(), w, h)
	}
	return img, nil
}

// decodeAny decodes a grid tile by tile, falling back to the whole-file
// decode when the tile path does not apply or fails (other than by ctx).
func decodeAny(ctx context.Context, b []byte, info Info) (image.Image, error) {
	if info.Grid && !wholeFileOnly.Load() {
		img, err := decodeGrid(ctx, b, info)
		if err == nil {
			return img, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("heif: %w", context.Cause(ctx))
		}
	}
	return decodeWhole(b, info)
}

var (
	// wholeFileOnly disables the tile path (tests and benchmarks compare both).
	wholeFileOnly atomic.Bool
	// tileDecodes counts the grids decoded tile by tile (for tests).
	tileDecodes atomic.Int64
)
