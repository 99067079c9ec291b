package preprocess_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/pdf"
	"github.com/mediaprep/mediaprep/preprocess"
)

// FuzzPrepare feeds arbitrary bytes through the whole pipeline with small
// limits: it must never panic, every error must be one of the documented
// kinds, and every payload must be within the limits.
func FuzzPrepare(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(testdata, "*.*"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	opts := &preprocess.Options{MaxSide: 64, MaxPixels: 1 << 20, MaxBase64: 64 << 10, MaxInputBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := preprocess.PrepareBytes(context.Background(), in, opts)
		if err != nil {
			for _, k := range []error{preprocess.ErrUnsupportedFormat, preprocess.ErrTooLarge,
				preprocess.ErrTooManyPixels, preprocess.ErrCorrupt, encode.ErrBudget} {
				if errors.Is(err, k) {
					return
				}
			}
			if isPDFError(err) {
				return
			}
			t.Fatalf("undocumented error: %v", err)
		}
		if p.MIMEType == "application/pdf" {
			return
		}
		if max(p.Width, p.Height) > opts.MaxSide || p.DataURILen() > opts.MaxBase64 {
			t.Fatalf("payload outside the limits: %dx%d, %d bytes", p.Width, p.Height, p.DataURILen())
		}
	})
}

func isPDFError(err error) bool {
	for _, k := range []error{pdf.ErrEncrypted, pdf.ErrCorrupt, pdf.ErrNoPages, pdf.ErrAllEmpty, pdf.ErrBudget, pdf.ErrTooLarge} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
