//go:build race

package heif

// raceEnabled: the race detector slows the decoder about tenfold.
const raceEnabled = true
