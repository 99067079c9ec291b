package pdf

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const homeChildEnv = "MEDIAPREP_PDF_HOME_CHILD"

// TestNoWritesUnderHome runs Trim in a fresh process (pdfcpu's configuration
// is process-global) whose HOME and TMPDIR are new read-only directories, and
// checks that both stay empty: pdfcpu must not create its config directory.
func TestNoWritesUnderHome(t *testing.T) {
	if os.Getenv(homeChildEnv) == "1" {
		for _, f := range []string{"kinds.pdf", "scan.pdf", "enc_nouser.pdf"} {
			if _, err := Trim(context.Background(), fixture(t, f), &Options{FitImages: true}); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		t.Log("child: trimmed all fixtures")
		return
	}
	home, tmp := t.TempDir(), t.TempDir()
	for _, d := range []string{home, tmp} {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(d, 0o755) })
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "XDG_CONFIG_HOME", "TMPDIR", "GOCOVERDIR":
			continue
		}
		env = append(env, kv)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoWritesUnderHome$", "-test.v", "-test.count=1")
	cmd.Env = append(env, "HOME="+home, "TMPDIR="+tmp, homeChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "child: trimmed all fixtures") {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	for _, d := range []string{home, tmp} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("%s was written: %s", d, e.Name())
		}
	}
}
