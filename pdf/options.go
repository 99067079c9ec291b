package pdf

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultMaxBytes is the vendor's PDF size limit, 20 MB read as decimal
	// megabytes (20,000,000 bytes), the safe reading of "20 MB".
	DefaultMaxBytes = 20_000_000
	// DefaultMaxPages is how many non-empty pages the vendor processes.
	DefaultMaxPages = 5
	// DefaultMaxImageSide is the longer side, in pixels, that embedded
	// raster images are downsampled to when they are resampled.
	DefaultMaxImageSide = 1920
	// DefaultMaxInputPages is the page count above which an input is refused.
	DefaultMaxInputPages = 10_000
)

// Work limits applied to every input, on top of Options.MaxInputPages. An
// input that exceeds one gets an error matching ErrTooLarge.
const (
	// maxObjects caps the number of objects in the cross-reference table.
	maxObjects = 2_000_000
	// maxDecodeBytes caps the decoded size of any one stream (content
	// streams, images, object streams).
	maxDecodeBytes = 256 << 20
	// maxImagePixels caps the pixel count of an image decoded for resampling
	// (200 MP, the largest phone sensors); bigger images are left untouched.
	maxImagePixels = 200_000_000
	// maxRecursion caps nesting: PDF object parsing depth, Form XObjects
	// drawn inside Form XObjects.
	maxRecursion = 32
	// maxContentBytes caps the decoded content bytes examined for one page
	// (its content streams, Form XObjects and appearance streams together).
	// A page whose content exceeds it is treated as non-empty.
	maxContentBytes = 64 << 20
)

// Options configures [Trim]. A nil *Options and zero fields mean the defaults.
type Options struct {
	// MaxBytes is the byte budget of the output. 0 means DefaultMaxBytes
	// (20,000,000 bytes).
	MaxBytes int
	// MaxPages is how many non-empty pages are kept, counted from the
	// first page. 0 means DefaultMaxPages (5).
	MaxPages int
	// FitImages applies the MaxImageSide rule to every embedded raster
	// image that can be re-encoded, even when the document already fits
	// MaxBytes. By default images are resampled only when needed to fit.
	FitImages bool
	// MaxImageSide is the longer side, in pixels, that images are
	// downsampled to. 0 means DefaultMaxImageSide (1920).
	MaxImageSide int
	// MaxInputPages refuses (ErrTooLarge) inputs with more pages. 0 means
	// DefaultMaxInputPages (10,000). Independently of it, inputs are also
	// refused beyond 2,000,000 objects, 256 MiB for any decoded stream and
	// a nesting depth of 32; pages whose content exceeds 64 MiB decoded are
	// kept as non-empty without further examination, and images over 200 MP
	// are never decoded.
	MaxInputPages int
}

// resolved returns a copy of o with every zero field set to its default.
func (o *Options) resolved() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.MaxBytes <= 0 {
		r.MaxBytes = DefaultMaxBytes
	}
	if r.MaxPages <= 0 {
		r.MaxPages = DefaultMaxPages
	}
	if r.MaxImageSide <= 0 {
		r.MaxImageSide = DefaultMaxImageSide
	}
	if r.MaxInputPages <= 0 {
		r.MaxInputPages = DefaultMaxInputPages
	}
	return r
}
