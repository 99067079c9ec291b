package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mediaprep/mediaprep/internal/corpus"

	"github.com/mediaprep/mediaprep/bench"
	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/preprocess"
)

func init() {
	commands["bench"] = command{
		summary: "compare the pipeline with libvips and imaging as whole processes; print Markdown tables",
		run:     runBench,
	}
}

// benchExtensions are the inputs `mediaprep bench` picks from a corpus
// folder: the image formats all three tools read. PDFs are left out, since
// only mediaprep writes a PDF payload.
var benchExtensions = []string{".jpg", ".jpeg", ".heic", ".heif", ".webp", ".png"}

// benchTool is one contestant: how to run it on an input, writing out.
type benchTool struct {
	name string
	cmd  func(in, out string) (string, []string)
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Hidden modes, run by the bench itself as child processes.
	if len(args) > 0 {
		switch args[0] {
		case "-naive":
			return runBenchNaive(args[1:], stderr)
		case "-exec":
			return runBenchExec(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpus := fs.String("corpus", "", "folder of inputs (default $MEDIAPREP_CORPUS, else ../shared/corpus beside the repository)")
	n := fs.Int("n", 5, "runs per tool and input; the table shows medians")
	useVips := fs.Bool("vips", true, "run libvips (vipsthumbnail) beside us when it is installed")
	useImaging := fs.Bool("imaging", true, "run the imaging peer (decode, Fit Lanczos, image/jpeg)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: %s bench [-corpus DIR] [-n N] [-vips=false] [-imaging=false] [FILE...]

Runs 'mediaprep prepare -reencode' (this binary), vipsthumbnail and the imaging
peer as separate processes on each input, N times each in rotating order, and
prints per input the median wall and CPU time, the peak RSS and the output size
of each, with ratios ours ÷ tool (below 1: ours is cheaper). Every tool makes
the same payload: longer side at most %d px, never upscaled, EXIF-rotated,
JPEG quality %d, 4:2:0, metadata stripped. Without FILE, runs every image in
the corpus folder. libvips: apt-get install libvips-tools.

`, programName, preprocess.DefaultMaxSide, encode.DefaultQuality)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *n < 1 {
		fmt.Fprintf(stderr, "%s bench: -n %d: need at least one run\n", programName, *n)
		return exitUsage
	}
	files := fs.Args()
	if len(files) == 0 {
		var err error
		if files, err = corpusImages(*corpus); err != nil {
			fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
			return exitUsage
		}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
		return exitFailed
	}
	tmp, err := os.MkdirTemp("", "mediaprep-bench-")
	if err != nil {
		fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
		return exitFailed
	}
	defer os.RemoveAll(tmp)

	tools := benchTools(self, tmp, *useVips, *useImaging, stderr)
	for _, t := range tools {
		if err := os.Mkdir(filepath.Join(tmp, t.name), 0o755); err != nil {
			fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
			return exitFailed
		}
	}
	rows := make([]bench.Row, 0, len(files))
	for _, file := range files {
		fmt.Fprintf(stderr, "%s bench: %s\n", programName, file)
		row, err := benchFile(ctx, file, tools, tmp, *n)
		if err != nil {
			fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
			return exitFailed
		}
		rows = append(rows, row)
	}
	writeBenchHeader(stdout, tools, *n)
	if err := bench.WriteMarkdown(stdout, rows); err != nil {
		fmt.Fprintf(stderr, "%s bench: %v\n", programName, err)
		return exitFailed
	}
	for _, r := range rows {
		for _, s := range r.Samples {
			if s.Err != nil {
				return exitFailed
			}
		}
	}
	return exitOK
}

// benchTools lists the contestants, ours first (the baseline of the ratios).
func benchTools(self, tmp string, useVips, useImaging bool, stderr io.Writer) []benchTool {
	side, q := preprocess.DefaultMaxSide, encode.DefaultQuality
	tools := []benchTool{{
		name: "mediaprep",
		cmd: func(in, _ string) (string, []string) {
			// prepare names its output after the input, in the -o folder.
			return self, []string{"prepare", "-reencode", "-f", "-o", filepath.Join(tmp, "mediaprep"), in}
		},
	}}
	if useVips {
		if vips, err := exec.LookPath("vipsthumbnail"); err == nil {
			tools = append(tools, benchTool{
				name: "vipsthumbnail",
				cmd: func(in, out string) (string, []string) {
					return vips, bench.VipsthumbnailArgs(in, out, side, q)
				},
			})
		} else {
			fmt.Fprintf(stderr, "%s bench: vipsthumbnail not found, libvips left out (apt-get install libvips-tools)\n", programName)
		}
	}
	if useImaging {
		tools = append(tools, benchTool{
			name: "imaging",
			cmd: func(in, out string) (string, []string) {
				return self, []string{"bench", "-naive", "-o", out, in}
			},
		})
	}
	return tools
}

// benchFile runs every tool n times on file, rotating the order each round
// so that none always runs first (after an idle CPU) or last.
func benchFile(ctx context.Context, file string, tools []benchTool, tmp string, n int) (bench.Row, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return bench.Row{}, err
	}
	row := bench.Row{File: filepath.Base(file), InputBytes: fi.Size(), Samples: make([]bench.Sample, len(tools))}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	for i, t := range tools {
		row.Samples[i].Tool = t.name
	}
	for round := range n {
		for k := range tools {
			i := (k + round) % len(tools)
			s := &row.Samples[i]
			if s.Err != nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return row, err
			}
			out := filepath.Join(tmp, tools[i].name, base+".jpg")
			os.Remove(out)
			name, args := tools[i].cmd(file, out)
			u, err := bench.Run(ctx, name, args...)
			if err == nil {
				var fo os.FileInfo
				if fo, err = os.Stat(out); err == nil {
					s.OutBytes = fo.Size()
					s.OutWidth, s.OutHeight, err = bench.JPEGSize(out)
				}
			}
			if err != nil {
				s.Err = err
				continue
			}
			s.Runs = append(s.Runs, u)
		}
	}
	return row, nil
}

// writeBenchHeader says what was run, where and how, above the tables.
func writeBenchHeader(w io.Writer, tools []benchTool, n int) {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.name
	}
	fmt.Fprintf(w, "## mediaprep bench: %s, %d runs each, medians\n\n", strings.Join(names, " vs "), n)
	fmt.Fprintf(w, "- %s, %s/%s, %d CPUs, load average %s, %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), loadAverage(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- mediaprep: `%s prepare -reencode -o DIR FILE` (defaults: longer side %d, quality %d)\n",
		programName, preprocess.DefaultMaxSide, encode.DefaultQuality)
	if slices.ContainsFunc(tools, func(t benchTool) bool { return t.name == "vipsthumbnail" }) {
		args := bench.VipsthumbnailArgs("FILE", "OUT.jpg", preprocess.DefaultMaxSide, encode.DefaultQuality)
		for i, a := range args {
			if strings.ContainsAny(a, "<>[]*?$ ") {
				args[i] = "'" + a + "'"
			}
		}
		fmt.Fprintf(w, "- vipsthumbnail (%s): `vipsthumbnail %s`\n", bench.VipsVersion(), strings.Join(args, " "))
	}
	if slices.ContainsFunc(tools, func(t benchTool) bool { return t.name == "imaging" }) {
		fmt.Fprintf(w, "- imaging: `%s bench -naive -o OUT FILE`: imaging.Decode with auto-orientation, Fit Lanczos, image/jpeg q%d\n",
			programName, encode.DefaultQuality)
	}
	fmt.Fprintf(w, "- each tool is a separate process per run; CPU is user+system of that process; peak RSS is its ru_maxrss (at least %.1f MiB, this process's own peak, which Linux charges every child with)\n\n",
		float64(bench.SelfMaxRSS())/(1<<20))
}

// loadAverage returns the 1-minute load average, or "?" where unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// corpusImages lists the images in dir (or the default corpus folder), sorted.
func corpusImages(dir string) ([]string, error) {
	if dir == "" {
		dir = defaultCorpus()
	}
	if dir == "" {
		return nil, errors.New("no corpus: pass -corpus DIR or FILEs, or set MEDIAPREP_CORPUS")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && slices.Contains(benchExtensions, strings.ToLower(filepath.Ext(e.Name()))) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no images (%s)", dir, strings.Join(benchExtensions, " "))
	}
	return files, nil
}

// defaultCorpus returns $MEDIAPREP_CORPUS, else ../shared/corpus beside the
// repository that contains the working directory, or "".
func defaultCorpus() string {
	return corpus.Dir()
}

// runBenchNaive is `mediaprep bench -naive -o OUT FILE`: the imaging peer
// as a process of its own, so its time and RSS are measured like ours.
func runBenchNaive(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench -naive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output file")
	side := fs.Int("max-side", preprocess.DefaultMaxSide, "longer side, in pixels")
	q := fs.Int("quality", encode.DefaultQuality, "JPEG quality")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *out == "" || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "usage: %s bench -naive -o OUT [-max-side N] [-quality Q] FILE\n", programName)
		return exitUsage
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err == nil {
		data, err = bench.Naive(data, *side, *q)
	}
	if err == nil {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s bench -naive: %v\n", programName, err)
		return exitFailed
	}
	return exitOK
}

// runBenchExec is `mediaprep bench -exec CMD [ARG...]`: it runs CMD from
// this small process and prints its bench.Usage as JSON, so that a large
// parent (a benchmark binary) can measure a child's peak RSS without
// lending it its own (see bench.Usage.FloorRSS).
func runBenchExec(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: %s bench -exec CMD [ARG...]\n", programName)
		return exitUsage
	}
	u, err := bench.Run(ctx, args[0], args[1:]...)
	if err != nil {
		fmt.Fprintf(stderr, "%s bench -exec: %v\n", programName, err)
		return exitFailed
	}
	if err := json.NewEncoder(stdout).Encode(u); err != nil {
		fmt.Fprintf(stderr, "%s bench -exec: %v\n", programName, err)
		return exitFailed
	}
	return exitOK
}
