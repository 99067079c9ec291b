package preprocess

import (
	"context"
	"errors"
	"image"
	"sync/atomic"

	"github.com/mediaprep/mediaprep/internal/heif"
)

// heicNativeBytesPerPixel is the peak memory of heif.DecodeNative per
// stored pixel: the decoder's planes (1.5 bytes; SAO works in place) and
// block metadata (0.25), plus either the *image.NRGBA a colour other than
// JFIF's YCbCr is converted to (4), alive beside the planes until the
// conversion ends, or, for a grid, the assembled output planes (1.5) beside
// the tiles in flight.
const heicNativeBytesPerPixel = 6

var (
	// heicFallbacks counts the HEIC files the native decoder left to the
	// embedded one (tests read it).
	heicFallbacks atomic.Int64
	// heicNativeOff sends every HEIC to the embedded decoder (tests
	// compare the two).
	heicNativeOff atomic.Bool
)

// decodeHEIC decodes a HEIC file with the pure-Go HEVC decoder
// (heif.DecodeNative): it returns the stored image and leaves irot/imir to
// the resampler, as the EXIF orientation it returns. Files that decoder
// does not handle (10-bit, 4:4:4, alpha, tiles inside the HEVC stream...)
// or fails on go to the embedded WebAssembly decoder (heif.Decode, which
// applies the transforms itself, so orientation is 1): no file that decoded
// before is lost. That fallback needs several times the memory, so a job
// holding a Limiter reservation (*held) trades it for the larger one first,
// releasing before it waits so that it never holds one while waiting for
// another.
func decodeHEIC(ctx context.Context, data []byte, hdr header, ro *resolved, held *int64) (img image.Image, orientation int, err error) {
	img, orientation, err = decodeHEICNative(ctx, data)
	if err == nil {
		return img, orientation, nil
	}
	if ctx.Err() != nil {
		return nil, 0, context.Cause(ctx)
	}
	if errors.Is(err, heif.ErrTooLarge) {
		return nil, 0, err
	}
	heicFallbacks.Add(1)
	if ro.Limiter != nil {
		ro.Limiter.release(*held)
		*held = 0
		big := hdr
		big.bpp = heicBytesPerPixel(hdr.grid)
		n, err := ro.Limiter.acquire(ctx, workingSet(big, 1, ro.MaxSide, false))
		if err != nil {
			return nil, 0, err
		}
		*held = n
	}
	img, err = decodeAt(ctx, HEIC, data, 1, ro.MaxPixels)
	return img, 1, err
}

// decodeHEICNative is heif.DecodeNative behind the panic guard, decoding
// into a pooled plane buffer (getPlanes): a YCbCr or Gray result is carved
// from it and goes back to the pool through putPlanes once the pipeline is
// done with it; after a failure or an NRGBA result (which does not alias
// the buffer) the buffer goes back at once.
func decodeHEICNative(ctx context.Context, data []byte) (img image.Image, orientation int, err error) {
	if heicNativeOff.Load() {
		return nil, 0, errors.New("native HEIC decoding switched off")
	}
	buf := getPlanes()
	defer func() {
		if _, nrgba := img.(*image.NRGBA); err != nil || nrgba {
			putBuf(buf)
		}
	}()
	defer recoverInto(&err)
	return heif.DecodeNativeBuf(ctx, data, buf)
}
