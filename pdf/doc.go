// Package pdf prepares a PDF for the vendor's media endpoint: it validates the
// document, drops pages on which nothing would paint, keeps the first N
// non-empty pages in their order and fits the result into a byte budget by
// optimising it and, when needed, by downsampling and re-encoding embedded
// raster images.
//
// The vendor reads only the first 5 pages of a PDF and discards empty ones,
// so a scan with a blank second page or a cover sheet would otherwise lose
// the page that matters. [Trim] makes the payload exactly the pages that count
// and reports which original pages were kept and which were dropped.
//
// Emptiness is decided by tokenising the content streams (strings, comments,
// inline image data and all) and looking for painting operators, following
// Form XObjects and annotation appearance streams; see [Trim] for the rules.
//
// Hostile input is bounded before and around the PDF library: a pass over
// the raw bytes refuses too many objects or cross-reference entries and
// cross-reference streams that inflate too far, pdfcpu's own limits are set
// low for what it decodes, and a page whose content inflates past 16 MiB is
// refused, all with ErrTooLarge (see [Options.MaxInputPages] for the list).
//
// The package uses github.com/pdfcpu/pdfcpu for parsing and writing. It calls
// pdfcpu's DisableConfigDir once before first use, so it never creates
// pdfcpu's configuration directory under $HOME; it writes no files at all.
package pdf
