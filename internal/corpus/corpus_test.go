package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestDirFromEnv(t *testing.T) {
	t.Setenv(Env, "/nonexistent/corpus")
	if got := Dir(); got != "/nonexistent/corpus" {
		t.Fatalf("Dir() = %q", got)
	}
	if _, err := ReadFile("a.jpg"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile of a missing corpus: %v", err)
	}
}

func TestDirBesideModule(t *testing.T) {
	root := t.TempDir()
	mod := filepath.Join(root, "repo")
	pkg := filepath.Join(mod, "a", "b")
	for _, d := range []string{pkg, filepath.Join(root, "shared", "corpus")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(Env, "")
	t.Chdir(pkg)
	want := filepath.Join(mod, "..", "shared", "corpus")
	if got := Dir(); got != want {
		t.Fatalf("Dir() = %q, want %q", got, want)
	}
	if err := os.Remove(filepath.Join(root, "shared", "corpus")); err != nil {
		t.Fatal(err)
	}
	if got := Dir(); got != "" {
		t.Fatalf("Dir() without a corpus = %q, want \"\"", got)
	}
}
