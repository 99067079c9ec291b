package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

func init() {
	commands["demo"] = command{
		summary: "prepare and upload samples into an in-process fake of the API (no account needed)",
		run:     runDemo,
	}
}

// demoSamples are the testdata files `mediaprep demo` uses by default: a
// rotated phone-sized JPEG, a JPEG that passes through, a PNG with alpha, a
// WebP with EXIF rotation, a HEIC with an irot transform and a PDF with
// empty pages.
var demoSamples = []string{
	"orient6_2400x1800.jpg",
	"small_640x480.jpg",
	"png_rgba.png",
	"webp_exif_orient6.webp",
	"heic/irot90.heic",
	"pdf/kinds.pdf",
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pf pipelineFlags
	pf.register(fs)
	mediaCtx := fs.String("context", "document-front", "media context of every upload")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s demo [FILE...]\n\nWithout FILE, uploads the samples in testdata/ (run from the repository root).\n", programName)
		fs.PrintDefaults()
	}
	opts, code, ok := pf.parse(fs, args, stderr)
	if !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		dir, err := findTestdata()
		if err != nil {
			fmt.Fprintf(stderr, "%s demo: %v\n", programName, err)
			return exitUsage
		}
		for _, s := range demoSamples {
			files = append(files, filepath.Join(dir, s))
		}
	}

	srv := uploadtest.NewServer(nil)
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Fprintf(stderr, "%s demo: %v\n", programName, err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "fake Veriff API at %s, session %s\n", srv.URL, srv.SessionID)
	code = uploadFiles(ctx, client, srv.SessionID, *mediaCtx, true, files, opts, stdout, stderr)
	fmt.Fprintf(stderr, "the fake accepted %d of %d files; session submitted: %v\n",
		len(srv.Media(srv.SessionID)), len(files), srv.Submitted(srv.SessionID))
	return code
}

// findTestdata finds the repository's testdata folder from the working
// directory or one of its parents.
func findTestdata() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		td := filepath.Join(dir, "testdata")
		if _, err := os.Stat(filepath.Join(td, demoSamples[0])); err == nil {
			if rel, err := filepath.Rel(mustGetwd(), td); err == nil {
				return rel, nil
			}
			return td, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no samples found: run from the mediaprep repository or pass FILE arguments")
		}
		dir = parent
	}
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}
