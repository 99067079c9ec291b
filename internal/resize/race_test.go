//go:build race

package resize

// raceEnabled reports whether the race detector is on; it makes sync.Pool
// drop items at random, so allocation guards are skipped under it.
const raceEnabled = true
