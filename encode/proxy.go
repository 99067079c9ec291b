package encode

import (
	"image"
	"math"
)

// The proxy: when a full pass misses the budget, the search predicts other
// qualities from a small sample of the image (tiles spread over it, packed
// into one image of the same layout) instead of from the calibrated curve
// alone. The sample's size curve has the image's own slope, so one full
// pass calibrates the ratio full/proxy and the next full pass usually lands
// within a step of the optimum. A proxy encode costs 1/proxyFraction of a
// full pass.
const (
	// proxyMinPixels: smaller images are searched with full passes only;
	// they are cheap, and a 1/16 sample of them would be too coarse.
	proxyMinPixels = 1 << 19
	// proxyFraction is image pixels per proxy pixel.
	proxyFraction = 16
	// proxyTile is the side of a sampled tile: a multiple of every MCU size
	// (16 px for 4:2:0, 32 px wide for 4:1:1), so tile edges are block
	// edges in both images.
	proxyTile = 32
	// proxyMaxCover: a proxy that keeps the tile count of the previous
	// size may cover at most 1/proxyMaxCover of a shrunk image (which
	// may then be below proxyMinPixels). Its encodes cost as much as the
	// previous size's, at most 1/proxyMaxCover of a pass here.
	proxyMaxCover = 2
)

// proxyTiles is the default number of proxy tiles for a w×h image:
// about 1/proxyFraction of its pixels.
func proxyTiles(w, h int) int {
	return (w / proxyTile) * (h / proxyTile) / proxyFraction
}

// proxyLayout says where a proxy's tiles come from: tiles tiles, placed
// as buildProxy places them by default on a w×h image. On an image of
// another size the tiles are centred on the same points of the picture.
type proxyLayout struct{ tiles, w, h int }

// layoutFor returns the layout buildProxy uses for a w×h image when asked
// for l: l itself when its tiles cover at most 1/proxyMaxCover of the
// image (so a shrunk image is sampled at the same places, even below
// proxyMinPixels), else the default layout of a w×h image, or the zero
// layout (no proxy) for an image below proxyMinPixels.
func layoutFor(w, h int, l proxyLayout) proxyLayout {
	switch {
	case w < proxyTile || h < proxyTile:
		return proxyLayout{}
	case l.tiles > 0 && l.tiles*proxyTile*proxyTile <= w*h/proxyMaxCover:
		return l
	case w*h < proxyMinPixels:
		return proxyLayout{}
	}
	if k := proxyTiles(w, h); k > 0 {
		return proxyLayout{k, w, h}
	}
	return proxyLayout{}
}

