//go:build race

package hostiletest

// raceEnabled reports that the race detector is on: the bomb test then
// runs the reduced set (no case marked heavy) and scales its RSS and time
// bounds by raceRSSFactor and raceTimeFactor, since the detector's shadow
// memory and instrumentation multiply both.
const raceEnabled = true
