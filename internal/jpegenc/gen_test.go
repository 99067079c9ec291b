package jpegenc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate runs each go:generate program in a scratch
// folder and compares its output with the committed file, so that an edit
// to a generator (or to the generated file by hand) cannot go unnoticed.
func TestGeneratedFilesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, c := range []struct{ gen, out string }{
		{"gen_fdct.go", "fdct_amd64.s"},
		{"gen_quantize.go", "quantize_unrolled.go"},
	} {
		t.Run(c.gen, func(t *testing.T) {
			src, err := os.ReadFile(c.gen)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, c.gen), src, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goCmd, "run", c.gen)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go run %s: %v\n%s", c.gen, err, out)
			}
			got, err := os.ReadFile(filepath.Join(dir, c.out))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(c.out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is not what %s generates: run go generate ./internal/jpegenc", c.out, c.gen)
			}
		})
	}
}
