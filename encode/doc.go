// Package encode turns a decoded, oriented and fitted image into JPEG bytes
// whose base64 data URI fits a byte budget, at the highest quality that fits,
// in as few encoder passes as possible.
//
// The budget is on the whole data URI ("data:image/jpeg;base64," followed by
// the base64 text), because that is what the media endpoint measures: the
// default [DefaultMaxBase64] is 24,000,000 bytes, "24 MB" read as decimal,
// the safe reading of the vendor's limit.
//
// [JPEG] does the search. Its first pass encodes at [Options.Quality]; when
// that does not fit it predicts the fitting quality and corrects the
// prediction with each measured pass (secant, bracketing), never walking
// a ladder of qualities. Predictions come from a 1/16 sample of the image's
// tiles encoded at candidate qualities (proxy.go), calibrated by the full
// passes, for images of 512K pixels and more, and from a size-versus-quality
// curve calibrated on real photos and scans (model.go) for smaller ones. On
// the benchmark corpus a binding budget costs 2 full passes plus about a
// quarter of a pass in sample encodes. Below [Options.MinQuality] it shrinks
// the dimensions instead of lowering the quality further, down to
// [Options.MinSide], and returns a [*BudgetError] when even that does not
// fit. After a shrink the sample is taken at the same places of the
// picture and the previous size's calibration carried over (corrected by
// how busy the sample is against the whole image), so the first pass at
// the new size is predicted to about ±1%, and a size predicted not to fit
// even at the minimum quality is shrunk again without a pass: a budget that
// makes the image shrink also costs 2 full passes on the corpus (at 300 KB
// and 150 KB; 2.08 on average over 40 budgets from 80 KB to 1.6 MB,
// against 2.60 before), plus one resample per shrink. The larger sample
// and the activity reads cost time: with the parallel encoder a pass is
// cheap, and at 300 KB, where the search before took 2 passes too, the
// corpus takes about 8% longer (BenchmarkJPEGCorpus/average).
//
// [AppendJPEG] is the single-pass primitive. Every image with an alpha channel
// is flattened onto white, converting straight into *image.YCbCr 4:2:0;
// *image.YCbCr and *image.Gray are encoded without a conversion copy. Output
// is baseline JPEG with no APP segment at all, so no EXIF
// (GPS, serial numbers) survives re-encoding.
//
// The helpers [DataURIPrefix], [DataURILen], [AppendDataURI] and
// [WriteDataURI] size and build data URIs without a second full copy.
//
// All functions are safe for concurrent use; scratch buffers come from
// sync.Pools shared by all callers.
package encode
