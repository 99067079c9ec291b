// Package resize orients and downscales decoded images for upload, working
// directly on the decoder's native pixel layout.
//
// The naive pipeline (decode, convert to *image.NRGBA, copy-rotate, resample)
// spends most of its time and memory moving 4-byte pixels. This package
// instead resamples the planes of *image.YCbCr (JPEG, lossy WebP) and
// *image.Gray images where they are: each plane at its own resolution, with
// the EXIF orientation fused into the sampling (the source is read rotated
// and the output is written once), rows spread over GOMAXPROCS goroutines and
// scratch buffers reused through a sync.Pool. *image.YCbCr input of any
// subsampling becomes *image.YCbCr 4:2:0 output, the layout the JPEG encoder
// is fastest on; *image.Gray stays *image.Gray.
//
// *image.NRGBA and *image.RGBA (HEIC, PNG, lossless WebP), *image.Paletted
// (PNG) and *image.NYCbCrA (lossy WebP with alpha) take the same fused,
// parallel path over whole pixels. Opaque input (alpha 255 everywhere,
// checked first with a word-at-a-time scan that stops at the first
// translucent row) is resampled in RGB and converted to *image.YCbCr 4:2:0
// at the output resolution only, with color.RGBToYCbCr's coefficients and
// chroma from the mean colour of each 2×2 block (as image/jpeg subsamples);
// opaque NYCbCrA is resampled as its YCbCr planes. Input with transparency
// becomes *image.NRGBA with alpha kept, its colour resampled premultiplied
// by alpha (as imaging does, so transparent pixels lend no colour to their
// neighbours; the encoder flattens onto white later). The remaining
// layouts (NYCbCrA with transparency, CMYK, 16-bit, Gray16, custom types)
// are resampled through github.com/disintegration/imaging and returned as
// *image.NRGBA with their alpha kept.
//
// The filter is a separable Lanczos (a = 3) whose support is stretched by the
// scale factor when downscaling, with fixed-point weights precomputed per
// output row and column and 6 extra bits of precision carried between the two
// passes. Its output is within rounding of an exact float64 Lanczos3 (≈ 74 dB
// PSNR, where imaging's 8-bit intermediate reaches ≈ 57 dB) and agrees with
// imaging's Lanczos to above 45 dB. Orientation without scaling is a plain
// byte permutation.
//
// On amd64 CPUs with AVX2 the planar passes and those of opaque 4-byte
// pixels run as assembly kernels (selected at start-up; build with -tags
// purego to leave them out) that keep the pass-1 values as int16 and
// multiply-add 16 of them per instruction; their output is bit-identical
// to the Go kernels', which other CPUs (and translucent, palette and
// out-of-range-weight inputs) run.
//
// Cost, measured on a shared 2-core machine (BenchmarkFit,
// BenchmarkFitKernels, BenchmarkFitRGB): a 12 MP 4:2:0 photo to 1920×1440
// takes ≈ 10 ms of CPU with the AVX2 kernels (≈ 40× less than imaging's
// rotate + Lanczos Fit), ≈ 8× less than with the Go kernels (≈ 80 ms for
// orientation 1 and ≈ 90 ms for 6, themselves about 5× less than
// imaging), and allocates only the 4 MB output (imaging: 80 MiB). A 12 MP opaque NRGBA image (the HEIC
// decoder's output) to 1920×1440 YCbCr takes ≈ 30 ms of CPU with the AVX2
// kernels, ≈ 5× less than with the Go kernels (≈ 170 ms, 2.0–2.3× less
// than imaging's orientation copy + Lanczos Fit, 2.2–2.5× for orientation
// 6), and allocates only the 4 MB output. With the Go kernels an A4 300
// dpi RGBA scan takes ≈ 130 ms (2.2× less than imaging); with
// transparency, into NRGBA, ≈ 180 ms (2×).
//
// [Stream] computes the same output from a planar source whose rows arrive
// in order in bands (a streaming decoder's window): each band yields the
// output rows (or, for orientations 5..8, columns) whose source rows are all
// in, and the stream reports the first source row it still needs.
//
// Orientation values follow EXIF (and imaging / ImageMagick -auto-orient):
//
//	1 identity            5 transpose
//	2 flip horizontal     6 rotate 90° clockwise
//	3 rotate 180°         7 transverse
//	4 flip vertical       8 rotate 90° counter-clockwise
//
// Values 5..8 swap the axes: an image stored w×h is displayed h×w.
package resize
