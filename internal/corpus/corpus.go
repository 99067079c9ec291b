// Package corpus locates the shared corpus of real photos and scans that
// benchmarks (and a few corpus-only checks) read. The corpus lives outside
// the repository, so every user of this package must skip without it.
package corpus

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Env is the environment variable that overrides where the corpus is.
const Env = "MEDIAPREP_CORPUS"

// Dir returns $MEDIAPREP_CORPUS when it is set (whether or not it exists,
// so that setting it to a missing folder turns the corpus off), else
// ../shared/corpus beside the root of the module that contains the working
// directory when that folder exists, else "".
func Dir() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, "..", "shared", "corpus")
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				return c
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the path of a corpus file, or an error matching
// fs.ErrNotExist when there is no corpus.
func Path(name string) (string, error) {
	dir := Dir()
	if dir == "" {
		return "", fmt.Errorf("corpus: not found (set %s): %w", Env, fs.ErrNotExist)
	}
	return filepath.Join(dir, name), nil
}

// ReadFile reads a corpus file; the error matches fs.ErrNotExist when the
// corpus or the file is missing.
func ReadFile(name string) ([]byte, error) {
	p, err := Path(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}
