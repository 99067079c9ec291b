package encode

import (
	"image"
	"image/color"
	"sync"
)

// pixPool holds pixel buffers for converted images, so repeated calls on
// images of similar size do not reallocate.
var pixPool sync.Pool // of *[]byte

func getPix(n int) *[]byte {
	if bp, _ := pixPool.Get().(*[]byte); bp != nil && cap(*bp) >= n {
		*bp = (*bp)[:n]
		return bp
	}
	b := make([]byte, n)
	return &b
}

// planar returns img in a layout the encoder takes without conversion:
// *image.YCbCr (any subsampling) and *image.Gray as they are, an opaque
// *image.NYCbCrA as its YCbCr part, *image.Gray16 as *image.Gray, and every
// other type as a new *image.YCbCr 4:2:0 with alpha flattened onto white.
// The returned image has the bounds' size (its origin may move to 0,0).
// release gives converted pixels back to the pool; call it when done with m,
// and never touch m afterwards. It is never nil.
func planar(img image.Image) (m image.Image, release func()) {
	noop := func() {}
	switch src := img.(type) {
	case *image.YCbCr:
		return src, noop
	case *image.Gray:
		return src, noop
	case *image.NYCbCrA:
		if opaqueAlpha(src) {
			return &src.YCbCr, noop
		}
		dst, bp := newYCbCr420(src.Rect.Dx(), src.Rect.Dy())
		flattenNYCbCrA(dst, src)
		return dst, func() { pixPool.Put(bp) }
	case *image.Gray16:
		b := src.Rect
		bp := getPix(b.Dx() * b.Dy())
		dst := &image.Gray{Pix: *bp, Stride: b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
		for y := 0; y < b.Dy(); y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			row := src.Pix[i : i+2*b.Dx()]
			out := dst.Pix[y*dst.Stride : y*dst.Stride+b.Dx()]
			for x := range out {
				out[x] = row[2*x]
			}
		}
		return dst, func() { pixPool.Put(bp) }
	}
	b := img.Bounds()
	dst, bp := newYCbCr420(b.Dx(), b.Dy())
	rowsToYCbCr(dst, rowFiller(img))
	return dst, func() { pixPool.Put(bp) }
}

// newYCbCr420 returns a w×h 4:2:0 image at the origin whose planes share one
// pooled buffer.
func newYCbCr420(w, h int) (*image.YCbCr, *[]byte) {
	cw, ch := (w+1)/2, (h+1)/2
	bp := getPix(w*h + 2*cw*ch)
	p := *bp
	return &image.YCbCr{
		Y:              p[: w*h : w*h],
		Cb:             p[w*h : w*h+cw*ch : w*h+cw*ch],
		Cr:             p[w*h+cw*ch:],
		YStride:        w,
		CStride:        cw,
		SubsampleRatio: image.YCbCrSubsampleRatio420,
		Rect:           image.Rect(0, 0, w, h),
	}, bp
}

func opaqueAlpha(m *image.NYCbCrA) bool {
	b := m.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i := m.AOffset(b.Min.X, y)
		for _, a := range m.A[i : i+b.Dx()] {
			if a != 0xff {
				return false
			}
		}
	}
	return true
}

// flattenNYCbCrA blends src onto white directly in YCbCr space (white is
// Y=255, Cb=Cr=128; the blend is affine, so it equals blending in RGB) and
// writes 4:2:0 planes to dst, whatever src's chroma subsampling.
func flattenNYCbCrA(dst *image.YCbCr, src *image.NYCbCrA) {
	b := src.Rect
	w, h := b.Dx(), b.Dy()
	for y := 0; y < h; y++ {
		yi := src.YOffset(b.Min.X, b.Min.Y+y)
		ai := src.AOffset(b.Min.X, b.Min.Y+y)
		out := dst.Y[y*dst.YStride : y*dst.YStride+w]
		for x := range out {
			a := uint32(src.A[ai+x])
			out[x] = uint8((uint32(src.Y[yi+x])*a + 255*(255-a) + 127) / 255)
		}
	}
	for cy := 0; cy < (h+1)/2; cy++ {
		for cx := 0; cx < (w+1)/2; cx++ {
			var sb, sr, n int32
			for dy := 0; dy < 2; dy++ {
				y := b.Min.Y + min(2*cy+dy, h-1)
				for dx := 0; dx < 2; dx++ {
					x := b.Min.X + min(2*cx+dx, w-1)
					a := int32(src.A[src.AOffset(x, y)])
					ci := src.COffset(x, y)
					sb += (int32(src.Cb[ci])-128)*a + 128*255
					sr += (int32(src.Cr[ci])-128)*a + 128*255
					n += 255
				}
			}
			i := cy*dst.CStride + cx
			dst.Cb[i] = uint8((sb + n/2) / n)
			dst.Cr[i] = uint8((sr + n/2) / n)
		}
	}
}

// rowFunc writes row y (0-based within the bounds) of an image as RGB
// triplets, alpha flattened onto white, into rgb (3 bytes a pixel).
type rowFunc func(y int, rgb []byte)