// buildProxy returns a sample of m (an *image.YCbCr or *image.Gray from
// planar) laid out as layoutFor(m's size, l) says, or nil when m is too
// small or of another type. The default layout (zero l) picks tiles of the
// proxyTile grid on a 2-D low-discrepancy (golden-ratio) sequence, so rows
// and columns are all represented, about 1/proxyFraction of the pixels.
// A layout made for another size centres each tile on the same point of
// the picture, to 8 px (MCU-aligned only at the layout's own size, which
// keeps the blocks of the proxy blocks of m there): the proxies of an
// image and of its shrunk copy then share most of their sampling bias,
// which is what lets a full/proxy ratio measured at one size carry over
// to the other (on the corpus the scale-to-scale scatter of the ratio of
// the A4 pages falls from 2–5% with independent tiles to 1–2%).
func buildProxy(m image.Image, l proxyLayout) image.Image {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	l = layoutFor(w, h, l)
	k := l.tiles
	if k < 1 {
		return nil
	}
	cols := int(math.Ceil(math.Sqrt(float64(k))))
	rows := (k + cols - 1) / cols
	alignX, alignY := 8, 8
	var planes func(j int, o image.Point)
	r := image.Rect(0, 0, cols*proxyTile, rows*proxyTile)
	var dst image.Image
	switch src := m.(type) {
	case *image.Gray:
		d := image.NewGray(r)
		planes = func(j int, o image.Point) {
			dx, dy := j%cols*proxyTile, j/cols*proxyTile
			for y := 0; y < proxyTile; y++ {
				copy(d.Pix[d.PixOffset(dx, dy+y):][:proxyTile], src.Pix[src.PixOffset(o.X, o.Y+y):])
			}
		}
		dst = d
	case *image.YCbCr:
		hs, vs := chromaShift(src.SubsampleRatio)
		if hs < 0 || src.Rect.Min.X%proxyTile != 0 || src.Rect.Min.Y%proxyTile != 0 {
			// Unknown ratio, or tiles that would not start on chroma
			// sample boundaries.
			return nil
		}
		alignX, alignY = max(1<<hs, 8), max(1<<vs, 8)
		d := image.NewYCbCr(r, src.SubsampleRatio)
		cw, ch := proxyTile>>hs, proxyTile>>vs
		planes = func(j int, o image.Point) {
			dx, dy := j%cols*proxyTile, j/cols*proxyTile
			for y := 0; y < proxyTile; y++ {
				copy(d.Y[d.YOffset(dx, dy+y):][:proxyTile], src.Y[src.YOffset(o.X, o.Y+y):])
			}
			for y := 0; y < ch; y++ {
				si := src.COffset(o.X, o.Y+y<<vs)
				di := d.COffset(dx, dy+y<<vs)
				copy(d.Cb[di:][:cw], src.Cb[si:])
				copy(d.Cr[di:][:cw], src.Cr[si:])
			}
		}
		dst = d
	default:
		return nil
	}
	// Tile origins in m, in raster order of the proxy; the proxy's last
	// row is padded by repeating the first tiles.
	const phi = 0.6180339887498949
	nx, ny := l.w/proxyTile, l.h/proxyTile
	scaled := l.w != w || l.h != h
	// at maps a tile's origin on the layout's grid, t tiles of size, onto
	// this image's axis of length size: the tile centred on the same
	// point, aligned to align and inside the image.
	at := func(t, lsize, size, align int) int {
		if !scaled {
			return t * proxyTile
		}
		c := (float64(t*proxyTile) + proxyTile/2) / float64(lsize) * float64(size)
		o := int(math.Round((c-proxyTile/2)/float64(align))) * align
		return min(max(o, 0), (size-proxyTile)/align*align)
	}
	for j := 0; j < cols*rows; j++ {
		i := j % k
		tx := int(math.Mod(float64(i)*phi+0.5, 1) * float64(nx))
		ty := int((float64(i) + 0.5) / float64(k) * float64(ny))
		planes(j, image.Pt(b.Min.X+at(tx, l.w, w, alignX), b.Min.Y+at(ty, l.h, h, alignY)))
	}
	return dst
}

// chromaShift returns log2 of the horizontal and vertical chroma
// subsampling of r, or -1, -1 for an unknown ratio.
func chromaShift(r image.YCbCrSubsampleRatio) (hs, vs int) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 0, 0
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return -1, -1
}

// proxyPredictor predicts full-size encodings as k(q)·proxy(q): the proxy's
// measured size at q times the ratio full/proxy, interpolated (on the
// calibrated curve's axis) between the full passes measured so far.
type proxyPredictor struct {
	curvePredictor             // used when no proxy could be built
	src            image.Image // the image being searched; the proxy is built lazily
	proxy          image.Image
	buf            []byte
	bufp           *[]byte  // pooled buffer behind buf
	sizes          [101]int // proxy sizes by quality, 0 = not measured
	header         int      // bytes of an encoding that do not scale with pixels
	full           []sample
	pixels         int // pixels encoded in proxy passes, for the benchmarks
	fullPx         int // pixels of the image being searched
	// prior is the full/proxy ratio per pixel carried over from the search
	// at the previous size, used until a full pass here calibrates it;
	// 0 if none.
	prior float64
	// hint is where best starts its search of the proxy before any full
	// pass here (after a shrink: the previous size's curve, scaled); 0
	// means the top quality.
	hint int
	// layout is where the proxy's tiles come from: asked for before
	// build (zero for the default), used after it.
	layout proxyLayout
}

