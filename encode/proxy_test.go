package encode

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// photoLike renders w×h of smooth shading, fine texture and a few hard
// edges: a stand-in for a phone photo of a document on a table.
func photoLike(w, h int) *image.YCbCr {
	rng := rand.New(rand.NewPCG(7, 9))
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			v := 110 + 60*math.Sin(5*fx+3*fy) + 30*math.Sin(40*fx*fy)
			inCard := fx > 0.2 && fx < 0.8 && fy > 0.25 && fy < 0.75
			if inCard {
				v = 215
				if (y/10)%3 == 0 && (x/6)%4 != 0 && int(fx*1000)%7 != 0 {
					v = 40 // text lines
				}
			}
			n := float64(rng.IntN(25))
			src.SetRGBA(x, y, color.RGBA{uint8(min(255, v+n)), uint8(min(255, v*0.9+n)), uint8(min(255, v*0.7+n)), 255})
		}
	}
	return toYCbCr(src, image.YCbCrSubsampleRatio420)
}

// TestBuildProxy checks that every proxy tile is an exact copy of a source
// tile in every plane, that tiles come from all over the image, and that
// the proxy has about 1/proxyFraction of the pixels.
func TestBuildProxy(t *testing.T) {
	const w, h = 1024, 768
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	// tileID marks each source tile: Y carries the tile's column, Cb its
	// row, Cr a checksum of both.
	mark := func(x, y int) (uint8, uint8, uint8) {
		tx, ty := x/proxyTile, y/proxyTile
		return uint8(tx), uint8(ty), uint8(tx*7 + ty*13)
	}
	for _, r := range ratios {
		t.Run(r.String(), func(t *testing.T) {
			src := image.NewYCbCr(image.Rect(0, 0, w, h), r)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					a, b, c := mark(x, y)
					src.Y[src.YOffset(x, y)] = a
					ci := src.COffset(x, y)
					src.Cb[ci], src.Cr[ci] = b, c
				}
			}
			p, ok := buildProxy(src, proxyLayout{}).(*image.YCbCr)
			if !ok {
				t.Fatal("no proxy")
			}
			if got, want := p.Rect.Dx()*p.Rect.Dy(), w*h/proxyFraction; got < want || got > want*3/2 {
				t.Fatalf("proxy has %d pixels, want about %d", got, want)
			}
			cols, rows := map[uint8]bool{}, map[uint8]bool{}
			for y := 0; y < p.Rect.Dy(); y++ {
				for x := 0; x < p.Rect.Dx(); x++ {
					// All samples of a proxy tile agree with its top-left one.
					ox, oy := x/proxyTile*proxyTile, y/proxyTile*proxyTile
					ty, tcb, tcr := p.Y[p.YOffset(ox, oy)], p.Cb[p.COffset(ox, oy)], p.Cr[p.COffset(ox, oy)]
					c := p.YCbCrAt(x, y)
					if c.Y != ty || c.Cb != tcb || c.Cr != tcr || tcr != ty*7+tcb*13 {
						t.Fatalf("proxy %d,%d = %v, not a copy of source tile (%d,%d)", x, y, c, ty, tcb)
					}
					cols[ty], rows[tcb] = true, true
				}
			}
			if len(cols) < w/proxyTile/2 || len(rows) < h/proxyTile/2 {
				t.Fatalf("tiles from %d of %d columns and %d of %d rows", len(cols), w/proxyTile, len(rows), h/proxyTile)
			}
		})
	}
	t.Run("Gray", func(t *testing.T) {
		src := image.NewGray(image.Rect(0, 0, w, h))
		if p, ok := buildProxy(src, proxyLayout{}).(*image.Gray); !ok || p.Rect.Dx()*p.Rect.Dy() < w*h/proxyFraction {
			t.Fatalf("proxy %T", buildProxy(src, proxyLayout{}))
		}
	})
	t.Run("too small", func(t *testing.T) {
		if p := buildProxy(image.NewGray(image.Rect(0, 0, 600, 400)), proxyLayout{}); p != nil {
			t.Fatalf("proxy for a small image: %v", p.Bounds())
		}
	})
}

// TestJPEGProxySearch runs the search on an image large enough for the
// proxy over binding budgets: each result must fit, be within 2 steps of
// the optimum (q+3 must not fit), and the average must be about 2 passes.
func TestJPEGProxySearch(t *testing.T) {
	const w, h = 800, 704 // just above proxyMinPixels
	img := photoLike(w, h)
	lo, hi := len(mustAppend(t, img, DefaultMinQuality)), len(mustAppend(t, img, DefaultQuality))
	var passes, runs int
	for i := 1; i <= 4; i++ {
		budget := DataURILen(MIMEType, lo+(hi-lo)*i/5)
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			r, st, err := encodeJPEG(context.Background(), img, &Options{MaxBase64: budget})
			if err != nil {
				t.Fatal(err)
			}
			if r.Shrinks != 0 || DataURILen(MIMEType, len(r.Data)) > budget {
				t.Fatalf("%d shrinks, %d bytes", r.Shrinks, len(r.Data))
			}
			if st.proxyPixels == 0 {
				t.Fatal("proxy not used")
			}
			if q := r.Quality + 3; q <= DefaultQuality {
				if n := DataURILen(MIMEType, len(mustAppend(t, img, q))); n <= budget {
					t.Fatalf("q%d chosen but q%d fits too", r.Quality, q)
				}
			}
			passes += r.Passes
			runs++
			t.Logf("q%d in %d passes, proxy %.2f of a pass", r.Quality, r.Passes, float64(st.proxyPixels)/float64(w*h))
		})
	}
	if avg := float64(passes) / float64(runs); avg > 2.5 {
		t.Errorf("%.2f passes on average, want ≤ 2.5", avg)
	}
}

