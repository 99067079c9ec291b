// Package jpegenc encodes *image.YCbCr and *image.Gray images as baseline
// JPEG several times faster than image/jpeg, at the same quality.
//
// It is the hot path of mediaprep's encode stage: the resampler hands it the
// YCbCr planes it produced, and jpegenc writes them with the matching
// sampling factors (4:4:4, 4:4:0, 4:2:2, 4:2:0, 4:1:1 or 4:1:0) without
// converting or re-subsampling anything.
//
// The output uses exactly image/jpeg's quantisation tables and quality
// scaling, the same forward DCT and rounding and the same header layout,
// so for the images that image/jpeg encodes natively (4:2:0 YCbCr, also at
// an odd Rect.Min, and Gray) the output is byte for byte image/jpeg's at
// the same quality, with any number of workers. Like image/jpeg it writes
// no JFIF APP0 unless asked (Options.JFIF).
// The speed (5-7× image/jpeg on one core with AVX2, 3-4× without, more
// with Workers) comes from running the DCT straight on the planes,
// quantising with reciprocal multiplies fused into the DCT's row pass
// (generated, fully unrolled code; on amd64 with AVX2 a generated assembly
// kernel does the whole DCT, quantisation and zig-zag reordering of a block
// in 8-lane vectors, bit-identical to the Go code, which -tags purego
// selects), a 64-bit bit writer with word-at-a-time 0xFF stuffing, zero-run
// skipping over a bitmask of non-zero coefficients, and coding stripes of
// MCU rows on several cores. Each stripe worker recomputes its DC
// predictors from the previous stripe's last MCU and writes a raw
// (unstuffed) bit stream; one sequential pass splices the streams at the
// bit level with 0xFF stuffing, 8 bytes per step, so the stripes cost no
// restart markers and no output bytes.
//
// Optionally (Options.OptimizeHuffman) the Huffman tables are computed for
// the image (ITU T.81 Annex K.2), which makes the output several percent
// smaller for some extra time and memory.
package jpegenc

//go:generate go run gen_quantize.go
//go:generate go run gen_fdct.go
