//go:build race

package uploadtest

// raceEnabled is true under -race, where a 24 MB JSON parse takes seconds.
const raceEnabled = true
