package preprocess

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestStreamedJPEGMatchesWholeImage: the streamed decode-and-fit gives the
// same payload, byte for byte, as decoding the whole image and fitting it,
// for every JPEG fixture, orientation and size the stream takes.
func TestStreamedJPEGMatchesWholeImage(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.jpg"))
	if err != nil || len(files) == 0 {
		t.Fatal("no JPEG fixtures", err)
	}
	ctx := context.Background()
	streamed := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, side := range []int{1920, 333, 61} {
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(file), side), func(t *testing.T) {
				opts := &Options{MaxSide: side, ForceReencode: true}
				ro, err := opts.resolve()
				if err != nil {
					t.Fatal(err)
				}
				hdr, err := readHeader(JPEG, data, ro.MaxPixels)
				if err == nil && jpegBaseline(data) {
					scale := decodeScale(JPEG, data, hdr, side)
					_, _, _, ok, err := streamJPEG(ctx, data, hdr.orientation, scale, &ro)
					if err != nil {
						t.Fatalf("streamJPEG: %v", err)
					}
					if ok {
						streamed++
					}
				}
				got, gerr := PrepareBytes(ctx, data, opts)
				streamJPEGs = false
				want, werr := PrepareBytes(ctx, data, opts)
				streamJPEGs = true
				if fmt.Sprint(gerr) != fmt.Sprint(werr) {
					t.Fatalf("error %v, whole-image path %v", gerr, werr)
				}
				if werr != nil {
					return
				}
				if !bytes.Equal(got.Data, want.Data) || got.Width != want.Width || got.Height != want.Height || got.DecodeScale != want.DecodeScale {
					t.Errorf("streamed %dx%d scale %d %d bytes, whole-image %dx%d scale %d %d bytes",
						got.Width, got.Height, got.DecodeScale, len(got.Data), want.Width, want.Height, want.DecodeScale, len(want.Data))
				}
			})
		}
	}
	if streamed < 10 {
		t.Errorf("only %d cases took the streamed path", streamed)
	}
}
