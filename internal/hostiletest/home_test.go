package hostiletest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/preprocess"
)

// homeFixtures are run by the read-only-$HOME child: every input family
// (PDF through pdfcpu, HEIC through the WebAssembly decoder, the image
// decoders and the JPEG encoder), all forced through re-encoding.
var homeFixtures = []string{
	"pdf/kinds.pdf",
	"pdf/scan.pdf",
	"pdf/enc_nouser.pdf",
	"heic/plain.heic",
	"heic/irot90.heic",
	"heic/grid.heic",
	"photo_2400x1800.jpg",
	"orientation_6.jpg",
	"jpeg_progressive.jpg",
	"small_640x480.png",
	"webp_lossy.webp",
	"webp_lossless_alpha.webp",
	"image.tiff",
	"image.gif",
	"image.bmp",
}

// TestNoWritesOutsideCaller runs Prepare over PDF, HEIC and image fixtures
// in a child process whose $HOME, $XDG_CONFIG_HOME, $XDG_CACHE_HOME,
// $TMPDIR and working directory are fresh read-only (0555) directories,
// and checks that every call succeeds and that all of them stay empty:
// the library writes nothing the caller did not ask for (pdfcpu's config
// directory, decoder caches, temporary files).
func TestNoWritesOutsideCaller(t *testing.T) {
	root := repoRoot(t)
	var spec childSpec
	if os.Getuid() == 0 {
		// root ignores permission bits: run the child as nobody, from a
		// copy of the test binary that nobody can execute, so that a write
		// fails as it would for a service account (and the emptiness check
		// below catches it either way).
		spec = asNobody(t)
	}
	dirs := map[string]string{}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TMPDIR", "cwd"} {
		d := t.TempDir()
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(d, 0o755) })
		dirs[k] = d
	}
	env := []string{"GOCOVERDIR=", "XDG_DATA_HOME=" + dirs["HOME"]}
	for k, d := range dirs {
		if k != "cwd" {
			env = append(env, k+"="+d)
		}
	}
	spec.dir = dirs["cwd"]
	r := runChildAs(t, spec, "home", filepath.Join(root, "testdata"), 120*time.Second, env...)
	if r.killed || r.res.Err != "" || r.res.Panic != "" || r.res.Dur == 0 {
		t.Fatalf("child failed (killed=%v, %v): %s %s\n%s", r.killed, r.exitErr, r.res.Err, r.res.Panic, tail(r.output, 3000))
	}
	t.Logf("prepared %d fixtures in %.1fs, peak RSS %s", len(homeFixtures), r.res.Dur, mib(r.maxRSS))
	for k, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != d {
				t.Errorf("%s (%s) was written: %s", k, d, p)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
}

// runHomeChild is the child side of TestNoWritesOutsideCaller: it
// prepares every homeFixture from testdata (streaming them through
// Prepare, re-encoding images) and prints the first failure, if any.
func runHomeChild(testdata string) int {
	var res childResult
	start := time.Now()
	for _, f := range homeFixtures {
		data, err := os.ReadFile(filepath.Join(testdata, f))
		if err != nil {
			res.Err = err.Error()
			break
		}
		opts := &preprocess.Options{ForceReencode: true, MaxSide: 800}
		p, err := preprocess.Prepare(context.Background(), bytes.NewReader(data), opts)
		if err != nil {
			res.Err = fmt.Sprintf("%s: %v", f, err)
			break
		}
		if len(p.Data) == 0 || (!strings.HasPrefix(p.MIMEType, "image/") && p.MIMEType != "application/pdf") {
			res.Err = fmt.Sprintf("%s: bad payload %q, %d bytes", f, p.MIMEType, len(p.Data))
			break
		}
		res.Out += len(p.Data)
	}
	res.Dur = time.Since(start).Seconds()
	printResult(res)
	return 0
}

// asNobody returns a childSpec that runs a world-executable copy of the
// test binary as the user nobody (65534), or skips the enforcement part
// (by returning an empty spec) when that is not possible.
func asNobody(t *testing.T) childSpec {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "hostiletest.test")
	exe, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("running the child as nobody from %s", bin)
	return childSpec{bin: bin, attr: &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}}
}
