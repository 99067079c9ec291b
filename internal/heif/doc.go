// Package heif decodes HEIC photos (single images and the 512-px tile grids
// iPhones write) with the HEIF transforms (irot rotation, imir mirroring,
// clap cropping) applied exactly once, and reads their headers with a small
// bounded parser of its own.
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
// # Pixels
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
// # Limits and concurrency
//
// Images over [MaxPixels] (after tiles are counted) are refused from the
// header with [ErrTooLarge] before any pixel memory is allocated. All
// functions are safe for concurrent use; at most [MaxConcurrent] decodes run
// at once (peak RSS measured: 0.48 GB for one 12 MP decode, 0.6 GB for two
// at once) and further callers wait, giving up when their context ends.
package heif
