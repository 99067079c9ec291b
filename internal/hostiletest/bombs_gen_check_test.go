package hostiletest

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/mediaprep/mediaprep/pdf"
)

// TestBombGeneratorsWellFormed checks each generator at a harmless size:
// the small versions must decode (or trim) cleanly, so that the big ones
// are refused for their size and not because the generator wrote broken
// bytes.
func TestBombGeneratorsWellFormed(t *testing.T) {
	t.Run("png", func(t *testing.T) {
		img, err := png.Decode(bytes.NewReader(pngZlibBomb(33, 17, 17*(1+4*33))))
		if err != nil || img.Bounds().Dx() != 33 || img.Bounds().Dy() != 17 {
			t.Fatalf("got %v, %v", img, err)
		}
		if _, err := png.Decode(bytes.NewReader(pngZlibBomb(33, 17, 1<<20))); err == nil {
			t.Fatal("PNG with a 1 MiB tail after the rows decoded without error")
		}
	})
	t.Run("jpeg_scans", func(t *testing.T) {
		for _, sz := range [][2]int{{8, 8}, {100, 60}, {1030, 1030}} {
			img, err := jpeg.Decode(bytes.NewReader(jpegScanBomb(sz[0], sz[1], 20)))
			if err != nil {
				t.Fatalf("%v: %v", sz, err)
			}
			if b := img.Bounds(); b.Dx() != sz[0] || b.Dy() != sz[1] {
				t.Fatalf("%v: decoded %v", sz, b)
			}
		}
	})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		data []byte
		want error // nil: trims fine
	}{
		{"pages_3_empty", pdfManyPages(3, 3), pdf.ErrAllEmpty},
		{"page_dag_2", pdfPageDAG(1, 2), nil},
		{"nested_arrays_3", pdfNested(3, "[", "]"), nil},
		{"nested_dicts_3", pdfNested(3, "<</A", ">>"), nil},
		{"content_1KiB", pdfHugeContent(1<<10, false), pdf.ErrAllEmpty},
		{"content_2x_1KiB", pdfHugeContent(1<<10, true), pdf.ErrAllEmpty},
		{"objstm", pdfObjStmBomb(3, 0), nil},
		{"objstm_pad_1KiB", pdfObjStmBomb(3, 1<<10), nil},
	} {
		t.Run("pdf_"+c.name, func(t *testing.T) {
			_, err := pdf.Trim(ctx, c.data, nil)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Trim: %v, want %v", err, c.want)
			}
		})
	}
}
