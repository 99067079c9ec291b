// Package govips compares the mediaprep pipeline with libvips called in
// process through github.com/davidbyttow/govips, on the benchmark corpus.
//
// It is a module of its own, so that the mediaprep library and its
// `go test ./...` never need cgo or libvips: this folder has its own
// go.mod, which the main module's ./... does not descend into. It needs
// libvips headers and pkg-config (Debian: apt-get install libvips-dev
// pkg-config) and CGO_ENABLED=1. See README.md for the command.
//
// [Thumbnail] is libvips's fastest path to the same payload as
// preprocess.PrepareBytes with ForceReencode: thumbnail with shrink-on-load
// and EXIF auto-rotation, JPEG export. BenchmarkVsGovips runs both
// alternately in one process on each corpus image.
package govips
