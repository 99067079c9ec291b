//go:build wasm2go

package heif

// backend: gen2brain/heic runs the decoder as Go code transpiled by wasm2go.
const backend = "wasm2go"
