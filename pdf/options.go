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
// input that exceeds one gets an error matching ErrTooLarge. They keep one
// Trim call within about 200 MiB of peak RSS on hostile input (see
// RELIABILITY.hostile.md for the measurements), except for the decoding
// of legitimate large raw images, which costs what their pixels cost.
const (
	// maxObjects caps the number of objects: "obj" headers plus the /N of
	// object streams counted in the raw bytes before parsing (countObjects),
	// and the cross-reference table's size after. pdfcpu holds about 3 KB a
	// parsed object (100,000 objects: 312 MiB peak RSS); 50,000 objects is
	// about 150 MiB, and five times what a 10,000-page scanned document
	// (page, content stream, image, resources) or a few hundred pages of
	// bank statements with their fonts need.
	maxObjects = 50_000
	// maxXRefEntries caps the entries of classic cross-reference tables
	// counted in the raw bytes (pdfcpu keeps ~280 bytes for each, free
	// ones included: 1,000,000 entries in 20 MB peaked at 293 MiB).
	maxXRefEntries = 2 * maxObjects
	// maxStreamBytes caps the encoded length of any one stream (the input
	// itself is already bounded by the caller).
	maxStreamBytes = 256 << 20
	// maxDecodeBytes caps the decoded size of a stream pdfcpu decodes on its
	// own: object streams (a few hundred KB in real files) and metadata.
	// Peak memory is about 3 times this limit (bytes.Buffer doubling).
	maxDecodeBytes = 16 << 20
	// maxRawImageBytes caps the decoded size of a raw (unfiltered or Flate)
	// image decoded for resampling; the decode itself is limited to what the
	// image's /Width × /Height × components × bytes per sample say it holds
	// (a 600 dpi A4 RGB scan is 2480×3508×3×4 = 104 MB), so an image cannot
	// inflate past its declared pixels. Bigger images are left untouched.
	maxRawImageBytes = 256 << 20
	// maxImagePixels caps the pixel count of an image decoded for resampling
	// (200 MP, the largest phone sensors); bigger images are left untouched.
	maxImagePixels = 200_000_000
	// maxRecursion caps nesting: PDF object parsing depth, Form XObjects
	// drawn inside Form XObjects.
	maxRecursion = 32
	// maxContentBytes caps the decoded content of one page examined by the
	// emptiness check (its content streams, Form XObjects and appearance
	// streams together). A page whose content exceeds it is refused with
	// ErrTooLarge (real scanned pages hold a few hundred bytes of content,
	// text-heavy pages tens of KB).
	maxContentBytes = 16 << 20
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
	// refused beyond 50,000 objects (counted in the raw bytes before
	// parsing), 16 MiB for a decoded object stream, 256 MiB for any encoded
	// stream, a nesting depth of 32, and when a page examined for emptiness
	// has more than 16 MiB of decoded content. Images over 200 MP or over
	// 256 MiB of raw samples are never decoded (left as they are).
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
