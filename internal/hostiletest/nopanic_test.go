package hostiletest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mediaprep/mediaprep/internal/exif"
	"github.com/mediaprep/mediaprep/internal/heif"
	"github.com/mediaprep/mediaprep/internal/jpegdec"
	"github.com/mediaprep/mediaprep/pdf"
	"github.com/mediaprep/mediaprep/preprocess"
)

// sweepMaxFile is the largest file whose every 1/16th cut is swept;
// larger ones get only the whole file and the cuts at 1/4, 1/2, 3/4.
const sweepMaxFile = 1 << 20

// sweepInput is one input of the sweep.
type sweepInput struct {
	name string // path relative to the module root (+ "#n" for the n-th fuzz value)
	data []byte
}

// sweepInputs returns every file under every testdata directory of the
// module (fixtures and the testdata/fuzz corpora, whose []byte and string
// values are decoded), in a stable order.
func sweepInputs(t *testing.T) []sweepInput {
	t.Helper()
	root := repoRoot(t)
	var ins []sweepInput
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.Contains(filepath.ToSlash(rel)+"/", "testdata/") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(filepath.ToSlash(rel), "testdata/fuzz/") {
			vals, err := fuzzValues(data)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			for i, v := range vals {
				ins = append(ins, sweepInput{fmt.Sprintf("%s#%d", rel, i), v})
			}
			return nil
		}
		ins = append(ins, sweepInput{rel, data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

// fuzzValues decodes the []byte and string values of a file in the
// "go test fuzz v1" corpus format (other values are skipped).
func fuzzValues(b []byte) ([][]byte, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<20)
	if !sc.Scan() || sc.Text() != "go test fuzz v1" {
		return nil, errors.New("not a go test fuzz v1 file")
	}
	var vals [][]byte
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		for _, p := range []string{"[]byte(", "string("} {
			if s, ok := strings.CutPrefix(line, p); ok && strings.HasSuffix(s, ")") {
				v, err := strconv.Unquote(s[:len(s)-1])
				if err != nil {
					return vals, fmt.Errorf("bad value %.40q: %v", line, err)
				}
				vals = append(vals, []byte(v))
			}
		}
	}
	return vals, sc.Err()
}

// cuts returns the lengths data is truncated to: every 1/16th of its
// length (the last is the whole input), fewer for big files.
func cuts(n int) []int {
	den, ks := 16, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	if n > sweepMaxFile {
		den, ks = 4, []int{1, 2, 3, 4}
	}
	var out []int
	for _, k := range ks {
		c := n * k / den
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	return out
}

// sweepOpts keeps the work per input small: images are fitted to 64 px in
// a 64 KB budget, and nothing over 2 MP is decoded.
var sweepOpts = &preprocess.Options{MaxSide: 64, MaxBase64: 64 << 10, MaxPixels: 1 << 21, MaxInputBytes: 8 << 20}

// TestNoPanicSweep feeds every fixture and fuzz seed of the module, whole
// and truncated at every 1/16th of its length, to every parser of
// untrusted bytes of the library: preprocess.Sniff and PrepareBytes,
// pdf.Trim (PDFs), heif.Parse, exif.Parse/FromJPEG/FromPNG/FromWebP and
// jpegdec.Decode. No call may panic (a recover guard reports it with the
// input), and every error must match a documented sentinel of the
// function called.
func TestNoPanicSweep(t *testing.T) {
	ins := sweepInputs(t)
	if len(ins) < 100 {
		t.Fatalf("only %d inputs found under testdata: wrong root?", len(ins))
	}
	calls := 0
	for _, in := range ins {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			for _, n := range cuts(len(in.data)) {
				// A copy whose capacity ends at the cut, so that a read past
				// the end cannot see the rest of the file.
				data := bytes.Clone(in.data[:n])
				for _, c := range sweepCalls {
					if !c.applies(data) {
						continue
					}
					err := guard(func() error { return c.fn(data) })
					var p *panicError
					switch {
					case errors.As(err, &p):
						t.Errorf("%s on %d/%d bytes: %v", c.name, n, len(in.data), err)
					case err != nil && !c.documented(err):
						t.Errorf("%s on %d/%d bytes: undocumented error %v", c.name, n, len(in.data), err)
					}
				}
			}
		})
		calls += len(cuts(len(in.data)))
	}
	t.Logf("%d inputs, %d truncations, %d parsers", len(ins), calls, len(sweepCalls))
}

// sweepCall is one parser of untrusted bytes under the sweep.
type sweepCall struct {
	name       string
	applies    func([]byte) bool
	fn         func([]byte) error
	documented func(error) bool
}

func always([]byte) bool { return true }

// isAny returns a documented check matching any of errs.
func isAny(errs ...error) func(error) bool {
	return func(err error) bool {
		for _, e := range errs {
			if errors.Is(err, e) {
				return true
			}
		}
		return false
	}
}

var exifErrs = isAny(exif.ErrMalformed)

var sweepCalls = []sweepCall{
	{"preprocess.Sniff", always, func(b []byte) error {
		_, err := preprocess.Sniff(b[:min(len(b), preprocess.SniffLen)])
		return err
	}, isAny(preprocess.ErrUnsupportedFormat)},
	{"preprocess.PrepareBytes", always, func(b []byte) error {
		_, err := preprocess.PrepareBytes(context.Background(), b, sweepOpts)
		return err
	}, documented},
	{"pdf.Trim", func(b []byte) bool { return bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) }, func(b []byte) error {
		// A small budget and FitImages: the image re-encoding path too.
		_, err := pdf.Trim(context.Background(), b, &pdf.Options{MaxBytes: 32 << 10, FitImages: true, MaxImageSide: 64})
		return err
	}, isAny(pdf.ErrEncrypted, pdf.ErrCorrupt, pdf.ErrNoPages, pdf.ErrAllEmpty, pdf.ErrBudget, pdf.ErrTooLarge)},
	{"heif.Parse", always, func(b []byte) error { _, err := heif.Parse(b); return err },
		isAny(heif.ErrCorrupt, heif.ErrUnsupported, heif.ErrTooLarge)},
	{"exif.Parse", always, func(b []byte) error { _, err := exif.Parse(b); return err }, exifErrs},
	{"exif.FromJPEG", always, func(b []byte) error { _, err := exif.FromJPEG(b); return err }, exifErrs},
	{"exif.FromPNG", always, func(b []byte) error { _, err := exif.FromPNG(b); return err }, exifErrs},
	{"exif.FromWebP", always, func(b []byte) error { _, err := exif.FromWebP(b); return err }, exifErrs},
	{"jpegdec.Decode", func(b []byte) bool { return bytes.HasPrefix(b, []byte{0xFF, 0xD8}) }, func(b []byte) error {
		_, err := jpegdec.Decode(b, &jpegdec.Options{Scale: 8, MaxPixels: 1 << 22})
		return err
	}, isAny(jpegdec.ErrUnsupported, jpegdec.ErrCorrupt, jpegdec.ErrTooLarge)},
}

// panicError is a panic caught by guard.
type panicError struct{ v any }

func (p *panicError) Error() string { return fmt.Sprintf("PANIC: %v", p.v) }

// guard runs f, turning a panic into a *panicError.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{v}
		}
	}()
	return f()
}
