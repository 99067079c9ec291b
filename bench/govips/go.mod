module github.com/mediaprep/mediaprep/bench/govips

go 1.26.0

replace github.com/mediaprep/mediaprep => ../..

require (
	github.com/davidbyttow/govips/v2 v2.16.0
	github.com/mediaprep/mediaprep v0.0.0-00010101000000-000000000000
)

require (
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/ebitengine/purego v0.10.1 // indirect
	github.com/gen2brain/heic v0.7.1 // indirect
	github.com/hhrutter/tiff v1.0.6 // indirect
	github.com/mattn/go-runewidth v0.0.31 // indirect
	github.com/pdfcpu/pdfcpu v0.15.0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.54.0 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
