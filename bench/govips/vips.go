package govips

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/davidbyttow/govips/v2/vips"
)

// ErrVips wraps every failure of libvips that [Thumbnail] returns.
var ErrVips = errors.New("govips: libvips failed")

var (
	startOnce   sync.Once
	concurrency int
)

// Start starts libvips once per process with threads worker threads per
// operation (0 means runtime.NumCPU(), libvips's own default and what
// vipsthumbnail uses; govips alone would pick 1) and the operation cache
// off, so that repeated calls on the same buffer redo the work instead of
// returning a cached result. Later calls do nothing and return the thread
// count in effect. Safe for concurrent use; libvips is never shut down.
func Start(threads int) int {
	startOnce.Do(func() {
		if threads <= 0 {
			threads = runtime.NumCPU()
		}
		concurrency = threads
		vips.LoggingSettings(nil, vips.LogLevelError)
		vips.Startup(&vips.Config{
			ConcurrencyLevel: threads,
			MaxCacheFiles:    0,
			MaxCacheMem:      0,
			MaxCacheSize:     0,
		})
	})
	return concurrency
}

// Thumbnail makes with libvips the payload that preprocess.PrepareBytes
// makes with ForceReencode and otherwise default options: longer side at
// most maxSide (never upscaled), rotated by EXIF orientation, a baseline
// JPEG at quality with 4:2:0 chroma (libvips alone switches to 4:4:4 at
// Q ≥ 90) and no metadata. It returns the JPEG and its size. It starts
// libvips with [Start](0) if needed. Safe for concurrent use.
//
// Cost: libvips's thumbnail pipeline: JPEGs are shrunk on load in the DCT
// domain, and the image is streamed in tiles, never held at full size.
func Thumbnail(data []byte, maxSide, quality int) (jpeg []byte, w, h int, err error) {
	if maxSide < 1 || quality < 1 || quality > 100 {
		return nil, 0, 0, fmt.Errorf("%w: maxSide %d, quality %d out of range", ErrVips, maxSide, quality)
	}
	Start(0)
	img, err := vips.NewThumbnailWithSizeFromBuffer(data, maxSide, maxSide, vips.InterestingNone, vips.SizeDown)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: thumbnail: %v", ErrVips, err)
	}
	defer img.Close()
	out, _, err := img.ExportJpeg(&vips.JpegExportParams{
		Quality:       quality,
		StripMetadata: true,
		Interlace:     false,
		SubsampleMode: vips.VipsForeignSubsampleOn,
	})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: jpegsave: %v", ErrVips, err)
	}
	return out, img.Width(), img.Height(), nil
}
