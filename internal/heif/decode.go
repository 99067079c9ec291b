package heif

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"runtime"
	"strings"
	"sync"

	"github.com/gen2brain/heic"
)

// MaxPixels is the largest image Decode accepts, counted as the larger of
// the output size and the sum of a grid's tiles: 2^28 (268 MP), above the
// 200 MP of the largest phone sensors. The decoder's WebAssembly memory is
// 32-bit (4 GiB), and an image needs 4 bytes a pixel there plus the
// decoder's own planes. Callers enforce stricter limits with [Parse] first.
const MaxPixels = 1 << 28

// sem admits MaxConcurrent() decodes at once.
var sem = make(chan struct{}, min(runtime.GOMAXPROCS(0), 4))

// MaxConcurrent returns how many decoder instances decode at once:
// GOMAXPROCS at start-up, at most 4. A single image holds one instance (its
// WebAssembly memory grows to a few hundred MB for a 12 MP photo); a grid
// holds one and, for its tile workers, as many more as are free when it
// starts (each needs only tile-sized memory). The limit bounds memory and
// CPU; further callers wait.
func MaxConcurrent() int { return cap(sem) }

// warmupHEIC is testdata/heic/plain.heic (96x64), decoded by Warmup.
//
//go:embed warmup.heic
var warmupHEIC []byte

func init() {
	// Never use a system libheif through purego: its behaviour and version
	// depend on the host, and a crash in native code cannot be recovered.
	// Set before any decode can run; heic documents it as not safe to
	// change concurrently, so it is set exactly once, here.
	heic.ForceWasmMode = true
}

// Backend names the decoder built in: "wasm2go" (WebAssembly transpiled to
// Go, build tag wasm2go) or "wazero" (WebAssembly compiled at run time).
func Backend() string { return backend }

// DecodeConfig returns the size of the primary image after its transforms
// (what Decode returns) and the colour model Decode uses, from the header
// only, via [Parse]. It never runs the codec or allocates pixels, and
// refuses images over [MaxPixels] with [ErrTooLarge]. Safe for concurrent
// use.
func DecodeConfig(b []byte) (image.Config, error) {
	info, err := Parse(b)
	if err != nil {
		return image.Config{}, err
	}
	if err := checkPixels(info); err != nil {
		return image.Config{}, err
	}
	w, h := info.Size()
	return image.Config{ColorModel: color.NRGBAModel, Width: w, Height: h}, nil
}

func checkPixels(info Info) error {
	if p := info.pixels(); p > MaxPixels {
		return fmt.Errorf("%w: %dx%d (%d tiles) needs %d pixels, limit %d", ErrTooLarge, info.Width, info.Height, info.Tiles, p, MaxPixels)
	}
	return nil
}

// Decode decodes the primary image of a HEIC file with its irot/imir/clap
// transforms applied exactly once (EXIF orientation is never applied). It
// returns an *image.NRGBA, since the decoder has no YCbCr output. Grids
// (iPhone photos) are decoded tile by tile on the free decoder slots, with
// the transforms applied here; other images, and grids the tile path does
// not handle or fails on, are decoded whole by the decoder (see the
// package documentation).
//
// The header is checked first (Parse, [MaxPixels]) so that no pixel memory
// is allocated for a refused file. The decoded size is then checked against
// the header's; a mismatch is an error, never a silently wrong image.
// Decoder panics are recovered into [ErrCorrupt].
//
// Cost, 12 MP: a single image takes about 1.4-1.9 s on one core (several
// times image/jpeg on the same pixels) and 48 MB for the result plus the
// decoder instance (see [MaxConcurrent]); a 512-px-tile grid about 1.5 s of
// CPU, 0.75 s on 2 free cores, 155 MiB peak RSS. A single decode cannot be
// interrupted; ctx is checked before it starts, while waiting for a
// decoder slot and between a grid's tiles. Safe for concurrent use.
func Decode(ctx context.Context, b []byte) (image.Image, error) {
	info, err := Parse(b)
	if err != nil {
		return nil, err
	}
	if err := checkPixels(info); err != nil {
		return nil, err
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("heif: waiting for a decoder: %w", context.Cause(ctx))
	}
	defer func() { <-sem }()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("heif: %w", context.Cause(ctx))
	}
	return decodeAny(ctx, b, info)
}

// decodeRecover runs the codec, turning panics and traps into errors.
func decodeRecover(b []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, corrupt("decoder panic: %v", r)
			discardInstances()
		}
	}()
	img, err = heic.Decode(bytes.NewReader(b))
	if err != nil {
		if strings.Contains(err.Error(), "wasm error") {
			discardInstances() // a trap under wazero
		}
		return nil, corrupt("%v", err)
	}
	return img, nil
}

// discardInstances drops the decoder instances gen2brain/heic keeps in a
// sync.Pool: after a trap or panic mid-decode, the instance that failed goes
// back to that pool with its allocator state unknown. Two collections
// empty a sync.Pool (the first moves its contents to the victim cache, the
// second drops them). Rare (hostile input only) and costs two GCs.
func discardInstances() {
	runtime.GC()
	runtime.GC()
}

var warmOnce = sync.OnceValue(func() error {
	_, err := decodeRecover(warmupHEIC)
	return err
})

// Warmup pays the decoder's first-use cost once per process (wazero:
// compiling the module, 0.15-0.8 s and 25 MB; wasm2go: 2-15 ms), by
// decoding a 96x64 image, so a server can do it at start-up instead of on
// its first request. The first decode of a large photo still grows the
// instance's memory (about 0.3-0.6 s extra for 12 MP). Safe to call many
// times and concurrently; later calls return the first result at once.
func Warmup(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("heif: %w", context.Cause(ctx))
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("heif: waiting for a decoder: %w", context.Cause(ctx))
	}
	defer func() { <-sem }()
	if err := warmOnce(); err != nil {
		return fmt.Errorf("heif: warmup: %w", err)
	}
	return nil
}