// newPredictor returns a proxyPredictor for m when it is large enough to
// be worth one, else nil (searchQuality then uses the curve alone).
// l is the layout to sample: zero for the default, or the previous
// size's, so that the proxy samples the same places.
func newPredictor(m image.Image, l proxyLayout) *proxyPredictor {
	b := m.Bounds()
	if layoutFor(b.Dx(), b.Dy(), l).tiles == 0 {
		return nil
	}
	return &proxyPredictor{src: m, fullPx: b.Dx() * b.Dy(), layout: l}
}

// build makes the proxy (once) and measures the header size.
func (p *proxyPredictor) build() error {
	if p.proxy != nil || p.src == nil {
		return nil
	}
	b := p.src.Bounds()
	p.proxy, p.src = buildProxy(p.src, p.layout), nil
	if p.proxy == nil {
		p.layout = proxyLayout{}
		return nil
	}
	p.layout = layoutFor(b.Dx(), b.Dy(), p.layout)
	h, err := headerSize(p.proxy)
	p.header = h
	return err
}

func (p *proxyPredictor) proxyPx() int {
	b := p.proxy.Bounds()
	return b.Dx() * b.Dy()
}

// carry builds the proxy of m, the image being searched, and calibrates it
// with prior, the full/proxy ratio per pixel of the previous size divided
// by that size's activityRatio: p.prior is prior times m's activityRatio.
func (p *proxyPredictor) carry(m image.Image, prior float64) error {
	if err := p.build(); err != nil || p.proxy == nil {
		return err
	}
	p.prior = prior * activityRatio(m, p.proxy)
	return nil
}

// perPixelRatio is the full/proxy ratio of the lowest-quality full pass
// (the one nearest to where a search after a shrink lands), divided by
// the pixel ratio, so it carries over to another size; 0 if unknown.
func (p *proxyPredictor) perPixelRatio() float64 {
	if p.proxy == nil || len(p.full) == 0 {
		return 0
	}
	s := p.full[0]
	for _, f := range p.full {
		if f.q < s.q {
			s = f
		}
	}
	n, err := p.proxySize(s.q)
	if err != nil {
		return 0
	}
	return float64(s.n-p.header) / float64(n-p.header) * float64(p.proxyPx()) / float64(p.fullPx)
}

// release returns the proxy's output buffer to the pool.
func (p *proxyPredictor) release() {
	if p.bufp != nil {
		*p.bufp = p.buf
		encBufPool.Put(p.bufp)
		p.bufp, p.buf = nil, nil
	}
}

// proxySize returns the proxy's encoded size at q, encoding it if needed.
func (p *proxyPredictor) proxySize(q int) (int, error) {
	if n := p.sizes[q]; n > 0 {
		return n, nil
	}
	if p.bufp == nil {
		p.bufp = getEncBuf()
		p.buf = *p.bufp
	}
	out, err := appendPlanar(p.buf[:0], p.proxy, q)
	if err != nil {
		return 0, err
	}
	p.buf = out
	p.sizes[q] = len(out)
	p.pixels += p.proxy.Bounds().Dx() * p.proxy.Bounds().Dy()
	return len(out), nil
}

func (p *proxyPredictor) update(lo, hi sample, all []sample) error {
	if err := p.build(); err != nil {
		return err
	}
	p.full = all
	return p.curvePredictor.update(lo, hi, all)
}

// ratio returns k(q), the full/proxy size ratio at q: linear on the curve
// axis between the nearest full samples below and above q, or the nearest
// one's when q is outside them.
func (p *proxyPredictor) ratio(q int) (float64, error) {
	var below, above sample
	for _, s := range p.full {
		if s.q <= q && (below.q == 0 || s.q > below.q) {
			below = s
		}
		if s.q >= q && (above.q == 0 || s.q < above.q) {
			above = s
		}
	}
	k := func(s sample) (float64, error) {
		n, err := p.proxySize(s.q)
		return float64(s.n-p.header) / float64(n-p.header), err
	}
	switch {
	case len(p.full) == 0:
		return p.prior * float64(p.fullPx) / float64(p.proxyPx()), nil
	case below.q == 0:
		return k(above)
	case above.q == 0 || above.q == below.q:
		return k(below)
	}
	kb, err := k(below)
	if err != nil {
		return 0, err
	}
	ka, err := k(above)
	if err != nil {
		return 0, err
	}
	t := (curve(q) - curve(below.q)) / (curve(above.q) - curve(below.q))
	return kb + t*(ka-kb), nil
}