// TestBuildProxyScaledLayout checks that a proxy built with the layout of
// a larger image samples the same places of the picture: each tile is an
// exact copy of a 32×32 region of the smaller image, at an origin aligned
// for its chroma, whose centre is within 4 px (the alignment) of the
// scaled centre of the same tile at the layout's size. It also checks that
// the layout is kept below proxyMinPixels and dropped where its tiles
// would cover more than 1/proxyMaxCover of the image.
func TestBuildProxyScaledLayout(t *testing.T) {
	const W, H = 1600, 1200
	big := image.NewGray(image.Rect(0, 0, W, H))
	l := layoutFor(W, H, proxyLayout{})
	if l.tiles != proxyTiles(W, H) || l.w != W || l.h != H {
		t.Fatalf("default layout %+v", l)
	}
	// Centres of the tiles at the layout's own size, from the proxy of a
	// position-coded image: pixel (x, y) holds x/8 in even rows and y/8 in
	// odd ones, so a tile's first two rows give its origin.
	code := func(m *image.Gray) {
		for y := 0; y < m.Rect.Dy(); y++ {
			for x := 0; x < m.Rect.Dx(); x++ {
				v := x / 8
				if y%2 == 1 {
					v = y / 8
				}
				m.Pix[m.PixOffset(x, y)] = uint8(v)
			}
		}
	}
	code(big)
	origins := func(p *image.Gray, k int) []image.Point {
		cols := p.Rect.Dx() / proxyTile
		o := make([]image.Point, k)
		for j := range o {
			dx, dy := j%cols*proxyTile, j/cols*proxyTile
			o[j] = image.Pt(int(p.Pix[p.PixOffset(dx, dy)])*8, int(p.Pix[p.PixOffset(dx, dy+1)])*8)
		}
		return o
	}
	bp, ok := buildProxy(big, l).(*image.Gray)
	if !ok {
		t.Fatal("no proxy at the layout's size")
	}
	bigO := origins(bp, l.tiles)
	for _, tc := range []struct{ w, h int }{{1200, 900}, {1000, 750}, {800, 600}, {720, 540}} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			if tc.w*tc.h < proxyMinPixels && layoutFor(tc.w, tc.h, proxyLayout{}).tiles != 0 {
				t.Fatal("default layout below proxyMinPixels")
			}
			if got := layoutFor(tc.w, tc.h, l); got != l {
				t.Fatalf("layout %+v not kept: %+v", l, got)
			}
			small := image.NewGray(image.Rect(0, 0, tc.w, tc.h))
			code(small)
			p, ok := buildProxy(small, l).(*image.Gray)
			if !ok {
				t.Fatal("no proxy")
			}
			if p.Rect != bp.Rect {
				t.Fatalf("proxy %v, want %v like the layout's", p.Rect, bp.Rect)
			}
			for j, o := range origins(p, l.tiles) {
				// The whole tile is the region at o.
				for y := 0; y < proxyTile; y++ {
					for x := 0; x < proxyTile; x++ {
						dx, dy := j%(p.Rect.Dx()/proxyTile)*proxyTile, j/(p.Rect.Dx()/proxyTile)*proxyTile
						if p.Pix[p.PixOffset(dx+x, dy+y)] != small.Pix[small.PixOffset(o.X+x, o.Y+y)] {
							t.Fatalf("tile %d is not the region at %v", j, o)
						}
					}
				}
				// Its centre is the layout tile's, scaled.
				b := bigO[j]
				cx := (float64(b.X) + proxyTile/2) * float64(tc.w) / W
				cy := (float64(b.Y) + proxyTile/2) * float64(tc.h) / H
				ex, ey := float64(o.X)+proxyTile/2-cx, float64(o.Y)+proxyTile/2-cy
				inside := o.X == 0 || o.Y == 0 || o.X+proxyTile > tc.w-8 || o.Y+proxyTile > tc.h-8
				if !inside && (math.Abs(ex) > 4 || math.Abs(ey) > 4) {
					t.Fatalf("tile %d at %v, centre off by %.1f,%.1f from the layout's %v scaled", j, o, ex, ey, b)
				}
			}
		})
	}
	t.Run("too small for the layout", func(t *testing.T) {
		w, h := 500, 375 // the layout's tiles would cover more than half
		if l.tiles*proxyTile*proxyTile <= w*h/proxyMaxCover {
			t.Fatal("test image too large")
		}
		if got := layoutFor(w, h, l); got.tiles != 0 {
			t.Fatalf("layout %+v for a %dx%d image", got, w, h)
		}
		if p := buildProxy(image.NewGray(image.Rect(0, 0, w, h)), l); p != nil {
			t.Fatalf("proxy %v", p.Bounds())
		}
	})
}
