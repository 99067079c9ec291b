// Package hostiletest holds the cross-package hostile-input tests of
// mediaprep: decompression and dimension bombs run through the public API in
// a subprocess whose peak RSS and wall time are measured and bounded, a
// no-panic sweep that feeds every fixture and fuzz seed of the module
// (whole and truncated at every 1/16th of its length) to every parser of
// untrusted bytes, a check that nothing is written under a read-only $HOME,
// $XDG_CONFIG_HOME, $XDG_CACHE_HOME or $TMPDIR, and goroutine-leak checks
// of preprocess after errors, cancellations and timeouts.
//
// The package has no non-test code: everything lives in _test.go files, and
// the bombs are generated in memory by the tests (bombs_gen_test.go) rather
// than committed. Run it with the HEIC decoder's build tags:
//
//	GOFLAGS=-tags=wasm2go,nodynamic go test ./internal/hostiletest
//
// -short skips the bomb subprocesses; the plain `go test -race ./...` that
// CI runs includes them (a reduced set under -race, see race_on_test.go).
package hostiletest
