package bench

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"empty", nil, 0},
		{"one", []time.Duration{7}, 7},
		{"odd_unsorted", []time.Duration{9, 1, 5}, 5},
		{"even_mean_of_middle", []time.Duration{10, 1, 4, 100}, 7},
		{"outlier_ignored", []time.Duration{3, 3, 3, 3, 1000}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]time.Duration(nil), tc.in...)
			if got := Median(in); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
			}
			for i := range in {
				if in[i] != tc.in[i] {
					t.Fatalf("Median reordered its input: %v", in)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	s := Sample{Tool: "x", Runs: []Usage{
		{Wall: 30, CPU: 50, MaxRSS: 10, FloorRSS: 4},
		{Wall: 10, CPU: 70, MaxRSS: 30, FloorRSS: 5},
		{Wall: 20, CPU: 60, MaxRSS: 20, FloorRSS: 4},
	}}
	got, ok := s.Summary()
	want := Summary{Wall: 20, CPU: 60, MaxRSS: 30, FloorRSS: 5}
	if !ok || got != want {
		t.Errorf("Summary() = %+v, %v; want %+v, true", got, ok, want)
	}
	s.Err = errors.New("boom")
	if _, ok := s.Summary(); ok {
		t.Error("a failed sample has a summary")
	}
	if _, ok := (&Sample{}).Summary(); ok {
		t.Error("a sample without runs has a summary")
	}
}

// TestWriteMarkdown checks the tables against testdata/markdown.golden
// (go test -run WriteMarkdown -update ./bench rewrites it).
func TestWriteMarkdown(t *testing.T) {
	const ms = time.Millisecond
	rows := []Row{
		{File: "a_12mp_q92.jpg", InputBytes: 4_738_875, Samples: []Sample{
			{Tool: "mediaprep", OutBytes: 1_227_762, OutWidth: 1920, OutHeight: 1440, Runs: []Usage{
				{Wall: 150 * ms, CPU: 240 * ms, MaxRSS: 40 << 20},
				{Wall: 170 * ms, CPU: 260 * ms, MaxRSS: 44 << 20},
			}},
			{Tool: "vipsthumbnail", OutBytes: 1_220_331, OutWidth: 1920, OutHeight: 1440, Runs: []Usage{
				{Wall: 200 * ms, CPU: 200 * ms, MaxRSS: 50 << 20},
				{Wall: 200 * ms, CPU: 200 * ms, MaxRSS: 48 << 20},
			}},
			{Tool: "imaging", Err: errors.New("bench: exit status 1 | pipe\nsecond line")},
		}},
		{File: "h_1280x960_q85.jpg", InputBytes: 383_765, Samples: []Sample{
			{Tool: "mediaprep", OutBytes: 462_417, OutWidth: 1280, OutHeight: 960, Runs: []Usage{{Wall: 50 * ms, CPU: 50 * ms, MaxRSS: 18 << 20}}},
			{Tool: "vipsthumbnail", OutBytes: 457_592, OutWidth: 1280, OutHeight: 960, Runs: []Usage{{Wall: 60 * ms, CPU: 40 * ms, MaxRSS: 36 << 20}}},
			{Tool: "imaging", OutBytes: 462_205, Runs: []Usage{{Wall: 80 * ms, CPU: 80 * ms, MaxRSS: 16 << 20}}},
		}},
	}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, rows); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "markdown.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteMarkdown output differs from %s (rerun with -update if intended):\n%s", golden, buf.Bytes())
	}
}

func TestWriteMarkdownWriteError(t *testing.T) {
	rows := []Row{{File: "x.jpg", Samples: []Sample{{Tool: "a", Runs: []Usage{{Wall: 1}}}}}}
	if err := WriteMarkdown(failingWriter{}, rows); err == nil {
		t.Error("WriteMarkdown to a failing writer returned nil")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
