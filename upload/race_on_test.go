//go:build race

package upload_test

// raceEnabled is true under -race, which slows the soak test about tenfold.
const raceEnabled = true
