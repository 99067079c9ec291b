package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Result is what [Trim] produced and decided.
type Result struct {
	// Data is the output PDF, at most Options.MaxBytes long.
	Data []byte
	// PagesIn is the number of pages of the input.
	PagesIn int
	// Kept lists the original 1-based page numbers kept, in order.
	Kept []int
	// Empty lists the original page numbers dropped as empty. Only pages
	// examined are listed: examination stops once MaxPages non-empty pages
	// are found, and later pages are dropped without being examined.
	Empty []int
	// Optimized reports that pdfcpu's optimisation (duplicate fonts,
	// images and resources removed, unused objects dropped) was applied.
	Optimized bool
	// ImagesResampled counts embedded images that were downsampled and/or
	// re-encoded as JPEG.
	ImagesResampled int
	// ImageQuality is the lowest JPEG quality used when images were
	// re-encoded, 0 if none was.
	ImageQuality int
}

var configOnce sync.Once

// testHookAfterRead, when set by a test, runs right after parsing (to
// exercise the panic boundary).
var testHookAfterRead func()

// setup makes pdfcpu use its built-in configuration: no config directory
// under $HOME (pdfcpu creates one, or panics when it can't, otherwise).
func setup() { configOnce.Do(api.DisableConfigDir) }

// newConfig returns the pdfcpu configuration used for every read: relaxed
// validation (real-world scans), no network, our work limits.
func newConfig() *model.Configuration {
	c := model.NewDefaultConfiguration()
	c.ValidationMode = model.ValidationRelaxed
	c.Offline = true
	c.Cmd = model.COLLECT
	c.Optimize = true
	c.WriteObjectStream = true
	c.WriteXRefStream = true
	c.UserPW, c.OwnerPW = "", ""
	c.Limits = model.ResourceLimits{
		MaxStreamBytes:       maxStreamBytes,
		MaxDecodeBytes:       maxDecodeBytes,
		MaxImagePixels:       maxImagePixels,
		MaxImageBytes:        maxRawImageBytes,
		MaxObjectCount:       maxXRefEntries,
		MaxObjectStreamCount: maxObjects,
		MaxObjectStreamFirst: 16 << 20,
		MaxXRefEntries:       maxXRefEntries,
		MaxRecursionDepth:    maxRecursion,
	}
	return c
}

// headerWindow is how far into the file the "%PDF-" header may start;
// readers tolerate leading junk, as Acrobat does within the first 1024 bytes.
const headerWindow = 1024

// Trim validates data, drops empty pages, keeps the first MaxPages non-empty
// ones in their order, and fits the result into MaxBytes.
//
// A page is empty when nothing on it would paint: it has no content stream,
// or its content streams (and the Form XObjects they draw, recursively) have
// no painting operator (text show in a visible rendering mode, path fill or
// stroke, shading, image or XObject draw, inline image), and it has no
// visible annotation whose appearance paints. "q Q", whitespace, comments,
// marked content and "re W n" clipping alone are empty. Content that cannot
// be decoded or resolved counts as painting, so a page is dropped only when
// it is proven empty; but a page examined whose content (with its forms and
// annotation appearances) decodes to more than 16 MiB is refused with
// ErrTooLarge rather than kept unexamined.
//
// Sizing: the kept pages are written after pdfcpu's optimisation. When that
// is over MaxBytes (or FitImages is set), embedded image XObjects are
// downsampled (area averaging) to MaxImageSide and re-encoded as JPEG,
// largest first and only as many as needed, at decreasing quality (85, 70,
// 55, 40, 25) until the output fits; if it never does, the error is a
// *BudgetError (errors.Is ErrBudget) with the smallest size reached. Images
// that can be re-encoded are gray or RGB (device, calibrated or ICC-based
// colour spaces) stored as 8-bit JPEG or 8/16-bit raw or Flate samples, not
// used as masks; CMYK, indexed, 1-bit, JPEG 2000, JBIG2 and CCITT images,
// stencil masks and inline images are left as they are. Images are never
// upscaled.
//
// Errors match ErrEncrypted, ErrCorrupt, ErrNoPages, ErrAllEmpty, ErrBudget,
// ErrTooLarge, or are ctx.Err(). Panics inside pdfcpu are recovered and
// returned as ErrCorrupt. ctx is checked between steps and pages.
//
// Cost: before parsing, one pass over the raw bytes counts objects and
// cross-reference entries and inflates cross-reference streams without
// keeping them, refusing inputs over the work limits (see
// Options.MaxInputPages). pdfcpu then parses the whole input in memory (a
// few times its size, plus about 3 KB an object: at most ~150 MiB at the
// 50,000-object cap); the emptiness check walks the page tree once and
// decodes only the content of the pages examined (16 MiB at most each);
// image re-encoding decodes one image at a time (a raw 600 dpi A4 RGB scan
// costs about 4 times its 104 MB of samples). Trim writes no files. It is
// safe for concurrent use.
func Trim(ctx context.Context, data []byte, opts *Options) (res *Result, err error) {
	setup()
	o := opts.resolved()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%w: PDF library panicked: %v", ErrCorrupt, r)
		}
	}()

	pc, err := readContext(data, &o)
	if err != nil {
		return nil, err
	}
	if testHookAfterRead != nil {
		testHookAfterRead()
	}
	res = &Result{PagesIn: pc.PageCount}
	if pc.PageCount == 0 {
		return nil, ErrNoPages
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	err = walkPages(pc.XRefTable, func(i int, page, pageRes types.Dict) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		paints, err := pagePaints(pc.XRefTable, page, pageRes)
		if errors.Is(err, errContentLimit) {
			return fmt.Errorf("%w: page %d: %w", ErrTooLarge, i, err)
		}
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		if paints {
			res.Kept = append(res.Kept, i)
		} else {
			res.Empty = append(res.Empty, i)
		}
		if len(res.Kept) == o.MaxPages {
			return errStopWalk
		}
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, ctxErr
		}
		return nil, classify(err)
	}
	if len(res.Kept) == 0 {
		return nil, fmt.Errorf("%w (%d pages)", ErrAllEmpty, pc.PageCount)
	}

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := api.OptimizeContext(pc); err != nil {
		return nil, classify(fmt.Errorf("optimize: %w", err))
	}
	res.Optimized = true
	dest, err := pdfcpu.ExtractPages(pc, res.Kept, false)
	if err != nil {
		return nil, classify(fmt.Errorf("extract pages: %w", err))
	}
	out, err := writeContext(dest)
	if err != nil {
		return nil, err
	}

	if len(out) <= o.MaxBytes && !o.FitImages {
		res.Data = out
		return res, nil
	}
	fr, err := fitImages(ctx, out, &o)
	if err != nil {
		return nil, err
	}
	res.Data, res.ImagesResampled, res.ImageQuality = fr.data, fr.resampled, fr.quality
	return res, nil
}

