//go:build !race

package jpegenc

// raceEnabled reports a -race build: sync.Pool then drops items at random,
// so allocation counts are meaningless.
const raceEnabled = false
