// Package heif decodes HEIC photos (single images and the 512-px tile grids
// iPhones write) with the HEIF transforms (irot rotation, imir mirroring,
// clap cropping) applied exactly once, and reads their headers with a small
// bounded parser of its own. [DecodeNative] decodes with this module's own
// pure-Go HEVC decoder; [Decode] with gen2brain/heic's embedded one, for
// the files DecodeNative refuses.
//
// # Header
//
// [Parse] and [DecodeConfig] read only the ISOBMFF boxes (ftyp, meta with
// hdlr, pitm, iinf, iref, iprp/ipco/ipma). They never run the codec, never
// copy the input, allocate only in proportion to the boxes actually present
// (never to a declared count or size) and refuse a meta box larger than
// [MaxMetaSize]. They report the stored size (ispe) and the size after the
// transforms.
//
// # Pixels, natively
//
// [DecodeNative] is the fast path: it hands the primary item's HEVC stream
// (or each grid tile's) to internal/hevc, a pure-Go HEVC intra decoder,
// and returns the stored picture with clap applied but irot/imir left to
// the caller as an EXIF orientation (1..8), so a resampler can rotate while
// it scales. Full-range BT.601 pictures (colr nclx, else the SPS VUI; what
// libheif and iPhones write) come back as *image.YCbCr 4:2:0 sharing the
// decoder's planes, so no RGB image is ever made; other matrices and
// limited range are converted to *image.NRGBA exactly as libheif 1.15 does
// (heif-convert's output, to the last bit, on every fixture), 4:0:0 is
// *image.Gray. A 12 MP single frame costs about 0.23 s of CPU (both cores:
// WPP rows decode in parallel) and 22 MB, 3.3 MB when [DecodeNativeBuf]
// is handed the previous image's buffer to decode into; a 512-px grid
// decodes its tiles on min(GOMAXPROCS, 4) goroutines. What it does not take (alpha, 10-bit,
// 4:2:2/4:4:4, HEVC tiles, clap after a rotation, tiles of different
// sizes, ...) it refuses with [ErrUnsupported]: the caller then uses
// [Decode].
//
// # Pixels, embedded WebAssembly
//
// [Decode] runs github.com/gen2brain/heic v0.7.1: a pure-Rust HEVC/HEIF
// decoder compiled to WebAssembly. It applies irot/imir itself (verified
// against libheif by the fixture tests), so this package never rotates
// pixels; the EXIF Orientation that iPhones also write must NOT be applied
// on top, and nothing here applies it. The decoder returns *image.NRGBA
// (4 bytes a pixel; it has no YCbCr output).
//
// The WebAssembly module runs either under wazero (the default) or as Go
// code transpiled by wasm2go (build tag wasm2go). Build with
// `-tags wasm2go,nodynamic`. wazero runs the decoder as machine code that
// the Go scheduler cannot preempt, so a garbage collection that starts
// while a decode runs must wait for it: with other goroutines allocating,
// stop-the-world pauses of 1.6-4.3 s were measured during 12 MP decodes
// (every goroutine of the process stands still). The transpiled code is
// ordinary Go and preemptible (pauses of 0.1-0.3 ms on a quiet machine),
// needs no compile step (Warmup 15 ms instead of 0.15-0.8 s) and decodes
// about as fast. nodynamic keeps gen2brain/heic from dlopen-ing a system
// libheif at start-up; this package never decodes with it either way
// (see the init in decode.go). [Backend] reports which backend is built in.
//
// gen2brain/heic keeps decoder instances in a sync.Pool, which the garbage
// collector empties; a fresh instance grows its WebAssembly memory again
// (about 0.5 GB of short-lived allocations and a few hundred ms for 12 MP).
//
// # Grids, tile by tile
//
// The decoder decodes a grid's tiles one after another in one instance
// whose memory grows to the whole image. Decode instead cuts a grid into
// its tiles: for each tile it builds a minimal standalone HEIF in memory
// (ftyp; meta with hdlr, pitm, iinf with one hvc1 item, iprp with the
// tile's hvcC, ispe and other properties, iloc; mdat with a copy of the
// tile's coded bytes), decodes the tiles on as many goroutines as decoder
// slots are free (each instance then needs only tile-sized memory), copies
// each tile straight to its place in the output, cropped to the grid's
// output size and with the grid's irot/imir applied in their order. The
// result is pixel-identical to the whole-file decode (tested on every
// fixture and on the corpus's 12 MP 8x6-tile grid). One rule of the
// decoder is reproduced: it converts every tile with the grid item's colr
// nclx (matrix, range) and ignores colr on the tiles, so each tile file
// carries the grid's nclx instead of its own. Grids this path does not
// handle (clap on the grid, an alpha or depth image attached, tiles of
// different sizes or with transforms, unusual descriptors or item
// locations) and any failure of a tile fall back to the whole-file decode:
// never a silently different image.
//
// Measured on the corpus's 12 MP grid (2 cores, wasm2go): 0.75 s a decode
// instead of 1.6-1.7 s when both cores are free (about 1.5 s when other
// processes hold one), 1.5 s of CPU instead of 1.6-1.9 s, 150-155 MiB peak
// RSS instead of 350 MiB in a fresh process, 255 MiB instead of 715 MiB
// with two callers at once; libvips (system libheif) takes 0.45-0.7 s. Under wazero, where a garbage collection waits for the
// running decode, the longest pause falls from 1.3-1.6 s to 30-80 ms
// (one tile). A single 12 MP HEVC frame (no grid) cannot be split: the
// decoder is single-threaded WebAssembly (CPU time equals wall time).
//
// # Limits and concurrency
//
// Images over [MaxPixels] (after tiles are counted) are refused from the
// header with [ErrTooLarge] before any pixel memory is allocated. All
// functions are safe for concurrent use; at most [MaxConcurrent] decoder
// instances decode at once (a grid's tile workers count: a grid decode
// takes the free slots when it starts) and further callers wait, giving up
// when their context ends. Peak RSS measured for a 12 MP grid: 155 MiB for
// one decode, 260-300 MiB for two callers at once (whole-file: 350 and
// 710 MiB).
package heif
