package pdf

import (
	"image"
)

// This file downsamples 8-bit images by area averaging (each output pixel is
// the mean of the source area it covers), plane by plane, so a JPEG's YCbCr
// planes are resized at their own resolutions without an RGB round trip.
// Area averaging is the right filter for reduction: no aliasing, no ringing,
// and one multiply-add per source sample and pass.

// tap is the contribution of source samples [first, first+len(w)) to one
// output sample; weights are 16.16 fixed point and sum to 1<<16.
type tap struct {
	first int
	w     []uint32
}

// areaTaps computes the taps that reduce n source samples to m (m ≤ n).
func areaTaps(n, m int) []tap {
	taps := make([]tap, m)
	scale := float64(n) / float64(m)
	for i := range taps {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first := int(lo)
		last := min(int(hi-1e-9), n-1)
		ws := make([]uint32, last-first+1)
		var sum uint32
		big := 0
		for j := first; j <= last; j++ {
			ov := min(hi, float64(j+1)) - max(lo, float64(j))
			w := uint32(ov / scale * 65536)
			ws[j-first] = w
			sum += w
			if w > ws[big] {
				big = j - first
			}
		}
		ws[big] += 65536 - sum // rounding: weights sum to exactly 1<<16
		taps[i] = tap{first, ws}
	}
	return taps
}

// resamplePlane reduces a plane of sw×sh pixels with ch interleaved 8-bit
// channels (row stride sstride) to dw×dh, returning a packed dw*ch stride
// plane. dw ≤ sw and dh ≤ sh.
func resamplePlane(src []byte, sw, sh, sstride, ch, dw, dh int) []byte {
	xt, yt := areaTaps(sw, dw), areaTaps(sh, dh)
	// Horizontal pass: sh rows of dw pixels.
	mid := make([]byte, dw*ch*sh)
	for y := range sh {
		row := src[y*sstride : y*sstride+sw*ch]
		out := mid[y*dw*ch : (y+1)*dw*ch]
		for x, t := range xt {
			for c := range ch {
				var acc uint32
				p := t.first*ch + c
				for _, w := range t.w {
					acc += uint32(row[p]) * w
					p += ch
				}
				out[x*ch+c] = uint8((acc + 1<<15) >> 16)
			}
		}
	}
	// Vertical pass: dh rows from the intermediate rows.
	dst := make([]byte, dw*ch*dh)
	rowLen := dw * ch
	acc := make([]uint32, rowLen)
	for y, t := range yt {
		clear(acc)
		for k, w := range t.w {
			r := mid[(t.first+k)*rowLen : (t.first+k+1)*rowLen]
			for i, v := range r {
				acc[i] += uint32(v) * w
			}
		}
		out := dst[y*rowLen : (y+1)*rowLen]
		for i, a := range acc {
			out[i] = uint8((a + 1<<15) >> 16)
		}
	}
	return dst
}

// fitSide returns m reduced so that its longer side is at most side,
// preserving the aspect ratio; images already within side are returned as
// they are. *image.YCbCr, *image.Gray and *image.RGBA keep their type; any
// other image is converted to *image.RGBA first.
func fitSide(m image.Image, side int) image.Image {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	if max(w, h) <= side {
		return m
	}
	nw, nh := side, max(1, int((int64(h)*int64(side)+int64(w)/2)/int64(w)))
	if h > w {
		nw, nh = max(1, int((int64(w)*int64(side)+int64(h)/2)/int64(h))), side
	}
	switch s := m.(type) {
	case *image.Gray:
		pix := s.Pix[s.PixOffset(b.Min.X, b.Min.Y):]
		return &image.Gray{Pix: resamplePlane(pix, w, h, s.Stride, 1, nw, nh), Stride: nw, Rect: image.Rect(0, 0, nw, nh)}
	case *image.RGBA:
		pix := s.Pix[s.PixOffset(b.Min.X, b.Min.Y):]
		return &image.RGBA{Pix: resamplePlane(pix, w, h, s.Stride, 4, nw, nh), Stride: 4 * nw, Rect: image.Rect(0, 0, nw, nh)}
	case *image.YCbCr:
		// Each plane at its own resolution; nw ≤ w and nh ≤ h imply the
		// same for the chroma planes.
		scw, sch := chromaSize(w, h, s.SubsampleRatio)
		dcw, dch := chromaSize(nw, nh, s.SubsampleRatio)
		off := s.COffset(b.Min.X, b.Min.Y)
		return &image.YCbCr{
			Y:              resamplePlane(s.Y[s.YOffset(b.Min.X, b.Min.Y):], w, h, s.YStride, 1, nw, nh),
			Cb:             resamplePlane(s.Cb[off:], scw, sch, s.CStride, 1, dcw, dch),
			Cr:             resamplePlane(s.Cr[off:], scw, sch, s.CStride, 1, dcw, dch),
			YStride:        nw,
			CStride:        dcw,
			SubsampleRatio: s.SubsampleRatio,
			Rect:           image.Rect(0, 0, nw, nh),
		}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r, g, bl, a := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			i := y*rgba.Stride + 4*x
			rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2], rgba.Pix[i+3] = uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8)
		}
	}
	return fitSide(rgba, side)
}

// chromaSize returns the chroma plane size of a w×h YCbCr image.
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}
