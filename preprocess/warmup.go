package preprocess

import (
	"context"

	"github.com/mediaprep/mediaprep/internal/heif"
)

// Warmup pays, once per process, the first-use cost of the decoders that
// have one, so that a server can do it at start-up rather than on its first
// request: today the embedded HEIC decoder that takes the files the native
// HEVC decoder refuses (2–15 ms with -tags wasm2go; 0.15–0.8 s and 25 MB
// under wazero without it); the native decoder has no first-use cost.
// Calling it is optional; Prepare warms up on first use otherwise. Safe to
// call many times and concurrently; later calls return at once.
func Warmup(ctx context.Context) error {
	return heif.Warmup(ctx)
}
