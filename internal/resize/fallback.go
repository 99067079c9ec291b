package resize

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/disintegration/imaging"
)

// resizeOther handles every layout without a planar path: it resamples the
// stored image to the pre-orientation size with imaging (Lanczos, which
// converts to *image.NRGBA and weights by alpha) and then orients the small
// result. Resampling and orienting commute because the filter is symmetric.
// Pixel slices of the standard library's types are checked first (imaging
// reads them on its own goroutines, beyond the reach of recover); a panic
// on this goroutine (e.g. from a custom image's methods) becomes ErrInvalid.
func resizeOther(img image.Image, o, w, h int) (out *image.NRGBA, err error) {
	known, err := checkPixels(img)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: malformed %T: %v", ErrInvalid, img, r)
		}
	}()
	if !known {
		// imaging would call a custom image's At on its own goroutines;
		// convert here, where a panic can be recovered.
		b := img.Bounds()
		m := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(m, m.Rect, img, b.Min, draw.Src)
		img = m
	}
	return resizeImaging(img, o, w, h), nil
}

// checkPixels verifies, for the standard library's pixel-slice types, that
// the slices hold every row the bounds claim. imaging reads them on its own
// goroutines, where a panic could not be recovered.
// known reports whether img is one of those types.
func checkPixels(img image.Image) (known bool, err error) {
	var p plane
	b := img.Bounds()
	bpp := func(pix []uint8, stride, n int) plane {
		if b.Dx() > len(pix)/n {
			return plane{} // too short, and b.Dx()*n might overflow
		}
		return plane{pix: pix, stride: stride, w: b.Dx() * n, h: b.Dy()}
	}
	switch m := img.(type) {
	case *image.NRGBA:
		p = bpp(m.Pix, m.Stride, 4)
	case *image.RGBA:
		p = bpp(m.Pix, m.Stride, 4)
	case *image.NRGBA64:
		p = bpp(m.Pix, m.Stride, 8)
	case *image.RGBA64:
		p = bpp(m.Pix, m.Stride, 8)
	case *image.Gray16:
		p = bpp(m.Pix, m.Stride, 2)
	case *image.Alpha:
		p = bpp(m.Pix, m.Stride, 1)
	case *image.Alpha16:
		p = bpp(m.Pix, m.Stride, 2)
	case *image.CMYK:
		p = bpp(m.Pix, m.Stride, 4)
	case *image.Paletted:
		p = bpp(m.Pix, m.Stride, 1)
		if !p.valid() {
			break
		}
		// imaging looks every index up in the palette on its goroutines.
		for y := range p.h {
			for _, c := range p.pix[y*p.stride : y*p.stride+p.w] {
				if int(c) >= len(m.Palette) {
					return true, fmt.Errorf("%w: palette index %d out of range (%d colours)", ErrInvalid, c, len(m.Palette))
				}
			}
		}
	case *image.NYCbCrA:
		p = bpp(m.A, m.AStride, 1)
		if !p.valid() {
			break
		}
		return checkPixels(&m.YCbCr)
	case *image.YCbCr:
		fx, fy, ok := subsampling(m.SubsampleRatio)
		if !ok || b.Min.X < 0 || b.Min.Y < 0 {
			return false, nil // converted on this goroutine instead
		}
		p = bpp(m.Y, m.YStride, 1)
		c := plane{
			pix: m.Cb, stride: m.CStride,
			w: max((b.Max.X+fx-1)/fx-b.Min.X/fx, 1),
			h: max((b.Max.Y+fy-1)/fy-b.Min.Y/fy, 1),
		}
		if !c.valid() {
			return true, fmt.Errorf("%w: YCbCr planes too short for %v", ErrInvalid, b)
		}
		c.pix = m.Cr
		if !c.valid() {
			return true, fmt.Errorf("%w: YCbCr planes too short for %v", ErrInvalid, b)
		}
	default:
		return false, nil
	}
	if !p.valid() {
		return true, fmt.Errorf("%w: %T pixels too short for %v", ErrInvalid, img, b)
	}
	return true, nil
}

func resizeImaging(img image.Image, o, w, h int) *image.NRGBA {
	sw, sh := w, h
	if swapsAxes(o) {
		sw, sh = h, w
	}
	r := imaging.Resize(img, sw, sh, imaging.Lanczos)
	if o == 1 {
		return r
	}
	return orientNRGBA(r, o)
}

// orientNRGBA returns a new image holding src displayed with EXIF
// orientation o.
func orientNRGBA(src *image.NRGBA, o int) *image.NRGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	w, h := sw, sh
	if swapsAxes(o) {
		w, h = sh, sw
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := range w {
			sx, sy := sourceOf(o, x, y, sw, sh)
			i := src.PixOffset(src.Rect.Min.X+sx, src.Rect.Min.Y+sy)
			copy(row[4*x:4*x+4], src.Pix[i:i+4])
		}
	}
	return dst
}

// sourceOf maps display pixel (x, y) of an image stored sw×sh with EXIF
// orientation o to its stored pixel.
func sourceOf(o, x, y, sw, sh int) (int, int) {
	switch o {
	case 2:
		return sw - 1 - x, y
	case 3:
		return sw - 1 - x, sh - 1 - y
	case 4:
		return x, sh - 1 - y
	case 5:
		return y, x
	case 6:
		return y, sh - 1 - x
	case 7:
		return sw - 1 - y, sh - 1 - x
	case 8:
		return sw - 1 - y, x
	}
	return x, y
}