// rowFiller returns the fastest rowFunc for img's type.
func rowFiller(img image.Image) rowFunc {
	switch m := img.(type) {
	case *image.RGBA:
		return func(y int, rgb []byte) {
			i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
			px := m.Pix[i : i+4*m.Rect.Dx()]
			for x := 0; x < len(px); x += 4 {
				// Premultiplied: c + (255 - a) is c over white.
				t := 255 - px[x+3]
				o := rgb[x/4*3 : x/4*3+3]
				o[0], o[1], o[2] = sat8(px[x], t), sat8(px[x+1], t), sat8(px[x+2], t)
			}
		}
	case *image.NRGBA:
		return func(y int, rgb []byte) {
			i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
			px := m.Pix[i : i+4*m.Rect.Dx()]
			for x := 0; x < len(px); x += 4 {
				a := uint32(px[x+3])
				o := rgb[x/4*3 : x/4*3+3]
				if a == 0xff {
					o[0], o[1], o[2] = px[x], px[x+1], px[x+2]
					continue
				}
				w := 255 * (255 - a)
				o[0] = uint8((uint32(px[x])*a + w + 127) / 255)
				o[1] = uint8((uint32(px[x+1])*a + w + 127) / 255)
				o[2] = uint8((uint32(px[x+2])*a + w + 127) / 255)
			}
		}
	case *image.RGBA64:
		return func(y int, rgb []byte) {
			i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
			px := m.Pix[i : i+8*m.Rect.Dx()]
			for x := 0; x < len(px); x += 8 {
				t := 0xffff - (uint32(px[x+6])<<8 | uint32(px[x+7]))
				o := rgb[x/8*3 : x/8*3+3]
				for c := 0; c < 3; c++ {
					v := uint32(px[x+2*c])<<8 | uint32(px[x+2*c+1])
					o[c] = uint8(min(v+t, 0xffff) >> 8)
				}
			}
		}
	case *image.NRGBA64:
		return func(y int, rgb []byte) {
			i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
			px := m.Pix[i : i+8*m.Rect.Dx()]
			for x := 0; x < len(px); x += 8 {
				a := uint64(px[x+6])<<8 | uint64(px[x+7])
				w := 0xffff * (0xffff - a)
				o := rgb[x/8*3 : x/8*3+3]
				for c := 0; c < 3; c++ {
					v := uint64(px[x+2*c])<<8 | uint64(px[x+2*c+1])
					o[c] = uint8(((v*a + w + 0x7fff) / 0xffff) >> 8)
				}
			}
		}
	case *image.Paletted:
		// Flatten the palette once; an index beyond the palette reads as
		// opaque black (image.Paletted.At would panic on it).
		var lut [256][3]byte
		for i, c := range m.Palette {
			if i == 256 {
				break
			}
			lut[i] = flatten16(c)
		}
		return func(y int, rgb []byte) {
			i := m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y)
			for x, p := range m.Pix[i : i+m.Rect.Dx()] {
				copy(rgb[3*x:3*x+3], lut[p][:])
			}
		}
	}
	b := img.Bounds()
	return func(y int, rgb []byte) {
		for x := 0; x < b.Dx(); x++ {
			c := flatten16(img.At(b.Min.X+x, b.Min.Y+y))
			copy(rgb[3*x:3*x+3], c[:])
		}
	}
}

// sat8 returns min(c+t, 255).
func sat8(c, t uint8) uint8 {
	if s := uint16(c) + uint16(t); s < 255 {
		return uint8(s)
	}
	return 255
}

// flatten16 composites a color onto white using its premultiplied 16-bit
// RGBA values. A nil color reads as opaque black.
func flatten16(c color.Color) [3]byte {
	if c == nil {
		return [3]byte{}
	}
	r, g, b, a := c.RGBA()
	t := 0xffff - a
	return [3]byte{uint8(min(r+t, 0xffff) >> 8), uint8(min(g+t, 0xffff) >> 8), uint8(min(b+t, 0xffff) >> 8)}
}

var rgbRowPool sync.Pool // of *[]byte, two RGB rows

// rowsToYCbCr fills the 4:2:0 dst from rows produced by fill, two rows at a
// time: Y per pixel, Cb and Cr from the mean RGB of each 2×2 block (edge
// pixels repeated), the same sampling image/jpeg uses.
func rowsToYCbCr(dst *image.YCbCr, fill rowFunc) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	bp := getRows(6 * w)
	defer rgbRowPool.Put(bp)
	r0, r1 := (*bp)[:3*w], (*bp)[3*w:6*w]
	for y := 0; y < h; y += 2 {
		fill(y, r0)
		lower := r0
		if y+1 < h {
			fill(y+1, r1)
			lower = r1
		}
		lumaRow(dst.Y[y*dst.YStride:y*dst.YStride+w], r0)
		if y+1 < h {
			lumaRow(dst.Y[(y+1)*dst.YStride:(y+1)*dst.YStride+w], r1)
		}
		cb := dst.Cb[y/2*dst.CStride:]
		cr := dst.Cr[y/2*dst.CStride:]
		for cx := 0; cx < (w+1)/2; cx++ {
			i0 := 6 * cx
			i1 := min(i0+3, 3*w-3)
			r := uint32(r0[i0]) + uint32(r0[i1]) + uint32(lower[i0]) + uint32(lower[i1])
			g := uint32(r0[i0+1]) + uint32(r0[i1+1]) + uint32(lower[i0+1]) + uint32(lower[i1+1])
			b := uint32(r0[i0+2]) + uint32(r0[i1+2]) + uint32(lower[i0+2]) + uint32(lower[i1+2])
			_, cb[cx], cr[cx] = color.RGBToYCbCr(uint8((r+2)>>2), uint8((g+2)>>2), uint8((b+2)>>2))
		}
	}
}

func getRows(n int) *[]byte {
	if bp, _ := rgbRowPool.Get().(*[]byte); bp != nil && cap(*bp) >= n {
		*bp = (*bp)[:n]
		return bp
	}
	b := make([]byte, n)
	return &b
}

// lumaRow writes Y for each RGB triplet, with image/color's coefficients.
func lumaRow(y, rgb []byte) {
	for x := range y {
		p := rgb[3*x : 3*x+3]
		y[x] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
	}
}
