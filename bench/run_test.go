package bench

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The test binary doubles as the child process of TestRun: with
// BENCH_HELPER_MIB set it touches that many MiB and exits, with
// BENCH_HELPER_FAIL it prints a message and fails.
func TestMain(m *testing.M) {
	if s := os.Getenv("BENCH_HELPER_MIB"); s != "" {
		n, _ := strconv.Atoi(s)
		b := make([]byte, n<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		os.Exit(int(b[len(b)/2]) - 1) // 0: keeps b alive until here
	}
	if os.Getenv("BENCH_HELPER_FAIL") != "" {
		os.Stderr.WriteString("helper: something broke\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(env string) (Usage, error) {
		t.Setenv("BENCH_HELPER_MIB", "")
		t.Setenv("BENCH_HELPER_FAIL", "")
		k, v, _ := strings.Cut(env, "=")
		t.Setenv(k, v)
		return Run(context.Background(), self, "-test.run=^$")
	}
	small, err := run("BENCH_HELPER_MIB=1")
	if err != nil {
		t.Fatal(err)
	}
	big, err := run("BENCH_HELPER_MIB=96")
	if err != nil {
		t.Fatal(err)
	}
	if big.MaxRSS < 96<<20 {
		t.Errorf("MaxRSS of a child that touched 96 MiB = %d bytes", big.MaxRSS)
	}
	// A small child's MaxRSS is at least this process's peak (FloorRSS), so
	// it can only be told from a big one while this process is small.
	if small.FloorRSS < 24<<20 && small.MaxRSS >= big.MaxRSS-64<<20 {
		t.Errorf("MaxRSS of a 1 MiB child (%d) is not far below a 96 MiB one (%d)", small.MaxRSS, big.MaxRSS)
	}
	if big.CPU <= 0 || big.Wall <= 0 {
		t.Errorf("Run = %+v, want CPU and wall time", big)
	}
	if big.FloorRSS <= 0 || big.FloorRSS > big.MaxRSS {
		t.Errorf("FloorRSS %d, MaxRSS %d: want 0 < floor ≤ max", big.FloorRSS, big.MaxRSS)
	}

	_, err = run("BENCH_HELPER_FAIL=1")
	if err == nil || !strings.Contains(err.Error(), "something broke") {
		t.Errorf("Run of a failing child: err = %v, want its output in the error", err)
	}
	if _, err := Run(context.Background(), "/nonexistent/bench-tool"); err == nil {
		t.Error("Run of a missing program returned nil")
	}
}

func TestSelfMaxRSS(t *testing.T) {
	if n := SelfMaxRSS(); n < 1<<20 {
		t.Skipf("SelfMaxRSS = %d: not reported on this OS", n)
	}
	before := SelfMaxRSS()
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if after := SelfMaxRSS(); after < before || after < 64<<20 {
		t.Errorf("SelfMaxRSS went from %d to %d after touching 64 MiB", before, after)
	}
	_ = b[len(b)-1]
}
