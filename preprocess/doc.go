// Package preprocess turns the images and scans people really produce into
// media that Veriff's media endpoint accepts: it sniffs the format from the
// bytes, refuses oversized inputs before allocating pixels, decodes JPEG,
// PNG, WebP, HEIC (and TIFF, BMP, GIF), applies the EXIF orientation, fits
// the longer side to 1920 px and re-encodes to JPEG until the base64 data
// URI is within 24 MB. PDFs go through package pdf instead.
//
// The stages are
//
//	read (size limit) → sniff → header + pixel limit → [passthrough?]
//	  → decode → orient + fit (one pass) → encode under the budget
//
// where, for baseline JPEGs, decode and fit run together on bands of rows
// (the resampler works on one band while the decoder decodes the next), so
// a 12–24 MP photo never exists at full size in memory, and HEIC goes
// through mediaprep's own pure-Go HEVC decoder, whose YCbCr planes and
// irot/imir orientation go straight to the resampler (files it does not
// take fall back to the embedded gen2brain/heic decoder),
//
// and everything a stage decides is recorded on the returned [Payload].
//
// [Prepare] is safe for concurrent use; buffers are pooled across calls.
package preprocess
