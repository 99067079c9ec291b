package preprocess

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mediaprep/mediaprep/internal/jpegdec"
	"github.com/mediaprep/mediaprep/internal/resize"
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
				if scale := decodeScale(JPEG, data, hdr, side); err == nil && jpegBaseline(data) && downscales(hdr, scale, side) {
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

// TestStreamedReservation: the Limiter reservation of a streamed JPEG
// covers the decoder's real window, is a fraction of the whole-image one,
// and a streamed file that fails part-way (falling back to the whole-image
// path) trades it for a full reservation and returns everything.
func TestStreamedReservation(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "photo_2400x1800.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []int{1920, 1000, 333, 61} {
		hdr, err := readHeader(JPEG, data, DefaultMaxPixels)
		if err != nil {
			t.Fatal(err)
		}
		scale := decodeScale(JPEG, data, hdr, side)
		if !downscales(hdr, scale, side) {
			t.Fatalf("side %d: no downscale", side)
		}
		s, err := jpegdec.NewStream(data, &jpegdec.Options{Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Bounds()
		for o := 1; o <= 8; o++ {
			W, H := resize.FitSize(b.Dx(), b.Dy(), o, side)
			rs, err := resize.NewStream(b.Dx(), b.Dy(), s.Gray(), s.SubsampleRatio(), o, W, H)
			if err != nil {
				t.Fatal(err)
			}
			mcu, span := s.MCURows(), rs.Span()
			band := max(8*mcu, 2*span) // as streamJPEG
			window := int64(s.WindowBytes(2*band + span + mcu))
			rs.Close()
			out := 2 * 4 * min(int64(side)*int64(side), int64(hdr.width)*int64(hdr.height))
			est, whole := workingSet(hdr, scale, side, true)-out, workingSet(hdr, scale, side, false)-out
			if est < window {
				t.Errorf("side %d orientation %d: reserved %d bytes for a %d-byte window", side, o, est, window)
			}
			if side == 1920 && 3*est > whole {
				t.Errorf("side %d: streamed reservation %d is not well below the whole image's %d", side, est, whole)
			}
		}
	}

	lim := NewLimiter(64 << 20)
	opts := &Options{Limiter: lim, ForceReencode: true, MaxSide: 333}
	_, err = PrepareBytes(context.Background(), data[:len(data)*3/5], opts)
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated streamed JPEG: %v", err)
	}
	if n := lim.InUse(); n != 0 {
		t.Errorf("%d bytes still reserved after a fallback", n)
	}
	if _, err := PrepareBytes(context.Background(), data, opts); err != nil {
		t.Fatal(err)
	}
	if n := lim.InUse(); n != 0 {
		t.Errorf("%d bytes still reserved", n)
	}
}