// checkHeader refuses data without a "%PDF-" header near its start, and
// truncated data: without an "%%EOF" marker near its end.
func checkHeader(data []byte) error {
	w := data
	if len(w) > headerWindow {
		w = w[:headerWindow]
	}
	if !bytes.Contains(w, []byte("%PDF-")) {
		return fmt.Errorf("%w: no %%PDF- header in the first %d bytes", ErrCorrupt, headerWindow)
	}
	tail := data[max(0, len(data)-headerWindow):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return fmt.Errorf("%w: truncated: no %%%%EOF marker in the last %d bytes", ErrCorrupt, headerWindow)
	}
	return nil
}

// readContext parses and validates data with pdfcpu and applies the object
// and page caps.
func readContext(data []byte, o *Options) (*model.Context, error) {
	if err := prescan(data); err != nil {
		return nil, err
	}
	pc, err := api.ReadContext(bytes.NewReader(data), newConfig())
	if err != nil {
		return nil, classify(fmt.Errorf("read: %w", err))
	}
	if n := len(pc.Table) - 1; n > maxXRefEntries { // entry 0 is the free list head
		return nil, fmt.Errorf("%w: %d cross-reference entries, limit %d", ErrTooLarge, n, maxXRefEntries)
	}
	if err := checkMetadata(pc.XRefTable); err != nil {
		return nil, err
	}
	// The page count is known for sure only after validation; refuse early
	// on the page tree root's /Count, and again after.
	if n := rootPageCount(pc.XRefTable); n > o.MaxInputPages {
		return nil, fmt.Errorf("%w: %d pages, limit %d", ErrTooLarge, n, o.MaxInputPages)
	}
	if err := api.ValidateContext(pc); err != nil {
		return nil, classify(fmt.Errorf("validate: %w", err))
	}
	if pc.PageCount > o.MaxInputPages {
		return nil, fmt.Errorf("%w: %d pages, limit %d", ErrTooLarge, pc.PageCount, o.MaxInputPages)
	}
	return pc, nil
}

// rootPageCount returns the /Count of the page tree root, 0 if unknown.
func rootPageCount(xt *model.XRefTable) int {
	ir, err := xt.Pages()
	if err != nil || ir == nil {
		return 0
	}
	d, err := xt.DereferenceDict(*ir)
	if err != nil || d == nil {
		return 0
	}
	if n := d.IntEntry("Count"); n != nil {
		return *n
	}
	return 0
}

// writeContext serialises pc. A context must be written only once.
func writeContext(pc *model.Context) (out []byte, err error) {
	var buf bytes.Buffer
	if err := api.WriteContext(pc, &buf); err != nil {
		return nil, classify(fmt.Errorf("write: %w", err))
	}
	return buf.Bytes(), nil
}

// classify wraps a pdfcpu error with the sentinel that describes it; errors
// that already match one of ours are returned as they are.
func classify(err error) error {
	switch {
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrCorrupt), errors.Is(err, ErrEncrypted):
		return err
	case errors.Is(err, pdfcpu.ErrWrongPassword), errors.Is(err, pdfcpu.ErrOwnerPasswordRequired):
		return fmt.Errorf("%w: %w", ErrEncrypted, err)
	case errors.Is(err, filter.ErrDecodeLimitExceeded), errors.Is(err, model.ErrMaxRecursionDepthExceeded):
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}
