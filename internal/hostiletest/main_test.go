package hostiletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/pdf"
	"github.com/mediaprep/mediaprep/preprocess"
)

// childEnv selects the child mode of the test binary: "bomb" runs one
// bomb file through the public API, "home" runs the read-only-$HOME
// workload. childArgEnv carries the argument (a file path).
const (
	childEnv    = "MEDIAPREP_HOSTILE_CHILD"
	childArgEnv = "MEDIAPREP_HOSTILE_ARG"
	resultTag   = "HOSTILE-RESULT "
)

// TestMain turns the test binary into a child process when childEnv is
// set, so that each child measures exactly one workload (its peak RSS is
// the workload's, not the accumulated test suite's).
func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "bomb":
		os.Exit(runBombChild(os.Getenv(childArgEnv)))
	case "home":
		os.Exit(runHomeChild(os.Getenv(childArgEnv)))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
}

// childResult is what a child prints on the line tagged resultTag.
type childResult struct {
	Err   string   `json:"err,omitempty"`
	Kinds []string `json:"kinds,omitempty"` // sentinels the error matches
	Dur   float64  `json:"dur_s"`           // wall time of the API call
	Out   int      `json:"out_bytes,omitempty"`
	Panic string   `json:"panic,omitempty"`
}

// sentinels are every documented error of the public API, by name.
var sentinels = []struct {
	name string
	err  error
}{
	{"preprocess.ErrUnsupportedFormat", preprocess.ErrUnsupportedFormat},
	{"preprocess.ErrTooLarge", preprocess.ErrTooLarge},
	{"preprocess.ErrTooManyPixels", preprocess.ErrTooManyPixels},
	{"preprocess.ErrCorrupt", preprocess.ErrCorrupt},
	{"preprocess.ErrInvalidOptions", preprocess.ErrInvalidOptions},
	{"encode.ErrBudget", encode.ErrBudget},
	{"pdf.ErrEncrypted", pdf.ErrEncrypted},
	{"pdf.ErrCorrupt", pdf.ErrCorrupt},
	{"pdf.ErrNoPages", pdf.ErrNoPages},
	{"pdf.ErrAllEmpty", pdf.ErrAllEmpty},
	{"pdf.ErrBudget", pdf.ErrBudget},
	{"pdf.ErrTooLarge", pdf.ErrTooLarge},
	{"context.Canceled", context.Canceled},
	{"context.DeadlineExceeded", context.DeadlineExceeded},
}

// kindsOf names the sentinels err matches.
func kindsOf(err error) []string {
	var ks []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			ks = append(ks, s.name)
		}
	}
	return ks
}

// documented reports whether err matches a sentinel of the public API
// other than a context error (the sweeps never cancel).
func documented(err error) bool {
	for _, k := range kindsOf(err) {
		if !strings.HasPrefix(k, "context.") {
			return true
		}
	}
	return false
}

// printResult writes r for the parent.
func printResult(r childResult) {
	b, _ := json.Marshal(r)
	fmt.Printf("\n%s%s\n", resultTag, b)
}

// childRun is a finished child process.
type childRun struct {
	res     childResult
	maxRSS  int64 // peak resident set size, bytes (getrusage ru_maxrss)
	wall    time.Duration
	output  string
	killed  bool // the parent killed it at the deadline
	exitErr error
}

// runChild re-executes the test binary in child mode with extra
// environment entries, kills it after timeout, and reports its peak RSS
// and result. env entries override the parent's.
func runChild(t *testing.T, mode, arg string, timeout time.Duration, env ...string) childRun {
	t.Helper()
	return runChildAs(t, childSpec{}, mode, arg, timeout, env...)
}

// childSpec says how to start a child beyond its mode and environment.
type childSpec struct {
	dir  string               // working directory ("" = the parent's)
	bin  string               // test binary to run ("" = os.Args[0])
	attr *syscall.SysProcAttr // e.g. credentials of another user
}

// runChildAs is runChild with the process details of spec.
func runChildAs(t *testing.T, spec childSpec, mode, arg string, timeout time.Duration, env ...string) childRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmp(spec.bin, os.Args[0]), "-test.run=^$")
	cmd.Dir = spec.dir
	cmd.SysProcAttr = spec.attr
	cmd.Env = mergeEnv(os.Environ(), append([]string{childEnv + "=" + mode, childArgEnv + "=" + arg}, env...))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := childRun{wall: time.Since(start), output: out.String(), exitErr: err, killed: ctx.Err() != nil}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024 // KiB on Linux
		}
	}
	for _, line := range strings.Split(r.output, "\n") {
		if s, ok := strings.CutPrefix(line, resultTag); ok {
			if err := json.Unmarshal([]byte(s), &r.res); err != nil {
				t.Fatalf("bad child result %q: %v", s, err)
			}
		}
	}
	return r
}

// mergeEnv returns base with the keys of over replaced or added.
func mergeEnv(base, over []string) []string {
	keys := map[string]bool{}
	for _, kv := range over {
		k, _, _ := strings.Cut(kv, "=")
		keys[k] = true
	}
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !keys[k] {
			env = append(env, kv)
		}
	}
	return append(env, over...)
}

// repoRoot returns the module root (two levels above this package).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	return root
}

// mib formats a byte count in MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