// proxyTuning: the proxy predicts the next quality's size to about 0.5%
// once a full pass calibrates it (1–2% forty qualities away), so it aims
// just under the limit, and trusts a predicted miss at the minimum quality
// by 3% enough to shrink without confirming it. A fitting quality is
// accepted when the one 2 steps above is predicted not to fit (slack 2):
// at q40–45 a step is ~2% of the size, within the proxy's error, and
// closing the last step cost a third pass; over the corpus at 300 KB this
// takes the average from 2.33 to 2.17 passes for at most 2 quality steps
// (BenchmarkJPEGCorpus/average).
var proxyTuning = tuning{aimFirst: 0.995, aim: 0.995, slack: 2, skip: 1.03}

func (p *proxyPredictor) tuning() tuning {
	if p.proxy == nil {
		return p.curvePredictor.tuning()
	}
	return proxyTuning
}

func (p *proxyPredictor) size(q int) (float64, error) {
	if p.proxy == nil {
		return p.curvePredictor.size(q)
	}
	k, err := p.ratio(q)
	if err != nil {
		return 0, err
	}
	n, err := p.proxySize(q)
	return k*float64(n-p.header) + float64(p.header), err
}

// headerSize returns the bytes of an encoding of an image like m (same
// type and subsampling) that do not depend on its pixels: markers and
// tables, measured as the encoding of a flat 16×16 image minus the few
// bytes of its entropy-coded data.
func headerSize(m image.Image) (int, error) {
	var flat image.Image
	switch m := m.(type) {
	case *image.YCbCr:
		flat = image.NewYCbCr(image.Rect(0, 0, 16, 16), m.SubsampleRatio)
	default:
		flat = image.NewGray(image.Rect(0, 0, 16, 16))
	}
	var buf [1024]byte
	out, err := appendPlanar(buf[:0], flat, 50)
	return max(len(out)-8, 0), err
}

// model returns the calibrated curve through the predicted sizes at
// qualities q1 and q2: the image's own slope, for use where no proxy is.
func (p *proxyPredictor) model(q1, q2 int) (qualityModel, error) {
	s1, err := p.size(q1)
	if err != nil {
		return qualityModel{}, err
	}
	s2, err := p.size(q2)
	if err != nil {
		return qualityModel{}, err
	}
	return fitModel(sample{q1, int(s1)}, sample{q2, int(s2)}, nil), nil
}

// best searches the proxy itself, guided by the calibrated curve fitted to
// the full samples: typically two or three proxy encodes.
func (p *proxyPredictor) best(lo, hi int, limit float64) (int, error) {
	if p.proxy == nil {
		return p.curvePredictor.best(lo, hi, limit)
	}
	if lo > hi {
		return lo - 1, nil
	}
	var l, h sample
	for _, s := range p.full {
		if float64(s.n) <= limit && s.q > l.q {
			l = s
		} else if float64(s.n) > limit && (h.q == 0 || s.q < h.q) {
			h = s
		}
	}
	first := hi
	if len(p.full) > 0 {
		first = fitModel(l, h, p.full).best(lo, hi, limit)
	} else if p.hint >= lo && p.hint <= hi {
		first = p.hint
	}
	measure := func(q int) (int, error) {
		s, err := p.size(q)
		return int(math.Ceil(s)), err
	}
	r, err := searchQuality(lo, hi, int(limit), first, true, &curvePredictor{exact: true}, measure)
	if err != nil {
		return 0, err
	}
	if r.fit.q == 0 {
		return lo - 1, nil
	}
	return r.fit.q, nil
}
