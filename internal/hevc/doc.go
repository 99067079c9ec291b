// Package hevc decodes the still pictures inside HEIC files: HEVC (ITU-T
// H.265) Main and Main Still Picture intra pictures, 8-bit 4:2:0 or 4:0:0,
// in pure Go, so that mediaprep needs neither cgo nor a WebAssembly runtime
// for HEIC. Streams using anything else (P/B slices, other bit depths or
// chroma formats, range and other extensions, tiles, dependent slice
// segments) are refused with ErrUnsupported so that callers can fall back
// to another decoder; accepted streams are decoded bit-exactly as the
// standard specifies (a decoder has no freedom: ffmpeg and libde265 give
// the same planes, and so must we).
//
// # Stages
//
// [Decode] and [DecodeAnnexB] split the NAL units (nal.go, bitreader.go:
// emulation prevention removed, entry points translated), parse the
// parameter sets and slice headers (params.go, vui.go, scaling_list.go,
// slice_header.go), allocate one frame whose planes are padded to whole
// CTBs (frame.go; the pixel limit is checked first), then for each slice
// segment run the syntax stage: the CABAC engine (cabac.go, contexts.go),
// slice_segment_data down to coding units and transform units
// (slice_data.go, coding_unit.go) and residual_coding (residual.go). Every
// transform block is predicted (intra.go) and reconstructed (transform.go)
// as soon as it is parsed, since the next block predicts from it. The
// syntax stage records per 4x4 block what the in-loop filters need (edges,
// QP, no-filter flags) and per CTB the SAO parameters; once every CTB is
// decoded, deblocking (deblock.go) and SAO (sao.go) run over the picture.
//
// # Parallelism
//
// With wavefront parallel processing (entropy_coding_sync_enabled_flag,
// x265's and libheif's default) every CTB row is its own CABAC substream:
// wpp.go decodes rows on Options.Workers goroutines, each CTB starting once
// the row above has finished the CTB above and to the right. The filters
// split the picture into CTB rows. Pictures without WPP decode serially (a
// HEIC grid's tiles are decoded in parallel by the caller instead).
//
// # Speed
//
// The hot loops are residual_coding (about 60 % of a decode: a CABAC bin
// costs a dependency chain, kept in registers), the inverse DCT, planar
// prediction and SAO, the last three with AVX2 kernels in Go assembly
// chosen at run time and bit-identical to their Go versions (`-tags
// purego` and other architectures use the Go code). A 12 MP picture
// (4032x3024, 2.2 MB) takes about 0.2 s of CPU on one core of the 2-core
// benchmark machine and about 2.3 bytes of memory per luma sample.
//
// # Testing
//
// testdata holds about a hundred small streams made by x265 and libheif
// with every feature the decoder accepts, and the MD5 of each plane as
// ffmpeg and libde265 decode it (conformance_test.go); the decoder matches
// all of them with one and several workers. Each stage is also tested
// alone against a literal transcription of the standard's equations, the
// entropy decoder against an independent CABAC encoder written in the
// tests, and fuzz targets cover the headers, slice data and whole streams.
package hevc
