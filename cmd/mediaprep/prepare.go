package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mediaprep/mediaprep/preprocess"
)

func init() {
	commands["prepare"] = command{
		summary: "prepare files for upload; print a JSON line per file, write payloads with -o",
		run:     runPrepare,
	}
}

// errOutputExists is returned when a payload would overwrite a file.
var errOutputExists = errors.New("output file exists (use -f to overwrite)")

// pipelineFlags are the flags shared by prepare, upload and demo.
type pipelineFlags struct {
	maxSide   int
	maxBase64 int
	quality   int
	reencode  bool
}

func (pf *pipelineFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&pf.maxSide, "max-side", preprocess.DefaultMaxSide, "longer side of output images, in pixels")
	fs.IntVar(&pf.maxBase64, "max-base64", 0, "budget for the whole base64 data URI, in bytes (0 = 24 MB)")
	fs.IntVar(&pf.quality, "quality", 0, "JPEG quality when re-encoding, 1..100 (0 = 90)")
	fs.BoolVar(&pf.reencode, "reencode", false, "re-encode even inputs that could pass through unchanged")
}

// parse parses args with fs, where pf was registered, and returns the
// pipeline options; when it returns ok false the command must exit with
// code (0 after -h, 2 on a usage error, already reported on stderr).
func (pf *pipelineFlags) parse(fs *flag.FlagSet, args []string, stderr io.Writer) (_ *preprocess.Options, code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK, false
		}
		return nil, exitUsage, false
	}
	opts, err := pf.options()
	if err != nil {
		fmt.Fprintf(stderr, "%s %s: %v\n", programName, fs.Name(), err)
		return nil, exitUsage, false
	}
	return opts, exitOK, true
}

func (pf *pipelineFlags) options() (*preprocess.Options, error) {
	if pf.maxSide < 1 || pf.maxBase64 < 0 || pf.quality < 0 || pf.quality > 100 {
		return nil, fmt.Errorf("out of range: -max-side %d, -max-base64 %d, -quality %d", pf.maxSide, pf.maxBase64, pf.quality)
	}
	return &preprocess.Options{
		MaxSide:       pf.maxSide,
		MaxBase64:     pf.maxBase64,
		Quality:       pf.quality,
		ForceReencode: pf.reencode,
	}, nil
}

func runPrepare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("prepare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pf pipelineFlags
	pf.register(fs)
	outDir := fs.String("o", "", "write each payload to this directory (input base name + the output format's extension)")
	force := fs.Bool("f", false, "overwrite existing output files (never an input)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s prepare [-o DIR] [-f] [-max-side N] [-max-base64 BYTES] [-quality Q] FILE...\n", programName)
		fs.PrintDefaults()
	}
	opts, code, ok := pf.parse(fs, args, stderr)
	if !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return exitUsage
	}
	if *outDir != "" {
		if fi, err := os.Stat(*outDir); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "%s prepare: -o %s: not a directory\n", programName, *outDir)
			return exitUsage
		}
	}

	w := &writer{dir: *outDir, force: *force, inputs: files, written: map[string]bool{}}
	bar := newProgress(stderr, len(files))
	code = exitOK
	for i, file := range files {
		bar.update(i, file)
		rec := prepareOne(ctx, file, opts, w)
		if rec.Error != nil {
			code = exitFailed
		}
		if err := emit(stdout, rec); err != nil {
			fmt.Fprintf(stderr, "%s prepare: %v\n", programName, err)
			return exitFailed
		}
	}
	bar.done()
	return code
}

func prepareOne(ctx context.Context, file string, opts *preprocess.Options, w *writer) *record {
	rec := &record{Input: file}
	start := time.Now()
	defer func() { rec.MS = msSince(start) }()
	p, err := prepareFile(ctx, file, opts)
	if err != nil {
		rec.fail(err)
		return rec
	}
	rec.fill(p)
	if w.dir != "" {
		out, err := w.write(file, p)
		if err != nil {
			rec.fail(err)
			return rec
		}
		rec.Output = out
	}
	return rec
}

func prepareFile(ctx context.Context, file string, opts *preprocess.Options) (*preprocess.Payload, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return preprocess.Prepare(ctx, f, opts)
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

// writer writes payloads into dir without ever overwriting an input, and an
// existing file only when force is set.
type writer struct {
	dir     string
	force   bool
	inputs  []string
	written map[string]bool // outputs of this run, so two inputs never share one
}

// extensions maps output MIME types to file extensions.
var extensions = map[string]string{
	"image/jpeg":      ".jpg",
	"image/png":       ".png",
	"image/webp":      ".webp",
	"image/heic":      ".heic",
	"application/pdf": ".pdf",
}

func (w *writer) write(input string, p *preprocess.Payload) (string, error) {
	ext, ok := extensions[p.MIMEType]
	if !ok {
		return "", fmt.Errorf("no file extension for %s", p.MIMEType)
	}
	base := filepath.Base(input)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	out := filepath.Join(w.dir, base+ext)
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	if w.written[abs] {
		return "", fmt.Errorf("%s: %w (another input of this run wrote it)", out, errOutputExists)
	}
	if w.isInput(out) {
		return "", fmt.Errorf("%s: %w (it is an input; inputs are never overwritten)", out, errOutputExists)
	}
	if err := writeFile(out, p.Data, w.force); err != nil {
		return "", err
	}
	w.written[abs] = true
	return out, nil
}

// isInput reports whether path names one of the inputs (same file, by
// inode, or same absolute path).
func (w *writer) isInput(path string) bool {
	pa, _ := filepath.Abs(path)
	st, statErr := os.Stat(path)
	for _, in := range w.inputs {
		if ia, _ := filepath.Abs(in); ia == pa {
			return true
		}
		if statErr == nil {
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return true
			}
		}
	}
	return false
}

// writeFile writes data to path. Without force it fails on an existing
// file (O_EXCL, so no race); with force it writes a temporary file and
// renames it over path, so a failed write never leaves half a file.
func writeFile(path string, data []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s: %w", path, errOutputExists)
			}
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		if err := f.Close(); err != nil {
			os.Remove(path)
			return err
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mediaprep-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
