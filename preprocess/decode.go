package preprocess

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"sync"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"github.com/mediaprep/mediaprep/internal/exif"
	"github.com/mediaprep/mediaprep/internal/heif"
	"github.com/mediaprep/mediaprep/internal/jpegdec"
)

// header is what the pipeline learns before decoding any pixel.
type header struct {
	width, height int // stored dimensions
	orientation   int // EXIF orientation to apply, 1..8
	transformed   bool
	bpp           float64 // decoded bytes per pixel, for the Limiter
	grid          bool    // a HEIC grid (tiles), for the fallback's estimate
}

// readHeader parses f's header from data, enforces the pixel limit, and
// reads the orientation. It allocates no pixel memory.
func readHeader(f Format, data []byte, maxPixels int64) (header, error) {
	h := header{orientation: 1}
	var cfg image.Config
	var err error
	var grid bool
	if f == HEIC {
		// Our own bounded box parser; the stored (ispe) size is what the
		// pixel limit, Scale and passthrough look at. The decoder applies
		// irot/imir; EXIF orientation is never applied on top (iPhones
		// write both).
		var info heif.Info
		info, err = parseHEIF(data)
		cfg = image.Config{ColorModel: color.NRGBAModel, Width: info.Width, Height: info.Height}
		h.transformed = info.Transformed()
		grid = info.Grid
	} else {
		cfg, err = decodeConfig(f, data)
	}
	if err != nil {
		return h, &DecodeError{Format: f, Stage: "header", Err: err}
	}
	h.width, h.height = cfg.Width, cfg.Height
	h.bpp = bytesPerPixel(cfg.ColorModel)
	if f == HEIC {
		h.bpp = heicNativeBytesPerPixel
		h.grid = grid
	}
	if h.width <= 0 || h.height <= 0 {
		return h, &DecodeError{Format: f, Stage: "header",
			Err: fmt.Errorf("invalid dimensions %dx%d", h.width, h.height)}
	}
	if px := int64(h.width) * int64(h.height); px > maxPixels {
		return h, &PixelLimitError{Format: f, Width: h.width, Height: h.height, Limit: maxPixels}
	}
	if f == JPEG {
		if n := jpegScans(data); n > maxJPEGScans {
			return h, &DecodeError{Format: f, Stage: "header",
				Err: fmt.Errorf("%d scans, more than the %d any real JPEG has", n, maxJPEGScans)}
		}
	}
	var o exif.Orientation
	switch f {
	case JPEG:
		o, err = exif.FromJPEG(data)
	case PNG:
		o, err = exif.FromPNG(data)
	case WebP:
		o, err = exif.FromWebP(data)
	case TIFF:
		o, err = exif.Parse(data)
	}
	// A malformed EXIF block does not make the image unusable: browsers
	// and the vendor then show it as stored, and so do we.
	if err == nil && o >= 1 && o <= 8 {
		h.orientation = int(o)
	}
	return h, nil
}

// parseHEIF is heif.Parse behind the same panic guard as the decoders: a
// bug in a parser of untrusted bytes must cost one request, not the process.
func parseHEIF(data []byte) (info heif.Info, err error) {
	defer recoverInto(&err)
	return heif.Parse(data)
}

// decodeConfig returns the header's dimensions, recovering decoder panics.
func decodeConfig(f Format, data []byte) (cfg image.Config, err error) {
	defer recoverInto(&err)
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	case TIFF:
		return tiff.DecodeConfig(r)
	case BMP:
		return bmp.DecodeConfig(r)
	case GIF:
		return gif.DecodeConfig(r)
	}
	return cfg, fmt.Errorf("no decoder for %s", f)
}

// decodeScale returns the DCT scale denominator a JPEG will be decoded at,
// for the files the fast decoder reads; 1 for everything else. Like
// libvips's shrink-on-load it leaves at least a factor of 2 to the Lanczos
// resampler: a DCT-domain shrink is a box filter, and a box-shrunk image
// resampled by a factor near 1 loses about 10 dB of PSNR against a direct
// Lanczos downscale (12 MP → 1920 px: 37 dB against 47 dB), so a 12 MP or
// 24 MP photo is decoded at full size and a 50 MP one at 1/2.
func decodeScale(f Format, data []byte, hdr header, maxSide int) int {
	if f != JPEG || !jpegBaseline(data) {
		return 1
	}
	return jpegdec.ScaleFor(hdr.width, hdr.height, 2*maxSide)
}

// decode decodes data at 1/scale (JPEG only; see decodeScale). It returns
// the image and the scale actually used.
func decode(ctx context.Context, f Format, data []byte, hdr header, scale int, ro *resolved) (img image.Image, _ int, err error) {
	img, err = decodeAt(ctx, f, data, scale, ro.MaxPixels)
	if err = decodeErr(f, err); err != nil {
		return nil, scale, err
	}
	if f == JPEG {
		// The fallback decoder may have decoded at full size.
		b := img.Bounds()
		if b.Dx() >= hdr.width && b.Dy() >= hdr.height {
			scale = 1
		}
	}
	return img, scale, nil
}

// decodeErr types a decoder's error: a HEIC grid whose tiles add up to more
// than its declared size is ErrTooManyPixels, anything else is a
// *DecodeError.
func decodeErr(f Format, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, heif.ErrTooLarge):
		return fmt.Errorf("%w: %v", ErrTooManyPixels, err)
	}
	return &DecodeError{Format: f, Stage: "decode", Err: err}
}

// decodeAt decodes data; for JPEG at 1/scale via the fast decoder, falling
// back to image/jpeg at full size for files it does not cover (progressive,
// CMYK, arithmetic) or rejects. Panics become errors.
func decodeAt(ctx context.Context, f Format, data []byte, scale int, maxPixels int64) (img image.Image, err error) {
	defer recoverInto(&err)
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		img, err = jpegdec.Decode(data, &jpegdec.Options{Scale: scale, MaxPixels: maxPixels, Buf: getPlanes()})
		if err == nil {
			return img, nil
		}
		if errors.Is(err, jpegdec.ErrTooLarge) {
			return nil, err
		}
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case WebP:
		return webp.Decode(r)
	case HEIC:
		return heif.Decode(ctx, data)
	case TIFF:
		return tiff.Decode(r)
	case BMP:
		return bmp.Decode(r)
	case GIF:
		return gif.Decode(r) // the first frame
	}
	return nil, fmt.Errorf("no decoder for %s", f)
}

// validate proves a passthrough candidate intact by decoding it (JPEG at
// 1/8 scale, which still runs the whole entropy-coded scan).
func validate(ctx context.Context, f Format, data []byte) error {
	scale := 1
	if f == JPEG {
		scale = 8
	}
	img, err := decodeAt(ctx, f, data, scale, 0)
	if err != nil {
		return &DecodeError{Format: f, Stage: "decode", Err: err}
	}
	putPlanes(img)
	return nil
}

// planes pools the backing buffers of decoded JPEG and HEIC planes
// (*[]byte), so repeated calls reuse them instead of allocating 1.5–3
// bytes a pixel.
var planes sync.Pool

func getPlanes() []byte {
	if b, ok := planes.Get().(*[]byte); ok {
		return *b
	}
	return nil
}

// putPlanes returns img's planes to the pool; img must not be used after.
func putPlanes(img image.Image) {
	putBuf(jpegdec.Backing(img))
}

// putBuf returns a plane buffer to the pool (nothing for an empty one); b
// must not be used after.
func putBuf(b []byte) {
	if cap(b) > 0 {
		planes.Put(&b)
	}
}

// recoverInto turns a panic of a third-party decoder into *err.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("decoder panic: %v", r)
	}
}
