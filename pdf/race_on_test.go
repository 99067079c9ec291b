//go:build race

package pdf

// raceEnabled reports that the race detector is on: the heaviest legit
// inputs are then scaled down to keep the package's tests fast.
const raceEnabled = true
