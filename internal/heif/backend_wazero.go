//go:build !wasm2go

package heif

// backend: gen2brain/heic runs the decoder under wazero, compiled at run time.
const backend = "wazero"
