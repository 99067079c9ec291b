package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Sample is every run of one tool on one input.
type Sample struct {
	// Tool names the tool in the table ("mediaprep", "vipsthumbnail", ...).
	Tool string
	// Runs are the costs of the successful runs, in order.
	Runs []Usage
	// OutBytes is the size of the tool's output file (of the last run).
	OutBytes int64
	// OutWidth and OutHeight are the output's dimensions (0 if unknown),
	// shown so that a peer making a different payload stands out.
	OutWidth, OutHeight int
	// Err is the first failure; a tool that failed once shows as failed.
	Err error
}

// Summary is a Sample reduced to one figure a column: the medians of wall
// and CPU time, and the highest peak RSS (the figure that sizes a
// machine).
type Summary struct {
	Wall, CPU time.Duration
	MaxRSS    int64
	FloorRSS  int64 // highest FloorRSS of the runs
}

// Summary returns the medians of s.Runs (the mean of the two middle runs
// when their number is even) and the highest peak and floor RSS. ok is
// false when s failed or has no runs.
func (s *Sample) Summary() (sum Summary, ok bool) {
	if s.Err != nil || len(s.Runs) == 0 {
		return Summary{}, false
	}
	walls := make([]time.Duration, len(s.Runs))
	cpus := make([]time.Duration, len(s.Runs))
	for i, r := range s.Runs {
		walls[i], cpus[i] = r.Wall, r.CPU
		sum.MaxRSS = max(sum.MaxRSS, r.MaxRSS)
		sum.FloorRSS = max(sum.FloorRSS, r.FloorRSS)
	}
	sum.Wall, sum.CPU = Median(walls), Median(cpus)
	return sum, true
}

// Median returns the median of d (the mean of the two middle values when
// len(d) is even; 0 when d is empty). d is not modified.
func Median[T ~int | ~int64 | ~float64](d []T) T {
	var zero T
	if len(d) == 0 {
		return zero
	}
	s := slices.Clone(d)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}

// Row is one input and the samples of every tool on it. Samples[0] is the
// baseline the ratios are taken against (ours).
type Row struct {
	File       string
	InputBytes int64
	Samples    []Sample
}

// WriteMarkdown writes one Markdown table per row (a "### file" heading,
// then a line per tool with median wall and CPU time, peak RSS, output
// dimensions and bytes, and ours ÷ that tool for wall, CPU and RSS, below 1 meaning ours
// is cheaper), then a summary table with a line per file and the ratios of
// ours to every other tool. Failed tools show their error. Samples must
// name the same tools in the same order in every row.
func WriteMarkdown(w io.Writer, rows []Row) error {
	ew := &errWriter{w: w}
	for _, r := range rows {
		ew.printf("### %s (%s)\n\n", r.File, mb(r.InputBytes))
		ew.printf("| tool | wall ms | CPU ms | peak RSS MiB | output | output bytes | ours ÷ tool: wall | CPU | RSS |\n")
		ew.printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		base, baseOK := sampleAt(r.Samples, 0)
		for i := range r.Samples {
			s := &r.Samples[i]
			sum, ok := s.Summary()
			if !ok {
				ew.printf("| %s | %s | | | | | | | |\n", s.Tool, failure(s))
				continue
			}
			ew.printf("| %s | %.0f | %.0f | %.1f | %s | %d | %s | %s | %s |\n",
				s.Tool, ms(sum.Wall), ms(sum.CPU), mib(sum.MaxRSS), dims(s.OutWidth, s.OutHeight), s.OutBytes,
				ratio(baseOK, float64(base.Wall), float64(sum.Wall)),
				ratio(baseOK, float64(base.CPU), float64(sum.CPU)),
				ratio(baseOK, float64(base.MaxRSS), float64(sum.MaxRSS)))
		}
		ew.printf("\n")
	}
	if len(rows) == 0 || len(rows[0].Samples) < 2 {
		return ew.err
	}
	peers := rows[0].Samples[1:]
	ew.printf("### Summary: %s ÷ each tool (below 1: %s is cheaper)\n\n| file |", rows[0].Samples[0].Tool, rows[0].Samples[0].Tool)
	for _, p := range peers {
		ew.printf(" wall ÷ %[1]s | CPU ÷ %[1]s | RSS ÷ %[1]s |", p.Tool)
	}
	ew.printf("\n|---|%s\n", strings.Repeat("--:|", 3*len(peers)))
	for _, r := range rows {
		ew.printf("| %s |", r.File)
		base, baseOK := sampleAt(r.Samples, 0)
		for i := 1; i < len(r.Samples); i++ {
			sum, ok := r.Samples[i].Summary()
			ok = ok && baseOK
			ew.printf(" %s | %s | %s |",
				ratio(ok, float64(base.Wall), float64(sum.Wall)),
				ratio(ok, float64(base.CPU), float64(sum.CPU)),
				ratio(ok, float64(base.MaxRSS), float64(sum.MaxRSS)))
		}
		ew.printf("\n")
	}
	return ew.err
}

func sampleAt(s []Sample, i int) (Summary, bool) {
	if i >= len(s) {
		return Summary{}, false
	}
	return s[i].Summary()
}

// failure is the table cell of a tool without a summary.
func failure(s *Sample) string {
	if s.Err == nil {
		return "not run"
	}
	msg := s.Err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 80 {
		msg = msg[:80] + "…"
	}
	return "failed: " + strings.ReplaceAll(msg, "|", `\|`)
}

// dims formats an output size, or "?" when unknown.
func dims(w, h int) string {
	if w <= 0 || h <= 0 {
		return "?"
	}
	return fmt.Sprintf("%d×%d", w, h)
}

// ratio formats a/b, or "–" when either is unknown.
func ratio(ok bool, a, b float64) string {
	if !ok || a <= 0 || b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(n int64) float64        { return float64(n) / (1 << 20) }

// mb formats a byte count in decimal megabytes or kilobytes.
func mb(n int64) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.0f KB", float64(n)/1e3)
}

// errWriter keeps the first write error, so the table code reads straight.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
