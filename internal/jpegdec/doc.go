// Package jpegdec is the fast path for decoding baseline JPEG photos into
// their native YCbCr (or gray) planes, optionally downscaled by 1/2, 1/4 or
// 1/8 in the DCT domain so that a 12–24 MP photo never exists at full size
// when the pipeline only needs a ≤1920 px result.
//
// It decodes sequential Huffman-coded 8-bit JPEGs (SOF0/SOF1) with one
// (gray) or three (YCbCr) components and the usual chroma subsamplings,
// with or without restart markers. Everything else (progressive,
// arithmetic-coded, 12-bit, lossless, CMYK/YCCK, Adobe RGB, multi-scan
// sequential) is refused with [ErrUnsupported] so that the caller can fall
// back to image/jpeg.
//
// Speed comes from a 64-bit bit reader that refills up to seven bytes at a
// time when no 0xFF is near, Huffman lookup tables that decode a code and
// its value bits in one step, reduced-size inverse DCTs for scaled output,
// skipping the IDCT for DC-only blocks, inverse DCTs in AVX2 assembly on
// amd64 (bit-identical to the portable Go ones, which are used on other
// architectures, on CPUs without AVX2 and with the purego build tag), and
// using more than one core: scans with restart markers are split at the
// markers and decoded in parallel, other scans are pipelined (entropy
// decoding on one goroutine, inverse DCT on the others).
//
// Measured on the 2-core build machines (thread CPU time, one worker,
// BenchmarkDecodeKernels): a 12 MP q92 4:2:0 photo takes about 40 ms at
// Scale 1, 34 ms at Scale 2 and 32 ms at Scale 4 with the AVX2 kernels
// (79, 60 and 51 ms with the portable ones), against about 180 ms for
// image/jpeg; entropy decoding is now about three quarters of it. A second
// worker takes most of the inverse DCT off the entropy decoder's critical
// path. See bench_test.go and idct_kernel_test.go.
//
// [Stream] decodes the same files into a window of rows instead of a whole
// image, handing each band of rows to a consumer (the resampler) that says
// which rows it still needs; with Stream.Overlap the consumer works on one
// band while the next is decoded. A 12 MP photo then needs a window of
// about 2 MB instead of 18 MB of planes, and the consumer reads rows while
// they are still in cache.
//
// At Scale 1 the output is bit-identical to image/jpeg (the same integer
// IDCT is used). At Scale 2, 4 and 8 each output pixel is the box average of
// the corresponding 2×2, 4×4 or 8×8 pixels, computed exactly in the DCT
// domain (before clamping).
//
// Input is untrusted: the decoder never panics, checks the declared pixel
// count (Options.MaxPixels) and that the entropy-coded data is long enough
// for the declared size before allocating, and reports truncation and
// corruption as [ErrCorrupt].
package jpegdec
